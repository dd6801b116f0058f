"""The officer's second factor (issue 13 item 3): wrong codes are throttled per account and per
client with backoff, every failure, success and logout is audited (never rolled back), and a
burst raises the throttle's alert (a warning and minwon_throttle_lockouts)."""

from __future__ import annotations

import logging
from typing import Any

import pyotp
import pytest
from django.test import Client
from prometheus_client import REGISTRY

from minwon.accounts.models import User
from minwon.core import clock, crypto
from minwon.core.models import AuditEvent, ThrottleFailure
from tests.constants import PASSWORD
from tests.factories import TravellingClock


def _code(user: User, *, step: int = 1) -> str:
    """The code of a later 30-second step (enrolment spent the current one; one step of drift
    is accepted)."""
    return pyotp.TOTP(crypto.decrypt(user.totp_secret_encrypted)).at(
        clock.now().timestamp() + 30 * step
    )


def _wrong(user: User) -> str:
    right = {_code(user, step=s) for s in (-1, 0, 1, 2)}
    return next(c for c in (f"{n:06d}" for n in range(1000000)) if c not in right)


def _lockouts() -> float:
    return (
        REGISTRY.get_sample_value(
            "minwon_throttle_lockouts_total", {"scope": "otp", "dimension": "key"}
        )
        or 0.0
    )


@pytest.fixture
def travel() -> Any:
    c = TravellingClock()
    c.at(2026, 3, 9, 9, 0)
    yield c
    c.stop()


def test_wrong_codes_are_throttled_audited_and_alerted(
    travel: TravellingClock,
    road_officer: User,
    settings: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="ko")
    client.post("/accounts/login/", {"username": "road", "password": PASSWORD})
    limit = settings.THROTTLES["otp"]["per_key"]
    before = _lockouts()
    with caplog.at_level(logging.WARNING, logger="minwon.core.services"):
        for _ in range(limit):
            assert client.post("/accounts/otp/", {"code": _wrong(road_officer)}).status_code == 400
    # Every failure is on record: the audit row is written after the check's transaction.
    assert AuditEvent.objects.filter(action="user.totp_failed").count() == limit
    assert ThrottleFailure.objects.filter(scope="otp").count() == limit
    # The burst raises the alert: an audit row, a warning in the log, the Prometheus counter.
    assert AuditEvent.objects.filter(action="throttle.locked", data__scope="otp").count() == 1
    assert any("throttle otp" in r.getMessage() for r in caplog.records)
    assert _lockouts() == before + 1
    # While it waits even the right code is refused, from any client, with a translated notice.
    locked = client.post("/accounts/otp/", {"code": _code(road_officer)})
    assert locked.status_code == 429
    assert "1분" in locked.content.decode()
    other = Client()
    other.post("/accounts/login/", {"username": "road", "password": PASSWORD})
    assert other.post("/accounts/otp/", {"code": _code(road_officer)}).status_code == 429
    assert client.get("/office/").status_code == 302
    # After the wait the right code opens the office.
    travel.at(2026, 3, 9, 9, 2)
    assert client.post("/accounts/otp/", {"code": _code(road_officer)}).status_code == 302
    assert client.get("/office/").status_code == 200


def test_a_second_burst_waits_twice_as_long(
    travel: TravellingClock, road_officer: User, settings: Any
) -> None:
    client = Client()
    client.post("/accounts/login/", {"username": "road", "password": PASSWORD})
    for _ in range(settings.THROTTLES["otp"]["per_key"]):
        client.post("/accounts/otp/", {"code": _wrong(road_officer)})
    travel.at(2026, 3, 9, 9, 1, 30)
    assert client.post("/accounts/otp/", {"code": _wrong(road_officer)}).status_code == 400
    travel.at(2026, 3, 9, 9, 3, 0)  # 90 s after the 6th failure: it asks for 120 s
    assert client.post("/accounts/otp/", {"code": _code(road_officer)}).status_code == 429
    travel.at(2026, 3, 9, 9, 3, 31)
    assert client.post("/accounts/otp/", {"code": _code(road_officer)}).status_code == 302


def test_success_and_logout_are_audited(travel: TravellingClock, road_officer: User) -> None:
    client = Client()
    client.post("/accounts/login/", {"username": "road", "password": PASSWORD})
    assert client.post("/accounts/otp/", {"code": _code(road_officer)}).status_code == 302
    client.post("/accounts/logout/")
    actions = list(
        AuditEvent.objects.filter(actor_id=road_officer.pk)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions[-3:] == ["user.totp_verified", "user.logged_in", "user.logged_out"]
