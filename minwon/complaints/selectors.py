"""Reads of the complaints context: lists, the receipt, masked applicant data, the timeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from minwon.accounts.domain import Role
from minwon.accounts.models import ApiKey, OrgUnit, User
from minwon.accounts.selectors import org_units_visible_to, user_has_role
from minwon.catalog.selectors import working_calendar_get
from minwon.complaints.domain import (
    OPEN_STATUSES,
    PROGRESS_HISTORY_LIMIT,
    Action,
    NoticeKind,
    receipt_required,
)
from minwon.complaints.models import (
    Applicant,
    Attachment,
    Complaint,
    ComplaintEvent,
    SatisfactionRating,
)
from minwon.core import clock, crypto
from minwon.core.domain import mask_email, mask_name, mask_phone, mask_rrn
from minwon.core.selectors import audit_event_list_for_target
from minwon.lawclock import WorkingCalendar
from minwon.lawclock.exclusions import EXCLUSION_BASES, ExclusionKind
from minwon.lawclock.kinds import ComplaintKind

_RELATED = ("complaint_type", "type_version", "org_unit", "assignee")


def city_calendar() -> WorkingCalendar:
    """The working calendar of the city this deployment serves (overrides of its root unit)."""
    root = OrgUnit.objects.filter(parent__isnull=True).order_by("pk").first()
    return working_calendar_get(organisation=root)


def complaint_list_for_citizen(*, citizen: User) -> QuerySet[Complaint]:
    return Complaint.objects.filter(citizen=citizen).select_related(*_RELATED).order_by("-pk")


def officer_scope(officer: User) -> Q:
    """The complaints an officer may see: those of the units their roles cover; unassigned arrivals
    also for counter officers. Citywide roles see everything."""
    units = org_units_visible_to(officer)
    if units is None:
        return Q()
    scope = Q(org_unit__in=units)
    if user_has_role(officer, Role.COUNTER_OFFICER):
        scope |= Q(org_unit__isnull=True)
    return scope


def complaint_list_for_officer(
    *, officer: User, status: str | None = None, overdue_at: datetime | None = None
) -> QuerySet[Complaint]:
    qs = Complaint.objects.filter(officer_scope(officer)).select_related(*_RELATED)
    if status:
        qs = qs.filter(status=status)
    if overdue_at is not None:
        qs = qs.filter(status__in=list(OPEN_STATUSES), due_at__lt=overdue_at)
    return qs.order_by("due_at", "pk")


@dataclass(frozen=True)
class MaskedApplicant:
    name: str
    phone: str
    email: str
    address: str
    rrn: str


def _clear(token: str) -> str:
    return crypto.decrypt(token) if token else ""


def applicant_masked(complaint: Complaint) -> MaskedApplicant | None:
    """The complainant as every screen shows them: masked (주민등록번호 never in clear)."""
    applicant = Applicant.objects.filter(complaint=complaint).first()
    if applicant is None:
        return None
    address = _clear(applicant.address_encrypted)
    return MaskedApplicant(
        name=mask_name(_clear(applicant.name_encrypted)),
        phone=mask_phone(_clear(applicant.phone_encrypted)) if applicant.phone_encrypted else "",
        email=mask_email(_clear(applicant.email_encrypted)) if applicant.email_encrypted else "",
        address=_mask_address(address),
        rrn=mask_rrn(_clear(applicant.rrn_encrypted)) if applicant.rrn_encrypted else "",
    )


def applicant_name_masked(complaint: Complaint) -> str:
    """The complainant's name, masked ("홍*동"), from a complaint read with its applicant
    (`select_related("applicant")`: no query); empty when there is none (a tip)."""
    try:
        applicant = complaint.applicant
    except Applicant.DoesNotExist:
        return ""
    return mask_name(_clear(applicant.name_encrypted))


def _mask_address(address: str) -> str:
    """Keep the road name, hide the numbers.

    '경기도 파주시 시청로 50 101동' → '경기도 파주시 시청로 **'.
    """
    parts = address.split()
    kept = []
    for part in parts:
        if any(ch.isdigit() for ch in part):
            kept.append("**")
            break
        kept.append(part)
    return " ".join(kept)


@dataclass(frozen=True)
class Receipt:
    """접수증 data (영 제6조④, 규칙 별지 서식): shown on screen; no PDF library is installed."""

    receipt_number: str
    registered_at: datetime | None
    kind: str
    type_name: str
    title: str
    channel: str
    org_unit: str
    due_at: datetime | None
    legal_basis: str
    required_documents: list[str]
    formal_receipt_required: bool
    applicant_name: str


def complaint_receipt(complaint: Complaint) -> Receipt:
    version = complaint.type_version
    applicant = applicant_masked(complaint)
    return Receipt(
        receipt_number=complaint.receipt_number or "",
        registered_at=complaint.registered_at,
        kind=complaint.kind,
        type_name=version.name_ko if version else "",
        title=complaint.title,
        channel=complaint.channel,
        org_unit=complaint.org_unit.name_ko if complaint.org_unit else "",
        due_at=complaint.due_at,
        legal_basis=complaint.period_legal_basis,
        required_documents=list(version.required_documents) if version else [],
        formal_receipt_required=receipt_required(
            kind=ComplaintKind(complaint.kind),
            channel=complaint.channel,  # type: ignore[arg-type]
            period=complaint.period or None,
        ),
        applicant_name=applicant.name if applicant else "",
    )


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    action: str
    actor: str
    from_status: str
    to_status: str
    details: dict[str, Any]


def complaint_timeline(complaint: Complaint) -> list[TimelineEntry]:
    """The complaint's history as its audit trail records it, oldest first (for officers: the
    actor is the user name; citizens get `complaint_timeline_for_citizen`)."""
    return [
        TimelineEntry(
            at=event.occurred_at,
            action=event.action.removeprefix("complaint."),
            actor=event.actor_label,
            from_status=str(event.data.get("from") or ""),
            to_status=str(event.data.get("to") or ""),
            details={k: v for k, v in event.data.items() if k not in ("from", "to")},
        )
        for event in audit_event_list_for_target(
            target_type=Complaint._meta.label_lower, target_id=complaint.pk
        )
    ]


# What a citizen's timeline keeps of a history row's facts: the facts about the complaint, never
# who in the office did it (user names, ids), internal notes or the notice machinery.
CITIZEN_TIMELINE_FACTS: frozenset[str] = frozenset(
    {
        "outcome",
        "period",
        "due_at",
        "previous_due_at",
        "supplement_due_on",
        "items",
        "reason",
        "extension_reason",
        "to_agency",
        "answer_number",
        "score",
    }
)
# Steps the complainant takes (when the complaint has no account, nobody is named as actor).
COMPLAINANT_ACTIONS: frozenset[str] = frozenset(
    {
        Action.ARRIVE.value,
        Action.RECEIVE_SUPPLEMENT.value,
        Action.WITHDRAW.value,
        Action.FILE_OBJECTION.value,
        Action.RATE.value,
        Action.CLAIM.value,
    }
)


def _unit_name(unit: OrgUnit | None) -> str:
    if unit is None:
        return ""
    if (get_language() or "ko").startswith("en") and unit.name_en:
        return unit.name_en
    return unit.name_ko


def _citizen_actor(event: ComplaintEvent, complaint: Complaint) -> str:
    """Who did it, as a citizen is told: "you", the complainant, or an officer by the unit and
    role only (issue 13 item 10: never an officer's user name)."""
    actor = event.actor
    if actor is not None and actor.pk == complaint.citizen_id:
        return str(_("You"))
    if actor is not None and actor.is_officer:
        unit = _unit_name(actor.org_unit)
        return str(_("Officer, %(unit)s") % {"unit": unit}) if unit else str(_("Officer"))
    if event.action in COMPLAINANT_ACTIONS:
        return str(_("Complainant"))
    return str(_("Minwon (automatic)"))


def complaint_timeline_for_citizen(complaint: Complaint) -> list[TimelineEntry]:
    """The complaint's history as its complainant sees it (portal and citizen API), oldest
    first: from the history rows (not the audit trail, which also holds lookups and officers'
    reads), the actor as a unit and role, and only CITIZEN_TIMELINE_FACTS of each row."""
    events = (
        ComplaintEvent.objects.filter(complaint=complaint)
        .select_related("actor", "actor__org_unit")
        .order_by("occurred_at", "pk")
    )
    return [
        TimelineEntry(
            at=event.occurred_at,
            action=event.action,
            actor=_citizen_actor(event, complaint),
            from_status=event.from_status,
            to_status=event.to_status,
            details={k: v for k, v in event.data.items() if k in CITIZEN_TIMELINE_FACTS},
        )
        for event in events
    ]


def complaint_event_list(complaint: Complaint) -> QuerySet[ComplaintEvent]:
    return ComplaintEvent.objects.filter(complaint=complaint).order_by("occurred_at", "pk")


def notice_pending_list() -> QuerySet[ComplaintEvent]:
    """Notices the law requires that the outbox has not delivered yet (the notifications hook)."""
    return (
        ComplaintEvent.objects.exclude(notice="")
        .filter(notice_delivered_at__isnull=True)
        .select_related("complaint")
        .order_by("occurred_at", "pk")
    )


@dataclass(frozen=True)
class AnswerRecord:
    """One answer (or objection decision) as it was given, from the history: a reopening answers
    again and the complaint's columns then hold the latest answer only."""

    number: int
    at: datetime
    action: str
    outcome: str
    text: str
    reason: str
    appeal_route: str
    actor_id: int | None


def complaint_answer_history(complaint: Complaint) -> list[AnswerRecord]:
    """Every answer and objection decision of the complaint, oldest first."""
    events = ComplaintEvent.objects.filter(
        complaint=complaint,
        action__in=[Action.ANSWER.value, Action.DECIDE_OBJECTION.value],
    ).order_by("occurred_at", "pk")
    return [
        AnswerRecord(
            number=number,
            at=event.occurred_at,
            action=event.action,
            outcome=str(event.data.get("outcome") or ""),
            text=str(event.data.get("answer") or event.data.get("decision") or ""),
            reason=str(event.data.get("reason") or ""),
            appeal_route=str(event.data.get("appeal_route") or ""),
            actor_id=event.actor_id,
        )
        for number, event in enumerate(events, start=1)
    ]


def attachment_list(complaint: Complaint) -> QuerySet[Attachment]:
    return Attachment.objects.filter(complaint=complaint).order_by("pk")


def satisfaction_list(complaint: Complaint) -> QuerySet[SatisfactionRating]:
    """The complainant's ratings of the answers, oldest first (one per answer)."""
    return SatisfactionRating.objects.filter(complaint=complaint).order_by("answer_number")


def satisfaction_for_latest_answer(complaint: Complaint) -> SatisfactionRating | None:
    return SatisfactionRating.objects.filter(
        complaint=complaint, answer_number=complaint.result_notices
    ).first()


@dataclass(frozen=True)
class SupplementRequest:
    """What the department asked for in its latest 보완 요구, and by when."""

    items: list[str]
    due_on: str
    requested_at: datetime


def supplement_request_latest(complaint: Complaint) -> SupplementRequest | None:
    event = (
        ComplaintEvent.objects.filter(complaint=complaint, action=Action.REQUEST_SUPPLEMENT.value)
        .order_by("-occurred_at", "-pk")
        .first()
    )
    if event is None:
        return None
    return SupplementRequest(
        items=[str(item) for item in event.data.get("items", [])],
        due_on=str(event.data.get("supplement_due_on") or ""),
        requested_at=event.occurred_at,
    )


@dataclass(frozen=True)
class ExcludedTime:
    """One period the legal clock does not count (영 제17조④⑤, 제20조), as stored on the
    complaint: its kind, start and end (None: still running, the clock is stopped) and basis."""

    kind: str
    start: datetime
    end: datetime | None
    legal_basis: str

    @property
    def running(self) -> bool:
        return self.end is None


def excluded_time_list(complaint: Complaint) -> list[ExcludedTime]:
    """The complaint's excluded periods in the order they were recorded (a 보완's pair has no
    kind: it is the supplement's)."""
    rows = []
    for pair in complaint.excluded_intervals:
        kind = ExclusionKind(str(pair[2])) if len(pair) > 2 else ExclusionKind.SUPPLEMENT
        rows.append(
            ExcludedTime(
                kind=kind.value,
                start=datetime.fromisoformat(str(pair[0])),
                end=datetime.fromisoformat(str(pair[1])) if pair[1] else None,
                legal_basis=EXCLUSION_BASES[kind],
            )
        )
    return rows


def integrator_scope(api_key: ApiKey) -> Q:
    """An integrator's key sees the complaints of its org unit and below, or all when unbound."""
    if api_key.org_unit is None:
        return Q()
    return Q(org_unit__path__startswith=api_key.org_unit.path)


def complaint_list_for_integrator(
    *, api_key: ApiKey, status: str | None = None
) -> QuerySet[Complaint]:
    qs = Complaint.objects.filter(integrator_scope(api_key)).select_related(*_RELATED)
    return qs.filter(status=status) if status else qs


# --- what a notice reports -----------------------------------------------------------------------

NOTICE_SNAPSHOT_KEY = "notice"


def _iso(value: datetime | date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(clock.SEOUL).isoformat()
    return value.isoformat()


def notice_snapshot(complaint: Complaint, notice: NoticeKind) -> dict[str, Any]:
    """What a notice of this kind reports, read from the complaint now (in the writing
    transaction): codes and ISO dates, which the outbox words in the recipient's language."""
    unit = complaint.org_unit
    officer = complaint.assignee
    facts: dict[str, Any] = {
        "receipt_number": complaint.receipt_number or "",
        "follow_number": complaint.follow_number or "",
        "title": complaint.title,
        "kind": complaint.kind,
        "status": complaint.status,
        "arrived_at": _iso(complaint.arrived_at),
        "registered_at": _iso(complaint.registered_at),
        "period": complaint.period,
        "period_legal_basis": complaint.period_legal_basis,
        "due_at": _iso(complaint.due_at),
        "unit_name_ko": unit.name_ko if unit else "",
        "unit_name_en": (unit.name_en or unit.name_ko) if unit else "",
        "unit_phone": unit.phone if unit else "",
        # 영 제31조: the officer in charge's unit, name and contact.
        "officer_name": officer.name if officer else "",
        "officer_phone": (officer.phone if officer and officer.phone else "")
        or (unit.phone if unit else ""),
    }
    if notice in (NoticeKind.SUPPLEMENT_REQUEST, NoticeKind.DEADLINE_MOVED):
        facts["supplement_due_on"] = _iso(complaint.supplement_due_on)
    if notice in (NoticeKind.TRANSFER,):
        facts["transferred_to"] = complaint.transferred_to
    if notice in (NoticeKind.RESULT, NoticeKind.DEADLINE_MOVED):
        facts |= {
            "outcome": complaint.outcome,
            "answer": complaint.answer,
            "refusal_reason": complaint.refusal_reason,
            "appeal_route": complaint.appeal_route,
            "objection_last_day": _iso(complaint.objection_last_day),
        }
    if notice == NoticeKind.OBJECTION_RESULT:
        facts |= {
            "objection_filed_at": _iso(complaint.objection_filed_at),
            "objection_grounds": complaint.objection_grounds,
            "objection_outcome": complaint.objection_outcome,
            "objection_decision": complaint.objection_decision,
        }
    if notice == NoticeKind.PROGRESS:
        # 영 제23조①: what has been done so far, from the history (never an empty "progress").
        done = (
            ComplaintEvent.objects.filter(complaint=complaint)
            .exclude(action=Action.RECORD_PROGRESS_NOTICE.value)
            .order_by("-occurred_at", "-pk")
            .values_list("action", "occurred_at")[:PROGRESS_HISTORY_LIMIT]
        )
        facts["history"] = [[action, _iso(at)] for action, at in reversed(list(done))]
        facts["supplement_due_on"] = _iso(complaint.supplement_due_on)
    return facts


def complaint_late_supplement_count() -> int:
    """Complaints whose first 보완 요구 came later than 8 working hours after registration
    (규칙 제9조①), an indicator of how promptly applications are checked."""
    return Complaint.objects.filter(supplement_requested_late=True).count()


def complaint_answer_delay_counts() -> dict[str, int]:
    """Delay indicators (지연율) over answered complaints: answered after the legal deadline in
    force (`answered_late`), and after the deadline before any extension (`answered_after_original`:
    영 제21조①, the original due instant is kept whatever happens later)."""
    answered = Complaint.objects.filter(answered_at__isnull=False, due_at__isnull=False)
    return answered.aggregate(
        answered=Count("pk"),
        answered_late=Count("pk", filter=Q(answered_at__gt=F("due_at"))),
        answered_after_original=Count(
            "pk", filter=Q(answered_at__gt=Coalesce(F("original_due_at"), F("due_at")))
        ),
    )


def complaint_deadline_counts(*, now: datetime, soon: timedelta) -> dict[str, int]:
    """The legal numbers operators watch: open complaints, those due within `soon`, overdue."""
    open_ = Complaint.objects.filter(status__in=list(OPEN_STATUSES))
    return open_.aggregate(
        open=Count("pk"),
        due_soon=Count("pk", filter=Q(due_at__gte=now, due_at__lt=now + soon)),
        overdue=Count("pk", filter=Q(due_at__lt=now)),
    )
