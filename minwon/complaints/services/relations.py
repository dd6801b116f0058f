"""Objections (이의신청), merged registration (병합 접수), 복합민원, repeated complaints."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import transaction

from minwon.accounts.models import OrgUnit, User
from minwon.complaints.domain import (
    OBJECTION_BASIS,
    OBJECTION_PERIOD,
    Action,
    ClockKind,
    CommitteeDecision,
    ComplaintStatus,
    NoticeKind,
    ObjectionOutcome,
    Outcome,
    check_committee_review,
    check_household_correction,
    check_merge,
    check_objection,
    check_repeat_closure,
    check_within_parent,
    is_multi_party,
    receipt_number,
)
from minwon.complaints.models import Applicant, Complaint, ComplaintEvent, Cosigner
from minwon.complaints.services.common import (
    error,
    lock,
    record,
    rule_errors,
    save_changes,
    snapshot,
    start_clock,
    stop_clock,
    transition,
)
from minwon.core import clock, crypto
from minwon.core.domain import mask_rrns_in_text
from minwon.lawclock import SEOUL
from minwon.lawclock.kinds import ComplaintKind


@transaction.atomic
def complaint_objection_file(
    *, complaint: Complaint, actor: User | None, grounds: str
) -> Complaint:
    """거부처분 이의신청 (법 제35조): within 60 days of the refusal; decided in 10 days (+10)."""
    step = transition(complaint, Action.FILE_OBJECTION)
    complaint = step.complaint
    if not grounds.strip():
        raise error("complaint.reason_required", field="grounds")
    if complaint.objection_last_day is None:
        raise error("complaint.objection_not_refused", rule="민원처리법 제35조 제1항")
    with rule_errors():
        check_objection(
            kind=ComplaintKind(complaint.kind),
            outcome=Outcome(complaint.outcome) if complaint.outcome else None,
            already_filed=complaint.objection_filed_at is not None,
            last_day=complaint.objection_last_day,
            today=clock.local_now().date(),
        )
    now = clock.now()
    complaint.objection_filed_at = now
    # A 주민등록번호 typed into the grounds is kept masked; the words as sent, only encrypted (in
    # the history row), as at intake and in a supplement.
    masked, found = mask_rrns_in_text(grounds.strip())
    complaint.objection_grounds = masked
    start_clock(
        complaint, kind=ClockKind.OBJECTION, at=now, period=OBJECTION_PERIOD, basis=OBJECTION_BASIS
    )
    facts: dict[str, object] = {"grounds": masked}
    if found:
        facts["grounds_original_encrypted"] = crypto.encrypt(grounds.strip())
    return step.done(actor=actor, data=facts)


@transaction.atomic
def complaint_objection_decide(
    *, complaint: Complaint, actor: User | None, outcome: ObjectionOutcome, decision: str
) -> Complaint:
    step = transition(complaint, Action.DECIDE_OBJECTION)
    complaint = step.complaint
    if not decision.strip():
        raise error("complaint.answer_required", field="decision")
    now = clock.now()
    on_time = complaint.due_at is None or now <= complaint.due_at
    original = complaint.original_due_at or complaint.due_at
    complaint.objection_outcome = outcome.value
    complaint.objection_decision = decision.strip()
    complaint.closed_at = now
    stop_clock(complaint)
    return step.done(
        actor=actor,
        data={
            "outcome": outcome.value,
            "decision": complaint.objection_decision,
            "on_time": on_time,
            "legal_basis": OBJECTION_BASIS,
            "original_due_at": original.astimezone(SEOUL).isoformat() if original else None,
            "within_original_period": original is None or now <= original,
        },
        notice=NoticeKind.OBJECTION_RESULT,
    )


@transaction.atomic
def complaint_merge(
    *, primary: Complaint, others: Sequence[Complaint], actor: User | None
) -> Complaint:
    """병합 접수 (영 제6조⑦): five or more complaints of the same intent become one; the
    others close and point to it. The merged complaint counts every complainant and household."""
    primary = lock(primary)
    stored = snapshot(primary)
    locked = [lock(other) for other in others if other.pk != primary.pk]
    with rule_errors():
        check_merge(
            complainants=1 + len(locked),
            kinds={ComplaintKind(primary.kind), *(ComplaintKind(o.kind) for o in locked)},
        )
    if primary.status not in (ComplaintStatus.REGISTERED, ComplaintStatus.IN_PROGRESS):
        raise error("complaint.invalid_transition", status=primary.status, action="merge")
    households = set(
        Complaint.objects.filter(pk__in=[primary.pk, *(o.pk for o in locked)])
        .exclude(applicant__address_index="")
        .values_list("applicant__address_index", flat=True)
    )
    households |= set(
        Complaint.objects.filter(pk__in=[primary.pk, *(o.pk for o in locked)])
        .exclude(cosigners__household_index="")
        .exclude(cosigners__household_index__isnull=True)
        .values_list("cosigners__household_index", flat=True)
    )
    now = clock.now()
    for other in locked:
        step = transition(other, Action.MERGE, locked=True)
        other.merged_into = primary
        other.closed_at = now
        stop_clock(other)
        step.done(actor=actor, data={"merged_into": primary.receipt_number})
    primary.signer_count += sum(o.signer_count for o in locked)
    primary.household_count = max(len(households), 1)
    primary.is_multi_party = is_multi_party(
        signers=primary.signer_count, households=primary.household_count
    )
    save_changes(primary, stored)
    return primary


@transaction.atomic
def complaint_child_create(
    *,
    parent: Complaint,
    actor: User | None,
    org_unit: OrgUnit,
    title: str,
    period: str = "",
) -> Complaint:
    """복합민원 (법 제31조): a linked part for a consulting unit. Its reply period is the type's
    consultation stage period (법 제20조: within the parent's period), else the parent's period."""
    parent = lock(parent)
    if parent.status not in (ComplaintStatus.REGISTERED, ComplaintStatus.IN_PROGRESS):
        raise error("complaint.invalid_transition", status=parent.status, action="link")
    if not title.strip():
        raise error("complaint.title_required", field="title")
    version = parent.type_version
    stage = (version.stage_periods or {}).get("consult", "") if version else ""
    chosen = period or stage or parent.period
    now = clock.now()
    child = Complaint.objects.create(
        kind=parent.kind,
        complaint_type=parent.complaint_type,
        type_version=version,
        title=title.strip(),
        body=parent.body,
        channel=parent.channel,
        status=ComplaintStatus.REGISTERED.value,
        citizen=parent.citizen,
        arrived_at=now,
        registered_at=now,
        unit_received_at=now,
        org_unit=org_unit,
        parent=parent,
    )
    stored = snapshot(child)
    child.receipt_number = receipt_number(year=now.year, sequence=child.pk)
    if chosen:
        start_clock(
            child, kind=ClockKind.PROCESSING, at=now, period=chosen, basis="민원처리법 제20조"
        )
    with rule_errors():
        check_within_parent(
            due_at=child.due_at,
            parent_due_at=parent.due_at.astimezone(SEOUL) if parent.due_at else None,
        )
    save_changes(child, stored)
    record(
        child,
        Action.REGISTER,
        actor=actor,
        from_status="",
        data={"parent": parent.receipt_number, "org_unit": org_unit.code, "period": chosen},
    )
    return child


def _complainant_marks(complaint: Complaint) -> set[str]:
    """Who filed the complaint, as comparable marks: the citizen account, the applicant's name at
    their household, and every 다수인 representative's name at theirs (법 제23조①: the same
    complainant, or the same representative of the same people)."""
    marks: set[str] = set()
    if complaint.citizen_id is not None:
        marks.add(f"citizen:{complaint.citizen_id}")
    applicant = Applicant.objects.filter(complaint=complaint).first()
    if applicant is not None and applicant.name_encrypted:
        name = " ".join(crypto.decrypt(applicant.name_encrypted).split())
        marks.add(f"person:{name}|{applicant.address_index}")
    for cosigner in Cosigner.objects.filter(complaint=complaint, is_representative=True):
        name = " ".join(crypto.decrypt(cosigner.name_encrypted).split())
        marks.add(f"person:{name}|{cosigner.household_index}")
    return marks


@transaction.atomic
def complaint_households_correct(
    *, complaint: Complaint, actor: User | None, households: int, reason: str
) -> Complaint:
    """법 제2조 제6호 counts a 다수인관련민원 by 세대: the officer corrects the count the addresses
    gave (e.g. a road-name and a lot address of one building, which no normalisation can match),
    with the reason; whether it is a 다수인관련민원 follows the corrected count."""
    step = transition(complaint, Action.CORRECT_HOUSEHOLDS)
    complaint = step.complaint
    with rule_errors():
        check_household_correction(
            households=households, signers=complaint.signer_count, reason=reason
        )
    before = (complaint.household_count, complaint.is_multi_party)
    complaint.household_count = households
    complaint.is_multi_party = is_multi_party(signers=complaint.signer_count, households=households)
    return step.done(
        actor=actor,
        data={
            "households_before": before[0],
            "households": households,
            "multi_party_before": before[1],
            "multi_party": complaint.is_multi_party,
            "reason": reason.strip(),
            "legal_basis": "민원처리법 제2조 제6호",
        },
    )


@transaction.atomic
def complaint_committee_review(
    *,
    complaint: Complaint,
    actor: User | None,
    held_on: date,
    decision: CommitteeDecision,
    summary: str,
) -> Complaint:
    """민원조정위원회 심의 recorded on the complaint (영 제26조: a 다수인관련민원 is closed as
    repeated only after it; 영 제36조, 제38조의2): when it met, what it decided and why."""
    step = transition(complaint, Action.COMMITTEE_REVIEW)
    with rule_errors():
        check_committee_review(held_on=held_on, today=clock.local_now().date(), summary=summary)
    return step.done(
        actor=actor,
        data={
            "held_on": held_on.isoformat(),
            "decision": decision.value,
            "summary": summary.strip(),
            "legal_basis": "민원처리법 시행령 제26조, 제38조의2",
        },
    )


@transaction.atomic
def complaint_close_repeated(
    *, complaint: Complaint, actor: User | None, earlier: Sequence[Complaint], reason: str
) -> Complaint:
    """반복민원 종결 (법 제23조①): the same complainant filed the same content three times or more
    (this filing included) and two or more of those filings were answered. `reason` is the
    officer's finding that the content is the same (법 제23조③: its nature, the likeness to the
    earlier ones, and why the same answer would have to be given)."""
    step = transition(complaint, Action.CLOSE_REPEATED)
    complaint = step.complaint
    if not reason.strip():
        raise error("complaint.reason_required", field="reason")
    if any(e.pk == complaint.pk for e in earlier):
        raise error("complaint.not_same_complaint", field="earlier")
    distinct = list({e.pk: e for e in earlier}.values())
    mine = _complainant_marks(complaint)
    same = bool(mine) and all(mine & _complainant_marks(e) for e in distinct)
    answered = Complaint.objects.filter(
        pk__in=[e.pk for e in distinct], result_notices__gt=0
    ).count()
    committee = (
        ComplaintEvent.objects.filter(complaint=complaint, action=Action.COMMITTEE_REVIEW.value)
        .order_by("-occurred_at", "-pk")
        .first()
    )
    with rule_errors():
        check_repeat_closure(
            kind=ComplaintKind(complaint.kind),
            same_complainant=same,
            filings=len(distinct) + 1,
            answered_filings=answered,
            is_multi_party=complaint.is_multi_party,
            committee_decided_close=committee is not None
            and committee.data.get("decision") == CommitteeDecision.CLOSE.value,
        )
    complaint.closed_at = clock.now()
    stop_clock(complaint)
    return step.done(
        actor=actor,
        data={
            "reason": reason.strip(),
            "earlier": [e.receipt_number for e in distinct],
            "filings": len(distinct) + 1,
            "answered_filings": answered,
            "legal_basis": "민원처리법 제23조 제1항",
            **({"committee_review_id": committee.pk} if committee is not None else {}),
        },
        notice=NoticeKind.REPEATED_CLOSURE,
    )
