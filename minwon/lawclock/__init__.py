"""lawclock: the law's own clock for every 민원 deadline (민원처리법 제19조, 시행령 제19조–제21조).

A pure package (stdlib + ``holidays``): no Django, enforced by import-linter. The reading of the law
it implements is settled in ``deadline-contract.md``; see ``due.py`` for the rules.

    >>> from datetime import datetime
    >>> from zoneinfo import ZoneInfo
    >>> cal = WorkingCalendar.default()
    >>> d = compute_deadline(registered_at=datetime(2026, 3, 9, 10, tzinfo=ZoneInfo("Asia/Seoul")),
    ...                      period="7d", calendar=cal)
    >>> d.due_at.isoformat(), d.legal_basis
    ('2026-03-17T18:00:00+09:00', '민원처리법 제19조 제2항')
"""

from minwon.lawclock.batch import compute_due_ats
from minwon.lawclock.calendar import SEOUL, SkippedDay, WorkingCalendar, korean_public_holidays
from minwon.lawclock.days import civil_code_last_day
from minwon.lawclock.deadline import RULE_VERSION, Deadline, Explanation
from minwon.lawclock.due import (
    compute_deadline,
    compute_due_at,
    period_used_fraction,
    working_time_between,
)
from minwon.lawclock.errors import LawclockError
from minwon.lawclock.periods import Period, parse_period
from minwon.lawclock.procedures import (
    extension_deadline,
    registration_deadline,
    supplement_request_deadline,
    transfer_deadline,
)

__all__ = [
    "RULE_VERSION",
    "SEOUL",
    "Deadline",
    "Explanation",
    "LawclockError",
    "Period",
    "SkippedDay",
    "WorkingCalendar",
    "civil_code_last_day",
    "compute_deadline",
    "compute_due_at",
    "compute_due_ats",
    "extension_deadline",
    "korean_public_holidays",
    "parse_period",
    "period_used_fraction",
    "registration_deadline",
    "supplement_request_deadline",
    "transfer_deadline",
    "working_time_between",
]
