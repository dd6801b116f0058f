"""Processing: assignment, transfer, supplement, extension, answer, withdrawal, notices."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction

from minwon.accounts.models import OrgUnit, User
from minwon.complaints.domain import (
    FIRST_SUPPLEMENT_MAX_DAYS,
    OBJECTION_BASIS,
    OPEN_STATUSES,
    PROGRESS_NOTICE_INTERVAL_DAYS,
    Action,
    ClockKind,
    ComplaintStatus,
    NoticeKind,
    Outcome,
    TransferKind,
    answer_problems,
    check_answer,
    check_children_answered,
    check_consent,
    check_extension,
    check_extension_in_time,
    check_reopen,
    check_return,
    check_supplement_extension,
    check_supplement_in_time,
    check_supplement_request,
    check_within_parent,
    objection_last_day,
    progress_notices_due,
    supplement_due_on,
)
from minwon.complaints.models import Complaint
from minwon.complaints.selectors import city_calendar
from minwon.complaints.services.common import (
    error,
    from_rule,
    lock,
    masked_text,
    refresh_deadline,
    require_aware,
    rule_errors,
    start_clock,
    stop_clock,
    transition,
)
from minwon.core import clock, crypto
from minwon.core.domain import mask_rrns_in_text
from minwon.core.errors import ApplicationError
from minwon.lawclock import (
    SEOUL,
    extension_deadline,
    supplement_request_deadline,
    transfer_deadline,
)
from minwon.lawclock.exclusions import EXCLUSION_BASES, ExclusionKind, check_exclusion
from minwon.lawclock.kinds import ComplaintKind


@transaction.atomic
def complaint_assign(
    *, complaint: Complaint, actor: User | None, assignee: User, org_unit: OrgUnit | None = None
) -> Complaint:
    """담당자 지정 (or re-assignment) within the handling unit."""
    step = transition(complaint, Action.ASSIGN)
    complaint, before = step.complaint, step.from_status
    current = complaint.org_unit
    unit = org_unit or current or assignee.org_unit
    if unit is None:
        raise error("complaint.unit_required", field="org_unit")
    if current is not None and not unit.path.startswith(current.path):
        # 영 제13조: a complaint changes units by 이송, with its reason, limit and record
        raise error(
            "complaint.assign_is_transfer", field="org_unit", rule="민원처리법 시행령 제13조"
        )
    member_unit = assignee.org_unit
    if not assignee.is_officer or member_unit is None or not member_unit.path.startswith(unit.path):
        raise error("complaint.assignee_not_officer", field="assignee")
    complaint.org_unit = unit
    if complaint.assignee_id != assignee.pk and before == ComplaintStatus.REGISTERED:
        complaint.unit_received_at = complaint.unit_received_at or clock.now()
    complaint.assignee = assignee
    return step.done(actor=actor, data={"org_unit": unit.code, "assignee_id": assignee.pk})


@transaction.atomic
def complaint_transfer(
    *,
    complaint: Complaint,
    actor: User | None,
    kind: TransferKind,
    reason: str,
    to_org_unit: OrgUnit | None = None,
    to_agency: str = "",
) -> Complaint:
    """이송 (영 제13조): inside the city (1 or 3 working hours) or to another agency (8 working
    hours, with a notice to the complainant). The processing period runs on from registration."""
    if not reason.strip():
        raise error("complaint.reason_required", field="reason")
    action = Action.TRANSFER_EXTERNAL if kind == TransferKind.EXTERNAL else Action.TRANSFER_INTERNAL
    step = transition(complaint, action)
    complaint = step.complaint
    now = clock.now()
    if kind == TransferKind.EXTERNAL:
        # 영 제13조③: 8 working hours from registration (접수), however often it moved inside
        received = complaint.registered_at or complaint.arrived_at
    else:
        received = complaint.unit_received_at or complaint.registered_at or complaint.arrived_at
    limit = transfer_deadline(received_at=received, kind=kind.value, calendar=city_calendar())
    facts: dict[str, object] = {
        "kind": kind.value,
        "reason": reason.strip(),
        "transfer_due_at": limit.due_at.isoformat(),
        "transfer_legal_basis": limit.legal_basis,
        "on_time": now <= limit.due_at,
        "from_org_unit": complaint.org_unit.code if complaint.org_unit else None,
    }
    if kind == TransferKind.EXTERNAL:
        if not to_agency.strip():
            raise error("complaint.agency_required", field="to_agency")
        complaint.transferred_to = to_agency.strip()[:200]
        complaint.closed_at = now
        stop_clock(complaint)
        facts["to_agency"] = complaint.transferred_to
    else:
        if to_org_unit is None:
            raise error("complaint.unit_required", field="to_org_unit")
        complaint.org_unit = to_org_unit
        complaint.assignee = None
        complaint.unit_received_at = now
        facts["to_org_unit"] = to_org_unit.code
    return step.done(
        actor=actor,
        data=facts,
        notice=NoticeKind.TRANSFER if kind == TransferKind.EXTERNAL else None,
    )


@transaction.atomic
def complaint_supplement_request(
    *,
    complaint: Complaint,
    actor: User | None,
    items: list[str],
    days: int,
    late_reason: str = "",
) -> Complaint:
    """보완 요구 (법 제22조①, 영 제24조): the clock stops from the day the request is sent until the
    day the supplement arrives, both included (행정절차법 시행령 제11조 제1호).

    The first request is due within 8 working hours of registration (규칙 제9조①); a later one
    is flagged late (`supplement_requested_late`, for the indicators) and needs `late_reason`,
    why it could not be asked earlier."""
    step = transition(complaint, Action.REQUEST_SUPPLEMENT)
    complaint = step.complaint
    if complaint.clock != ClockKind.PROCESSING:
        raise error("complaint.no_clock")
    cleaned = [item.strip() for item in items if item.strip()]
    if not cleaned:
        raise error("complaint.supplement_items_required", field="items")
    now = clock.now()
    today = now.astimezone(SEOUL).date()
    with rule_errors():
        check_supplement_request(requests_made=complaint.supplement_requests, days=days)
    if complaint.supplement_requests == 1 and (
        complaint.supplement_due_on is None or today <= complaint.supplement_due_on
    ):
        raise error("complaint.supplement_not_overdue", rule="민원처리법 시행령 제24조 제3항")
    calendar = city_calendar()
    timing: dict[str, object] = {}
    if complaint.supplement_requests == 0:
        if any(pair[1] is None for pair in complaint.excluded_intervals):
            raise error("complaint.exclusion_open")
        registered = complaint.registered_at or complaint.arrived_at
        with rule_errors():
            limit = supplement_request_deadline(registered_at=registered, calendar=calendar)
            late = check_supplement_in_time(
                requested_at=now, limit_at=limit.due_at, late_reason=late_reason
            )
        timing = {
            "request_limit_at": limit.due_at.isoformat(),
            "request_limit_basis": limit.legal_basis,
            "late": late,
        }
        if late:
            timing["late_reason"] = late_reason.strip()
            complaint.supplement_requested_late = True
        complaint.excluded_intervals = [*complaint.excluded_intervals, [now.isoformat(), None]]
    complaint.supplement_requests += 1
    complaint.supplement_due_on = supplement_due_on(
        today, days, is_working_day=calendar.is_working_day
    )
    complaint.supplement_period_from, complaint.supplement_period_days = today, days
    refresh_deadline(complaint, calendar)
    return step.done(
        actor=actor,
        data={
            "request_number": complaint.supplement_requests,
            "items": cleaned,
            "days": days,
            "supplement_due_on": complaint.supplement_due_on.isoformat(),
            **timing,
        },
        notice=NoticeKind.SUPPLEMENT_REQUEST,
    )


@transaction.atomic
def complaint_supplement_extend(
    *,
    complaint: Complaint,
    actor: User | None,
    days: int,
    note: str = "",
    by_complainant: bool = False,
) -> Complaint:
    """영 제24조②: the complainant cannot supplement within the period and asks for the time they
    need (`days`, counted from today under 민법 제157조·제161조); the period is set again, at most
    twice per 보완. `by_complainant`: asked on the web (else an officer records the request)."""
    step = transition(complaint, Action.EXTEND_SUPPLEMENT)
    complaint = step.complaint
    today = clock.local_now().date()
    calendar = city_calendar()
    new_due_on = (
        supplement_due_on(today, days, is_working_day=calendar.is_working_day)
        if 1 <= days <= FIRST_SUPPLEMENT_MAX_DAYS
        else None
    )
    with rule_errors():
        check_supplement_extension(
            granted_before=complaint.supplement_extensions,
            today=today,
            due_on=complaint.supplement_due_on,
            days=days,
            new_due_on=new_due_on,
        )
    assert new_due_on is not None
    assert complaint.supplement_due_on is not None
    previous = complaint.supplement_due_on
    complaint.supplement_due_on = new_due_on
    complaint.supplement_period_from, complaint.supplement_period_days = today, days
    complaint.supplement_extensions += 1
    facts: dict[str, object] = {
        "extension_number": complaint.supplement_extensions,
        "days": days,
        "previous_due_on": previous.isoformat(),
        "supplement_due_on": new_due_on.isoformat(),
        "legal_basis": "민원처리법 시행령 제24조 제2항",
        **masked_text("note", note.strip()),
    }
    if by_complainant:
        facts["by_complainant"] = True
    return step.done(actor=actor, data=facts)


@transaction.atomic
def complaint_supplement_receive(
    *,
    complaint: Complaint,
    actor: User | None,
    note: str = "",
    attachment_ids: Sequence[int] = (),
    by_complainant: bool = False,
) -> Complaint:
    """The supplement arrived: the stopped interval closes and the deadline moves by it.
    `by_complainant`: sent by the complainant on the web (else an officer records its arrival)."""
    step = transition(complaint, Action.RECEIVE_SUPPLEMENT)
    complaint = step.complaint
    now = clock.now()
    intervals = [list(pair) for pair in complaint.excluded_intervals]
    if intervals and intervals[-1][1] is None:
        intervals[-1][1] = max(now.isoformat(), str(intervals[-1][0]))
    complaint.excluded_intervals = intervals
    complaint.supplement_requests = 0
    complaint.supplement_extensions = 0
    complaint.supplement_due_on = None
    complaint.supplement_period_from = complaint.supplement_period_days = None
    refresh_deadline(complaint)
    # A 주민등록번호 typed into the words is shown masked; the words as sent are kept encrypted.
    masked, found = mask_rrns_in_text(note)
    facts: dict[str, object] = {"note": masked}
    if found:
        facts["note_original_encrypted"] = crypto.encrypt(note)
    if attachment_ids:
        facts["attachments"] = list(attachment_ids)
    if by_complainant:
        facts["by_complainant"] = True
    return step.done(actor=actor, data=facts)


@transaction.atomic
def complaint_return(*, complaint: Complaint, actor: User | None, reason: str) -> Complaint:
    """반려 (영 제25조①) after two supplement requests went unanswered."""
    step = transition(complaint, Action.RETURN)
    complaint = step.complaint
    if not reason.strip():
        raise error("complaint.reason_required", field="reason")
    with rule_errors():
        check_return(
            requests_made=complaint.supplement_requests,
            last_due_on=complaint.supplement_due_on,
            today=clock.local_now().date(),
        )
    complaint.closed_at = clock.now()
    stop_clock(complaint)
    return step.done(actor=actor, data={"reason": reason.strip()}, notice=NoticeKind.RETURN)


@dataclass(frozen=True)
class ConsentInput:
    """The complainant's consent to a second extension (영 제21조① 단서): how (`ConsentMethod`
    value), when, and for a phone call the officer's note."""

    method: str
    given_at: datetime | None
    note: str = ""


