"""Status lookup without an account (issue 13 item 1): one throttle for the portal's /follow/
page and POST /api/v1/complaints/status, per follow-up number and per client; the follow-up
number, not the sequential 접수번호, is the key; a status-password policy; a missing number
costs the same hashing work as a wrong password."""

from __future__ import annotations

import json
from typing import Any
from unittest import mock

import pytest
from django.contrib.auth.hashers import get_hasher
from django.test import Client, override_settings

from minwon.accounts.models import User
from minwon.complaints import services as s
from minwon.complaints.access import access_complaint_by_follow_number
from minwon.complaints.domain import IntakeChannel
from minwon.complaints.models import Complaint
from minwon.core.errors import NotFound
from minwon.core.models import AuditEvent, ThrottleFailure
from minwon.lawclock.kinds import ComplaintKind
from tests.factories import TravellingClock

pytestmark = pytest.mark.django_db
API = "/api/v1"
PASSWORD = "correct-horse-1"


def _status(client: Client, number: str, password: str, **extra: Any) -> Any:
    return client.post(
        f"{API}/complaints/status",
        data=json.dumps({"follow_number": number, "password": password}),
        content_type="application/json",
        **extra,
    )


def _filed(counter_officer: User | None = None) -> Complaint:
    complaint = s.complaint_file(
        data=s.FilingInput(
            kind=ComplaintKind.GRIEVANCE,
            title="계정 없이 낸 민원",
            body="내용",
            channel=IntakeChannel.WEB,
            applicant=s.ApplicantInput(name="김철수", address="경기도 파주시 시청로 50"),
            status_password=PASSWORD,
        )
    )
    if counter_officer is not None:
        complaint = s.complaint_register(complaint=complaint, actor=counter_officer)
    return complaint


def test_the_api_locks_after_the_limit_and_refuses_even_the_right_password(
    clock: TravellingClock, settings: Any
) -> None:
    clock.at(2026, 3, 9, 10, 0)
    complaint = _filed()
    number = complaint.follow_number or ""
    client = Client()
    for _ in range(settings.THROTTLES["lookup"]["per_key"]):
        assert _status(client, number, "wrong-password").status_code == 404
    locked = _status(client, number, PASSWORD, HTTP_ACCEPT_LANGUAGE="ko")
    assert locked.status_code == 429
    assert locked.json()["code"] == "complaint.lookup_throttled"
    assert 0 < int(locked["Retry-After"]) <= 15 * 60
    assert "15분" in locked.json()["message"]
    # The web page shares the throttle: locked there too, for the right password.
    page = Client().post("/follow/", {"follow_number": number, "password": PASSWORD})
    assert page.status_code == 429 and "Retry-After" in page
    # After the wait the right password opens it again, and the failures are its own records.
    clock.at(2026, 3, 9, 10, 16)
    assert _status(client, number, PASSWORD).status_code == 200
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"complaint.lookup_failed", "throttle.locked", "complaint.looked_up"} <= actions
    assert "user.login_failed" not in actions
    assert set(ThrottleFailure.objects.values_list("scope", flat=True)) <= {"lookup"}


def test_one_client_guessing_many_numbers_is_locked_out_of_every_number(
    clock: TravellingClock, settings: Any
) -> None:
    clock.at(2026, 3, 9, 10, 0)
    complaint = _filed()
    client = Client(REMOTE_ADDR="198.51.100.7")
    for i in range(settings.THROTTLES["lookup"]["per_client"]):
        missing = f"ZZZZ-ZZZZ-{i:04d}"
        assert _status(client, missing, "password-guess").status_code == 404
    # Failures for numbers that do not exist count as well (nothing tells them apart) …
    assert ThrottleFailure.objects.filter(scope="lookup").count() == 20
    # … and the address is now locked even for a real number with its right password,
    assert _status(client, complaint.follow_number or "", PASSWORD).status_code == 429
    # while another client is not.
    other = Client(REMOTE_ADDR="198.51.100.8")
    assert _status(other, complaint.follow_number or "", PASSWORD).status_code == 200


