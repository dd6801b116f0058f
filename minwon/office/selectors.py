"""Reads for the officer screens, built on the complaints context's selectors."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Q, QuerySet

from minwon.accounts.domain import UserKind
from minwon.accounts.models import OrgUnit, User
from minwon.accounts.selectors import org_unit_subtree
from minwon.complaints.domain import (
    OPEN_STATUSES,
    ClockKind,
    ComplaintStatus,
    parse_intervals,
    typed_follow_number,
    typed_receipt_number,
)
from minwon.complaints.models import Complaint
from minwon.complaints.selectors import (
    applicant_name_masked,
    city_calendar,
    complaint_list_for_officer,
)
from minwon.complaints.services.intake import applicant_name_index
from minwon.core.pagination import paginate
from minwon.lawclock import WorkingCalendar
from minwon.office.domain import BarChart, Scope, Urgency, bar_chart, period_used, urgency
from minwon.routing.selectors import (
    DuplicateView,
    UnitAccuracy,
    WeekAccuracy,
    accuracy_by_week,
    accuracy_per_unit,
    campaign_for,
    duplicate_list,
    match_ids,
    repeat_flag_get,
)

QUEUE_LIMIT = 200


@dataclass(frozen=True)
class QueueRow:
    complaint: Complaint
    used: float | None  # share of the period used
    urgency: Urgency
    complainant: str = ""  # masked name
    # The title as the queue shows it (words the 특이민원 screen found masked; issue 16) and the
    # badge of the complaint's worst flagged text (office.screening.queue_rows_screened).
    title: str = ""
    flag: Any = None

    @property
    def used_percent(self) -> int | None:
        return None if self.used is None else round(self.used * 100)


def _row(complaint: Complaint, now: datetime, calendar: WorkingCalendar) -> QueueRow:
    running = complaint.status != ComplaintStatus.SUPPLEMENT_PENDING and complaint.clock in (
        ClockKind.REGISTRATION,
        ClockKind.PROCESSING,
        ClockKind.OBJECTION,
    )
    used = (
        period_used(
            clock=complaint.clock,
            started_at=complaint.clock_started_at,
            period=complaint.period,
            due_at=complaint.due_at,
            excluded=parse_intervals(complaint.excluded_intervals),
            extended=bool(complaint.extensions),
            now=now,
            calendar=calendar,
        )
        if running
        else None
    )
    return QueueRow(complaint=complaint, used=used, urgency=urgency(used))


@dataclass(frozen=True)
class QueueFilters:
    """What the officer chose on the work queue (all optional but the scope)."""

    scope: Scope
    status: str = ""
    kind: str = ""
    complaint_type: str = ""  # a catalogue code
    channel: str = ""
    assignee: str = ""  # "", "me", "none" or an officer's id
    overdue: bool = False
    query: str = ""  # a receipt or follow-up number, the complainant's full name, or words
    sort: str = "due"  # a key of QUEUE_SORTS


# sort key → (field, descending); the cursor pages over the field and the primary key.
QUEUE_SORTS: dict[str, tuple[str, bool]] = {
    "due": ("due_at", False),
    "newest": ("arrived_at", True),
    "oldest": ("arrived_at", False),
}
QUEUE_PAGE_SIZE = 50


@dataclass(frozen=True)
class QueueCounts:
    """Open complaints of the officer's units: per state, overdue, the officer's own, all."""

    by_status: dict[str, int]
    overdue: int
    mine: int
    total: int

    @property
    def waiting(self) -> int:
        return self.by_status.get(ComplaintStatus.RECEIVED.value, 0)


QUEUE_STATES = (
    ComplaintStatus.RECEIVED,
    ComplaintStatus.REGISTERED,
    ComplaintStatus.IN_PROGRESS,
    ComplaintStatus.SUPPLEMENT_PENDING,
    ComplaintStatus.OBJECTION_PENDING,
)


def _open_for(officer: User) -> QuerySet[Complaint]:
    return complaint_list_for_officer(officer=officer).filter(status__in=list(OPEN_STATUSES))


def _overdue(now: datetime) -> Q:
    # A stopped clock (보완 요구 중) is never late.
    return Q(due_at__lt=now) & ~Q(status=ComplaintStatus.SUPPLEMENT_PENDING)


def queue_counts(*, officer: User, now: datetime) -> QueueCounts:
    """One query: the numbers at the top of the work queue."""
    counts = (
        _open_for(officer)
        .order_by()
        .aggregate(
            total=Count("pk"),
            overdue=Count("pk", filter=_overdue(now)),
            mine=Count("pk", filter=Q(assignee=officer)),
            **{f"s_{state.value}": Count("pk", filter=Q(status=state)) for state in QUEUE_STATES},
        )
    )
    return QueueCounts(
        by_status={state.value: counts[f"s_{state.value}"] for state in QUEUE_STATES},
        overdue=counts["overdue"],
        mine=counts["mine"],
        total=counts["total"],
    )


def _search(query: str) -> Q:
    """A receipt or follow-up number as people type it, the complainant's full name (by its blind
    index: names are stored encrypted), or words of the title or the text."""
    found = Q(title__icontains=query) | Q(body__icontains=query)
    found |= Q(applicant__name_index=applicant_name_index(query))
    if (receipt := typed_receipt_number(query)) is not None:
        found |= Q(receipt_number=receipt)
    elif len(query.strip()) >= 4:
        found |= Q(receipt_number__icontains=query.strip())
    if (follow := typed_follow_number(query)) is not None:
        found |= Q(follow_number=follow)
    return found


def work_queue(
    *, officer: User, filters: QueueFilters, now: datetime, cursor: str | None = None
) -> tuple[list[QueueRow], str | None]:
    """One page of the officer's open complaints under `filters`, and the next page's cursor."""
    qs = _open_for(officer)
    if filters.scope == Scope.REGISTER:
        qs = qs.filter(status=ComplaintStatus.RECEIVED)
    elif filters.scope == Scope.MINE:
        qs = qs.filter(assignee=officer)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.complaint_type:
        qs = qs.filter(complaint_type__code=filters.complaint_type)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.assignee == "me":
        qs = qs.filter(assignee=officer)
    elif filters.assignee == "none":
        qs = qs.filter(assignee__isnull=True)
    elif filters.assignee:
        qs = qs.filter(assignee_id=int(filters.assignee))
    if filters.overdue:
        qs = qs.filter(_overdue(now))
    if filters.query.strip():
        qs = qs.filter(_search(filters.query.strip()))
    order_field, descending = QUEUE_SORTS.get(filters.sort, QUEUE_SORTS["due"])
    complaints, next_cursor = paginate(
        qs.select_related("applicant"),
        order_field=order_field,
        descending=descending,
        cursor=cursor,
        limit=QUEUE_PAGE_SIZE,
    )
    calendar = city_calendar()
    rows = [
        replace(_row(complaint, now, calendar), complainant=applicant_name_masked(complaint))
        for complaint in complaints
    ]
    return rows, next_cursor


def deadline_watch(*, officer: User, now: datetime) -> list[QueueRow]:
    """Overdue and at-risk (`DEADLINE_URGENT_SHARE` of the period used) open complaints of the
    officer's units, soonest deadline first."""
    calendar = city_calendar()
    rows = [_row(complaint, now, calendar) for complaint in _open_for(officer)[:QUEUE_LIMIT]]
    return sorted(
        (row for row in rows if row.urgency in (Urgency.URGENT, Urgency.OVERDUE)),
        key=lambda row: (row.complaint.due_at is None, row.complaint.due_at or now),
    )


