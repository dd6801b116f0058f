"""API keys, session auth, rate limits and Idempotency-Key replay through the real HTTP stack."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client

from minwon.accounts.domain import ApiScope, Role
from minwon.accounts.models import ApiKey
from minwon.accounts.services import api_key_issue
from minwon.core.models import AuditEvent, IdempotencyRecord


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


@pytest.fixture
def admin(make_officer, city):
    return make_officer("admin", city, Role.ADMINISTRATOR)


def test_anonymous_calls_are_refused_with_the_error_document(client: Client, db: None) -> None:
    response = client.get("/api/v1/accounts/me", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


def test_officer_session_without_second_factor_is_refused(client: Client, road_officer) -> None:
    client.force_login(road_officer, backend="minwon.accounts.backends.ThrottledModelBackend")
    assert client.get("/api/v1/accounts/me").status_code == 401


def test_me_for_people_and_keys(officer_client, road_officer, citizen_client, db: None) -> None:
    body = officer_client(road_officer).get("/api/v1/accounts/me").json()
    assert body["kind"] == "officer" and body["roles"] == ["department_officer"]
    assert citizen_client.get("/api/v1/accounts/me").json()["kind"] == "citizen"
    _, raw = api_key_issue(actor=None, name="FixMyStreet", scopes=[ApiScope.OPEN311_POST])
    body = Client(enforce_csrf_checks=True).get("/api/v1/accounts/me", HTTP_X_API_KEY=raw).json()
    assert body == {
        "kind": "integrator",
        "username": None,
        "name": "FixMyStreet",
        "org_unit": None,
        "roles": [],
        "scopes": ["open311.post"],
    }
    bearer = Client(enforce_csrf_checks=True).get(
        "/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert bearer.status_code == 200


def test_administrator_issues_and_revokes_keys(officer_client, admin, road_officer) -> None:
    client = officer_client(admin)
    response = client.post(
        "/api/v1/accounts/api-keys",
        data=json.dumps(
            {"name": "국민신문고 연계", "scopes": ["exchange"], "org_unit_code": "paju"}
        ),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["key"].startswith("mw_") and created["prefix"] == created["key"][:8]
    key = ApiKey.objects.get(pk=created["id"])
    listed = client.get("/api/v1/accounts/api-keys").json()
    assert [(k["name"], k["prefix"], "key" in k) for k in listed] == [
        ("국민신문고 연계", created["prefix"], False)
    ]
    assert created["key"] not in key.key_hash  # only the hash is stored
    assert (
        Client(enforce_csrf_checks=True)
        .get("/api/v1/accounts/me", HTTP_X_API_KEY=created["key"])
        .status_code
        == 200
    )
    assert client.delete(f"/api/v1/accounts/api-keys/{key.pk}").status_code == 204
    assert (
        Client(enforce_csrf_checks=True)
        .get("/api/v1/accounts/me", HTTP_X_API_KEY=created["key"])
        .status_code
        == 401
    )
    assert list(
        AuditEvent.objects.filter(target_type="accounts.apikey").values_list("action", flat=True)
    ) == ["api_key.issued", "api_key.revoked"]
    # Not an administrator: forbidden, and nothing written.
    other = officer_client(road_officer).post(
        "/api/v1/accounts/api-keys",
        data=json.dumps({"name": "x", "scopes": []}),
        content_type="application/json",
    )
    assert other.status_code == 403
    assert ApiKey.objects.count() == 1


def test_bad_input_gets_a_clear_error_and_changes_nothing(officer_client, admin) -> None:
    client = officer_client(admin)
    for payload, field in [
        ({"name": " ", "scopes": ["api.read"]}, "name"),
        ({"name": "x", "scopes": ["api.read"], "org_unit_code": "nowhere"}, "org_unit_code"),
        (
            {"name": "x", "scopes": ["api.read"], "rate_limit_per_minute": 0},
            "rate_limit_per_minute",
        ),
        ({"name": "x", "scopes": ["launch.missiles"]}, "scopes.0"),
    ]:
        response = client.post(
            "/api/v1/accounts/api-keys",
            data=json.dumps(payload),
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert response.status_code in (400, 422), response.content
        assert response.json()["field"] == field
    malformed = client.post(
        "/api/v1/accounts/api-keys", data="{not json", content_type="application/json"
    )
    assert malformed.status_code in (400, 422)
    assert ApiKey.objects.count() == 0


def test_rate_limit_per_key(db: None) -> None:
    _, raw = api_key_issue(actor=None, name="busy", scopes=[], rate_limit_per_minute=3)
    # The limit counts per minute: start just after a minute begins so the five fall in one window.
    with time_machine.travel(datetime(2026, 3, 9, 10, 0, 1, tzinfo=UTC), tick=True):
        statuses = [
            Client(enforce_csrf_checks=True)
            .get("/api/v1/accounts/me", HTTP_X_API_KEY=raw)
            .status_code
            for _ in range(5)
        ]
    assert statuses[:3] == [200, 200, 200]
    assert statuses[3:] == [429, 429]


def test_idempotency_key_replays_the_first_answer(officer_client, admin) -> None:
    client = officer_client(admin)
    body = json.dumps({"name": "retry-me", "scopes": ["api.read"]})
    first = client.post(
        "/api/v1/accounts/api-keys",
        data=body,
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="abc-123",
    )
    second = client.post(
        "/api/v1/accounts/api-keys",
        data=body,
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="abc-123",
    )
    assert first.status_code == second.status_code == 201
    assert {k: v for k, v in first.json().items() if k != "key"} == second.json()
    assert second["Idempotent-Replayed"] == "true"
    assert ApiKey.objects.filter(name="retry-me").count() == 1
    changed = client.post(
        "/api/v1/accounts/api-keys",
        data=json.dumps({"name": "other", "scopes": []}),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="abc-123",
    )
    assert changed.status_code == 422
    assert changed.json()["code"] == "idempotency.key_reused"
    assert IdempotencyRecord.objects.count() == 1
    # Without the header, a second POST is a second key.
    client.post("/api/v1/accounts/api-keys", data=body, content_type="application/json")
    assert ApiKey.objects.filter(name="retry-me").count() == 2


@pytest.mark.parametrize(
    ("path", "payload", "secret"),
    [
        ("/api/v1/accounts/api-keys", {"name": "secret-once", "scopes": ["api.read"]}, "key"),
        ("/api/v1/accounts/tokens", {"name": "secret-once", "days": 30}, "token"),
    ],
)
def test_idempotency_record_never_stores_the_raw_secret(
    officer_client, admin, path: str, payload: dict[str, object], secret: str
) -> None:
    client = officer_client(admin)
    first, second = (
        client.post(
            path,
            data=json.dumps(payload),
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY="secret-1",
        )
        for _ in range(2)
    )
    raw = first.json()[secret]
    record = IdempotencyRecord.objects.get(key="secret-1")
    assert raw.encode() not in bytes(record.response_body)
    assert second.status_code == 201
    assert second["Idempotent-Replayed"] == "true"
    assert secret not in second.json()
    assert second.json()["name"] == "secret-once"
