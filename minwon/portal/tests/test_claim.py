"""Claim (issue 11 item 2): a complaint filed without an account, with its follow-up number and
password, is attached to the citizen's new account and shows in 나의 민원."""

from __future__ import annotations

import pytest
from django.test import Client

from minwon.accounts.models import User
from minwon.complaints import services as s
from minwon.complaints.domain import IntakeChannel
from minwon.complaints.models import Complaint, ComplaintEvent
from minwon.core.models import AuditEvent
from minwon.lawclock.kinds import ComplaintKind
from tests.factories import citizen_make

pytestmark = pytest.mark.django_db

FILING_PASSWORD = "follow-me-2026"


def _filed_without_account(title: str = "계정 없이 낸 민원") -> Complaint:
    return s.complaint_file(
        data=s.FilingInput(
            kind=ComplaintKind.GRIEVANCE,
            title=title,
            body="내용",
            channel=IntakeChannel.WEB,
            applicant=s.ApplicantInput(
                name="김철수", address="경기도 파주시 시청로 50", phone="010-5555-6666"
            ),
            status_password=FILING_PASSWORD,
        )
    )


def test_a_complaint_filed_without_an_account_is_claimed_into_my_complaints(
    citizen_client: Client, citizen: User
) -> None:
    complaint = _filed_without_account()
    assert complaint.title not in citizen_client.get("/my/").content.decode()
    assert complaint.follow_number is not None
    typed = complaint.follow_number.lower().replace("-", " ")  # as people type it
    response = citizen_client.post(
        "/my/claim/", {"follow_number": typed, "password": FILING_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/my/"
    complaint.refresh_from_db()
    assert complaint.citizen_id == citizen.pk
    assert complaint.status_password == ""  # the account reaches it now, not the password
    page = citizen_client.get("/my/").content.decode()
    assert complaint.title in page
    assert citizen_client.get(f"/my/{complaint.pk}/").status_code == 200
    audit = AuditEvent.objects.get(action="complaint.claim")
    assert audit.actor_id == citizen.pk
    assert complaint.follow_number not in str(audit.data)  # a lookup secret stays out of the log
    # The history says when the account took it over, on the citizen's timeline too.
    event = ComplaintEvent.objects.get(complaint=complaint, action="claim")
    assert event.actor_id == citizen.pk and event.from_status == event.to_status
    assert "민원인 계정에 연결됨" in citizen_client.get(f"/my/{complaint.pk}/").content.decode()
    # the password no longer opens it without the account
    follow = Client().post(
        "/follow/", {"follow_number": complaint.follow_number, "password": FILING_PASSWORD}
    )
    assert follow.status_code == 400


def test_a_wrong_password_or_someone_elses_complaint_gets_one_answer_and_changes_nothing(
    citizen_client: Client,
) -> None:
    complaint = _filed_without_account()
    wrong = citizen_client.post(
        "/my/claim/", {"follow_number": complaint.follow_number, "password": "not-it"}
    )
    assert wrong.status_code == 400
    complaint.refresh_from_db()
    assert complaint.citizen_id is None

    other = citizen_make("other", email="other@example.kr", phone="010-9999-0000")
    assert complaint.follow_number is not None
    s.complaint_claim(
        citizen=other, follow_number=complaint.follow_number, password=FILING_PASSWORD, ip=None
    )
    again = citizen_client.post(
        "/my/claim/", {"follow_number": complaint.follow_number, "password": FILING_PASSWORD}
    )
    assert again.status_code == 400
    assert wrong.content.decode().count('id="follow_number-error"') == 1
    complaint.refresh_from_db()
    assert complaint.citizen_id == other.pk
    assert not AuditEvent.objects.filter(action="complaint.claim", actor_id=None).exists()


def test_claiming_waits_behind_the_lookup_throttle(citizen_client: Client) -> None:
    complaint = _filed_without_account()
    for _ in range(5):
        citizen_client.post(
            "/my/claim/", {"follow_number": complaint.follow_number, "password": "nope"}
        )
    right = citizen_client.post(
        "/my/claim/", {"follow_number": complaint.follow_number, "password": FILING_PASSWORD}
    )
    assert right.status_code == 429
    complaint.refresh_from_db()
    assert complaint.citizen_id is None


def test_the_claim_page_needs_a_login(client: Client) -> None:
    response = client.get("/my/claim/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
