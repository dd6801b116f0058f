"""Officers log in with password + TOTP; failures are throttled; citizens use a password."""

from __future__ import annotations

import time

import pyotp
import pytest
from django.test import Client

from minwon.core import crypto
from minwon.core.models import AuditEvent, ThrottleFailure
from tests.constants import PASSWORD


def _code(user) -> str:
    """The code of the next 30-second step: enrolment already used the current one (replay guard),
    and one step of clock drift is accepted."""
    return pyotp.TOTP(crypto.decrypt(user.totp_secret_encrypted)).at(time.time() + 30)


def test_office_redirects_to_login_when_anonymous(client: Client, db: None) -> None:
    response = client.get("/office/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/office/")


def test_officer_needs_password_then_code(client: Client, road_officer) -> None:
    response = client.post("/accounts/login/", {"username": "road", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/otp/"
    # Password alone does not open the office.
    assert client.get("/office/").status_code == 302
    bad = client.post("/accounts/otp/", {"code": "000000"})
    assert bad.status_code == 400
    response = client.post("/accounts/otp/", {"code": _code(road_officer)})
    assert response.status_code == 302
    assert response["Location"] == "/office/"
    assert client.get("/office/").status_code == 200


def test_a_code_is_accepted_only_once(client: Client, road_officer) -> None:
    code = _code(road_officer)
    client.post("/accounts/login/", {"username": "road", "password": PASSWORD})
    assert client.post("/accounts/otp/", {"code": code}).status_code == 302
    other = Client()
    other.post("/accounts/login/", {"username": "road", "password": PASSWORD})
    assert other.post("/accounts/otp/", {"code": code}).status_code == 400


def test_unenrolled_officer_is_sent_to_enrolment(client: Client, make_officer, road_unit) -> None:
    officer = make_officer("newbie", road_unit, enrol=False)
    response = client.post("/accounts/login/", {"username": "newbie", "password": PASSWORD})
    assert response["Location"] == "/accounts/otp/enroll/"
    page = client.get("/accounts/otp/enroll/")
    assert page.status_code == 200
    assert b"<svg" in page.content
    officer.refresh_from_db()
    response = client.post("/accounts/otp/enroll/", {"code": _code(officer)})
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.totp_confirmed_at is not None


def test_citizen_logs_in_with_password(client: Client, citizen) -> None:
    response = client.post("/accounts/login/", {"username": "hong", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    # A citizen never enters the office.
    assert client.get("/office/").status_code == 302


def test_open_redirect_is_refused(client: Client, citizen) -> None:
    response = client.post(
        "/accounts/login/",
        {"username": "hong", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


def test_login_is_throttled_after_repeated_failures(client: Client, citizen, settings) -> None:
    limit = settings.THROTTLES["login"]["per_pair"]
    for _ in range(limit):
        response = client.post("/accounts/login/", {"username": "hong", "password": "wrong"})
        assert response.status_code == 400
    assert ThrottleFailure.objects.filter(scope="login").count() == limit
    # Even the right password is refused while throttled.
    response = client.post("/accounts/login/", {"username": "hong", "password": PASSWORD})
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert AuditEvent.objects.filter(action="user.login_failed").count() == limit


def test_wrong_password_message_is_translated(client: Client, citizen) -> None:
    response = client.post(
        "/accounts/login/", {"username": "hong", "password": "nope"}, HTTP_ACCEPT_LANGUAGE="ko"
    )
    assert "사용자 이름 또는 비밀번호가 올바르지 않습니다" in response.content.decode()
    response = client.post(
        "/accounts/login/", {"username": "hong", "password": "nope"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "The user name or password is not correct." in response.content.decode()


@pytest.mark.parametrize("path", ["/accounts/otp/", "/accounts/otp/enroll/"])
def test_second_factor_pages_need_a_password_first(client: Client, db: None, path: str) -> None:
    assert client.get(path)["Location"] == "/accounts/login/"


def test_an_attacker_cannot_lock_an_officer_out_of_every_desk(road_officer, settings) -> None:
    """Issue 13 item 10: five wrong passwords used to lock the account everywhere."""
    attacker = Client(REMOTE_ADDR="198.51.100.66")
    for _ in range(settings.THROTTLES["login"]["per_pair"] + 3):
        attacker.post("/accounts/login/", {"username": "road", "password": "guess-guess"})
    blocked = attacker.post("/accounts/login/", {"username": "road", "password": PASSWORD})
    assert blocked.status_code == 429
    desk = Client(REMOTE_ADDR="10.20.30.40")
    response = desk.post("/accounts/login/", {"username": "road", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/accounts/otp/"


def test_the_wait_doubles_with_each_further_failure(citizen, settings) -> None:
    import time_machine

    policy = settings.THROTTLES["login"]
    base = policy["base_seconds"]
    client = Client()
    with time_machine.travel("2026-03-09 09:00:00 +0900", tick=False) as traveller:
        for _ in range(policy["per_pair"]):
            client.post("/accounts/login/", {"username": "hong", "password": "wrong"})
        first = client.post("/accounts/login/", {"username": "hong", "password": PASSWORD})
        assert first.status_code == 429 and int(first["Retry-After"]) == base
        traveller.shift(base + 1)
        assert (
            client.post("/accounts/login/", {"username": "hong", "password": "wrong"}).status_code
            == 400
        )
        second = client.post("/accounts/login/", {"username": "hong", "password": PASSWORD})
        assert second.status_code == 429 and int(second["Retry-After"]) == 2 * base
        traveller.shift(2 * base + 1)
        assert (
            client.post("/accounts/login/", {"username": "hong", "password": PASSWORD}).status_code
            == 302
        )
