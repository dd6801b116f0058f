"""What a holiday change moves besides the running deadlines, and the record of every move.

A new (or withdrawn) holiday re-derives every stored legal date of an open complaint (민법
제161조: a period whose last day is a holiday ends on the next working day): the processing and
objection deadlines (`deadlines.py` re-computes them in bulk and hands the moved ones here), the
last day to supplement (영 제24조④) and the last day to file an objection (법 제35조①). Each moved
complaint gets one history row (`Action.MOVE_DATES`: what moved, from what to what, which
holiday, the administrator who declared it as the actor) and, when the complainant was told the
date, the `deadline_moved` notice the outbox sends them. Closed complaints keep their record.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import transaction

from minwon.accounts.models import User
from minwon.catalog.models import CalendarChange
from minwon.complaints.domain import (
    Action,
    ClockKind,
    ComplaintStatus,
    NoticeKind,
    objection_last_day,
    supplement_due_on,
)
from minwon.complaints.models import Complaint, ComplaintEvent
from minwon.complaints.selectors import NOTICE_SNAPSHOT_KEY, notice_snapshot
from minwon.complaints.services.common import lock, record, save_changes, snapshot
from minwon.core import clock
from minwon.lawclock import SEOUL, WorkingCalendar

# Move = (complaint id, the due instant before, after, the clock's kind)
Move = tuple[int, datetime | None, datetime | None, str]


@dataclass(frozen=True)
class MoveCause:
    """Why dates moved: the holidays of the calendar changes one recompute run took, and who
    declared them (the actor of the history rows)."""

    actor_id: int | None = None
    holidays: list[dict[str, str]] = field(default_factory=list)

    @classmethod
    def of_changes(cls, change_ids: Sequence[int]) -> MoveCause:
        changes = list(CalendarChange.objects.filter(id__in=change_ids).order_by("id"))
        holidays = [
            {
                "day": change.holiday_day.isoformat(),
                "name": change.holiday_name,
                "kind": change.holiday_kind,
            }
            for change in changes
            if change.holiday_day is not None
        ]
        actor = next((c.requested_by_id for c in reversed(changes) if c.requested_by_id), None)
        return cls(actor_id=actor, holidays=holidays)


def _iso(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(SEOUL).isoformat()
    return value.isoformat()


def _facts(cause: MoveCause, version: str, moved: list[dict[str, Any]]) -> dict[str, Any]:
    return {"moved": moved, "holidays": cause.holidays, "calendar_version": version}


def deadline_moves_record(moves: Sequence[Move], *, cause: MoveCause, version: str) -> int:
    """History rows (and notices) for complaints whose due instant the recompute moved; called
    in the transaction that wrote the batch. A deadline of the registration clock (접수 within 8
    working hours) was never told to the complainant: history only, no notice."""
    moved = [m for m in moves if m[1] is not None and m[2] is not None and m[1] != m[2]]
    if not moved:
        return 0
    complaints = Complaint.objects.select_related("org_unit", "assignee").in_bulk(
        [m[0] for m in moved]
    )
    now = clock.now()
    events = []
    for pk, before, after, clock_kind in moved:
        complaint = complaints.get(pk)
        if complaint is None:
            continue
        told = clock_kind != ClockKind.REGISTRATION.value
        data = _facts(cause, version, [{"what": "due_at", "from": _iso(before), "to": _iso(after)}])
        if told:
            data[NOTICE_SNAPSHOT_KEY] = notice_snapshot(complaint, NoticeKind.DEADLINE_MOVED)
        events.append(
            ComplaintEvent(
                complaint=complaint,
                occurred_at=now,
                action=Action.MOVE_DATES.value,
                from_status=complaint.status,
                to_status=complaint.status,
                actor_id=cause.actor_id,
                data=data,
                notice=NoticeKind.DEADLINE_MOVED.value if told else "",
            )
        )
    ComplaintEvent.objects.bulk_create(events, batch_size=1000)
    return len(events)


@transaction.atomic
def complaint_told_dates_move(*, calendar: WorkingCalendar, cause: MoveCause) -> int:
    """Re-derive the last day to supplement (영 제24조④, from the day and days it was set) and the
    last day to object (법 제35조①, from the day the refusal was notified) under `calendar`;
    each one that moves is saved, recorded in the history and told to the complainant."""
    today = clock.local_now().date()
    actor = User.objects.filter(pk=cause.actor_id).first() if cause.actor_id else None
    moved = 0
    waiting = Complaint.objects.filter(
        status=ComplaintStatus.SUPPLEMENT_PENDING.value,
        supplement_due_on__isnull=False,
        supplement_period_from__isnull=False,
        supplement_period_days__isnull=False,
    ).values_list("pk", "supplement_period_from", "supplement_period_days", "supplement_due_on")
    for pk, start, days, stored in list(waiting):
        if start is None or days is None:
            continue
        new = supplement_due_on(start, days, is_working_day=calendar.is_working_day)
        if new != stored:
            moved += _move(pk, "supplement_due_on", new, actor, cause, calendar.version)
    answered = Complaint.objects.filter(
        status=ComplaintStatus.ANSWERED.value,
        objection_last_day__gte=today,
        answered_at__isnull=False,
    ).values_list("pk", "answered_at", "objection_last_day")
    for pk, answered_at, stored in list(answered):
        if answered_at is None:
            continue
        notified_on = answered_at.astimezone(SEOUL).date()
        new = objection_last_day(notified_on, is_working_day=calendar.is_working_day)
        if new != stored:
            moved += _move(pk, "objection_last_day", new, actor, cause, calendar.version)
    return moved


def _move(pk: int, what: str, new: date, actor: User | None, cause: MoveCause, version: str) -> int:
    complaint = lock(Complaint(pk=pk))
    before = getattr(complaint, what)
    if before is None or before == new:
        return 0  # changed meanwhile
    stored = snapshot(complaint)
    setattr(complaint, what, new)
    save_changes(complaint, stored)
    record(
        complaint,
        Action.MOVE_DATES,
        actor=actor,
        from_status=complaint.status,
        data=_facts(cause, version, [{"what": what, "from": _iso(before), "to": _iso(new)}]),
        notice=NoticeKind.DEADLINE_MOVED,
    )
    return 1
