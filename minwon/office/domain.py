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


# --- charts ----------------------------------------------------------------------------------
# Numbers people compare are shown as a chart and the table behind it (DESIGN.md). The chart is
# an SVG drawn on the server from these shapes: no script, and the table carries every number.


@dataclass(frozen=True)
class Bar:
    label: str
    text: str  # the value as written above the bar ("" for no value)
    x: float
    y: float
    width: float
    height: float
    centre: float


@dataclass(frozen=True)
class BarChart:
    bars: tuple[Bar, ...]
    ticks: tuple[tuple[float, str], ...]  # (y, label) of the value axis
    width: int
    height: int
    base: float  # y of the zero line
    left: float  # x of the value axis


CHART_WIDTH: Final = 720
CHART_HEIGHT: Final = 240
_TOP, _BOTTOM, _LEFT = 24.0, 36.0, 44.0


def bar_chart(
    items: Sequence[tuple[str, float | None]],
    *,
    max_value: float | None = None,
    suffix: str = "",
    width: int = CHART_WIDTH,
    height: int = CHART_HEIGHT,
) -> BarChart:
    """Bars for (label, value) pairs on a value axis from 0 to ``max_value`` (the largest value,
    at least 1, when not given), with 5 ticks; a missing value draws no bar."""
    values = [v for _label, v in items if v is not None]
    top = max_value if max_value is not None else max([1.0, *values])
    top = top or 1.0
    base = height - _BOTTOM
    span = base - _TOP
    slot = (width - _LEFT) / max(len(items), 1)
    bars = []
    for i, (label, value) in enumerate(items):
        h = 0.0 if value is None else span * max(0.0, min(value, top)) / top
        x = _LEFT + i * slot + slot * 0.15
        text = "" if value is None else f"{value:g}{suffix}"
        bars.append(Bar(label, text, x, base - h, slot * 0.7, h, x + slot * 0.35))
    ticks = tuple((base - span * k / 4, f"{top * k / 4:g}{suffix}") for k in range(5))
    return BarChart(tuple(bars), ticks, width, height, base, _LEFT)
