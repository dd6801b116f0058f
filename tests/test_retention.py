"""Retention (issue 14 item 11): the nightly purge jobs delete what is past its retention and
keep everything else (recent rows, deliveries still waiting)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from django.test import Client

from minwon.accounts.domain import ApiScope
from minwon.accounts.models import User
from minwon.accounts.services import api_key_issue
from minwon.complaints.domain import IntakeChannel
from minwon.core.maintenance import idempotency_purge_job
from minwon.core.models import AuditEvent, IdempotencyRecord
from minwon.lawclock.kinds import ComplaintKind
from minwon.notifications.jobs import delivery_log_purge_job
from minwon.notifications.models import Delivery, Notification
from minwon.webhooks.jobs import webhook_delivery_log_purge_job
from minwon.webhooks.models import WebhookDelivery, WebhookSubscription
from tests.factories import TravellingClock, complaint_filed


@pytest.fixture
def travel() -> Iterator[TravellingClock]:
    clock = TravellingClock()
    yield clock
    clock.stop()


def _push(key: str, idempotency_key: str) -> int:
    return (
        Client()
        .post(
            "/api/v1/exchange/epeople/complaints",
            json.dumps({"items": []}),
            content_type="application/json",
            HTTP_X_API_KEY=key,
            HTTP_IDEMPOTENCY_KEY=idempotency_key,
        )
        .status_code
    )


@pytest.mark.django_db
def test_idempotency_answers_past_their_retention_are_purged(travel: TravellingClock) -> None:
    _, key = api_key_issue(actor=None, name="국민신문고", scopes=[ApiScope.EXCHANGE])
    travel.at(2026, 3, 2, 9)
    assert _push(key, "old") == 200
    travel.at(2026, 3, 4, 8)  # 47 hours later
    assert _push(key, "recent") == 200
    travel.at(2026, 3, 4, 10)  # 49 hours after the first: past IDEMPOTENCY_RETENTION_HOURS (48)
    assert idempotency_purge_job() == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["recent"]
    assert AuditEvent.objects.filter(action="core.idempotency_records_purged").count() == 1
    assert idempotency_purge_job() == 0  # idempotent


def _push_response(key: str, idempotency_key: str, body: str = '{"items": []}') -> Any:
    return Client().post(
        "/api/v1/exchange/epeople/complaints",
        body,
        content_type="application/json",
        HTTP_X_API_KEY=key,
        HTTP_IDEMPOTENCY_KEY=idempotency_key,
    )


@pytest.mark.django_db
def test_an_idempotency_answer_past_its_retention_is_not_replayed_before_the_purge(
    travel: TravellingClock,
) -> None:
    """Issue 13 item 5: a record expires on lookup too, not only when the nightly purge runs."""
    _, key = api_key_issue(actor=None, name="국민신문고", scopes=[ApiScope.EXCHANGE])
    travel.at(2026, 3, 2, 9)
    first = _push_response(key, "k-1")
    assert first.status_code == 200
    travel.at(2026, 3, 4, 8)  # 47 hours: still within IDEMPOTENCY_RETENTION_HOURS (48)
    assert _push_response(key, "k-1")["Idempotent-Replayed"] == "true"
    travel.at(2026, 3, 4, 10)  # 49 hours: expired, although no purge has run
    fresh = _push_response(key, "k-1")
    assert fresh.status_code == 200
    assert "Idempotent-Replayed" not in fresh
    # the key is free again: another body under it is a new request, not "key reused" (422)
    travel.at(2026, 3, 6, 11)
    assert _push_response(key, "k-1", '{"items":  []}').status_code == 200
    record = IdempotencyRecord.objects.get(key="k-1")
    assert record.created_at == travel_now()


@pytest.mark.django_db
def test_finished_deliveries_past_retention_leave_the_logs_waiting_ones_stay(
    travel: TravellingClock, citizen: User
) -> None:
    travel.at(2025, 1, 6, 9)
    old_note = Notification.objects.create(
        idempotency_key="old", event="complaint_received", not_before=travel_now()
    )
    Delivery.objects.create(
        notification=old_note, channel="sms", next_attempt_at=travel_now(), status="delivered"
    )
    Delivery.objects.create(notification=old_note, channel="email", next_attempt_at=travel_now())
    complaint = complaint_filed(ComplaintKind.GRIEVANCE, channel=IntakeChannel.WEB, citizen=citizen)
    api_key, _ = api_key_issue(actor=None, name="integrator", scopes=[ApiScope.EXCHANGE])
    subscription = WebhookSubscription.objects.create(
        api_key=api_key, url="https://example.kr/hook", secret_encrypted="x"
    )
    for event_id, status in enumerate(("delivered", "failed", "pending"), start=1):
        WebhookDelivery.objects.create(
            subscription=subscription,
            complaint=complaint,
            source_event_id=event_id,
            event="complaint.registered",
            payload={},
            status=status,
            next_attempt_at=travel_now(),
        )
    travel.at(2025, 6, 2, 9)  # five months on: past the webhooks' 90 days only
    Delivery.objects.create(
        notification=old_note, channel="in_app", next_attempt_at=travel_now(), status="failed"
    )
    assert delivery_log_purge_job() == 0
    assert webhook_delivery_log_purge_job() == 2
    assert list(WebhookDelivery.objects.values_list("status", flat=True)) == ["pending"]

    travel.at(2026, 1, 7, 9)  # a year and a day after the first deliveries
    assert delivery_log_purge_job() == 1  # the old delivered one; pending and recent stay
    assert sorted(Delivery.objects.values_list("channel", "status")) == [
        ("email", "pending"),
        ("in_app", "failed"),
    ]
    assert Notification.objects.filter(pk=old_note.pk).exists()  # the key stays


def travel_now() -> datetime:
    from minwon.core import clock

    return clock.now()
