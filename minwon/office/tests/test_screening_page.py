"""What officers see of the 특이민원 screen (issue 16): the citizen's words masked by default on the
complaint page and in the queue, a badge on the queue, a reveal button whose every use is
recorded, the threat notice; the citizen never sees any of it; bad input is never a 5xx."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.test import Client

from minwon.accounts.models import OrgUnit, User
from minwon.complaints import services as s
from minwon.complaints.domain import IntakeChannel
from minwon.complaints.models import Complaint
from minwon.core.models import AuditEvent
from minwon.lawclock.kinds import ComplaintKind
from minwon.protection.models import Screening
from tests.factories import complaint_filed

pytestmark = pytest.mark.django_db

THREAT = "담당자 너 퇴근길에 칼 들고 찾아가서 죽여버리겠다"
TITLE = "답변이 이게 뭐냐 시1발"
PLAIN = "가로등이 고장났어요. 고쳐 주세요."


@pytest.fixture
def flagged(road_unit: OrgUnit, citizen: User) -> Complaint:
    c = complaint_filed(
        ComplaintKind.GRIEVANCE,
        channel=IntakeChannel.WEB,
        citizen=citizen,
        org_unit=road_unit,
        title=TITLE,
        body=f"가로등이 고장났습니다. {THREAT}",
        register_now=True,
    )
    s.complaint_screening_sweep()
    return c


def _get(client: Client, url: str, lang: str = "ko") -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    return response.content.decode()


def test_the_complaint_page_masks_the_words_and_says_what_was_found(
    officer_client: Callable[[User], Client], road_officer: User, flagged: Complaint
) -> None:
    page = _get(officer_client(road_officer), f"/office/complaints/{flagged.pk}/")
    assert "죽여버리겠다" not in page and "시1발" not in page and "칼 들고" not in page
    assert "칼 ●● ●●●● ●●●●겠다" in page and "시●●" in page  # first letter kept, length kept
    assert "가로등이 고장났습니다." in page  # the rest of the text as written
    assert "민원인 글의 폭언 등" in page and "협박" in page and "긴급" in page
    assert 'role="alert"' in page and "청사 안전관리 담당" in page
    assert "원문 보기" in page
    assert not AuditEvent.objects.filter(action="protection.text_revealed").exists()


def test_revealing_shows_the_words_once_and_is_recorded(
    officer_client: Callable[[User], Client], road_officer: User, flagged: Complaint
) -> None:
    client = officer_client(road_officer)
    response = client.post(f"/office/complaints/{flagged.pk}/reveal/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.content.decode()
    assert "죽여버리겠다" in page and "시1발" in page
    assert "This view was recorded" in page and "Mask them again" in page
    assert response["Cache-Control"] == "no-store"
    event = AuditEvent.objects.get(action="protection.text_revealed")
    assert event.actor_id == road_officer.pk and event.target_id == str(flagged.pk)
    ids = list(Screening.objects.filter(complaint_id=flagged.pk).values_list("pk", flat=True))
    assert event.data["screenings"] == ids
    assert "죽여" not in json.dumps(event.data, ensure_ascii=False)
    again = _get(client, f"/office/complaints/{flagged.pk}/")  # a reload masks them again
    assert "죽여버리겠다" not in again


def test_revealing_needs_a_post_and_access(
    officer_client: Callable[[User], Client],
    make_officer: Callable[..., User],
    civil_unit: OrgUnit,
    road_officer: User,
    flagged: Complaint,
) -> None:
    assert (
        officer_client(road_officer).get(f"/office/complaints/{flagged.pk}/reveal/").status_code
        == 405
    )
    other = make_officer("civil-officer", civil_unit)
    response = officer_client(other).post(f"/office/complaints/{flagged.pk}/reveal/")
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="protection.text_revealed").exists()


def test_the_queue_masks_the_title_and_shows_a_badge(
    officer_client: Callable[[User], Client],
    road_officer: User,
    road_unit: OrgUnit,
    flagged: Complaint,
) -> None:
    complaint_filed(ComplaintKind.GRIEVANCE, org_unit=road_unit, title="가로등 고장", body=PLAIN)
    s.complaint_screening_sweep()
    page = _get(officer_client(road_officer), "/office/?scope=all")
    assert "시1발" not in page and "답변이 이게 뭐냐 시●●" in page
    assert page.count("screening-badge") == 1 and "폭언 등: 긴급" in page
    english = _get(officer_client(road_officer), "/office/?scope=all", lang="en")
    assert "Abusive words: urgent" in english


def test_a_text_not_screened_yet_is_masked_all_the_same(
    officer_client: Callable[[User], Client], road_officer: User, road_unit: OrgUnit
) -> None:
    c = complaint_filed(ComplaintKind.GRIEVANCE, org_unit=road_unit, title=TITLE, body=PLAIN)
    assert not Screening.objects.exists()  # the job has not run
    page = _get(officer_client(road_officer), f"/office/complaints/{c.pk}/")
    assert "시1발" not in page and "시●●" in page


def test_a_supplement_and_a_rating_comment_are_masked_in_the_history(
    officer_client: Callable[[User], Client], road_officer: User, citizen: User, road_unit: OrgUnit
) -> None:
    c = complaint_filed(
        ComplaintKind.GRIEVANCE,
        channel=IntakeChannel.WEB,
        citizen=citizen,
        org_unit=road_unit,
        body=PLAIN,
        register_now=True,
    )
    c = s.complaint_assign(complaint=c, actor=road_officer, assignee=road_officer)
    c = s.complaint_supplement_request(complaint=c, actor=road_officer, items=["사진"], days=7)
    c = s.complaint_supplement_submit(complaint=c, actor=citizen, text="사진 보냅니다 병신아")
    s.complaint_screening_sweep()
    page = _get(officer_client(road_officer), f"/office/complaints/{c.pk}/")
    assert "병신" not in page and "병●" in page and "보완" in page


def test_the_citizen_never_sees_the_flags(citizen_client: Client, flagged: Complaint) -> None:
    page = _get(citizen_client, f"/my/{flagged.pk}/")
    assert "죽여버리겠다" in page  # their own words, as they wrote them
    for word in ("●", "폭언 등", "특이민원", "screening", "청사 안전관리", "원문 보기"):
        assert word not in page
    mine = _get(citizen_client, "/my/")
    assert "screening-badge" not in mine and "폭언" not in mine


def test_an_ordinary_complaint_has_no_panel_and_no_badge(
    officer_client: Callable[[User], Client], road_officer: User, road_unit: OrgUnit
) -> None:
    c = complaint_filed(ComplaintKind.GRIEVANCE, org_unit=road_unit, title="가로등", body=PLAIN)
    s.complaint_screening_sweep()
    page = _get(officer_client(road_officer), f"/office/complaints/{c.pk}/")
    assert "screening-panel" not in page and "원문 보기" not in page
