"""Bearer tokens and API keys write over real HTTP; the session keeps its CSRF check.

django-ninja's session authentication ran the CSRF check before it knew whether anybody was
logged in, and it came first in every list, so a script's POST with `Authorization: Bearer mwp_…`
(no CSRF cookie: it is not a browser) was refused with 403 before its token was read. The test
client skips CSRF unless asked, so these tests ask (`enforce_csrf_checks=True`), and one POSTs over
a real socket to the live server.
"""

from __future__ import annotations

import json
import socket
import urllib.request
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from minwon.accounts.domain import ApiScope
from minwon.accounts.models import User
from minwon.accounts.services import api_key_issue, personal_token_issue
from minwon.complaints.models import Complaint

API = "/api/v1"
FILING = {
    "kind": "suggestion",
    "title": "가로등 증설",
    "body": "어두워요",
    "applicant": {"name": "홍길동", "address": "파주시 시청로 50", "phone": "010-1234-5678"},
}


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


def _post(client: Client, path: str, body: dict[str, Any], **extra: Any) -> Any:
    return client.post(API + path, json.dumps(body), content_type="application/json", **extra)


@pytest.mark.django_db
def test_citizen_token_files_a_complaint_with_csrf_enforced(citizen: User) -> None:
    _, raw = personal_token_issue(actor=None, user=citizen, name="script")
    client = Client(enforce_csrf_checks=True)
    r = _post(client, "/complaints", FILING, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert r.status_code == 201, r.content
    assert Complaint.objects.get().citizen_id == citizen.pk


@pytest.mark.django_db
def test_officer_token_acts_with_csrf_enforced(
    citizen: User, counter_officer: User, road_unit: Any
) -> None:
    _, citizen_raw = personal_token_issue(actor=None, user=citizen, name="phone")
    _, officer_raw = personal_token_issue(actor=None, user=counter_officer, name="script")
    client = Client(enforce_csrf_checks=True)
    pk = _post(client, "/complaints", FILING, HTTP_AUTHORIZATION=f"Bearer {citizen_raw}").json()[
        "id"
    ]
    r = _post(
        client,
        f"/office/complaints/{pk}/register",
        {"org_unit": "road"},
        HTTP_AUTHORIZATION=f"Bearer {officer_raw}",
    )
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "registered"


@pytest.mark.django_db
def test_token_wins_over_a_session_cookie_without_csrf(
    citizen_client: Client, citizen: User
) -> None:
    """A request that carries a token is the token's, even from a browser with a session."""
    _, raw = personal_token_issue(actor=None, user=citizen, name="script")
    r = _post(citizen_client, "/complaints", FILING, HTTP_AUTHORIZATION=f"Bearer {raw}", csrf=False)
    assert r.status_code == 201, r.content


@pytest.mark.django_db
def test_session_post_without_the_csrf_token_is_refused_and_changes_nothing(
    citizen_client: Client,
) -> None:
    r = _post(citizen_client, "/complaints", FILING, csrf=False)
    assert r.status_code == 403
    assert r.json()["code"] == "csrf_failed"
    assert Complaint.objects.count() == 0
    # The same session with the token (as the page's script sends it) is accepted.
    assert _post(citizen_client, "/complaints", FILING).status_code == 201


@pytest.mark.django_db
def test_anonymous_post_is_unauthorised_not_a_csrf_failure() -> None:
    r = _post(Client(enforce_csrf_checks=True), "/complaints", FILING)
    assert r.status_code == 401
    assert r.json()["code"] == "unauthorized"


@pytest.mark.django_db(transaction=True)
def test_token_posts_over_a_real_socket(live_server: Any, citizen: User) -> None:
    _, raw = personal_token_issue(actor=None, user=citizen, name="script")
    request = urllib.request.Request(
        f"{live_server.url}{API}/complaints",
        data=json.dumps(FILING).encode(),
        headers={"Authorization": f"Bearer {raw}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 201
        body = json.loads(response.read())
    assert body["status"] == "received"
    assert Complaint.objects.get(pk=body["id"]).citizen_id == citizen.pk


@pytest.mark.django_db(transaction=True)
def test_api_key_posts_over_a_real_socket(live_server: Any, monkeypatch: Any) -> None:
    real = socket.getaddrinfo
    monkeypatch.setattr(  # the sandbox has no DNS: example.org stands for a public address
        socket,
        "getaddrinfo",
        lambda host, *a, **k: real("93.184.215.14" if host == "example.org" else host, *a, **k),
    )
    _, raw = api_key_issue(actor=None, name="integrator", scopes=[ApiScope.WEBHOOKS])
    request = urllib.request.Request(
        f"{live_server.url}{API}/webhooks/subscriptions",
        data=json.dumps(
            {"url": "https://example.org/hook", "events": ["complaint.answered"]}
        ).encode(),
        headers={"X-API-Key": raw, "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 201
