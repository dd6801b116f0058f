"""The indicators on a constructed set whose answers are worked out by hand below (issue 21).

March 2026 from the 9th has no public holiday: working days are Monday to Friday.

    week 1: Mon 3/9  Tue 3/10 Wed 3/11 Thu 3/12 Fri 3/13
    week 2: Mon 3/16 Tue 3/17 Wed 3/18 Thu 3/19 Fri 3/20
    week 3: Mon 3/23 Tue 3/24 Wed 3/25 Thu 3/26 Fri 3/27
"""

from __future__ import annotations

from datetime import datetime
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest

from minwon.evaluation.domain import (
    Case,
    Reading,
    case_figures,
    compute_indicators,
    in_reduction_scope,
)
from minwon.lawclock import LawclockError, WorkingCalendar, compute_deadline

SEOUL = ZoneInfo("Asia/Seoul")
CAL = WorkingCalendar.default()


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SEOUL)


# S1 (unit A, 10d): Mon 3/9 10:00 → Thu 3/12 15:00. Days 3/9–3/12 = 4. Legal 10, reduced 6.
#    Hours: Mon 2+5, Tue 8, Wed 8, Thu 3+2 = 28 h; legal 80 h.
S1 = Case("S1", "statutory", "A", "10d", at(3, 9, 10), at(3, 12, 15), at(3, 20, 18))
# S2 (A, 7d): Fri 3/13 16:00, 보완 Mon 3/16 09:00 – Tue 3/17 11:00, answered Thu 3/19 10:00.
#    Days 3/13, 3/16–3/19 = 5, minus the 2 excluded dates = 3. Legal 7, reduced 4.
#    Due: 7th working day 3/23 + 2 excluded days = Wed 3/25 18:00 (not late).
#    Hours: Fri 2, Tue 11–12 1 + 13–18 5, Wed 8, Thu 1 = 17 h (Mon 8 h and Tue 2 h excluded).
S2 = Case(
    "S2",
    "statutory",
    "A",
    "7d",
    at(3, 13, 16),
    at(3, 19, 10),
    at(3, 25, 18),
    excluded=((at(3, 16, 9), at(3, 17, 11)),),
)
# S3 (B, 6d): registered on Saturday 3/14 11:00 → day 1 is Mon 3/16; due Mon 3/23 18:00;
#    answered Wed 3/25 09:30: days 3/16–3/25 = 8. Legal 6, reduced −2 (late, not capped).
#    Hours: 7 working days 56 h + Wed 0.5 h = 56.5 h; legal 48 h.
S3 = Case("S3", "statutory", "B", "6d", at(3, 14, 11), at(3, 25, 9, 30), at(3, 23, 18))
# S4 (B, 10d, extended by 5 working days): Mon 3/9 09:00, own deadline Fri 3/20, due_at
#    Fri 3/27 18:00; answered Thu 3/26 14:00 (on time): days 3/9–3/26 = 14. Catalogue legal 10,
#    reduced −4; extended legal 15, reduced 1. Hours: 13 days 104 h + Thu 3 + 1 = 108 h.
S4 = Case("S4", "statutory", "B", "10d", at(3, 9, 9), at(3, 26, 14), at(3, 27, 18))
# S5 (A, 3d: hour rule, outside the 단축률's scope): Mon 3/9 15:00, due Thu 3/12 15:00, answered
#    Thu 16:00 (late). Days 4; hours Mon 3, Tue 8, Wed 8, Thu 3 + 3 = 25 h.
S5 = Case("S5", "statutory", "A", "3d", at(3, 9, 15), at(3, 12, 16), at(3, 12, 15))
# Q1 (A, 질의 7d: not a 법정민원): Tue 3/10 09:00 → Wed 3/11 10:00. Days 2, hours 8 + 1 = 9.
Q1 = Case("Q1", "inquiry_procedure", "A", "7d", at(3, 10, 9), at(3, 11, 10), at(3, 18, 18))
# T1 (B, 제보): no period, no deadline: answered, counted nowhere else.
T1 = Case("T1", "tip", "B", "", at(3, 10, 9), at(3, 10, 11), None)

