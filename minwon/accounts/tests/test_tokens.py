"""Personal bearer tokens: issued from a 2FA session, used as the person, revocable, expiring."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from minwon.accounts.models import ApiKey, PersonalToken
from minwon.accounts.services import personal_token_issue
from minwon.core import clock
from minwon.core.errors import ValidationFailed


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_officer_issues_a_token_from_a_2fa_session_and_uses_it(
    officer_client, road_officer
) -> None:
    session = officer_client(road_officer)
    response = session.post(
        "/api/v1/accounts/tokens",
        json.dumps({"name": "script", "days": 30}),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    raw = response.json()["token"]
    assert raw.startswith("mwp_")
    assert raw not in PersonalToken.objects.get().key_hash
    me = Client(enforce_csrf_checks=True).get("/api/v1/accounts/me", headers=bearer(raw)).json()
    assert (me["kind"], me["username"]) == ("officer", "road")
    listed = (
        Client(enforce_csrf_checks=True).get("/api/v1/accounts/tokens", headers=bearer(raw)).json()
    )
    assert [t["name"] for t in listed] == ["script"] and "token" not in listed[0]
    # A token cannot mint more tokens: issuing needs the logged-in session.
    again = Client(enforce_csrf_checks=True).post(
        "/api/v1/accounts/tokens",
        json.dumps({"name": "x"}),
        content_type="application/json",
        headers=bearer(raw),
    )
    assert again.status_code == 401
    token_id = listed[0]["id"]
    assert (
        Client(enforce_csrf_checks=True)
        .delete(f"/api/v1/accounts/tokens/{token_id}", headers=bearer(raw))
        .status_code
        == 204
    )
    assert (
        Client(enforce_csrf_checks=True).get("/api/v1/accounts/me", headers=bearer(raw)).status_code
        == 401
    )


def test_expired_and_foreign_tokens_are_refused(citizen, road_officer) -> None:
    _, raw = personal_token_issue(actor=None, user=citizen, name="phone", days=1)
    assert (
        Client(enforce_csrf_checks=True).get("/api/v1/accounts/me", headers=bearer(raw)).status_code
        == 200
    )
    with time_machine.travel(clock.now() + timedelta(days=2)):
        assert (
            Client(enforce_csrf_checks=True)
            .get("/api/v1/accounts/me", headers=bearer(raw))
            .status_code
            == 401
        )
    mine = PersonalToken.objects.get()
    _, other = personal_token_issue(actor=None, user=road_officer, name="x")
    assert (
        Client(enforce_csrf_checks=True)
        .delete(f"/api/v1/accounts/tokens/{mine.pk}", headers=bearer(other))
        .status_code
        == 404
    )
    assert (
        Client(enforce_csrf_checks=True)
        .get("/api/v1/accounts/me", headers=bearer("mwp_" + "x" * 43))
        .status_code
        == 401
    )


@pytest.mark.parametrize(
    ("name", "days", "field"), [(" ", 30, "name"), ("x", 0, "days"), ("x", 366, "days")]
)
def test_bad_token_requests(citizen, name: str, days: int, field: str) -> None:
    with pytest.raises(ValidationFailed) as err:
        personal_token_issue(actor=None, user=citizen, name=name, days=days)
    assert err.value.field == field
    assert PersonalToken.objects.count() == 0


def test_admin_commands_print_keys_once(citizen, capsys) -> None:
    call_command("apikey_issue", "--name", "fuzz", "--scope", "api.read", "--rate-limit", "5000")
    raw = capsys.readouterr().out.strip()
    key = ApiKey.objects.get()
    assert raw.startswith("mw_") and key.rate_limit_per_minute == 5000
    call_command("token_issue", "hong", "--days", "7")
    token = capsys.readouterr().out.strip()
    assert (
        Client(enforce_csrf_checks=True)
        .get("/api/v1/accounts/me", headers=bearer(token))
        .json()["username"]
        == "hong"
    )
