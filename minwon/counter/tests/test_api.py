"""The counter's JSON API: a kiosk of another vendor issues with its key, the phone reads its
ticket, a counter officer runs a window; errors are the API's error document, in words."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from minwon.accounts.domain import ApiScope, Role
from minwon.accounts.models import OrgUnit, User
from minwon.accounts.services import api_key_issue
from minwon.counter.models import Ticket, TicketEvent
from minwon.counter.tests.factories import Counter, counter_make

pytestmark = pytest.mark.django_db
API = "/api/v1/counter"


@pytest.fixture
def counter(db: None) -> Counter:
    return counter_make()


@pytest.fixture
def kiosk(civil_unit: OrgUnit) -> Client:
    _, raw = api_key_issue(
        actor=None,
        name="kiosk",
        scopes=[ApiScope.COUNTER],
        org_unit=civil_unit,
        rate_limit_per_minute=10_000,
    )
    return Client(HTTP_X_API_KEY=raw, HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def window_officer(officer_client: Callable[[User], Client], counter_officer: User) -> Client:
    client = officer_client(counter_officer)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _post(client: Client, url: str, body: dict[str, Any] | None = None, **extra: Any) -> Any:
    return client.post(url, json.dumps(body or {}), content_type="application/json", **extra)


def test_the_kiosk_lists_services_and_issues_with_its_key(counter: Counter, kiosk: Client) -> None:
    categories = Client().get(f"{API}/categories").json()
    assert {c["code"] for c in categories} == {"resident-copy", "seal", "passport"}
    easy = next(c for c in categories if c["code"] == "resident-copy")
    assert easy["name_easy"] == "주민등록 서류 떼기" and easy["group"] == "certificates"
    response = _post(kiosk, f"{API}/tickets", {"category": "resident-copy"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["label"] == "A001" and body["status"] == "waiting" and body["ahead"] == 0
    assert body["wait_minutes"] is None  # no window open yet
    assert Ticket.objects.get().channel == Ticket.API
    # The phone page's data, by the token alone; an unknown token is 404.
    mine = Client().get(f"{API}/tickets/{body['token']}").json()
    assert mine["label"] == "A001" and mine["ahead"] == 0 and "token" not in mine
    assert Client().get(f"{API}/tickets/{'x' * 32}").status_code == 404


def test_a_key_without_the_counter_scope_and_bad_bodies_are_refused(
    counter: Counter, kiosk: Client, civil_unit: OrgUnit
) -> None:
    _, raw = api_key_issue(
        actor=None, name="hooks", scopes=[ApiScope.WEBHOOKS], org_unit=civil_unit
    )
    response = _post(Client(HTTP_X_API_KEY=raw), f"{API}/tickets", {"category": "seal"})
    assert response.status_code == 403
    response = _post(kiosk, f"{API}/tickets", {"category": "seal", "priority": True})
    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid",
        "message": "Choose why the visitor is served at the priority window.",
        "field": "priority_reason",
    }
    assert not Ticket.objects.exists()


def test_an_officer_session_needs_the_csrf_token(counter: Counter, window_officer: Client) -> None:
    response = _post(window_officer, f"{API}/tickets", {"category": "seal"}, csrf=False)
    assert response.status_code == 403
    response = _post(window_officer, f"{API}/tickets", {"category": "seal"})
    assert response.status_code == 201 and Ticket.objects.get().channel == Ticket.STAFF


def test_a_window_day_through_the_api(
    counter: Counter, kiosk: Client, window_officer: Client
) -> None:
    for _ in range(2):
        _post(kiosk, f"{API}/tickets", {"category": "resident-copy"})
    _post(
        kiosk,
        f"{API}/tickets",
        {"category": "seal", "priority": True, "priority_reason": "disability"},
    )
    queue = kiosk.get(f"{API}/queue", {"group": "certificates"}).json()
    assert [t["label"] for t in queue["waiting"]] == ["A003", "A001", "A002"]
    window = f"{API}/windows/{counter.window1.pk}"
    closed = _post(window_officer, f"{window}/call-next")
    assert closed.status_code == 409 and closed.json()["code"] == "counter_window_closed"
    assert closed.json()["message"] == "Window 1 is closed. Open it before calling tickets."
    assert _post(window_officer, f"{window}/open").json()["is_open"] is True
    called = _post(window_officer, f"{window}/call-next").json()["ticket"]
    assert called["label"] == "A003" and called["priority"] is True and called["window"] == 1
    busy = _post(window_officer, f"{window}/call-next")
    assert busy.status_code == 409 and busy.json()["code"] == "counter_window_busy"
    windows = window_officer.get(f"{API}/windows").json()
    assert next(w for w in windows if w["number"] == 1)["current"]["label"] == "A003"
    board = Client(HTTP_ACCEPT_LANGUAGE="ko").get(f"{API}/board").json()
    assert board["calls"][0] == {**board["calls"][0], "label": "A003", "window": 1}
    assert "배려" in board["rule"]
    group = next(g for g in board["groups"] if g["group"] == "certificates")
    assert group["waiting"] == 2 and group["open_windows"] == 1
    ref = {"ticket_id": called["id"]}
    assert _post(window_officer, f"{window}/recall", ref).status_code == 200
    assert _post(window_officer, f"{window}/served", ref).json()["current"] is None
    twice = _post(window_officer, f"{window}/served", ref)
    assert twice.status_code == 409
    assert twice.json()["message"] == "Ticket A003 is “served”, so it cannot be marked served."
    nxt = _post(window_officer, f"{window}/call-next").json()["ticket"]
    moved = _post(
        window_officer, f"{window}/transfer", {"ticket_id": nxt["id"], "to_group": "passports"}
    )
    assert moved.status_code == 200
    nxt = _post(window_officer, f"{window}/call-next").json()["ticket"]
    assert _post(window_officer, f"{window}/no-show", {"ticket_id": nxt["id"]}).status_code == 200
    assert _post(window_officer, f"{window}/call-next").json() == {"ticket": None}
    assert _post(window_officer, f"{window}/close").json()["is_open"] is False


def test_call_next_with_an_idempotency_key_calls_once(
    counter: Counter, kiosk: Client, window_officer: Client
) -> None:
    for _ in range(2):
        _post(kiosk, f"{API}/tickets", {"category": "resident-copy"})
    window = f"{API}/windows/{counter.window1.pk}"
    _post(window_officer, f"{window}/open")
    first = _post(window_officer, f"{window}/call-next", HTTP_IDEMPOTENCY_KEY="press-1")
    again = _post(window_officer, f"{window}/call-next", HTTP_IDEMPOTENCY_KEY="press-1")
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert TicketEvent.objects.filter(action="call").count() == 1


def test_windows_are_hidden_from_officers_who_do_not_run_them(
    counter: Counter,
    officer_client: Callable[[User], Client],
    make_officer: Callable[..., User],
    road_unit: OrgUnit,
) -> None:
    road = officer_client(make_officer("road", road_unit, Role.DEPARTMENT_OFFICER))
    window = f"{API}/windows/{counter.window1.pk}"
    assert _post(road, f"{window}/open").status_code == 404
    assert road.get(f"{API}/windows").status_code == 404
    assert Client().get(f"{API}/windows").status_code == 401


def test_the_published_document_has_the_counter(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in [
        "/api/v1/counter/tickets",
        "/api/v1/counter/tickets/{token}",
        "/api/v1/counter/queue",
        "/api/v1/counter/board",
        "/api/v1/counter/windows/{window_id}/open",
        "/api/v1/counter/windows/{window_id}/close",
        "/api/v1/counter/windows/{window_id}/call-next",
        "/api/v1/counter/windows/{window_id}/served",
        "/api/v1/counter/windows/{window_id}/no-show",
    ]:
        assert path in paths, path
