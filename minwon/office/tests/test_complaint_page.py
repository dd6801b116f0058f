"""The officer's complaint page (issue 11 item 13): overdue and stopped clocks said beside the date,
one citation for the deadline on every surface, every error of the answer form at once, and the
officer's words in English."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.test import Client
from django.utils import translation

from minwon.accounts.models import OrgUnit, User
from minwon.complaints import services as s
from minwon.complaints.documents import receipt_document
from minwon.complaints.domain import deadline_citation
from minwon.complaints.models import Complaint
from minwon.lawclock.kinds import ComplaintKind
from tests.factories import TravellingClock, complaint_filed

pytestmark = pytest.mark.django_db


@pytest.fixture
def travel() -> Iterator[TravellingClock]:
    clock = TravellingClock()
    yield clock
    clock.stop()


def _page(client: Client, complaint: Complaint, lang: str = "ko") -> str:
    response = client.get(f"/office/complaints/{complaint.pk}/", HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    return response.content.decode()


def test_an_overdue_complaint_says_by_how_many_days(
    officer_client: Callable[[User], Client],
    road_officer: User,
    road_unit: OrgUnit,
    travel: TravellingClock,
) -> None:
    travel.at(2026, 3, 11, 10)
    complaint = complaint_filed(ComplaintKind.GRIEVANCE, org_unit=road_unit)  # due 3/19 18:00
    travel.at(2026, 3, 23, 10)
    page = _page(officer_client(road_officer), complaint)
    assert '<strong class="time-left is-overdue">기한 초과 4일</strong>' in page


def test_while_a_supplement_is_awaited_the_page_says_the_clock_is_stopped(
    officer_client: Callable[[User], Client],
    road_officer: User,
    road_unit: OrgUnit,
    travel: TravellingClock,
) -> None:
    travel.at(2026, 3, 11, 10)
    complaint = complaint_filed(ComplaintKind.GRIEVANCE, org_unit=road_unit)
    complaint = s.complaint_assign(complaint=complaint, actor=road_officer, assignee=road_officer)
    complaint = s.complaint_supplement_request(
        complaint=complaint, actor=road_officer, items=["도면"], days=7
    )
    assert complaint.supplement_due_on is not None
    page = _page(officer_client(road_officer), complaint)
    assert "처리기간이 멈춰 있습니다" in page
    assert "2026. 3. 18." in page  # the last day to supplement (7 days, 민법 제157조)
    assert "기한 초과" not in page and "남음" not in page


def test_one_citation_for_the_deadline_on_the_office_page_the_citizens_page_and_the_pdf(
    officer_client: Callable[[User], Client],
    citizen_client: Client,
    citizen: User,
    road_officer: User,
    road_unit: OrgUnit,
) -> None:
    complaint = complaint_filed(ComplaintKind.GRIEVANCE, org_unit=road_unit, citizen=citizen)
    citation = deadline_citation(
        clock=complaint.clock,
        period_basis=complaint.period_legal_basis,
        deadline_basis=complaint.deadline_legal_basis,
    )
    # Both articles: the one that sets the period and the one that says how it is counted.
    assert complaint.period_legal_basis in citation and complaint.deadline_legal_basis in citation
    office = _page(officer_client(road_officer), complaint)
    portal = citizen_client.get(f"/my/{complaint.pk}/").content.decode()
    with translation.override("ko"):
        rows = dict(receipt_document(complaint, follow_url="https://example.kr/follow/").rows)
    assert citation in office
    assert citation in portal
    assert citation in rows["처리기간"]
    for article in (complaint.period_legal_basis, complaint.deadline_legal_basis):
        # Never one article alone on one surface and the other elsewhere.
        assert office.count(article) == portal.count(article) == 1


def test_the_answer_form_shows_every_error_at_once(
    officer_client: Callable[[User], Client], road_officer: User, road_unit: OrgUnit
) -> None:
    complaint = complaint_filed(ComplaintKind.GRIEVANCE, org_unit=road_unit)
    s.complaint_assign(complaint=complaint, actor=road_officer, assignee=road_officer)
    response = officer_client(road_officer).post(
        f"/office/complaints/{complaint.pk}/answer/", {"answer-outcome": "refused"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    for field in ("answer-answer", "answer-reason", "answer-appeal_route"):
        assert f'href="#id_{field}"' in page, field  # in the error summary
        assert f'id="id_{field}"' in page
    complaint.refresh_from_db()
    assert complaint.status == "in_progress"  # nothing changed


def test_the_english_office_uses_the_officers_words(
    officer_client: Callable[[User], Client],
    road_officer: User,
    road_unit: OrgUnit,
) -> None:
    complaint = complaint_filed(ComplaintKind.GRIEVANCE, org_unit=road_unit)
    complaint = s.complaint_assign(complaint=complaint, actor=road_officer, assignee=road_officer)
    complaint = s.complaint_supplement_request(
        complaint=complaint, actor=road_officer, items=["plan"], days=7
    )
    client = officer_client(road_officer)
    client.cookies["django_language"] = "en"
    for path in (f"/office/complaints/{complaint.pk}/", "/office/?scope=unit"):
        page = client.get(path).content.decode()
        assert "Waiting for the complainant&#x27;s information" in page, path
        assert "from you" not in page, path