def queue_assignees(officer: User) -> list[User]:
    """The officers of the officer's own unit and the units under it (the assignee filter)."""
    if officer.org_unit is None:
        return []
    return list(
        User.objects.filter(
            kind=UserKind.OFFICER.value,
            is_active=True,
            org_unit__in=org_unit_subtree(officer.org_unit),
        ).order_by("name", "username")
    )


def assignable_officers(complaint: Complaint) -> list[User]:
    """Active officers of the complaint's unit and the units under it (whom it may go to)."""
    if complaint.org_unit is None:
        return []
    return list(
        User.objects.filter(
            kind=UserKind.OFFICER.value,
            is_active=True,
            org_unit__in=org_unit_subtree(complaint.org_unit),
        )
        .select_related("org_unit")
        .order_by("org_unit__path", "name", "username")
    )


@dataclass(frozen=True)
class Related:
    """Routing's near-duplicates and campaign of a complaint, as far as the officer may see."""

    duplicates: list[tuple[DuplicateView, Complaint]]
    campaign: list[Complaint]  # the other members of a suggested campaign the officer may see
    campaign_people: int
    campaign_hidden: int  # members in other units' queues (merging needs them all)

    @property
    def merge_choices(self) -> list[Complaint]:
        seen = {c.pk: c for _d, c in self.duplicates}
        seen.update({c.pk: c for c in self.campaign})
        return list(seen.values())


