"""The selector contract of the sweeps: the rows they read (pure data, stdlib only).

The complaints context's table is one source (selectors.complaint_deadline_source); a benchmark
table or a test list is another. A source yields these dataclasses or tuples in field order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from minwon.complaints.domain import ComplaintStatus

# The processing clock runs (a supplement request pauses it: no warnings while it is paused).
DEADLINE_STATES: frozenset[str] = frozenset(
    {
        ComplaintStatus.REGISTERED.value,
        ComplaintStatus.IN_PROGRESS.value,
        ComplaintStatus.OBJECTION_PENDING.value,
    }
)
REGISTRATION_STATES: frozenset[str] = frozenset({ComplaintStatus.RECEIVED.value})
REGISTRATION_ALARM_PERCENT = 50  # of the 8 working hours (영 제6조⑧), so there is time to act


@dataclass(frozen=True)
class DeadlineRow:
    """The selector contract of the deadline sweeps (first six fields are required)."""

    complaint_id: int
    officer_id: int | None
    head_id: int | None
    clock_from: datetime  # when the clock the row measures started (the legal period's start)
    due_at: datetime
    state: str
    complaint_no: str = ""
    title: str = ""
    org_unit_id: int | None = None
    officer_name: str = ""


@dataclass(frozen=True)
class DigestRow:
    org_unit_id: int
    unit_name: str
    open_count: int
    due_soon: int
    overdue: int
    recipient_ids: tuple[int, ...]


@dataclass(frozen=True)
class SqlSource:
    """A SELECT returning the DeadlineRow columns by name; `params` fill its %s placeholders."""

    sql: str
    params: Sequence[Any] = ()
