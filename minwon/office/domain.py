"""Pure rules of the officer interface: how much of the legal period a complaint has used."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

WATCH_FROM = 0.5  # half the period gone: keep an eye on it
URGENT_FROM = 0.8  # four fifths gone: act now


class Urgency(StrEnum):
    NONE = "none"  # no running deadline (paused, tip, closed)
    OK = "ok"
    WATCH = "watch"
    URGENT = "urgent"
    OVERDUE = "overdue"


def period_used(
    *, started_at: datetime | None, due_at: datetime | None, now: datetime
) -> float | None:
    """The share of the period used (0.0 at the start, 1.0 at the deadline, above 1 when late).

    Calendar time is a fair proxy for the queue's colour; the deadline itself comes from lawclock.
    """
    if started_at is None or due_at is None or due_at <= started_at:
        return None
    return max((now - started_at) / (due_at - started_at), 0.0)


def urgency(used: float | None) -> Urgency:
    if used is None:
        return Urgency.NONE
    if used >= 1:
        return Urgency.OVERDUE
    if used >= URGENT_FROM:
        return Urgency.URGENT
    if used >= WATCH_FROM:
        return Urgency.WATCH
    return Urgency.OK
