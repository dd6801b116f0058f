"""/metrics (issue 14 item 10): the Prometheus text format, its protection, and real numbers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client, override_settings
from prometheus_client.parser import text_string_to_metric_families

from minwon.accounts.models import OrgUnit, User
from minwon.complaints.domain import IntakeChannel
from minwon.core import clock
from minwon.core.jobs import task
from minwon.lawclock.kinds import ComplaintKind
from minwon.notifications.models import Delivery, Notification
from tests.factories import TravellingClock, complaint_filed


def _scrape(**headers: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = Client().get("/metrics", **headers)  # type: ignore[arg-type]
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


@pytest.mark.django_db
def test_loopback_only_without_a_token() -> None:
    assert Client().get("/metrics").status_code == 200  # the test client is 127.0.0.1
    outside = Client(REMOTE_ADDR="203.0.113.9").get("/metrics")
    assert outside.status_code == 404


@pytest.mark.django_db
@override_settings(METRICS_TOKEN="s3cret-metrics-token")
def test_with_a_token_every_client_must_present_it() -> None:
    assert Client().get("/metrics").status_code == 404  # loopback is not enough any more
    wrong = Client().get("/metrics", HTTP_AUTHORIZATION="Bearer nope")
    assert wrong.status_code == 404
    right = Client(REMOTE_ADDR="203.0.113.9").get(
        "/metrics", HTTP_AUTHORIZATION="Bearer s3cret-metrics-token"
    )
    assert right.status_code == 200


@pytest.mark.django_db
def test_requests_are_counted_per_route_pattern_with_latencies() -> None:
    key = (
        "minwon_http_requests_total",
        (("method", "GET"), ("route", "/api/v1/catalog/types/<code>"), ("status", "404")),
    )
    before = _scrape().get(key, 0.0)
    Client().get("/api/v1/catalog/types/no-such-type")
    Client().get("/api/v1/catalog/types/another-one")
    samples = _scrape()
    assert samples[key] == before + 2
    count = samples[
        (
            "minwon_http_request_duration_seconds_count",
            (("method", "GET"), ("route", "/api/v1/catalog/types/<code>")),
        )
    ]
    assert count >= 2


def test_jobs_are_timed_by_name_and_outcome() -> None:
    @task("tests.metrics_probe")
    def probe(fail: bool = False) -> None:
        if fail:
            raise RuntimeError("boom")

    probe()
    with pytest.raises(RuntimeError):
        probe(fail=True)
    from prometheus_client import REGISTRY

    ok = REGISTRY.get_sample_value(
        "minwon_job_duration_seconds_count", {"job": "tests.metrics_probe", "outcome": "ok"}
    )
    failed = REGISTRY.get_sample_value(
        "minwon_job_duration_seconds_count", {"job": "tests.metrics_probe", "outcome": "failed"}
    )
    assert ok == 1
    assert failed == 1


@pytest.mark.django_db
def test_outbox_depth_age_failures_and_the_legal_numbers(
    citizen: User, civil_unit: OrgUnit
) -> None:
    now = clock.now()
    note = Notification.objects.create(
        idempotency_key="metrics-test", event="complaint_received", not_before=now
    )
    Delivery.objects.create(notification=note, channel="sms", next_attempt_at=now)
    Delivery.objects.create(
        notification=note, channel="email", next_attempt_at=now, status="failed"
    )
    complaint_filed(ComplaintKind.GRIEVANCE, channel=IntakeChannel.WEB, citizen=citizen)
    samples = _scrape()
    assert samples[("minwon_outbox_depth", ())] == 1
    assert samples[("minwon_outbox_oldest_age_seconds", ())] >= 0
    assert samples[("minwon_notification_delivery_failures", (("channel", "email"),))] == 1
    assert samples[("minwon_complaints_open", ())] == 1
    assert samples[("minwon_complaints_overdue", ())] == 0
    assert samples[("minwon_complaints_supplement_requested_late", ())] == 0
    assert samples[("minwon_complaints_answered", ())] == 0
    assert samples[("minwon_complaints_answered_late", ())] == 0
    assert samples[("minwon_complaints_answered_after_original_deadline", ())] == 0
    for name in ("outbox", "exchange", "webhooks", "complaints"):
        assert samples[("minwon_collector_up", (("name", name),))] == 1

    travel = TravellingClock()
    try:
        travel.at(2099, 1, 1)  # far past every deadline
        later = _scrape()
    finally:
        travel.stop()
    assert later[("minwon_complaints_overdue", ())] == 1
    assert later[("minwon_complaints_due_soon", ())] == 0
    assert later[("minwon_outbox_oldest_age_seconds", ())] > timedelta(days=365).total_seconds()
