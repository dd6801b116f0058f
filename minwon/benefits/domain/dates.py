"""Date arithmetic the programmes count in (one tested helper, life-events.md §4.1).

Two different "ages in months" are used, and they are not the same thing:

- ``month_of_life(birth, year, month)``: the month a monthly payment is for, counted from the birth
  month (the birth month is 0). 부모급여 pays 0세 rates for 0–11 and 1세 rates for 12–23:
  a child born 2025-03-15 gets the 1세 rate from 2026-03.
- ``completed_months(birth, on)``: whole months lived on a date (``n개월째 날`` = birth date plus
  n months, clamped to the month's last day).

``day_of_life(birth, on)`` counts the birth day as day 1 (the 60-day rule: applying on day 60
still pays from the birth month).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

__all__ = [
    "Month",
    "add_months",
    "add_years",
    "completed_months",
    "day_of_life",
    "month_of_life",
]


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month (``YYYY-MM``)."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12 or not 1 <= self.year <= 9999:
            raise ValueError(f"not a month: {self.year}-{self.month}")

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    @classmethod
    def parse(cls, text: str) -> Month:
        """``"2026-03"`` → ``Month(2026, 3)``; anything else raises ValueError."""
        parts = text.split("-")
        if len(parts) != 2 or len(parts[0]) != 4 or len(parts[1]) != 2:
            raise ValueError(f"not a month in the form YYYY-MM: {text!r}")
        if not (parts[0].isascii() and parts[0].isdigit() and parts[1].isascii()):
            raise ValueError(f"not a month in the form YYYY-MM: {text!r}")
        if not parts[1].isdigit():
            raise ValueError(f"not a month in the form YYYY-MM: {text!r}")
        return cls(int(parts[0]), int(parts[1]))

    @property
    def index(self) -> int:
        return self.year * 12 + self.month - 1

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    def plus(self, months: int) -> Month:
        i = self.index + months
        return Month(i // 12, i % 12 + 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months, clamped to the last day of the target month."""
    target = Month.of(day).plus(months)
    last = calendar.monthrange(target.year, target.month)[1]
    return date(target.year, target.month, min(day.day, last))


def add_years(day: date, years: int) -> date:
    """``day`` plus ``years`` years (29 February → 28 February in a common year)."""
    return add_months(day, 12 * years)


def month_of_life(birth: date, month: Month) -> int:
    """The month ``month`` counted from the birth month (birth month = 0; before it, negative)."""
    return month.index - Month.of(birth).index


def completed_months(birth: date, on: date) -> int:
    """Whole months lived on ``on`` (negative before the birth)."""
    n = month_of_life(birth, Month.of(on))
    if add_months(birth, n) > on:
        n -= 1
    return n


def day_of_life(birth: date, on: date) -> int:
    """The day ``on`` counted with the birth day as day 1 (60-day rule, life-events.md §2.4)."""
    return (on - birth).days + 1
