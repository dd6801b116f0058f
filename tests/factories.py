"""Typed factories and helpers for tests: people, complaints, a clock in Seoul time, services.

Fixtures in the `conftest.py` files wrap these; a test that needs one directly imports it from here
(never from a `conftest.py`), so mypy checks every call.
"""

from __future__ import annotations

import os
import socket
from datetime import datetime
from typing import Any

import pyotp
import pytest
import time_machine

from minwon.accounts.domain import Role
from minwon.accounts.models import OrgUnit, User
from minwon.accounts.services import (
    citizen_register,
    officer_create,
    totp_confirm,
    totp_enroll_start,
)
from minwon.complaints.domain import IntakeChannel
from minwon.complaints.models import Complaint
from minwon.complaints.services import ApplicantInput, FilingInput, complaint_file
from minwon.lawclock import SEOUL
from minwon.lawclock.kinds import ComplaintKind
from tests.constants import PASSWORD


def seoul(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    """An aware instant in Korean time."""
    return datetime(year, month, day, hour, minute, second, tzinfo=SEOUL)


class TravellingClock:
    """Moves the application's clock (time-machine) to an instant in Seoul time; `stop()` returns."""

    def __init__(self) -> None:
        self._traveller: Any = None

    def at(
        self, year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
    ) -> datetime:
        self.stop()
        moment = seoul(year, month, day, hour, minute, second)
        self._traveller = time_machine.travel(moment, tick=False)
        self._traveller.start()
        return moment

    def stop(self) -> None:
        if self._traveller is not None:
            self._traveller.stop()
            self._traveller = None


def officer_make(username: str, unit: OrgUnit, *roles: Role, enrol: bool = True) -> User:
    """An officer of the unit (a department officer unless roles say otherwise), TOTP enrolled."""
    user = officer_create(
        actor=None,
        username=username,
        password=PASSWORD,
        name=username.title(),
        org_unit=unit,
        roles=roles or (Role.DEPARTMENT_OFFICER,),
    )
    if enrol:
        secret = totp_enroll_start(user=user)
        totp_confirm(user=user, code=pyotp.TOTP(secret).now())
        user.refresh_from_db()
    return user


def citizen_make(
    username: str = "hong",
    *,
    name: str = "홍길동",
    email: str = "hong@example.kr",
    phone: str = "010-1234-5678",
) -> User:
    return citizen_register(
        username=username, password=PASSWORD, name=name, email=email, phone=phone
    )


APPLICANT = ApplicantInput(
    name="홍길동", address="경기도 파주시 시청로 50", phone="010-1234-5678", email="hong@example.kr"
)


def complaint_filed(
    kind: ComplaintKind,
    *,
    channel: IntakeChannel = IntakeChannel.COUNTER,
    type_code: str = "",
    applicant: ApplicantInput | None = APPLICANT,
    citizen: User | None = None,
    filed_by: User | None = None,
    register_now: bool | None = None,
    title: str = "제목",
    body: str = "내용",
    **extra: Any,
) -> Complaint:
    """A complaint filed through the intake service (registered at once unless the channel waits)."""
    data = FilingInput(
        kind=kind,
        title=title,
        body=body,
        channel=channel,
        applicant=applicant,
        complaint_type_code=type_code,
        **extra,
    )
    return complaint_file(data=data, citizen=citizen, filed_by=filed_by, register_now=register_now)


def redis_or_skip(url: str = "redis://127.0.0.1:6379/0") -> str:
    """Redis must answer; in CI (CI=true) a missing Redis fails the test instead of skipping it."""
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=2) as conn:
            conn.sendall(b"PING\r\n")
            if not conn.recv(16).startswith(b"+PONG"):
                raise OSError("no PONG")
    except OSError as exc:
        message = f"Redis at 127.0.0.1:6379 is not reachable ({exc})"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message + "; start redis-server to run this test")
    return url
