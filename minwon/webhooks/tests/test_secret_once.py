"""Issue 13 item 5: a webhook's signing secret is shown once and never rests in the
Idempotency-Key record, like a new API key or personal token."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from minwon.accounts.domain import ApiScope
from minwon.accounts.services import api_key_issue
from minwon.core.models import IdempotencyRecord
from minwon.webhooks.models import WebhookSubscription
from minwon.webhooks.tests.receiver import FakeDns


@pytest.mark.django_db
def test_the_signing_secret_is_not_stored_in_the_idempotency_record(dns: FakeDns) -> None:
    dns.set("hooks.example.kr", ["203.0.114.7"])
    _, key = api_key_issue(actor=None, name="integrator", scopes=[ApiScope.WEBHOOKS])
    body = json.dumps({"url": "https://hooks.example.kr/hook", "events": ["complaint.registered"]})
    client = Client(enforce_csrf_checks=True)
    first, second = (
        client.post(
            "/api/v1/webhooks/subscriptions",
            body,
            content_type="application/json",
            HTTP_X_API_KEY=key,
            HTTP_IDEMPOTENCY_KEY="hook-1",
        )
        for _ in range(2)
    )
    assert first.status_code == 201, first.content
    raw = first.json()["secret"]
    assert raw
    record = IdempotencyRecord.objects.get(key="hook-1")
    assert raw.encode() not in bytes(record.response_body)
    assert second.status_code == 201
    assert second["Idempotent-Replayed"] == "true"
    assert "secret" not in second.json()
    assert second.json()["id"] == first.json()["id"]
    assert WebhookSubscription.objects.count() == 1