def related_complaints(*, officer: User, complaint: Complaint, passages: bool = True) -> Related:
    ids = match_ids(complaint_id=complaint.pk)
    visible = {c.pk: c for c in complaint_list_for_officer(officer=officer).filter(pk__in=ids)}
    duplicates = [
        (d, visible[d.other_id])
        for d in duplicate_list(complaint_id=complaint.pk, among=set(visible), passages=passages)
    ]
    finding = campaign_for(complaint_id=complaint.pk)
    others = [i for i in finding.complaint_ids if i != complaint.pk] if finding.suggested else []
    return Related(
        duplicates=duplicates,
        campaign=[visible[i] for i in others if i in visible],
        campaign_people=finding.people if finding.suggested else 0,
        campaign_hidden=sum(1 for i in others if i not in visible),
    )


@dataclass(frozen=True)
class RepeatRow:
    complaint: Complaint | None  # None: in another unit's queue (not shown)
    similarity: float
    result_notified: bool

    @property
    def percent(self) -> int:
        return round(self.similarity * 100)


@dataclass(frozen=True)
class RepeatSuggestion:
    """Routing's 법 제23조 flag of a complaint, its evidence as far as the officer may see."""

    rows: list[RepeatRow]
    notified_count: int
    legal_basis: str

    @property
    def visible(self) -> list[Complaint]:
        return [r.complaint for r in self.rows if r.complaint is not None]


def repeat_suggestion(*, officer: User, complaint: Complaint) -> RepeatSuggestion | None:
    flag = repeat_flag_get(complaint_id=complaint.pk)
    if flag is None:
        return None
    ids = [int(e["complaint_id"]) for e in flag.evidence]
    visible = {c.pk: c for c in complaint_list_for_officer(officer=officer).filter(pk__in=ids)}
    return RepeatSuggestion(
        rows=[
            RepeatRow(
                visible.get(int(e["complaint_id"])),
                float(e["similarity"]),
                bool(e["result_notified"]),
            )
            for e in flag.evidence
        ],
        notified_count=flag.notified_count,
        legal_basis=flag.legal_basis,
    )


@dataclass(frozen=True)
class UnitRow:
    name: str
    figures: UnitAccuracy


@dataclass(frozen=True)
class RoutingMetrics:
    """Routing's department suggestions measured against where complaints were finally handled:
    per week of reading and per final unit, each as a chart and its table."""

    weeks: list[WeekAccuracy]
    units: list[UnitRow]
    accuracy_chart: BarChart
    misroute_chart: BarChart
    unit_chart: BarChart


def routing_metrics(*, today: date, language: str) -> RoutingMetrics:
    weeks = accuracy_by_week(today=today)
    per_unit = accuracy_per_unit()
    names = {
        u.code: u.display_name(language)
        for u in OrgUnit.objects.filter(code__in=[r.unit for r in per_unit])
    }
    units = [UnitRow(names.get(r.unit, r.unit), r) for r in per_unit]
    labels = [w.week.strftime("%m.%d") for w in weeks]
    return RoutingMetrics(
        weeks=weeks,
        units=units,
        accuracy_chart=bar_chart(
            [(label, w.accuracy_percent) for label, w in zip(labels, weeks, strict=True)],
            max_value=100,
            suffix="%",
        ),
        misroute_chart=bar_chart(
            [(label, float(w.misroutes)) for label, w in zip(labels, weeks, strict=True)]
        ),
        unit_chart=bar_chart(
            [(u.name, u.figures.accuracy_percent) for u in units], max_value=100, suffix="%"
        ),
    )