CASES = [S1, S2, S3, S4, S5, Q1, T1]


def test_the_due_dates_written_above_are_the_legal_clocks():
    for case, excluded in ((S1, ()), (S2, S2.excluded), (S3, ()), (S5, ()), (Q1, ())):
        due = compute_deadline(
            registered_at=case.registered_at, period=case.period, calendar=CAL, excluded=excluded
        ).due_at
        assert due == case.due_at, case.id
    assert compute_deadline(registered_at=S4.registered_at, period="10d", calendar=CAL).due_at == (
        at(3, 20, 18)
    )


def test_per_case_working_days_and_hours():
    expected: dict[str, tuple[object, ...]] = {
        "S1": (4, 28, 10, 4),
        "S2": (3, 17, 7, 3),
        "S3": (8, Fraction(113, 2), 6, 8),
        "S4": (14, 108, 10, 14),
        "S5": (4, 25, None, None),
        "Q1": (2, 9, None, None),
    }
    for case in CASES[:-1]:
        f = case_figures(case, calendar=CAL)
        got = (f.working_days, f.working_hours, f.legal, f.actual)
        assert got == expected[case.id], case.id


def test_default_reading_is_a_ratio_of_sums_in_working_days():
    result = compute_indicators(CASES, calendar=CAL, group=lambda c: c.org_unit)
    o = result.overall
    # In scope: S1, S2, S3, S4. Σ법정 = 10 + 7 + 6 + 10 = 33; Σ실제 = 4 + 3 + 8 + 14 = 29.
    assert o.reduction_cases == 4
    assert o.legal_total == 33
    assert o.actual_total == 29
    assert o.reduction_rate == Fraction(4 * 100, 33)  # 12.12 %
    # A: S1, S2 → (17 − 7) / 17; B: S3, S4 → (16 − 22) / 16 = −37.5 % (late cases negative).
    assert result.groups["A"].reduction_rate == Fraction(10 * 100, 17)
    assert result.groups["B"].reduction_rate == Fraction(-375, 10)


def test_delay_and_on_time_rate_and_average_processing_time():
    result = compute_indicators(CASES, calendar=CAL, group=lambda c: c.org_unit)
    o = result.overall
    # With a deadline: S1–S5 and Q1 (6); late: S3 (after 3/23 18:00) and S5 (after Thu 15:00).
    assert (o.answered, o.with_deadline, o.late) == (7, 6, 2)
    assert o.delay_rate == Fraction(100, 3)
    assert o.on_time_rate == Fraction(200, 3)
    # A: S1, S2, S5, Q1 → 1 late of 4; B: S3, S4 → 1 of 2 (T1 has no deadline).
    assert result.groups["A"].delay_rate == 25
    assert result.groups["B"].delay_rate == 50
    assert result.groups["B"].answered == 3
    # Days 4 + 3 + 8 + 14 + 4 + 2 = 35; hours 28 + 17 + 56.5 + 108 + 25 + 9 = 243.5; over 6.
    assert o.average_working_days == Fraction(35, 6)
    assert o.average_working_hours == Fraction(487, 12)


def test_other_readings():
    def rate(**reading: str) -> Fraction | None:
        return compute_indicators(
            CASES,
            calendar=CAL,
            reading=Reading(**reading),  # type: ignore[arg-type]
        ).overall.reduction_rate

    # Mean of per-case rates: (60 + 400/7 − 100/3 − 40) / 4 = 230/21 = 10.95 %.
    assert rate(aggregate="mean") == Fraction(230, 21)
    # Late cases capped at 0: (6 + 4 + 0 + 0) / 33.
    assert rate(negative="zero") == Fraction(1000, 33)
    # Extended periods: S4's legal period is 15, reduced 1: (6 + 4 − 2 + 1) / 38.
    assert rate(legal="extended") == Fraction(900, 38)
    # Excluded time left in: S2's actual is 5, reduced 2: (6 + 2 − 2 − 4) / 33.
    assert rate(excluded="count") == Fraction(200, 33)
    # Hours: legal 80 + 56 + 48 + 80 = 264; actual 28 + 17 + 56.5 + 108 = 209.5.
    assert rate(unit="hours") == Fraction(545, 264) * 10
    # Hours, excluded left in: S2's actual grows by Mon 8 h + Tue 2 h = 27 h.
    assert rate(unit="hours", excluded="count") == Fraction(445, 264) * 10
    # Hours and extension: S4 gains Mon 3/23 – Fri 3/27 = 40 h, reduced 120 − 108 = 12.
    assert rate(unit="hours", legal="extended") == Fraction(945, 304) * 10


