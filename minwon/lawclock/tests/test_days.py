"""Periods of N days ending on a date, by 민법 제157조 (first day not counted), 제159조 and 제161조
(a last day on a Saturday or holiday moves to the next working day). 2026: 3/1 삼일절 is a Sunday,
so 3/2 is its 대체공휴일; 5/5 어린이날 is a Tuesday."""

from __future__ import annotations

from datetime import date

import pytest

from minwon.lawclock import LawclockError, WorkingCalendar, civil_code_last_day

CAL = WorkingCalendar.default()


@pytest.mark.parametrize(
    ("counted_from", "days", "last"),
    [
        # 민법 제157조: requested Mon 3/9, 7 days → day 1 is 3/10, day 7 is Mon 3/16.
        (date(2026, 3, 9), 7, date(2026, 3, 16)),
        # 민법 제161조: day 7 would be Sat 2/28; Sun 3/1 and the 대체공휴일 3/2 follow → Tue 3/3.
        (date(2026, 2, 21), 7, date(2026, 3, 3)),
        # 법 제35조① 60일: notified Tue 3/10 → day 60 is Sat 5/9 → Mon 5/11.
        (date(2026, 3, 10), 60, date(2026, 5, 11)),
        # a last day on a public holiday on a weekday: 어린이날 Tue 5/5 → Wed 5/6.
        (date(2026, 5, 4), 1, date(2026, 5, 6)),
    ],
)
def test_the_last_day_by_the_civil_code(counted_from: date, days: int, last: date) -> None:
    assert civil_code_last_day(counted_from, days, is_working_day=CAL.is_working_day) == last


@pytest.mark.parametrize("days", [0, -3, True, 1.5])
def test_a_period_has_at_least_one_whole_day(days: object) -> None:
    with pytest.raises(LawclockError) as caught:
        civil_code_last_day(date(2026, 3, 9), days, is_working_day=CAL.is_working_day)  # type: ignore[arg-type]
    assert (caught.value.code, caught.value.field) == ("lawclock.bad_days", "days")


def test_a_calendar_without_working_days_is_refused() -> None:
    with pytest.raises(LawclockError) as caught:
        civil_code_last_day(date(2026, 3, 9), 7, is_working_day=lambda _day: False)
    assert caught.value.code == "lawclock.no_working_day"
