"""Reads for the officer screens, built on the complaints context's selectors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from minwon.accounts.domain import UserKind
from minwon.accounts.models import User
from minwon.accounts.selectors import org_unit_subtree
from minwon.complaints.domain import OPEN_STATUSES, ClockKind, ComplaintStatus, parse_intervals
from minwon.complaints.models import Complaint
from minwon.complaints.selectors import city_calendar, complaint_list_for_officer
from minwon.lawclock import WorkingCalendar
from minwon.office.domain import Urgency, period_used, urgency
from minwon.routing.selectors import DuplicateView, campaign_for, duplicate_list, match_ids

QUEUE_LIMIT = 200


@dataclass(frozen=True)
class QueueRow:
    complaint: Complaint
    used: float | None  # share of the period used
    urgency: Urgency

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


def work_queue(*, officer: User, mine_only: bool, now: datetime) -> list[QueueRow]:
    """Open complaints the officer may see (or only those assigned to them), soonest deadline
    first; complaints without a deadline come last."""
    qs = complaint_list_for_officer(officer=officer).filter(status__in=list(OPEN_STATUSES))
    if mine_only:
        qs = qs.filter(assignee=officer)
    calendar = city_calendar()
    rows = [_row(complaint, now, calendar) for complaint in qs[:QUEUE_LIMIT]]
    return sorted(rows, key=lambda row: (row.complaint.due_at is None, row.complaint.due_at or now))


def deadline_watch(*, officer: User, now: datetime) -> list[QueueRow]:
    """Overdue and at-risk (`DEADLINE_URGENT_SHARE` of the period used) open complaints of the
    officer's units."""
    return [
        row
        for row in work_queue(officer=officer, mine_only=False, now=now)
        if row.urgency in (Urgency.URGENT, Urgency.OVERDUE)
    ]


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


def related_complaints(*, officer: User, complaint: Complaint) -> Related:
    ids = match_ids(complaint_id=complaint.pk)
    visible = {c.pk: c for c in complaint_list_for_officer(officer=officer).filter(pk__in=ids)}
    duplicates = [
        (d, visible[d.other_id])
        for d in duplicate_list(complaint_id=complaint.pk, among=set(visible))
    ]
    finding = campaign_for(complaint_id=complaint.pk)
    others = [i for i in finding.complaint_ids if i != complaint.pk] if finding.suggested else []
    return Related(
        duplicates=duplicates,
        campaign=[visible[i] for i in others if i in visible],
        campaign_people=finding.people if finding.suggested else 0,
        campaign_hidden=sum(1 for i in others if i not in visible),
    )
