"""Lives that move the legal clock: supplement, return, extension, objection, reopening, notices."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from minwon.accounts.models import User
from minwon.catalog.models import ComplaintType
from minwon.complaints import services as s
from minwon.complaints.domain import ComplaintStatus, ObjectionOutcome, Outcome
from minwon.complaints.models import Complaint, ComplaintEvent
from minwon.complaints.selectors import complaint_timeline
from minwon.core.errors import Conflict, ValidationFailed
from minwon.core.models import AuditEvent
from minwon.lawclock.kinds import ComplaintKind
from tests.factories import TravellingClock, seoul

pytestmark = pytest.mark.django_db
WRITTEN = s.ConsentInput(method="written", given_at=seoul(2026, 3, 9, 9, 0))
File = Callable[..., Complaint]


def started(
    clock: TravellingClock,
    file: File,
    officer: User,
    kind: ComplaintKind = ComplaintKind.GRIEVANCE,
    assignee: User | None = None,
    **extra: object,
) -> Complaint:
    clock.at(2026, 3, 9, 10, 0)
    c = file(kind, filed_by=officer, **extra)
    return s.complaint_assign(complaint=c, actor=officer, assignee=assignee or officer)


def test_supplement_stops_the_clock_until_it_arrives(
    clock: TravellingClock,
    file: File,
    types: dict[str, ComplaintType],
    counter_officer: User,
) -> None:
    c = started(
        clock, file, counter_officer, ComplaintKind.STATUTORY, type_code="columbarium-report-family"
    )
    # 10일: 3/9–13 (5), 3/16–20 (10) → Fri 3/20 18:00.
    assert c.due_at == seoul(2026, 3, 20, 18, 0)
    clock.at(2026, 3, 11, 10, 0)
    c = s.complaint_supplement_request(
        complaint=c,
        actor=counter_officer,
        items=["가족관계증명서"],
        days=7,
        late_reason="현장 확인에서 누락 발견",  # past 8 working hours (규칙 제9조①)
    )
    assert c.status == ComplaintStatus.SUPPLEMENT_PENDING
    assert c.due_at is None  # stopped
    # 민법 제157조: from 3/12, 7 days → Wed 3/18.
    assert c.supplement_due_on is not None and c.supplement_due_on.isoformat() == "2026-03-18"
    clock.at(2026, 3, 16, 11, 0)
    c = s.complaint_supplement_receive(complaint=c, actor=counter_officer)
    assert c.status == ComplaintStatus.IN_PROGRESS
    # Excluded dates 3/11–3/16, both included (행정절차법 시행령 제11조 제1호): 3/11, 12, 13, 16.
    # Counted: 3/9 (1), 3/10 (2), 3/17 (3), 18, 19, 20 (6), 23, 24, 25 (9), 3/26 (10) → 3/26 18:00.
    assert c.due_at == seoul(2026, 3, 26, 18, 0)
    events = [e.notice for e in ComplaintEvent.objects.filter(complaint=c)]
    assert "supplement_request" in events


def test_second_supplement_request_then_return(
    clock: TravellingClock,
    file: File,
    types: dict[str, ComplaintType],
    counter_officer: User,
) -> None:
    c = started(
        clock, file, counter_officer, ComplaintKind.STATUTORY, type_code="columbarium-report-family"
    )
    clock.at(2026, 3, 11, 10, 0)
    c = s.complaint_supplement_request(
        complaint=c, actor=counter_officer, items=["도면"], days=5, late_reason="현장 확인 후"
    )
    assert c.supplement_due_on is not None and c.supplement_due_on.isoformat() == "2026-03-16"
    with pytest.raises(Conflict) as early:  # 영 제24조③: only after the first period has passed
        s.complaint_supplement_request(complaint=c, actor=counter_officer, items=["도면"], days=5)
    assert early.value.code == "complaint.supplement_not_overdue"
    clock.at(2026, 3, 17, 9, 0)
    with pytest.raises(ValidationFailed) as too_long:
        s.complaint_supplement_request(complaint=c, actor=counter_officer, items=["도면"], days=11)
    assert too_long.value.code == "complaint.supplement_period_invalid"
    c = s.complaint_supplement_request(complaint=c, actor=counter_officer, items=["도면"], days=10)
    # 3/17 + 10 days (first day not counted) → Fri 3/27.
    assert c.supplement_due_on is not None and c.supplement_due_on.isoformat() == "2026-03-27"
    clock.at(2026, 3, 27, 17, 0)
    with pytest.raises(Conflict) as not_yet:
        s.complaint_return(complaint=c, actor=counter_officer, reason="보완 없음")
    assert not_yet.value.code == "complaint.return_not_allowed"
    clock.at(2026, 3, 30, 9, 0)
    with pytest.raises(Conflict) as third:
        s.complaint_supplement_request(complaint=c, actor=counter_officer, items=["x"], days=3)
    assert third.value.code == "complaint.supplement_limit_reached"
    c = s.complaint_return(
        complaint=c, actor=counter_officer, reason="두 차례 보완 요구에 응하지 않음"
    )
    assert c.status == ComplaintStatus.RETURNED
    assert [t.action for t in complaint_timeline(c)] == [
        "arrive",
        "register",
        "assign",
        "request_supplement",
        "request_supplement",
        "return",
    ]


def test_extensions_once_then_with_consent_never_a_third_time(
    clock: TravellingClock,
    file: File,
    counter_officer: User,
) -> None:
    c = started(clock, file, counter_officer)
    assert c.due_at == seoul(2026, 3, 17, 18, 0)
    audit_before = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as forbidden:
        s.complaint_extend(complaint=c, actor=counter_officer, period="7d", reason="workload")
    assert forbidden.value.code == "complaint.extension_reason_not_allowed"
    assert "제21조 제2항" in str(forbidden.value.message)
    with pytest.raises(ValidationFailed) as too_long:
        s.complaint_extend(complaint=c, actor=counter_officer, period="8d", reason="fact_finding")
    assert too_long.value.code == "complaint.extension_too_long"
    assert AuditEvent.objects.count() == audit_before
    c.refresh_from_db()
    assert c.extensions == [] and c.due_at == seoul(2026, 3, 17, 18, 0)

    c = s.complaint_extend(complaint=c, actor=counter_officer, period="7d", reason="fact_finding")
    # From the day after 3/17: 3/18 (1), 19, 20, 23, 24, 25, 3/26 (7) → 3/26 18:00.
    assert c.due_at == seoul(2026, 3, 26, 18, 0)
    assert "제21조 제1항 본문" in c.deadline_legal_basis
    with pytest.raises(Conflict) as no_consent:
        s.complaint_extend(complaint=c, actor=counter_officer, period="7d", reason="cooperation")
    assert no_consent.value.code == "complaint.extension_consent_required"
    c = s.complaint_extend(
        complaint=c, actor=counter_officer, period="7d", reason="cooperation", consent=WRITTEN
    )
    # 3/27 (1), 3/30, 3/31, 4/1, 4/2, 4/3 (6), 4/6 (7) → Mon 4/6 18:00.
    assert c.due_at == seoul(2026, 4, 6, 18, 0)
    with pytest.raises(Conflict) as third:
        s.complaint_extend(
            complaint=c, actor=counter_officer, period="1d", reason="cooperation", consent=WRITTEN
        )
    assert third.value.code == "complaint.extension_limit_reached"
    notices = list(
        ComplaintEvent.objects.filter(complaint=c, notice="extension").values_list(
            "data", flat=True
        )
    )
    assert [n["previous_due_at"] for n in notices] == [
        "2026-03-17T18:00:00+09:00",
        "2026-03-26T18:00:00+09:00",
    ]


def test_refused_permit_objection_extension_and_decision(
    clock: TravellingClock,
    file: File,
    types: dict[str, ComplaintType],
    counter_officer: User,
    road_officer: User,
) -> None:
    c = started(
        clock,
        file,
        counter_officer,
        ComplaintKind.STATUTORY,
        type_code="road-occupancy-permit",
        assignee=road_officer,
    )
    clock.at(2026, 3, 10, 11, 0)
    with pytest.raises(ValidationFailed) as no_route:
        s.complaint_answer(
            complaint=c,
            actor=counter_officer,
            outcome=Outcome.REFUSED,
            answer="불허",
            reason="점용 기준 미달",
        )
    assert no_route.value.code == "complaint.appeal_route_required"
    c = s.complaint_answer(
        complaint=c,
        actor=counter_officer,
        outcome=Outcome.REFUSED,
        answer="불허",
        reason="점용 기준 미달",
        appeal_route="60일 이내 이의신청 (민원처리법 제35조)",
    )
    # 3/10 notified; 60 days from 3/11 → 5/9 (Sat) → 민법 제161조 → Mon 5/11.
    assert c.objection_last_day is not None and c.objection_last_day.isoformat() == "2026-05-11"
    with pytest.raises(Conflict) as reopen:
        s.complaint_reopen(complaint=c, actor=counter_officer, reason="다시")
    assert reopen.value.code == "complaint.reopen_statutory"
    clock.at(2026, 3, 12, 10, 0)
    c = s.complaint_objection_file(complaint=c, actor=None, grounds="기준을 충족합니다")
    assert c.status == ComplaintStatus.OBJECTION_PENDING
    # 10일: 3/12 (1), 13, 16, 17, 18, 19, 20, 23, 24, 3/25 (10) → 3/25 18:00.
    assert c.due_at == seoul(2026, 3, 25, 18, 0)
    c = s.complaint_extend(complaint=c, actor=counter_officer, period="10d", reason="fact_finding")
    # 법 제35조②: from 3/26: 26, 27, 30, 31, 4/1, 2, 3, 6, 7, 4/8 (10) → 4/8 18:00.
    assert c.due_at == seoul(2026, 4, 8, 18, 0)
    with pytest.raises(Conflict) as again:
        s.complaint_extend(
            complaint=c, actor=counter_officer, period="1d", reason="fact_finding", consent=WRITTEN
        )
    assert again.value.code == "complaint.extension_limit_reached"
    c = s.complaint_objection_decide(
        complaint=c, actor=counter_officer, outcome=ObjectionOutcome.UPHELD, decision="허가합니다"
    )
    assert c.status == ComplaintStatus.OBJECTION_DECIDED
    with pytest.raises(Conflict):
        s.complaint_objection_file(complaint=c, actor=None, grounds="또")


def test_objection_after_sixty_days_is_refused(
    clock: TravellingClock,
    file: File,
    types: dict[str, ComplaintType],
    counter_officer: User,
    road_officer: User,
) -> None:
    c = started(
        clock,
        file,
        counter_officer,
        ComplaintKind.STATUTORY,
        type_code="road-occupancy-permit",
        assignee=road_officer,
    )
    clock.at(2026, 3, 10, 11, 0)
    c = s.complaint_answer(
        complaint=c,
        actor=counter_officer,
        outcome=Outcome.REFUSED,
        answer="불허",
        reason="기준 미달",
        appeal_route="이의신청",
    )
    clock.at(2026, 5, 12, 9, 0)
    with pytest.raises(Conflict) as late:
        s.complaint_objection_file(complaint=c, actor=None, grounds="늦었지만")
    assert late.value.code == "complaint.objection_too_late"
    assert "2026-05-11" in str(late.value.message)


def test_granted_complaint_has_no_objection(
    clock: TravellingClock, file: File, counter_officer: User
) -> None:
    c = started(clock, file, counter_officer, ComplaintKind.SUGGESTION)
    c = s.complaint_answer(
        complaint=c, actor=counter_officer, outcome=Outcome.INFORMED, answer="검토"
    )
    with pytest.raises(Conflict) as info:
        s.complaint_objection_file(complaint=c, actor=None, grounds="x")
    assert info.value.code == "complaint.objection_not_refused"


def test_reopened_suggestion_runs_its_period_again(
    clock: TravellingClock, file: File, counter_officer: User
) -> None:
    c = started(clock, file, counter_officer, ComplaintKind.SUGGESTION)
    c = s.complaint_answer(
        complaint=c, actor=counter_officer, outcome=Outcome.INFORMED, answer="검토"
    )
    clock.at(2026, 3, 16, 9, 0)
    c = s.complaint_reopen(complaint=c, actor=counter_officer, reason="아직 해결되지 않음")
    assert c.status == ComplaintStatus.IN_PROGRESS
    # 14일 from Mon 3/16: 3/16–20 (5), 23–27 (10), 3/30–4/2 (14) → Thu 4/2 18:00.
    assert c.due_at == seoul(2026, 4, 2, 18, 0)


def test_progress_notices_every_thirty_days(
    clock: TravellingClock, file: File, counter_officer: User
) -> None:
    c = started(clock, file, counter_officer, ComplaintKind.SUGGESTION)
    clock.at(2026, 4, 7, 9, 0)
    assert s.complaint_progress_notices_sweep() == 0
    clock.at(2026, 4, 8, 9, 0)  # 30 days after 3/9
    assert s.complaint_progress_notices_sweep() == 1
    assert s.complaint_progress_notices_sweep() == 0
    clock.at(2026, 5, 8, 9, 0)
    assert s.complaint_progress_notices_sweep() == 1
    c.refresh_from_db()
    assert c.progress_notices == 2
    s.complaint_progress_notice_record(complaint=c, actor=None, requested=True)  # on request
    assert ComplaintEvent.objects.filter(complaint=c, notice="progress").count() == 3
