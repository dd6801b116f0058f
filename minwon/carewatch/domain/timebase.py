"""Time arithmetic of the detector: epoch milliseconds, Korea Standard Time (UTC+9, no DST).

The local "care day" starts at 04:00 KST (care-monitor.md §3.2), so a late-night session belongs
to the evening before. Slots are the 48 half-hours of the local clock.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

KST = timezone(timedelta(hours=9), "KST")
MINUTE = 60_000
HOUR = 60 * MINUTE
DAY = 24 * HOUR
SLOT = 30 * MINUTE
SLOTS = 48
KST_OFFSET = 9 * HOUR
DAY_START = 4 * HOUR  # the care day starts at 04:00 local time


def slot_of(t: int) -> int:
    """Half-hour slot 0..47 of the local clock (0 = 00:00–00:30 KST)."""
    return ((t + KST_OFFSET) % DAY) // SLOT


def slot_start(t: int) -> int:
    return t - ((t + KST_OFFSET) % SLOT)


def care_day(t: int) -> int:
    """Number of the local care day (04:00 KST to 04:00 KST) that contains `t`."""
    return (t + KST_OFFSET - DAY_START) // DAY


def care_day_start(day: int) -> int:
    return day * DAY + DAY_START - KST_OFFSET


def is_weekend_day(day: int) -> bool:
    """Saturday or Sunday (1970-01-01 was a Thursday)."""
    return (day + 3) % 7 >= 5


def minute_of_local_day(t: int) -> int:
    return ((t + KST_OFFSET) % DAY) // MINUTE


def to_iso(t: int) -> str:
    """ISO 8601 with the +09:00 offset, to the second."""
    return datetime.fromtimestamp(t / 1000, KST).isoformat(timespec="seconds")


def parse_iso(text: str) -> int:
    """ISO 8601 → epoch ms; a value without an offset is read as KST."""
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=KST)
    return int(value.timestamp() * 1000)


def parse_hhmm(text: str | None) -> int | None:
    """ "HH:MM" → minutes after local midnight; None stays None; ValueError when malformed."""
    if text is None:
        return None
    hours, _, minutes = text.partition(":")
    h, m = int(hours), int(minutes)
    if not (0 <= h < 24 and 0 <= m < 60) or len(minutes) != 2:
        raise ValueError(text)
    return h * 60 + m
