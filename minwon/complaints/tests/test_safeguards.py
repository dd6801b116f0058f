"""The lifecycle's legal safeguards (issue 12), one scenario per article: each test is named after
the article it enforces (`test_law23_…` = 법 제23조, `test_decree21_…` = 영 제21조,
`test_rule9_…` = 규칙 제9조)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from minwon.accounts.models import OrgUnit, User
from minwon.complaints import services as s
from minwon.complaints.domain import Outcome, TransferKind
from minwon.complaints.models import Complaint, ComplaintEvent
from minwon.core.errors import Conflict, ValidationFailed
from minwon.core.models import AuditEvent
from minwon.lawclock.kinds import ComplaintKind
from tests.factories import TravellingClock, seoul

pytestmark = pytest.mark.django_db
File = Callable[..., Complaint]


def started(
    clock: TravellingClock,
    file: File,
    officer: User,
    kind: ComplaintKind = ComplaintKind.GRIEVANCE,
    **extra: object,
) -> Complaint:
    """Filed and assigned on Mon 2026-03-09 10:00 (a 고충민원: 7일 → Tue 3/17 18:00)."""
    clock.at(2026, 3, 9, 10, 0)
    c = file(kind, filed_by=officer, **extra)
    return s.complaint_assign(complaint=c, actor=officer, assignee=officer)


# --- 영 제21조①: an extension is decided before the deadline -----------------------------------


def test_decree21_extension_after_the_deadline_is_refused(
    clock: TravellingClock, file: File, counter_officer: User
) -> None:
    c = started(clock, file, counter_officer)
    assert c.due_at == seoul(2026, 3, 17, 18, 0)
    clock.at(2026, 3, 19, 10, 0)  # two days late
    audit_before = AuditEvent.objects.count()
    with pytest.raises(Conflict) as late:
        s.complaint_extend(complaint=c, actor=counter_officer, period="7d", reason="fact_finding")
    assert late.value.code == "complaint.extension_after_deadline"
    assert "2026-03-17 18:00" in str(late.value.message)
    assert "제21조 제1항" in str(late.value.message)
    c.refresh_from_db()
    assert c.extensions == [] and c.due_at == seoul(2026, 3, 17, 18, 0)
    assert c.original_due_at is None
    assert AuditEvent.objects.count() == audit_before
    # answered late, it counts as late
    c = s.complaint_answer(
        complaint=c, actor=counter_officer, outcome=Outcome.INFORMED, answer="답"
    )
    answer = ComplaintEvent.objects.get(complaint=c, action="answer")
    assert answer.data["on_time"] is False and answer.data["within_original_period"] is False


def test_decree21_original_due_instant_is_kept_through_extensions(
    clock: TravellingClock, file: File, counter_officer: User
) -> None:
    c = started(clock, file, counter_officer)
    clock.at(2026, 3, 17, 17, 59)  # a minute before the due instant: still in time
    c = s.complaint_extend(complaint=c, actor=counter_officer, period="7d", reason="fact_finding")
    assert c.due_at == seoul(2026, 3, 26, 18, 0)
    assert c.original_due_at == seoul(2026, 3, 17, 18, 0)
    clock.at(2026, 3, 26, 9, 0)
    c = s.complaint_extend(
        complaint=c, actor=counter_officer, period="7d", reason="cooperation", consent=True
    )
    assert c.due_at == seoul(2026, 4, 6, 18, 0)
    assert c.original_due_at == seoul(2026, 3, 17, 18, 0)  # the first one, not the second
    clock.at(2026, 4, 1, 10, 0)
    c = s.complaint_answer(
        complaint=c, actor=counter_officer, outcome=Outcome.INFORMED, answer="답"
    )
    c.refresh_from_db()
    assert c.original_due_at == seoul(2026, 3, 17, 18, 0)
    answer = ComplaintEvent.objects.get(complaint=c, action="answer")
    assert answer.data["on_time"] is True  # within the lawfully extended period
    assert answer.data["within_original_period"] is False
    assert answer.data["original_due_at"] == "2026-03-17T18:00:00+09:00"


# --- 영 제13조: transfers ------------------------------------------------------------------------


def test_decree13_external_transfer_limit_counts_from_registration(
    clock: TravellingClock,
    file: File,
    counter_officer: User,
    civil_unit: OrgUnit,
    road_unit: OrgUnit,
) -> None:
    clock.at(2026, 3, 9, 10, 0)
    c = file(ComplaintKind.GRIEVANCE, filed_by=counter_officer, org_unit=civil_unit)
    clock.at(2026, 3, 9, 17, 0)
    c = s.complaint_transfer(
        complaint=c,
        actor=counter_officer,
        kind=TransferKind.INTERNAL,
        to_org_unit=road_unit,
        reason="잘못 접수",
    )
    clock.at(2026, 3, 10, 10, 30)
    c = s.complaint_transfer(
        complaint=c,
        actor=counter_officer,
        kind=TransferKind.EXTERNAL,
        to_agency="경기도청",
        reason="도 소관 사무",
    )
    event = ComplaintEvent.objects.filter(complaint=c).last()
    assert event is not None and event.action == "transfer_external"
    # 8 working hours from registration Mon 10:00 → Tue 10:00 (not from road's receipt at 17:00,
    # which would give Tue 16:00): sent Tue 10:30, late.
    assert event.data["transfer_due_at"] == "2026-03-10T10:00:00+09:00"
    assert event.data["on_time"] is False


def test_decree13_assigning_to_another_unit_is_a_transfer(
    clock: TravellingClock,
    file: File,
    counter_officer: User,
    road_officer: User,
    civil_unit: OrgUnit,
    road_unit: OrgUnit,
) -> None:
    clock.at(2026, 3, 9, 10, 0)
    c = file(ComplaintKind.GRIEVANCE, filed_by=counter_officer, org_unit=civil_unit)
    events_before = ComplaintEvent.objects.filter(complaint=c).count()
    with pytest.raises(ValidationFailed) as moved:
        s.complaint_assign(
            complaint=c, actor=counter_officer, assignee=road_officer, org_unit=road_unit
        )
    assert moved.value.code == "complaint.assign_is_transfer"
    assert moved.value.field == "org_unit"
    assert "제13조" in str(moved.value.message)
    c.refresh_from_db()
    assert (c.org_unit, c.assignee) == (civil_unit, None)
    assert ComplaintEvent.objects.filter(complaint=c).count() == events_before
    # the way across units is a transfer: reason, limit and record
    c = s.complaint_transfer(
        complaint=c,
        actor=counter_officer,
        kind=TransferKind.WITHIN_UNIT,
        to_org_unit=road_unit,
        reason="소관 부서",
    )
    c = s.complaint_assign(complaint=c, actor=road_officer, assignee=road_officer)
    assert (c.org_unit, c.assignee) == (road_unit, road_officer)
    transfer = ComplaintEvent.objects.get(complaint=c, action="transfer_internal")
    assert transfer.data["reason"] == "소관 부서" and transfer.data["transfer_due_at"]


def test_decree13_api_assign_to_another_unit_is_refused_in_words(
    clock: TravellingClock,
    file: File,
    counter_officer: User,
    road_officer: User,
    civil_unit: OrgUnit,
    officer_client: Callable[[User], Client],
) -> None:
    clock.at(2026, 3, 9, 10, 0)
    c = file(ComplaintKind.GRIEVANCE, filed_by=counter_officer, org_unit=civil_unit)
    client = officer_client(counter_officer)
    response = client.post(
        f"/api/v1/office/complaints/{c.pk}/assign",
        {"assignee_id": road_officer.pk, "org_unit": "road"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="ko",
    )
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "complaint.assign_is_transfer"
    assert "이송" in body["message"]
