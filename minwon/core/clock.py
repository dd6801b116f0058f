"""The one place the application asks what time it is.

Tests move it with time-machine. `clock.moved_to(instant)` sets the application's "now" for a
block of code in this thread only: the demo uses it to create complaints that arrived and were
registered days ago, so the legal clock has something to show. Nothing in a request path uses it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

SEOUL = ZoneInfo("Asia/Seoul")

_offset: ContextVar[timedelta] = ContextVar("minwon_clock_offset", default=timedelta(0))


def now() -> datetime:
    return timezone.now() + _offset.get()


def local_now() -> datetime:
    return now().astimezone(SEOUL)


def start_of_day(day: date) -> datetime:
    """Midnight at the start of `day` in Korean time."""
    return datetime.combine(day, time(0, 0), tzinfo=SEOUL)


@contextmanager
def moved_to(instant: datetime) -> Iterator[None]:
    """Within the block, `now()` is `instant` plus the time elapsed since entering it."""
    if instant.tzinfo is None:
        raise ValueError("moved_to needs an aware datetime")
    token = _offset.set(instant - timezone.now())
    try:
        yield
    finally:
        _offset.reset(token)
