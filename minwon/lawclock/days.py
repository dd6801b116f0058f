"""Periods of N days that end on a date — the time a complainant has to act (보완 기간, 영 제24조;
이의신청 60일, 법 제35조①) — counted by the Civil Act, as 법 제19조③ and 행정기본법 제6조 send them.

* 민법 제157조: the first day is not counted, so day 1 is the day after ``counted_from``;
* 민법 제159조: the period ends with the last day, ``counted_from + days``;
* 민법 제161조: when that last day is a Saturday or a public holiday, the period ends on the next
  day that is neither.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Final

from minwon.lawclock.errors import LawclockError

__all__ = ["civil_code_last_day"]

# A calendar with no working day for a year is not a calendar (it would never end a period).
_MAX_ROLL_FORWARD: Final = 366


def civil_code_last_day(
    counted_from: date, days: int, *, is_working_day: Callable[[date], bool]
) -> date:
    """The last day of a period of ``days`` days counted from ``counted_from`` (민법 제157조,
    제159조), moved past Saturdays and public holidays (민법 제161조).

    >>> civil_code_last_day(date(2026, 3, 10), 60, is_working_day=lambda d: d.weekday() < 5)
    datetime.date(2026, 5, 11)
    """
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise LawclockError(
            f"days must be a whole number of at least 1, not {days!r}.",
            field="days",
            code="lawclock.bad_days",
        )
    last = counted_from + timedelta(days=days)
    for _ in range(_MAX_ROLL_FORWARD):
        if is_working_day(last):
            return last
        last += timedelta(days=1)
    raise LawclockError(
        f"No working day within {_MAX_ROLL_FORWARD} days after {last.isoformat()}.",
        field="is_working_day",
        code="lawclock.no_working_day",
    )
