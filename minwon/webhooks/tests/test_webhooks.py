"""Webhooks end to end: subscribe over the API, complaint events fan out, signed deliveries reach a
real HTTP receiver, failures retry and are logged."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from minwon.accounts.domain import ApiScope
from minwon.accounts.services import api_key_issue
from minwon.complaints.domain import IntakeChannel, Outcome
from minwon.complaints.models import Complaint
from minwon.complaints.services import (
    ApplicantInput,
    FilingInput,
    complaint_answer,
    complaint_assign,
    complaint_file,
)
from minwon.lawclock.kinds import ComplaintKind
from minwon.webhooks.domain import retry_delay_seconds, sign, url_problem, verify
from minwon.webhooks.models import WebhookDelivery, WebhookSubscription
from minwon.webhooks.services import webhook_deliver_due, webhook_fanout
from minwon.webhooks.tests.receiver import FakeDns, Receiver


@pytest.fixture
def key(db: None) -> str:
    _, raw = api_key_issue(actor=None, name="integrator", scopes=[ApiScope.WEBHOOKS])
    return raw


def subscribe(key: str, url: str, events: list[str]) -> dict[str, Any]:
    response = Client(enforce_csrf_checks=True).post(
        "/api/v1/webhooks/subscriptions",
        json.dumps({"url": url, "events": events}),
        content_type="application/json",
        HTTP_X_API_KEY=key,
    )
    assert response.status_code == 201, response.content
    body: dict[str, Any] = response.json()
    return body


def file_counter_complaint() -> Complaint:
    return complaint_file(
        data=FilingInput(
            kind=ComplaintKind.SUGGESTION,
            title="건의",
            body="가로등을 늘려 주세요",
            channel=IntakeChannel.COUNTER,
            applicant=ApplicantInput(name="홍길동", address="시청로 50"),
        )
    )


def test_signature_round_trip_and_replay_window() -> None:
    header = sign("s3cret", 1_000_000, b'{"a":1}')
    assert verify("s3cret", header, b'{"a":1}', now=1_000_100)
    assert not verify("s3cret", header, b'{"a":2}', now=1_000_100)
    assert not verify("other", header, b'{"a":1}', now=1_000_100)
    assert not verify("s3cret", header, b'{"a":1}', now=1_000_000 + 301)
    assert not verify("s3cret", "t=x,v1=y", b"", now=0)


@pytest.mark.parametrize(
    ("url", "allow_http", "problem"),
    [
        ("https://hooks.example.kr/minwon", False, None),
        ("http://hooks.example.kr/minwon", False, "scheme"),
        ("http://hooks.example.kr/x", True, None),
        ("http://hooks.example.kr:8080/x", True, "port"),
        ("https://hooks.example.kr:22/x", False, "port"),
        ("https://hooks.example.kr:99999/x", False, "port"),
        ("ftp://x/y", True, "scheme"),
        ("https://user:pw@x.kr/", False, "credentials"),
        ("https:///nohost", False, "no_host"),
    ],
)
def test_url_rules(url: str, allow_http: bool, problem: str | None) -> None:
    assert url_problem(url, allow_http=allow_http, allowed_ports={443, 80}) == problem


def test_backoff_grows_and_caps() -> None:
    assert [retry_delay_seconds(n) for n in (1, 2, 3)] == [30, 60, 120]
    assert retry_delay_seconds(40) == 6 * 3600


def test_events_are_delivered_signed_once_each(receiver: Receiver, key: str, road_officer) -> None:
    created = subscribe(key, receiver.url, ["complaint.registered", "complaint.answered"])
    secret = created["secret"]
    complaint = file_counter_complaint()
    complaint_assign(
        complaint=complaint, actor=None, assignee=road_officer, org_unit=road_officer.org_unit
    )
    complaint_answer(
        complaint=Complaint.objects.get(),
        actor=road_officer,
        outcome=Outcome.INFORMED,
        answer="검토하겠습니다",
    )
    assert webhook_fanout() == 2  # registered + answered; arrive and assign are not subscribed
    assert webhook_fanout() == 0  # idempotent: the cursor moved
    result = webhook_deliver_due()
    assert (result.delivered, result.retrying, result.failed) == (2, 0, 0)
    assert webhook_deliver_due().delivered == 0  # never twice
    events = []
    for headers, body in receiver.calls:
        assert verify(secret, headers["X-Minwon-Signature"], body, now=int(time.time()))
        payload = json.loads(body)
        events.append(payload["event"])
        assert headers["X-Minwon-Event"] == payload["event"]
        assert payload["complaint"]["receipt_number"] == complaint.receipt_number
        assert "홍길동" not in body.decode()  # no personal data in events
    assert events == ["complaint.registered", "complaint.answered"]


def test_a_failing_endpoint_retries_with_backoff_and_logs(receiver: Receiver, key: str, db) -> None:
    created = subscribe(key, receiver.url, ["complaint.registered"])
    file_counter_complaint()
    webhook_fanout()
    receiver.answers = [500]
    first = webhook_deliver_due()
    assert (first.delivered, first.retrying) == (0, 1)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending" and delivery.last_status_code == 500
    assert delivery.last_error == "HTTP 500"
    assert webhook_deliver_due().delivered == 0  # backing off
    WebhookDelivery.objects.update(next_attempt_at=delivery.next_attempt_at - timedelta(hours=1))
    assert webhook_deliver_due().delivered == 1
    log = (
        Client(enforce_csrf_checks=True)
        .get(f"/api/v1/webhooks/subscriptions/{created['id']}/deliveries", HTTP_X_API_KEY=key)
        .json()
    )
    assert [(d["status"], d["attempts"]) for d in log["items"]] == [("delivered", 2)]


def test_one_dead_endpoint_never_blocks_the_others(
    receiver: Receiver, key: str, db, settings
) -> None:
    settings.WEBHOOKS_ALLOWED_PORTS = [*settings.WEBHOOKS_ALLOWED_PORTS, 9]
    subscribe(key, "http://127.0.0.1:9/closed", ["complaint.registered"])
    subscribe(key, receiver.url, ["complaint.registered"])
    file_counter_complaint()
    webhook_fanout()
    result = webhook_deliver_due(timeout=2)
    assert (result.delivered, result.retrying) == (1, 1)
    assert len(receiver.calls) == 1


def test_410_gone_stops_the_subscription(receiver: Receiver, key: str, db) -> None:
    subscribe(key, receiver.url, ["complaint.registered"])
    receiver.answers = [410]
    file_counter_complaint()
    webhook_fanout()
    assert webhook_deliver_due().failed == 1
    assert not WebhookSubscription.objects.get().is_active
    file_counter_complaint()
    assert webhook_fanout() == 0


def test_keys_scoped_to_a_unit_see_only_its_complaints(
    receiver: Receiver, road_unit, civil_unit
) -> None:
    _, scoped = api_key_issue(
        actor=None, name="road team", scopes=[ApiScope.WEBHOOKS], org_unit=road_unit
    )
    subscribe(scoped, receiver.url, ["complaint.registered"])
    complaint_file(
        data=FilingInput(
            kind=ComplaintKind.SUGGESTION,
            title="민원실 건",
            body="내용",
            channel=IntakeChannel.COUNTER,
            org_unit=civil_unit,
            applicant=ApplicantInput(name="김", address="문산읍"),
        )
    )
    complaint_file(
        data=FilingInput(
            kind=ComplaintKind.SUGGESTION,
            title="도로 건",
            body="내용",
            channel=IntakeChannel.COUNTER,
            org_unit=road_unit,
            applicant=ApplicantInput(name="김", address="문산읍"),
        )
    )
    assert webhook_fanout() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "ftp://x/y", "events": ["complaint.registered"]}, "url"),
        ({"url": "https://hooks.example.kr/x", "events": []}, "events"),
        ({"url": "https://hooks.example.kr/x", "events": ["complaint.exploded"]}, "events"),
    ],
)
def test_bad_subscriptions_are_refused(
    key: str, dns: FakeDns, body: dict[str, Any], field: str
) -> None:
    dns.set("hooks.example.kr", ["203.0.114.7"])
    response = Client(enforce_csrf_checks=True).post(
        "/api/v1/webhooks/subscriptions",
        json.dumps(body),
        content_type="application/json",
        HTTP_X_API_KEY=key,
    )
    assert response.status_code == 400 and response.json()["field"] == field
    assert WebhookSubscription.objects.count() == 0


def test_scope_and_ownership(key: str, receiver: Receiver) -> None:
    created = subscribe(key, receiver.url, ["complaint.closed"])
    _, stranger = api_key_issue(actor=None, name="other", scopes=[ApiScope.WEBHOOKS])
    _, reader = api_key_issue(actor=None, name="reader", scopes=[ApiScope.API_READ])
    assert (
        Client(enforce_csrf_checks=True)
        .get("/api/v1/webhooks/subscriptions", HTTP_X_API_KEY=reader)
        .status_code
        == 403
    )
    assert (
        Client(enforce_csrf_checks=True)
        .get("/api/v1/webhooks/subscriptions", HTTP_X_API_KEY=stranger)
        .json()
        == []
    )
    gone = Client(enforce_csrf_checks=True).delete(
        f"/api/v1/webhooks/subscriptions/{created['id']}", HTTP_X_API_KEY=stranger
    )
    assert gone.status_code == 404
    assert (
        Client(enforce_csrf_checks=True)
        .delete(f"/api/v1/webhooks/subscriptions/{created['id']}", HTTP_X_API_KEY=key)
        .status_code
        == 204
    )
    assert not WebhookSubscription.objects.get().is_active


def test_a_run_gives_back_what_its_lease_cannot_cover(
    receiver: Receiver, key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The 60 s lease is not renewed: a run that kept posting past it overlapped the next run,
    which took the same deliveries and posted them too (docs/notices.md, "Delivery: at least
    once"). A post starts only while the lease outlasts its time-out; the rest are given back."""
    from minwon.core import clock
    from minwon.webhooks import services

    subscribe(key, receiver.url, ["complaint.registered"])
    file_counter_complaint()
    file_counter_complaint()
    webhook_fanout()
    assert WebhookDelivery.objects.count() == 2
    monkeypatch.setattr(services, "LEASE", timedelta(seconds=5))  # < time-out 5 s + margin
    result = webhook_deliver_due(timeout=5.0)
    assert receiver.calls == []  # nothing was posted
    assert (result.delivered, result.released) == (0, 2)
    rows = list(WebhookDelivery.objects.all())
    assert {(d.status, d.attempts) for d in rows} == {(WebhookDelivery.PENDING, 0)}
    assert all(d.next_attempt_at <= clock.now() for d in rows)  # due again at once
    monkeypatch.setattr(services, "LEASE", timedelta(seconds=60))
    assert webhook_deliver_due(timeout=5.0).delivered == 2
    assert len(receiver.calls) == 2  # each once