@transaction.atomic
def complaint_extend(
    *,
    complaint: Complaint,
    actor: User | None,
    period: str,
    reason: str,
    reason_text: str = "",
    consent: ConsentInput | None = None,
) -> Complaint:
    """처리기간 연장 (영 제21조) or 이의신청 결정기간 연장 (법 제35조②), with a notice giving the
    reason and the new expected date."""
    step = transition(complaint, Action.EXTEND)
    complaint = step.complaint
    consent_facts: dict[str, str] | None = None
    if consent is not None:
        given_at = consent.given_at
        if given_at is not None:
            given_at = require_aware(given_at, "consent_at")
        with rule_errors():
            check_consent(
                method=consent.method, given_at=given_at, note=consent.note, now=clock.now()
            )
        assert given_at is not None
        consent_facts = {
            "method": consent.method,
            "given_at": given_at.astimezone(SEOUL).isoformat(),
            "note": consent.note.strip(),
            "recorded_by": actor.username if actor is not None and actor.pk else "",
        }
    with rule_errors():
        checked = check_extension(
            clock=ClockKind(complaint.clock),
            previous_extensions=len(complaint.extensions),
            consent=consent_facts is not None,
            reason=reason,
            reason_text=reason_text,
        )
    if complaint.due_at is None:
        raise error("complaint.no_deadline_to_extend", rule="민원처리법 시행령 제21조")
    with rule_errors():
        check_extension_in_time(due_at=complaint.due_at.astimezone(SEOUL), now=clock.now())
    calendar = city_calendar()
    with rule_errors():
        extension_deadline(
            current_due_at=complaint.due_at,
            original_period=complaint.period,
            extension_period=period,
            previous_extensions=0
            if complaint.clock == ClockKind.OBJECTION
            else len(complaint.extensions),
            complainant_consent=consent_facts is not None,
            calendar=calendar,
        )
    previous_due = complaint.due_at
    if complaint.original_due_at is None:
        complaint.original_due_at = previous_due
    complaint.extensions = [
        *complaint.extensions,
        {
            "period": period,
            "consent": consent_facts is not None,
            "reason": checked.value,
            "reason_text": reason_text,
            **({"consent_record": consent_facts} if consent_facts else {}),
        },
    ]
    refresh_deadline(complaint, calendar)
    if complaint.parent_id is not None:
        parent_due = Complaint.objects.filter(pk=complaint.parent_id).values_list(
            "due_at", flat=True
        )[0]
        with rule_errors():
            check_within_parent(
                due_at=complaint.due_at,
                parent_due_at=parent_due.astimezone(SEOUL) if parent_due else None,
            )
    return step.done(
        actor=actor,
        data={
            "extension_number": len(complaint.extensions),
            "period": period,
            "reason": checked.value,
            "reason_text": reason_text,
            "consent": consent_facts is not None,
            # how and when the complainant agreed (영 제21조① 단서), read by the extension notice
            **(
                {
                    "consent_method": consent_facts["method"],
                    "consent_at": consent_facts["given_at"],
                    "consent_note": consent_facts["note"],
                    "consent_recorded_by": consent_facts["recorded_by"],
                }
                if consent_facts
                else {}
            ),
            "previous_due_at": previous_due.astimezone(SEOUL).isoformat(),
            "legal_basis": OBJECTION_BASIS
            if complaint.clock == ClockKind.OBJECTION
            else complaint.deadline_legal_basis,
        },
        notice=NoticeKind.EXTENSION,
    )


