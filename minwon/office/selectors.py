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
