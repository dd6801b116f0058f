"""The work queue's deadline-usage column on real complaints: the law's count, one calendar."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from minwon.accounts.models import OrgUnit, User
from minwon.complaints import services as s
from minwon.complaints.domain import IntakeChannel
from minwon.complaints.models import Complaint
from minwon.complaints.services import ApplicantInput
from minwon.complaints.services.intake import applicant_name_index
from minwon.core.models import AuditEvent
from minwon.lawclock.kinds import ComplaintKind
from minwon.office.domain import Scope, Urgency
from minwon.office.selectors import QUEUE_PAGE_SIZE, QueueFilters, deadline_watch, work_queue
from tests.factories import TravellingClock, complaint_filed, seoul

pytestmark = pytest.mark.django_db
UNIT = QueueFilters(scope=Scope.UNIT)


def test_the_queue_counts_the_period_as_the_law_does(supervisor: User) -> None:
    clock = TravellingClock()
    try:
        clock.at(2026, 3, 11, 10)
        complaint = complaint_filed(ComplaintKind.GRIEVANCE)  # 고충민원 7일, due Thu 3/19 18:00
        s.complaint_assign(complaint=complaint, actor=None, assignee=supervisor)
        # Mon 3/16 09:00: three of seven working days used (calendar time: 60 %, "watch").
        [row], _ = work_queue(officer=supervisor, filters=UNIT, now=seoul(2026, 3, 16, 9))
        assert (row.used_percent, row.urgency) == (43, Urgency.OK)
        # Wed 3/18 18:00: six of seven (86 %): at risk, on the deadline watch.
        [row] = deadline_watch(officer=supervisor, now=seoul(2026, 3, 18, 18))
        assert (row.used_percent, row.urgency) == (86, Urgency.URGENT)
        # 보완 중 the clock stops: no share.
        clock.at(2026, 3, 18, 18)
        s.complaint_supplement_request(
            complaint=complaint, actor=None, items=["도면"], days=7, late_reason="현장 확인 후"
        )
        [row], _ = work_queue(officer=supervisor, filters=UNIT, now=seoul(2026, 3, 19, 9))
        assert (row.used_percent, row.urgency) == (None, Urgency.NONE)
    finally:
        clock.stop()


# --- the work queue page (issue 11 item 12) ----------------------------------------------------


def _web(title: str) -> Complaint:
    """A complaint from the website: it waits for registration, in no unit yet."""
    return complaint_filed(
        ComplaintKind.GRIEVANCE,
        channel=IntakeChannel.WEB,
        title=title,
        status_password="follow-me-123",
    )


def _page(client: Client, query: str = "") -> str:
    response = client.get(f"/office/{query}")
    assert response.status_code == 200, response.content[:400]
    return response.content.decode()


def test_a_counter_officer_opens_on_what_waits_for_registration(
    officer_client: Callable[[User], Client], counter_officer: User
) -> None:
    waiting = _web(title="가로등 고장")
    page = _page(officer_client(counter_officer))
    assert f'href="/office/complaints/{waiting.pk}/"' in page
    assert 'href="?scope=register" class="krds-btn primary small" aria-current="page"' in page
    # The counts at the top: one waiting, in the words of the office.
    assert re.search(r"접수 대기</span> <strong class=\"queue-count-num\">1</strong>", page)


def test_a_department_officer_with_nothing_assigned_sees_the_units_work(
    officer_client: Callable[[User], Client], road_officer: User, road_unit: OrgUnit
) -> None:
    complaint = complaint_filed(ComplaintKind.GRIEVANCE, org_unit=road_unit)
    page = _page(officer_client(road_officer))
    assert f'href="/office/complaints/{complaint.pk}/"' in page
    assert 'href="?scope=unit" class="krds-btn primary small" aria-current="page"' in page


def test_filters_and_search(
    officer_client: Callable[[User], Client], road_officer: User, road_unit: OrgUnit
) -> None:
    client = officer_client(road_officer)
    pothole = complaint_filed(ComplaintKind.GRIEVANCE, org_unit=road_unit, title="도로 파임")
    lamp = complaint_filed(
        ComplaintKind.SUGGESTION,
        org_unit=road_unit,
        channel=IntakeChannel.POST,
        title="가로등 제안",
        applicant=ApplicantInput(name="김 민수", address="경기도 파주시 금정로 1"),
    )
    s.complaint_assign(complaint=lamp, actor=None, assignee=road_officer)

    def listed(query: str) -> set[int]:
        page = _page(client, "?scope=unit&" + query)
        return {c.pk for c in (pothole, lamp) if f'href="/office/complaints/{c.pk}/"' in page}

    assert listed("") == {pothole.pk, lamp.pk}
    assert listed("kind=suggestion") == {lamp.pk}
    assert listed("channel=post") == {lamp.pk}
    assert listed("status=in_progress") == {lamp.pk}
    assert listed("assignee=me") == {lamp.pk}
    assert listed("assignee=none") == {pothole.pk}
    assert listed(f"assignee={road_officer.pk}") == {lamp.pk}
    assert listed("q=파임") == {pothole.pk}  # words of the title
    assert listed("q=김민수") == {lamp.pk}  # the full name, spaces as typed or not
    assert listed("q=민수") == set()  # a part of a name finds nothing (it is stored encrypted)
    number = (lamp.receipt_number or "").replace("-", "")
    assert listed(f"q={number}") == {lamp.pk}  # the receipt number without the hyphen
    assert listed("overdue=on") == set()
    # The masked name is shown, never the name.
    page = _page(client, "?scope=unit")
    assert "김 민*" in page and "김 민수" not in page
    # A search is recorded (it may match a name), without the words searched.
    event = AuditEvent.objects.filter(action="complaint.queue_searched").last()
    assert event is not None and "민수" not in str(event.data)


def test_a_bad_filter_is_an_error_and_lists_nothing(
    officer_client: Callable[[User], Client], supervisor: User, road_unit: OrgUnit
) -> None:
    complaint_filed(ComplaintKind.GRIEVANCE, org_unit=road_unit)
    response = officer_client(supervisor).get("/office/?scope=unit&status=nonsense")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'aria-invalid="true"' in page and "queue-caption" not in page


def test_time_left_beside_the_date_and_overdue(
    officer_client: Callable[[User], Client], supervisor: User, road_unit: OrgUnit
) -> None:
    clock = TravellingClock()
    try:
        clock.at(2026, 3, 11, 10)
        complaint_filed(ComplaintKind.GRIEVANCE, org_unit=road_unit)  # due Thu 3/19 18:00
        clock.at(2026, 3, 16, 9)
        assert "3일 남음" in _page(officer_client(supervisor), "?scope=unit")
        clock.at(2026, 3, 19, 15)
        assert "3시간 남음" in _page(officer_client(supervisor), "?scope=unit")
        clock.at(2026, 3, 21, 10)
        page = _page(officer_client(supervisor), "?scope=unit&overdue=on")
        assert "기한 초과 2일" in page
        assert re.search(r"기한 초과</span> <strong class=\"queue-count-num\">1</strong>", page)
    finally:
        clock.stop()


def test_sorting_and_pages(
    officer_client: Callable[[User], Client], supervisor: User, road_unit: OrgUnit
) -> None:
    made = [
        complaint_filed(ComplaintKind.GRIEVANCE, org_unit=road_unit, title=f"민원 {i:02d}")
        for i in range(QUEUE_PAGE_SIZE + 3)
    ]
    client = officer_client(supervisor)
    first = _page(client, "?scope=unit&sort=newest")
    assert f'href="/office/complaints/{made[-1].pk}/"' in first
    assert f'href="/office/complaints/{made[0].pk}/"' not in first
    cursor = re.search(r'cursor=([^"&]+)"', first)
    assert cursor is not None
    second = _page(client, f"?scope=unit&sort=newest&cursor={cursor.group(1)}")
    assert f'href="/office/complaints/{made[0].pk}/"' in second
    assert f'href="/office/complaints/{made[-1].pk}/"' not in second
    assert "처음 쪽" in second


def test_names_filed_before_the_index_are_indexed_by_the_migration(road_unit: OrgUnit) -> None:
    from importlib import import_module

    from django.apps import apps

    from minwon.complaints.models import Applicant

    complaint = complaint_filed(ComplaintKind.GRIEVANCE, org_unit=road_unit)
    Applicant.objects.filter(complaint=complaint).update(name_index="")
    import_module("minwon.complaints.migrations.0011_applicant_name_index").index_names(apps, None)
    assert Applicant.objects.get(complaint=complaint).name_index == applicant_name_index("홍길동")