def test_a_calendar_period_and_a_holiday():
    # 1m from Tue 3/10: ends Thu 4/9 (민법 제160조②); 16 working days in March, 7 in April = 23.
    month = Case("M", "statutory", "A", "1m", at(3, 10, 9), at(3, 20, 17), at(4, 9, 18))
    f = case_figures(month, calendar=CAL)
    assert f.legal == 23
    assert f.actual == 9
    # 어린이날 Tue 5/5 is not counted: Mon 5/4 → Fri 5/8 is 4 working days.
    holiday = Case("H", "statutory", "A", "6d", at(5, 4, 9), at(5, 8, 17), at(5, 12, 18))
    assert not CAL.is_working_day(at(5, 5, 9).date())
    assert case_figures(holiday, calendar=CAL).actual == 4
    # An organisation's extra holiday (Wed 5/6) is not counted either.
    local = WorkingCalendar.default(extra_holidays=[at(5, 6, 9).date()])
    assert case_figures(holiday, calendar=local).actual == 3


def test_overlapping_excluded_intervals_count_each_day_once():
    # Two overlapping intervals over Mon 3/16–Wed 3/18 and one inside them: 3 days off, not 5.
    case = Case(
        "X",
        "statutory",
        "A",
        "10d",
        at(3, 13, 9),
        at(3, 20, 17),
        at(3, 31, 18),
        excluded=(
            (at(3, 16, 9), at(3, 17, 10)),
            (at(3, 17, 9), at(3, 18, 12)),
            (at(3, 16, 14), at(3, 16, 15)),
        ),
    )
    # 3/13, 3/16–3/20 = 6 working days, minus 3/16, 3/17, 3/18 = 3.
    assert case_figures(case, calendar=CAL).actual == 3


def test_scope_of_the_reduction_rate():
    assert in_reduction_scope("statutory", "6d")
    assert in_reduction_scope("statutory", "1w")
    assert in_reduction_scope("statutory", "2m")
    assert not in_reduction_scope("statutory", "5d")
    assert not in_reduction_scope("statutory", "instant")
    assert not in_reduction_scope("statutory", "")
    assert not in_reduction_scope("suggestion", "14d")


def test_nothing_to_divide_gives_none():
    result = compute_indicators([T1], calendar=CAL)
    o = result.overall
    assert o.reduction_rate is None
    assert o.delay_rate is None
    assert o.on_time_rate is None
    assert o.average_working_days is None


def test_bad_cases_are_refused():
    backwards = Case("B", "statutory", "A", "10d", at(3, 12, 9), at(3, 10, 9), at(3, 20, 18))
    with pytest.raises(LawclockError, match="before registered_at"):
        case_figures(backwards, calendar=CAL)
    naive = Case("N", "statutory", "A", "10d", datetime(2026, 3, 9, 9), at(3, 10, 9), None)
    with pytest.raises(LawclockError, match="no UTC offset"):
        case_figures(naive, calendar=CAL)
    with pytest.raises(LawclockError, match="Unknown period"):
        case_figures(
            Case("P", "statutory", "A", "ten days", at(3, 9, 9), at(3, 10, 9), None),
            calendar=CAL,
        )
    with pytest.raises(ValueError, match="aggregate must be one of"):
        Reading(aggregate="median")  # type: ignore[arg-type]