@override_settings(TRUSTED_PROXIES=["10.0.0.1"])
def test_behind_a_trusted_proxy_the_throttle_counts_the_client_not_the_proxy(
    clock: TravellingClock, settings: Any
) -> None:
    clock.at(2026, 3, 9, 10, 0)
    complaint = _filed()
    proxy = Client(REMOTE_ADDR="10.0.0.1")
    for i in range(settings.THROTTLES["lookup"]["per_client"]):
        _status(proxy, f"ZZZZ-ZZZZ-ZZZ{i % 10}", "guess-guess", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert set(ThrottleFailure.objects.values_list("ip", flat=True)) == {"203.0.113.9"}
    attacker = _status(
        proxy, complaint.follow_number or "", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9"
    )
    assert attacker.status_code == 429
    citizen = _status(
        proxy, complaint.follow_number or "", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.10"
    )
    assert citizen.status_code == 200


def test_the_receipt_number_is_no_key(clock: TravellingClock, counter_officer: User) -> None:
    clock.at(2026, 3, 9, 10, 0)
    complaint = _filed(counter_officer)
    assert complaint.receipt_number
    r = Client().post(
        f"{API}/complaints/status",
        data=json.dumps({"receipt_number": complaint.receipt_number, "password": PASSWORD}),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="ko",
    )
    assert r.status_code == 400
    assert r.json()["code"] == "complaint.lookup_needs_follow_number"
    assert "조회번호" in r.json()["message"] or "접수증" in r.json()["message"]
    page = Client().post(
        "/follow/",
        {"follow_number": complaint.receipt_number, "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert page.status_code == 400
    assert "The receipt number is public" in page.content.decode()
    assert not ThrottleFailure.objects.exists()  # a refused shape checks nothing


def test_a_missing_number_runs_the_same_hashing_work_as_a_wrong_password() -> None:
    complaint = _filed()
    hasher = type(get_hasher())
    with mock.patch.object(hasher, "verify", autospec=True, side_effect=hasher.verify) as verify:
        with pytest.raises(NotFound):
            access_complaint_by_follow_number(complaint.follow_number or "", "wrong-password")
        assert verify.call_count == 1
        with pytest.raises(NotFound):
            access_complaint_by_follow_number("ZZZZ-ZZZZ-ZZZZ", "wrong-password")
        assert verify.call_count == 2  # the default hasher at its cost, not a cheap stand-in


@pytest.mark.parametrize("weak", ["12345678", "password", "short"])
def test_weak_status_passwords_are_refused_on_the_api_and_the_portal(
    weak: str, clock: TravellingClock
) -> None:
    clock.at(2026, 3, 9, 10, 0)
    r = Client().post(
        f"{API}/complaints/without-account",
        data=json.dumps(
            {"kind": "tip", "title": "불법 투기", "body": "야간 투기", "status_password": weak}
        ),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="ko",
    )
    assert r.status_code == 400, r.content
    assert r.json()["code"] == "complaint.password_weak"
    assert r.json()["field"] == "status_password"
    assert "비밀번호" in r.json()["message"]
    assert not Complaint.objects.exists()
    from minwon.portal.schemas import FollowPasswordForm

    with override_settings(LANGUAGE_CODE="en"):
        form = FollowPasswordForm({"status_password": weak, "status_password_again": weak})
        assert not form.is_valid()
        assert form.errors["status_password"]


def test_a_good_status_password_is_accepted_and_the_answer_gives_the_follow_up_number(
    clock: TravellingClock,
) -> None:
    clock.at(2026, 3, 9, 10, 0)
    r = Client().post(
        f"{API}/complaints/without-account",
        data=json.dumps(
            {"kind": "tip", "title": "불법 투기", "body": "야간 투기", "status_password": PASSWORD}
        ),
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["follow_number"] == Complaint.objects.get().follow_number
