"""Computing processing deadlines (처리기한) under 민원처리법 제19조 and 시행령 제19조–제21조.

Three rule families (see ``deadline-contract.md``):

* **hours** (``instant``, ``Nh``, ``Nd`` with N ≤ 5; 법 제19조①, 영 제19조): working time is counted
  from the registration instant, moved to the next working-hour boundary when it falls outside
  working hours; ``due_at`` is the instant the hours are used up (12:00 or 18:00 when they run out
  exactly then).
* **days** (``Nd`` with N ≥ 6; 법 제19조②): day 1 is the registration date when it is a working day,
  else the next working day; ``due_at`` is the end of working hours on the N-th working day.
* **calendar** (``Nw``/``Nm``/``Ny``; 법 제19조③, 민법 제159조–제161조): the registration date is
  day 1; the period ends the day before the corresponding day of the last week/month/year (or on
  the last day of a month that has no such day), moves later by excluded calendar days, then past
  Saturdays and holidays (민법 제161조); ``due_at`` is the end of working hours that day.

Working time is handled as a *position*: the working microseconds between a fixed anchor and an
instant. Positions come from the calendar's prefix counts in O(1), so a deadline is one division.
Excluded intervals (영 제20조) count once however many overlap.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Final

from minwon.lawclock.calendar import SEOUL, WorkingCalendar
from minwon.lawclock.deadline import RULE_VERSION, Deadline, Explanation
from minwon.lawclock.errors import LawclockError
from minwon.lawclock.periods import Period, parse_period

__all__ = [
    "Interval",
    "compute_deadline",
    "compute_due_at",
    "period_used_fraction",
    "working_time_between",
]

Interval = tuple[datetime, datetime]

_US_PER_HOUR: Final = 3_600_000_000
_ONE_DAY: Final = timedelta(days=1)


# -- input checks ---------------------------------------------------------------------------------
def _aware(value: object, field: str) -> datetime:
    """``value`` in Seoul time; refuses anything but an offset-aware datetime."""
    if not isinstance(value, datetime):
        raise LawclockError(
            f"{field} must be a datetime with a UTC offset; got {type(value).__name__}.",
            field=field,
            code="lawclock.not_a_datetime",
        )
    tz = value.tzinfo
    if tz is SEOUL:
        return value
    if tz is None or value.utcoffset() is None:
        raise LawclockError(
            f"{field} has no UTC offset ({value.isoformat()}); give the time zone, "
            "e.g. 2026-03-09T15:00:00+09:00.",
            field=field,
            code="lawclock.naive_datetime",
        )
    return value.astimezone(SEOUL)


def _intervals(excluded: Sequence[Interval], *, field: str = "excluded") -> list[Interval]:
    """Validated intervals in Seoul time, sorted and merged where they overlap or touch."""
    checked: list[Interval] = []
    for i, pair in enumerate(excluded):
        name = f"{field}[{i}]"
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise LawclockError(
                f"{name} must be a (start, end) pair.", field=name, code="lawclock.bad_interval"
            )
        start, end = _aware(pair[0], f"{name}.start"), _aware(pair[1], f"{name}.end")
        if end < start:
            raise LawclockError(
                f"{name} ends ({end.isoformat()}) before it starts ({start.isoformat()}).",
                field=name,
                code="lawclock.interval_reversed",
            )
        checked.append((start, end))
    checked.sort()
    merged: list[Interval] = []
    for start, end in checked:
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _date_ranges(merged: list[Interval], first: int) -> list[tuple[int, int]]:
    """Seoul dates the intervals touch, as merged ordinal ranges ``[a, b]`` from ``first`` on."""
    ranges: list[tuple[int, int]] = []
    for start, end in merged:
        a, b = max(start.toordinal(), first), end.toordinal()
        if b < a:
            continue
        if ranges and a <= ranges[-1][1]:
            ranges[-1] = (ranges[-1][0], max(b, ranges[-1][1]))
        else:
            ranges.append((a, b))
    return ranges


# -- working-time positions ------------------------------------------------------------------------
def _position(cal: WorkingCalendar, local: datetime) -> int:
    """Working microseconds from the anchor to ``local`` (a Seoul-time datetime)."""
    o = local.toordinal()
    cache = cal._cache
    table = cache.table[0] if cache.table else cal.table_for(o)
    i = o - table.first
    if i < 0 or o >= table.last:
        table = cal.table_for(o)
        i = o - table.first
    cum = table.cum
    before = cum[i]
    if cum[i + 1] == before:  # not a working day
        return (table.base + before) * cache.day_us
    tod = ((local.hour * 60 + local.minute) * 60 + local.second) * 1_000_000 + local.microsecond
    worked = 0
    for s, e in cache.segments:
        if tod <= s:
            break
        worked += (tod if tod < e else e) - s
    return (table.base + before) * cache.day_us + worked


def _instant(cal: WorkingCalendar, position: int, *, at_end: bool) -> datetime:
    """The earliest (``at_end``) or latest instant with this working-time position.

    ``at_end`` gives the instant hours run out (12:00, 18:00 at a boundary); otherwise the instant
    counting starts (13:00, next 09:00 at a boundary).
    """
    cache = cal._cache
    index, rem = divmod(position, cache.day_us)
    if at_end and rem == 0:
        index, rem = index - 1, cache.day_us
    table = cache.table[0]
    j = index - table.base
    day = (
        table.work_dates[j]
        if 0 <= j < len(table.work)
        else date.fromordinal(cal.working_day_at(index))
    )
    times = cache.end_times if at_end else cache.start_times
    clock = times.get(rem)
    if clock is None:
        clock = times[rem] = _time_of_day(cache.segments, rem, at_end=at_end)
    return datetime.combine(day, clock, SEOUL)


def _time_of_day(segments: tuple[tuple[int, int], ...], rem: int, *, at_end: bool) -> time:
    """The local time at which ``rem`` microseconds of the day's working time have been worked."""
    tod = segments[-1][0] + rem - sum(e - s for s, e in segments[:-1])  # in the last segment …
    for s, e in segments[:-1]:  # … unless an earlier one holds it
        if rem < e - s or (at_end and rem == e - s):
            tod = s + rem
            break
        rem -= e - s
    sec, us = divmod(tod, 1_000_000)
    minute, sec = divmod(sec, 60)
    return time(minute // 60, minute % 60, sec, us)


def _excluded_time(
    cal: WorkingCalendar, merged: list[Interval], lo: int, hi: int
) -> tuple[int, list[Interval]]:
    """Working time of the intervals inside positions ``[lo, hi]``, and the intervals with any."""
    total, used = 0, []
    for start, end in merged:
        a, b = max(_position(cal, start), lo), min(_position(cal, end), hi)
        if b > a:
            total += b - a
            used.append((start, end))
    return total, used


# -- the three rules -------------------------------------------------------------------------------
def _hours_rule(
    cal: WorkingCalendar,
    local: datetime,
    hours: int,
    merged: list[Interval],
    *,
    period: str,
    legal_basis: str,
) -> Deadline:
    p0 = _position(cal, local)
    target = p0 + hours * _US_PER_HOUR
    excluded_us, used = 0, []
    for start, end in merged:
        a = _position(cal, start if start > local else local)
        if a >= target:
            break
        b = _position(cal, end)
        if b > a:
            target += b - a
            excluded_us += b - a
            used.append((start if start > local else local, end))
    due = _instant(cal, target, at_end=True)
    start_at = _instant(cal, p0, at_end=False)
    explanation = Explanation(
        rule="hours",
        legal_basis=legal_basis,
        period=period,
        registered_at=local,
        start_at=start_at,
        first_day=start_at.date(),
        working_hours=hours,
        skipped=cal.skipped_between(local.date(), due.date()),
        excluded=tuple(used),
        excluded_working_time=timedelta(microseconds=excluded_us),
    )
    return Deadline(due, "hours", legal_basis, period, cal.version, RULE_VERSION, explanation)


def _days_rule(
    cal: WorkingCalendar, local: datetime, p: Period, merged: list[Interval]
) -> Deadline:
    first = local.toordinal()
    index = cal.count_before(first)  # day 1: the registration date or the next working day
    target = index + p.amount - 1
    excluded_days, used = 0, []
    for a, b in _date_ranges(merged, first):
        if a > cal.working_day_at(target):
            break
        count = cal.count_before(b + 1) - cal.count_before(a)
        target += count
        excluded_days += count
        used.append((_midnight(a), _midnight(b + 1)))
    day1 = date.fromordinal(cal.working_day_at(index))
    due_day = date.fromordinal(cal.working_day_at(target))
    basis = p.legal_basis
    explanation = Explanation(
        rule="days",
        legal_basis=basis,
        period=str(p),
        registered_at=local,
        start_at=local if day1 == local.date() else cal.next_working_start(local),
        first_day=day1,
        working_days=p.amount,
        skipped=cal.skipped_between(local.date(), due_day),
        excluded=tuple(used),
        excluded_days=excluded_days,
    )
    return Deadline(
        cal.end_of_day(due_day), "days", basis, str(p), cal.version, RULE_VERSION, explanation
    )


def _calendar_end(start: date, p: Period) -> date:
    """민법 제160조: the day before the corresponding day, or the last day of a month without it."""
    if p.kind == "weeks":
        return start + timedelta(days=7 * p.amount - 1)
    months = p.amount * (12 if p.kind == "years" else 1)
    year, month0 = divmod(start.year * 12 + start.month - 1 + months, 12)
    try:
        return date(year, month0 + 1, start.day) - _ONE_DAY
    except ValueError:  # 제160조③: no corresponding day in the last month → its last day
        next_year, next_month0 = divmod(year * 12 + month0 + 1, 12)
        return date(next_year, next_month0 + 1, 1) - _ONE_DAY


def _calendar_rule(
    cal: WorkingCalendar, local: datetime, p: Period, merged: list[Interval]
) -> Deadline:
    start = local.date()
    end = _calendar_end(start, p)
    calendar_days = (end - start).days + 1
    excluded_days, used = 0, []
    for a, b in _date_ranges(merged, start.toordinal()):
        if a > end.toordinal():
            break
        excluded_days += b - a + 1
        end += timedelta(days=b - a + 1)
        used.append((_midnight(a), _midnight(b + 1)))
    last = cal.next_working_day(end)  # 민법 제161조
    shift = cal.skipped_between(end, last - _ONE_DAY) if last != end else ()
    basis = p.legal_basis
    explanation = Explanation(
        rule="calendar",
        legal_basis=basis,
        period=str(p),
        registered_at=local,
        start_at=local,
        first_day=start,
        calendar_days=calendar_days,
        excluded=tuple(used),
        excluded_days=excluded_days,
        period_end=end,
        civil_code_161_shift=shift,
    )
    return Deadline(
        cal.end_of_day(last), "calendar", basis, str(p), cal.version, RULE_VERSION, explanation
    )


def _midnight(ordinal: int) -> datetime:
    d = date.fromordinal(ordinal)
    return datetime(d.year, d.month, d.day, tzinfo=SEOUL)


# -- public API -----------------------------------------------------------------------------------
@lru_cache(maxsize=1024)
def _spec(period: Period | str) -> tuple[Period, str, int, int]:
    """Parsed period, its rule, its working hours in microseconds and, for the day rule, N - 1.

    Cached: the same few periods repeat across millions of complaints.
    """
    p = parse_period(period)
    rule = p.rule
    return p, rule, p.working_hours * _US_PER_HOUR, p.amount - 1 if rule == "days" else 0


def compute_deadline(
    *,
    registered_at: datetime,
    period: Period | str,
    calendar: WorkingCalendar,
    excluded: Sequence[Interval] = (),
) -> Deadline:
    """The processing deadline of a complaint registered at ``registered_at``.

    법 제19조, 시행령 제19조·제20조; see the module docstring for the three rules.
    """
    local = _aware(registered_at, "registered_at")
    p, rule, _, _ = _spec(period) if isinstance(period, (str, Period)) else _spec_uncached(period)
    merged = _intervals(excluded) if excluded else []
    if rule == "hours":
        return _hours_rule(
            calendar, local, p.working_hours, merged, period=str(p), legal_basis=p.legal_basis
        )
    if rule == "days":
        return _days_rule(calendar, local, p, merged)
    return _calendar_rule(calendar, local, p, merged)


def compute_due_at(
    *,
    registered_at: datetime,
    period: Period | str,
    calendar: WorkingCalendar,
    excluded: Sequence[Interval] = (),
) -> datetime:
    """``compute_deadline(...).due_at`` without building the explanation — for bulk recomputation.

    Hour-rule deadlines without excluded intervals take a short path (one division); everything
    else is computed by :func:`compute_deadline`, so the two never disagree.
    """
    if isinstance(registered_at, datetime) and registered_at.tzinfo is SEOUL:
        local = registered_at  # the common case, checked without a call
    else:
        local = _aware(registered_at, "registered_at")
    p, rule, hours_us, _ = (
        _spec(period) if isinstance(period, (str, Period)) else _spec_uncached(period)
    )
    if rule == "hours" and not excluded:
        return _instant(calendar, _position(calendar, local) + hours_us, at_end=True)
    return compute_deadline(
        registered_at=local, period=p, calendar=calendar, excluded=excluded
    ).due_at


def _spec_uncached(period: object) -> tuple[Period, str, int, int]:
    return _spec.__wrapped__(period)  # raises the clear LawclockError


def working_time_between(
    start: datetime,
    end: datetime,
    *,
    calendar: WorkingCalendar,
    excluded: Sequence[Interval] = (),
) -> timedelta:
    """Working time in ``[start, end]`` not inside an excluded interval (overlaps counted once)."""
    a, b = _aware(start, "start"), _aware(end, "end")
    if b < a:
        raise LawclockError(
            f"end ({b.isoformat()}) is before start ({a.isoformat()}).",
            field="end",
            code="lawclock.interval_reversed",
        )
    lo, hi = _position(calendar, a), _position(calendar, b)
    removed, _ = _excluded_time(calendar, _intervals(excluded), lo, hi)
    return timedelta(microseconds=hi - lo - removed)


def period_used_fraction(
    *,
    registered_at: datetime,
    period: Period | str,
    now: datetime,
    calendar: WorkingCalendar,
    excluded: Sequence[Interval] = (),
    due_at: datetime | None = None,
) -> float:
    """Share of the legal period consumed at ``now``: 0 at the start, 1.0 exactly at ``due_at``.

    ``due_at``: the deadline as it stands when an extension moved it (영 제21조, 법 제35조②);
    the share is then measured up to it, by the period's own rule. Default: the period's own
    deadline. It may not be earlier than that (an extension never shortens a period).

    * hour rules: working time used / working hours of the period (excluded working time not used);
    * day rule: working time since the start of day 1 / (N × the working-day length), excluded dates
      removed whole — each counted working day weighs the same and the share grows during the day;
    * calendar rule: elapsed clock time since 00:00 of day 1 / clock time from then to ``due_at``,
      excluded dates removed whole from both.

    Before registration it is 0; past the deadline it exceeds 1.
    """
    deadline = compute_deadline(
        registered_at=registered_at, period=period, calendar=calendar, excluded=excluded
    )
    moment = _aware(now, "now")
    end = deadline.due_at if due_at is None else _aware(due_at, "due_at")
    if end < deadline.due_at:
        raise LawclockError(
            f"due_at ({end.isoformat()}) is before the period's own deadline "
            f"({deadline.due_at.isoformat()}).",
            field="due_at",
            code="lawclock.due_before_period_end",
        )
    e = deadline.explanation
    if moment <= e.registered_at:
        return 0.0
    if deadline.rule == "hours":
        used = working_time_between(e.registered_at, moment, calendar=calendar, excluded=excluded)
        if due_at is None:
            return used / timedelta(hours=e.working_hours or 0)
        return used / working_time_between(
            e.registered_at, end, calendar=calendar, excluded=excluded
        )
    start = _midnight(e.first_day.toordinal())
    whole_days = list(e.excluded)
    if deadline.rule == "days":
        used = working_time_between(
            start, max(moment, start), calendar=calendar, excluded=whole_days
        )
        if due_at is None:
            return used / (calendar.day_length * (e.working_days or 0))
        return used / working_time_between(start, end, calendar=calendar, excluded=whole_days)
    total = _clock_time(start, end, whole_days)
    return _clock_time(start, moment, whole_days) / total


def _clock_time(start: datetime, end: datetime, excluded: list[Interval]) -> timedelta:
    elapsed = end - start
    for a, b in excluded:
        lo, hi = max(a, start), min(b, end)
        if hi > lo:
            elapsed -= hi - lo
    return elapsed
