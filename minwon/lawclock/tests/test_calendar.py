"""The working calendar: holiday source, organisation changes, table growth, and freshness."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from minwon.lawclock import SEOUL, WorkingCalendar, korean_public_holidays
from minwon.lawclock.tests.helpers import CAL, kst, plain_calendar


def test_calendar_is_fresh_for_next_year() -> None:
    """Fails when the ``holidays`` package does not know next year's Korean holidays yet."""
    next_year = datetime.now(tz=SEOUL).year + 1
    names = " ".join(name for _, name, _ in korean_public_holidays(next_year))
    missing = [name for name in ("설날", "추석", "삼일절", "광복절", "한글날") if name not in names]
    assert not missing, (
        f"The Korean holiday calendar for {next_year} lacks {', '.join(missing)}. Upgrade the "
        "`holidays` package (pip install -U holidays; bump the pin in pyproject.toml) to a release "
        f"that knows {next_year}, or add the dates as extra holidays (docs/how-to/add-holiday.md). "
        "Then recompute open deadlines."
    )


@pytest.mark.parametrize(
    ("day", "working", "reason"),
    [
        (date(2026, 3, 9), True, None),
        (date(2026, 3, 14), False, "토요일"),
        (date(2026, 3, 15), False, "일요일"),
        (date(2026, 2, 17), False, "설날"),
        (date(2026, 3, 2), False, "삼일절 대체 휴일"),
        (date(2026, 5, 1), False, "노동절"),
        (date(2026, 6, 3), False, "지방선거일"),
        (date(2026, 9, 25), False, "추석"),
        (date(2026, 10, 5), False, "개천절 대체 휴일"),
        (date(2025, 5, 1), True, None),  # 노동절은 2026.5.1부터 관공서 공휴일
    ],
)
def test_korean_working_days(day: date, working: bool, reason: str | None) -> None:
    assert CAL.is_working_day(day) is working
    skipped = CAL.non_working_reason(day)
    assert (skipped.name_ko if skipped else None) == reason


def test_organisation_changes() -> None:
    cal = WorkingCalendar.default(
        extra_holidays=[date(2026, 3, 12)], removed_holidays=[date(2026, 6, 3)]
    )
    assert not cal.is_working_day(date(2026, 3, 12))
    assert cal.is_working_day(date(2026, 6, 3))
    assert cal.non_working_reason(date(2026, 3, 12)).reason == "extra holiday"  # type: ignore[union-attr]
    assert cal == WorkingCalendar.default(
        extra_holidays=[date(2026, 3, 12)], removed_holidays=[date(2026, 6, 3)]
    )
    assert hash(cal) == hash(
        WorkingCalendar.default(
            extra_holidays=[date(2026, 3, 12)], removed_holidays=[date(2026, 6, 3)]
        )
    )
    # an extra holiday that is already a public holiday keeps its public name
    same = WorkingCalendar.default(extra_holidays=[date(2026, 6, 3)])
    assert same.non_working_reason(date(2026, 6, 3)).reason == "holiday"  # type: ignore[union-attr]


def test_custom_source_and_version() -> None:
    cal = plain_calendar(date(2026, 3, 10))
    assert cal.version.startswith("no_holidays+")
    assert cal.is_working_day(date(2026, 3, 2))  # no 대체공휴일 in this source
    assert not cal.is_working_day(date(2026, 3, 10))
    assert WorkingCalendar(version="org-2026-01").version == "org-2026-01"


def test_navigation() -> None:
    assert CAL.next_working_day(date(2026, 2, 14)) == date(2026, 2, 19)
    assert CAL.working_days_between(date(2026, 3, 9), date(2026, 3, 15)) == 5
    assert CAL.working_days_between(date(2026, 3, 15), date(2026, 3, 9)) == 0
    assert CAL.next_working_start(kst(2026, 3, 9, 8)) == kst(2026, 3, 9, 9)
    assert CAL.next_working_start(kst(2026, 3, 9, 12)) == kst(2026, 3, 9, 13)
    assert CAL.next_working_start(kst(2026, 3, 9, 10, 5)) == kst(2026, 3, 9, 10, 5)
    assert CAL.next_working_start(kst(2026, 3, 13, 18)) == kst(2026, 3, 16, 9)
    assert CAL.next_working_start(kst(2026, 3, 14, 10)) == kst(2026, 3, 16, 9)
    assert CAL.is_working_time(kst(2026, 3, 9, 9)) and not CAL.is_working_time(kst(2026, 3, 9, 12))
    assert CAL.end_of_day(date(2026, 3, 9)) == kst(2026, 3, 9, 18)
    assert [s.day.day for s in CAL.skipped_between(date(2026, 2, 13), date(2026, 2, 19))] == [
        14,
        15,
        16,
        17,
        18,
    ]


def test_table_grows_both_ways() -> None:
    cal = WorkingCalendar(working_hours=((time(9), time(18)),))
    # beyond the 2020–2040 window, forward and backward
    assert cal.is_working_day(date(2045, 3, 6))
    assert not cal.is_working_day(date(2005, 3, 1))
    first = cal.count_before(date(2005, 1, 3).toordinal())
    assert cal.working_day_at(first) == date(2005, 1, 3).toordinal()
    fresh = WorkingCalendar(working_hours=((time(9), time(17)),))
    assert fresh.working_day_at(-3000) < date(2020, 1, 1).toordinal()
    assert fresh.working_day_at(20 * 250 + 3000) > date(2041, 1, 1).toordinal()
    # asking again for a range already covered returns the same table
    table = fresh.table_for(date(2030, 1, 1).toordinal())
    assert fresh._build(2021, 2030) is table
