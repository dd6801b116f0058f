"""Shared helpers for the pure lawclock tests (no database, no Django settings, no conftest)."""

from __future__ import annotations

from datetime import date, datetime

from minwon.lawclock import SEOUL, WorkingCalendar


def kst(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    """A Seoul-time instant."""
    return datetime(y, mo, d, h, mi, tzinfo=SEOUL)


CAL = WorkingCalendar.default()


def plain_calendar(*extra: date) -> WorkingCalendar:
    """Weekends only (plus ``extra``): a source with no public holidays, for rule-only tests."""

    def no_holidays(year: int) -> tuple[tuple[date, str, str], ...]:
        return ()

    return WorkingCalendar(extra_holidays=frozenset(extra), source=no_holidays)