def complaint_answer_problems(
    *, complaint: Complaint, outcome: Outcome, answer: str, reason: str, appeal_route: str
) -> list[ApplicationError]:
    """Every reason `complaint_answer` would refuse this answer's content, translated, each with
    its field, so a form shows them all at once (nothing is written)."""
    found = [] if answer.strip() else [error("complaint.answer_required", field="answer")]
    for rule in answer_problems(
        kind=ComplaintKind(complaint.kind),
        outcome=outcome,
        reason=reason,
        appeal_route=appeal_route,
    ):
        found.append(from_rule(rule))
    return found


@transaction.atomic
def complaint_answer(
    *,
    complaint: Complaint,
    actor: User | None,
    outcome: Outcome,
    answer: str,
    reason: str = "",
    appeal_route: str = "",
) -> Complaint:
    """처리 및 결과 통지 (법 제27조). A refusal states the reason and the remedy (③)."""
    step = transition(complaint, Action.ANSWER)
    complaint = step.complaint
    if not answer.strip():
        raise error("complaint.answer_required", field="answer")
    kind = ComplaintKind(complaint.kind)
    with rule_errors():
        check_answer(kind=kind, outcome=outcome, reason=reason, appeal_route=appeal_route)
        check_children_answered(
            open_children=complaint.children.filter(status__in=list(OPEN_STATUSES)).count()
        )
    now = clock.now()
    complaint.outcome = outcome.value
    complaint.answer = answer.strip()
    complaint.refusal_reason = reason.strip()
    complaint.appeal_route = appeal_route.strip()
    complaint.answered_at = now
    complaint.result_notices += 1
    on_time = complaint.due_at is None or now <= complaint.due_at
    original = complaint.original_due_at or complaint.due_at
    if kind == ComplaintKind.STATUTORY and outcome in (Outcome.REFUSED, Outcome.PARTIALLY_GRANTED):
        complaint.objection_last_day = objection_last_day(
            now.astimezone(SEOUL).date(), is_working_day=city_calendar().is_working_day
        )
    stop_clock(complaint)
    return step.done(
        actor=actor,
        data={
            # every answer stays readable in the history after a reopening answers again
            "answer_number": complaint.result_notices,
            "outcome": outcome.value,
            "answer": complaint.answer,
            "reason": complaint.refusal_reason,
            "appeal_route": complaint.appeal_route,
            "on_time": on_time,
            # the delay indicators: the due instant before any extension, and whether it was met
            "original_due_at": original.astimezone(SEOUL).isoformat() if original else None,
            "within_original_period": original is None or now <= original,
            "objection_last_day": (
                complaint.objection_last_day.isoformat() if complaint.objection_last_day else None
            ),
        },
        notice=NoticeKind.RESULT,
    )


