"""Bulk recomputation of due instants (e.g. every open complaint after an 임시공휴일 is declared).

``compute_due_ats`` returns exactly ``[compute_due_at(...) for ...]`` but runs the day rule as a
chain of C-level ``map`` calls over the calendar's prefix-count table (no Python loop per item),
which puts it within reach of ``numpy.busday_offset`` while staying stdlib-only.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from itertools import repeat
from operator import add, attrgetter, is_, itemgetter, sub

from minwon.lawclock.calendar import SEOUL, WorkingCalendar
from minwon.lawclock.due import _aware, _spec, compute_due_at
from minwon.lawclock.errors import LawclockError
from minwon.lawclock.periods import Period

__all__ = ["compute_due_ats"]

_TZINFO = attrgetter("tzinfo")
_RULE = itemgetter(1)
_DAY_OFFSET = itemgetter(3)


def compute_due_ats(
    registered_ats: Sequence[datetime],
    periods: Sequence[Period | str],
    *,
    calendar: WorkingCalendar,
) -> list[datetime]:
    """Due instants for many registrations at once (no excluded intervals; those go one by one).

    ``periods[i]`` belongs to ``registered_ats[i]``. Raises :class:`LawclockError` on the first bad
    input, like :func:`compute_due_at` would.
    """
    if len(registered_ats) != len(periods):
        raise LawclockError(
            f"{len(registered_ats)} registration instants but {len(periods)} periods.",
            field="periods",
            code="lawclock.batch_length",
        )
    specs = list(map(_spec, periods))
    rules = list(map(_RULE, specs))
    if rules.count("days") == len(specs):  # all day rule: the C-level path for every row
        return _day_rule(registered_ats, list(map(_DAY_OFFSET, specs)), calendar)
    result = [
        compute_due_at(registered_at=registered, period=spec[0], calendar=calendar)
        if spec[1] != "days"
        else registered  # a placeholder, replaced below
        for registered, spec in zip(registered_ats, specs, strict=True)
    ]
    day_rows = [i for i, rule in enumerate(rules) if rule == "days"]
    dues = _day_rule(
        [registered_ats[i] for i in day_rows], [specs[i][3] for i in day_rows], calendar
    )
    for i, due in zip(day_rows, dues, strict=True):
        result[i] = due
    return result


def _day_rule(
    registered_ats: Sequence[datetime], offsets: list[int], calendar: WorkingCalendar
) -> list[datetime]:
    """Due instants under 법 제19조②: end of working hours on the (offset + 1)-th working day."""
    if not registered_ats:
        return []
    if not all(map(is_, map(_TZINFO, registered_ats), repeat(SEOUL))):
        # Any other offset (or a naive value, which is refused here) is converted one by one.
        registered_ats = [_aware(r, f"registered_at[{i}]") for i, r in enumerate(registered_ats)]
    ordinals = list(map(datetime.toordinal, registered_ats))
    calendar.table_for(min(ordinals))
    table = calendar.table_for(max(ordinals))
    # day 1 is the first working day at or after the registration date; its index is cum[o - first]
    last_index = list(
        map(add, map(table.cum.__getitem__, map(sub, ordinals, repeat(table.first))), offsets)
    )
    if max(last_index) >= len(table.work):
        calendar.working_day_at(table.base + max(last_index))  # grow the table forward
        return _day_rule(registered_ats, offsets, calendar)
    return list(map(table.work_ends.__getitem__, last_index))
