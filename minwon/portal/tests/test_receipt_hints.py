"""The receipt tells each citizen how *they* follow the complaint: with an account, through 나의
민원 (the follow-up number and a password open only complaints filed without one); and never that
the public 접수번호 opens it (the follow page refuses it)."""

from __future__ import annotations

import pytest
from django.test import Client

from minwon.accounts.models import OrgUnit, User
from minwon.complaints.domain import IntakeChannel
from minwon.lawclock.kinds import ComplaintKind
from tests.factories import complaint_filed

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("lang", "account", "public"),
    [
        ("ko", "이 민원은 나의 민원에 있습니다", "이 사이트에서 민원을 여는 데는 쓸 수 없습니다"),
        ("en", "This complaint is in My complaints", "it does not open the complaint on this site"),
    ],
)
def test_an_account_holders_receipt_points_to_my_complaints(
    citizen_client: Client, citizen: User, road_unit: OrgUnit, lang: str, account: str, public: str
) -> None:
    complaint = complaint_filed(
        ComplaintKind.GRIEVANCE,
        channel=IntakeChannel.WEB,
        citizen=citizen,
        org_unit=road_unit,
        register_now=True,
    )
    assert complaint.follow_number and complaint.receipt_number and not complaint.status_password
    citizen_client.cookies["django_language"] = lang
    page = citizen_client.get(f"/my/{complaint.pk}/").content.decode()
    assert account in page
    assert public in page
    assert "your password you can follow" not in page and "이 번호와 비밀번호로" not in page
    assert "either number works" not in page and "두 번호 모두" not in page


def test_my_complaints_lists_the_follow_up_number(citizen_client: Client, citizen: User) -> None:
    """Before registration a complaint has no 접수번호: the list shows the number the receipt gave."""
    complaint = complaint_filed(ComplaintKind.GRIEVANCE, channel=IntakeChannel.WEB, citizen=citizen)
    assert complaint.follow_number and not complaint.receipt_number
    page = citizen_client.get("/my/").content.decode()
    assert page.count(str(complaint.follow_number)) == 2  # the phone's card and the table