@transaction.atomic
def complaint_withdraw(*, complaint: Complaint, actor: User | None, reason: str = "") -> Complaint:
    """취하 (법 제22조②) by the complainant, until processing ends."""
    step = transition(complaint, Action.WITHDRAW)
    step.complaint.closed_at = clock.now()
    stop_clock(step.complaint)
    # The complainant is told the withdrawal was taken (취하 확인), with the documents' return.
    return step.done(actor=actor, data=masked_text("reason", reason), notice=NoticeKind.WITHDRAWAL)


@transaction.atomic
def complaint_reopen(*, complaint: Complaint, actor: User | None, reason: str) -> Complaint:
    """재민원: the answer did not settle it. The same processing period runs again from now."""
    step = transition(complaint, Action.REOPEN)
    complaint = step.complaint
    if not reason.strip():
        raise error("complaint.reason_required", field="reason")
    with rule_errors():
        check_reopen(kind=ComplaintKind(complaint.kind))
    if complaint.period:
        start_clock(
            complaint,
            kind=ClockKind.PROCESSING,
            at=clock.now(),
            period=complaint.period,
            basis=complaint.period_legal_basis,
        )
    complaint.outcome = ""
    return step.done(actor=actor, data=masked_text("reason", reason.strip()))


@transaction.atomic
def complaint_progress_notice_record(
    *,
    complaint: Complaint,
    actor: User | None,
    requested: bool = False,
    progress: str = "",
    next_step: str = "",
) -> Complaint:
    """중간통지 (영 제23조): due every 30 days, or on request. Delivery is the outbox's.

    The notice says what has been done and what comes next: in the officer's words when given
    (`progress`, `next_step`), else derived from the history and the status."""
    step = transition(complaint, Action.RECORD_PROGRESS_NOTICE)
    step.complaint.progress_notices += 1
    return step.done(
        actor=actor,
        data={
            "number": step.complaint.progress_notices,
            "requested": requested,
            "progress": progress.strip()[:2000],
            "next_step": next_step.strip()[:2000],
        },
        notice=NoticeKind.PROGRESS,
    )


