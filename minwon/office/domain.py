"""Pure rules of the officer interface: how much of the legal period a complaint has used, what is
left before its deadline, and which view of the work queue opens first."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from enum import StrEnum
from typing import Final

from minwon.complaints.domain import (
    DEADLINE_URGENT_SHARE,
    DEADLINE_WATCH_SHARE,
    ClockKind,
    Interval,
)
from minwon.lawclock import LawclockError, WorkingCalendar, period_used_fraction

# 영 제6조⑧: an arrival at an electronic window is registered within 8 working hours.
REGISTRATION_PERIOD: Final = "8h"


class Urgency(StrEnum):
    NONE = "none"  # no running deadline (paused, tip, closed)
    OK = "ok"
    WATCH = "watch"
    URGENT = "urgent"
    OVERDUE = "overdue"


def period_used(
    *,
    clock: str,
    started_at: datetime | None,
    period: str,
    due_at: datetime | None,
    excluded: Sequence[Interval] | None,
    extended: bool,
    now: datetime,
    calendar: WorkingCalendar,
) -> float | None:
    """The share of the legal period used (0.0 at the start, 1.0 at the deadline, above 1 when
    late), counted as the law counts the period: working time for the hour and day rules, the
    calendar for month and year periods, excluded intervals left out
    (`lawclock.period_used_fraction`). After an extension it is measured up to the extended
    deadline. None when no clock runs or the clock is stopped (`excluded` is None while a
    supplement is awaited)."""
    length = REGISTRATION_PERIOD if clock == ClockKind.REGISTRATION else period
    if started_at is None or due_at is None or excluded is None or not length:
        return None
    try:
        return period_used_fraction(
            registered_at=started_at,
            period=length,
            now=now,
            calendar=calendar,
            excluded=excluded,
            due_at=due_at if extended else None,
        )
    except LawclockError:
        # The stored extended deadline is earlier than the period's own under today's calendar
        # (a holiday was added and the recompute has not reached this row yet): measure against
        # the period's own deadline until it has.
        return period_used_fraction(
            registered_at=started_at, period=length, now=now, calendar=calendar, excluded=excluded
        )


def urgency(used: float | None) -> Urgency:
    if used is None:
        return Urgency.NONE
    if used >= 1:
        return Urgency.OVERDUE
    if used >= DEADLINE_URGENT_SHARE:
        return Urgency.URGENT
    if used >= DEADLINE_WATCH_SHARE:
        return Urgency.WATCH
    return Urgency.OK


class Scope(StrEnum):
    """Which of the officer's complaints the work queue lists."""

    REGISTER = "register"  # waiting for registration (접수 대기)
    MINE = "mine"  # assigned to the officer
    UNIT = "unit"  # every open complaint of the officer's units (우리 부서 전체)


def default_scope(*, counter_officer: bool, waiting: int, mine: int, total: int) -> Scope:
    """The view the queue opens on: a counter officer's is what waits for registration; anyone
    else's is their own; never an empty view while the units have open work."""
    if counter_officer and waiting:
        return Scope.REGISTER
    if mine:
        return Scope.MINE
    if waiting and not total - waiting:
        return Scope.REGISTER
    if total:
        return Scope.UNIT
    return Scope.REGISTER if counter_officer else Scope.MINE


@dataclass(frozen=True)
class TimeLeft:
    """What is left before a deadline (or how late it is), as people read it beside the date:
    whole hours on the last day, else calendar days (Korean dates)."""

    overdue: bool
    days: int  # 0 when counted in hours
    hours: int


def time_left(*, due_at: datetime, now: datetime, tz: tzinfo) -> TimeLeft:
    late = now >= due_at
    delta = (now - due_at) if late else (due_at - now)
    due_day, today = due_at.astimezone(tz).date(), now.astimezone(tz).date()
    days = (today - due_day).days if late else (due_day - today).days
    if delta < timedelta(hours=24) or days == 0:
        return TimeLeft(overdue=late, days=0, hours=max(1, math.ceil(delta / timedelta(hours=1))))
    return TimeLeft(overdue=late, days=days, hours=0)
