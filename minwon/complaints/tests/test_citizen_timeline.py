"""A citizen's timeline names an officer by unit and role, never by user name (issue 13 item 10):
the portal page and the citizen API; officers' own timeline keeps the user name."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from minwon.accounts.models import OrgUnit, User
from minwon.complaints import services as s
from minwon.complaints.domain import IntakeChannel, Outcome
from minwon.complaints.models import Complaint
from minwon.lawclock.kinds import ComplaintKind
from tests.factories import TravellingClock

pytestmark = pytest.mark.django_db
USERNAME = "kim.officer77"


@pytest.fixture
def answered(
    clock: TravellingClock,
    citizen: User,
    make_officer: Callable[..., User],
    road_unit: OrgUnit,
    counter_officer: User,
) -> tuple[Complaint, User]:
    clock.at(2026, 3, 9, 10, 0)
    officer = make_officer(USERNAME, road_unit)
    c = s.complaint_file(
        data=s.FilingInput(
            kind=ComplaintKind.GRIEVANCE,
            title="가로등 고장",
            body="시청로 앞 가로등이 꺼져 있습니다.",
            channel=IntakeChannel.WEB,
            applicant=s.ApplicantInput(name="홍길동", address="경기도 파주시 시청로 50"),
        ),
        citizen=citizen,
    )
    c = s.complaint_register(complaint=c, actor=counter_officer, org_unit=road_unit)
    c = s.complaint_assign(complaint=c, actor=officer, assignee=officer)
    c = s.complaint_answer(
        complaint=c, actor=officer, outcome=Outcome.GRANTED, answer="교체했습니다."
    )
    return c, officer


def test_the_citizen_api_timeline_shows_the_unit_never_the_user_name(
    answered: tuple[Complaint, User], citizen_client: Client, officer_client: Callable[..., Client]
) -> None:
    complaint, officer = answered
    r = citizen_client.get(f"/api/v1/complaints/{complaint.pk}/timeline", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 200
    body = r.content.decode()
    assert USERNAME not in body
    entries = r.json()
    assert [e["action"] for e in entries] == ["arrive", "register", "assign", "answer"]
    assert entries[0]["actor"] == "You"
    assert entries[-1]["actor"] == "Officer, Road Maintenance Division"
    assert all("assignee_id" not in e["details"] for e in entries)
    # The office's own timeline still says who did it.
    office = officer_client(officer).get(f"/api/v1/office/complaints/{complaint.pk}/timeline")
    assert office.status_code == 200 and USERNAME in office.content.decode()


def test_the_portal_page_shows_the_unit_never_the_user_name(
    answered: tuple[Complaint, User], citizen_client: Client
) -> None:
    complaint, _ = answered
    page = citizen_client.get(f"/my/{complaint.pk}/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert USERNAME not in page
    assert "도로관리과 담당자" in page