_PROGRESS_STATUSES = (
    ComplaintStatus.REGISTERED,
    ComplaintStatus.IN_PROGRESS,
    ComplaintStatus.SUPPLEMENT_PENDING,
)


@transaction.atomic
def _progress_notices_catch_up(pk: int, today: date) -> int:
    """Record the 중간통지 due for one complaint, counted again under its row lock: a sweep
    running at the same time has either recorded them already (and this one sees its count) or
    waits for this one. Returns how many were recorded."""
    complaint = lock(Complaint(pk=pk))
    if complaint.status not in _PROGRESS_STATUSES or complaint.registered_at is None:
        return 0
    due = progress_notices_due(
        registered_on=complaint.registered_at.astimezone(SEOUL).date(),
        today=today,
        recorded=complaint.progress_notices,
    )
    for _ in range(due):
        complaint = complaint_progress_notice_record(complaint=complaint, actor=None)
    return due


def complaint_progress_notices_sweep(*, batch_size: int = 500) -> int:
    """Record every 중간통지 that is due (30, 60, … days after registration). Returns how many.

    The candidates are read without locks (most have nothing due); each one with something due
    is counted again under its row lock before anything is recorded, so two sweeps at once (two
    runner threads, beat and a manual run) record each notice once."""
    today = clock.local_now().date()
    recorded = 0
    candidates = Complaint.objects.filter(
        status__in=list(_PROGRESS_STATUSES),
        registered_at__isnull=False,
        # a wide pre-filter; the domain counts calendar days in Seoul
        registered_at__lte=clock.now() - timedelta(days=PROGRESS_NOTICE_INTERVAL_DAYS - 1),
    ).values_list("pk", "registered_at", "progress_notices")
    for pk, registered_at, notices in candidates.iterator(chunk_size=batch_size):
        if registered_at is None:
            continue
        if progress_notices_due(
            registered_on=registered_at.astimezone(SEOUL).date(), today=today, recorded=notices
        ):
            recorded += _progress_notices_catch_up(pk, today)
    return recorded


@transaction.atomic
def complaint_excluded_time_record(
    *,
    complaint: Complaint,
    actor: User | None,
    kind: str,
    start: datetime,
    end: datetime | None = None,
    note: str = "",
) -> Complaint:
    """Time the law does not count (영 제17조④⑤ 현장조사, 영 제20조: 행정절차법 시행령 제11조의
    시험·검사·감정, 의견청취, 문서 이송, 대표자 선정, 선행사무; 정보시스템 장애): an interval
    with its kind and legal basis. With `end` it is over and the deadline moves by the working
    time it covered; without, the clock stops until `complaint_excluded_time_end`."""
    step = transition(complaint, Action.EXCLUDE_TIME)
    complaint = step.complaint
    if complaint.clock not in (ClockKind.PROCESSING, ClockKind.OBJECTION):
        raise error("complaint.no_clock")
    if kind == ExclusionKind.SUPPLEMENT.value:
        raise error("complaint.exclusion_supplement", field="kind")
    start = require_aware(start, "start")
    if end is not None:
        end = require_aware(end, "end")
    with rule_errors():
        parsed = check_exclusion(
            kind=kind, start=start, end=end, complaint_kind=complaint.kind, now=clock.now()
        )
    if end is None and any(pair[1] is None for pair in complaint.excluded_intervals):
        raise error("complaint.exclusion_open")
    complaint.excluded_intervals = [
        *complaint.excluded_intervals,
        [start.isoformat(), end.isoformat() if end else None, parsed.value],
    ]
    previous_due = complaint.due_at
    refresh_deadline(complaint)
    return step.done(
        actor=actor,
        data={
            "kind": parsed.value,
            "legal_basis": EXCLUSION_BASES[parsed],
            "start": start.astimezone(SEOUL).isoformat(),
            "end": end.astimezone(SEOUL).isoformat() if end else None,
            "note": note.strip(),
            "previous_due_at": previous_due.astimezone(SEOUL).isoformat() if previous_due else None,
        },
    )


@transaction.atomic
def complaint_excluded_time_end(
    *, complaint: Complaint, actor: User | None, end: datetime, note: str = ""
) -> Complaint:
    """The running excluded interval (not a 보완: that ends when the supplement arrives) ends at
    `end`; the clock runs again and the deadline moves by the time it covered."""
    step = transition(complaint, Action.END_EXCLUDED_TIME)
    complaint = step.complaint
    end = require_aware(end, "end")
    intervals = [list(pair) for pair in complaint.excluded_intervals]
    open_ones = [i for i, pair in enumerate(intervals) if pair[1] is None and len(pair) > 2]
    if not open_ones:
        raise error("complaint.exclusion_none_open")
    index = open_ones[-1]
    start_text, kind = str(intervals[index][0]), str(intervals[index][2])
    with rule_errors():
        parsed = check_exclusion(
            kind=kind,
            start=datetime.fromisoformat(start_text),
            end=end,
            complaint_kind=complaint.kind,
            now=clock.now(),
        )
    intervals[index][1] = end.isoformat()
    complaint.excluded_intervals = intervals
    refresh_deadline(complaint)
    return step.done(
        actor=actor,
        data={
            "kind": parsed.value,
            "legal_basis": EXCLUSION_BASES[parsed],
            "start": datetime.fromisoformat(start_text).astimezone(SEOUL).isoformat(),
            "end": end.astimezone(SEOUL).isoformat(),
            "note": note.strip(),
        },
    )
