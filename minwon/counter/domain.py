"""Pure rules of the counter (issue 17; stdlib only): ticket and window states, the fairness rule
that puts 배려대상자 first without starving anyone, the predicted order of a queue, and wait
estimates from recent service times.

The fairness rule (docs/counter.md says the same in words, and the board shows it):

* Tickets of one window group wait in two lines, priority (사회적 배려대상자) and ordinary; each
  line is first come, first served by its *queue instant* (the issue time, or for a checked-in
  reservation its slot's start, so a reservation keeps its appointment).
* The group's *priority run* is the number of priority tickets called one after the other since
  the last ordinary ticket was called (read from the committed call history).
* An ordinary window calls the head of the priority line while the run is below
  `PRIORITY_RUN_LIMIT`; once it reaches it, the head of the ordinary line goes next (when anyone
  waits there), which ends the run.
* A 배려창구 (care window) calls priority tickets first and ordinary ones when no priority ticket
  waits; it yields to the ordinary line only when the run reaches `CARE_RUN_LIMIT`, which a run
  reaches only when no ordinary window of the group is calling.
* A ticket transferred to one window is called by that window before anything else.

No starvation: the head of the ordinary line is called within `CARE_RUN_LIMIT + 1` calls of its
group, so an ordinary ticket with `n` ordinary tickets ahead of it is called within
`(n + 1) * (CARE_RUN_LIMIT + 1)` calls (`tests/test_domain.py` checks it over random arrivals
and calls). Windows that call at the same instant read the same committed run, so the run can
pass a limit by at most the number of windows calling at once, minus one; it never grows
without bound.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

# Priority tickets an ordinary window calls in a row before an ordinary ticket's turn.
PRIORITY_RUN_LIMIT = 3
# … and a 배려창구 (it serves priority first; the limit only matters when it calls alone).
CARE_RUN_LIMIT = 6


class TicketStatus(StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    SERVED = "served"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"


class TicketAction(StrEnum):
    CALL = "call"
    RECALL = "recall"
    TRANSFER = "transfer"
    SERVE = "serve"
    NO_SHOW = "no_show"
    CANCEL = "cancel"


# (status, action) → next status. Anything else is refused (`next_status` returns None).
TRANSITIONS: dict[tuple[TicketStatus, TicketAction], TicketStatus] = {
    (TicketStatus.WAITING, TicketAction.CALL): TicketStatus.CALLED,
    (TicketStatus.CALLED, TicketAction.RECALL): TicketStatus.CALLED,
    (TicketStatus.CALLED, TicketAction.SERVE): TicketStatus.SERVED,
    (TicketStatus.CALLED, TicketAction.NO_SHOW): TicketStatus.NO_SHOW,
    (TicketStatus.CALLED, TicketAction.TRANSFER): TicketStatus.WAITING,
    (TicketStatus.WAITING, TicketAction.TRANSFER): TicketStatus.WAITING,
    (TicketStatus.WAITING, TicketAction.CANCEL): TicketStatus.CANCELLED,
}

FINISHED = frozenset({TicketStatus.SERVED, TicketStatus.NO_SHOW, TicketStatus.CANCELLED})


def next_status(status: TicketStatus, action: TicketAction) -> TicketStatus | None:
    return TRANSITIONS.get((status, action))


class WindowKind(StrEnum):
    ORDINARY = "ordinary"
    CARE = "care"  # 배려창구


class PriorityReason(StrEnum):
    """Who a 배려창구 is for (사회적 배려대상자)."""

    SENIOR = "senior"  # 65 or older
    DISABILITY = "disability"
    PREGNANCY_INFANT = "pregnancy_infant"  # pregnant, or with an infant
    INTERPRETATION = "interpretation"  # a foreign resident who needs an interpreter
    OTHER = "other"


class Line(StrEnum):
    PRIORITY = "priority"
    ORDINARY = "ordinary"


def priority_run(recent_calls: Iterable[bool]) -> int:
    """The group's priority run: `recent_calls` are the latest calls' priority flags, newest
    first; the run is how many lead the list before the first ordinary one."""
    run = 0
    for was_priority in recent_calls:
        if not was_priority:
            break
        run += 1
    return run


def run_limit(kind: WindowKind) -> int:
    return CARE_RUN_LIMIT if kind == WindowKind.CARE else PRIORITY_RUN_LIMIT


def line_to_call(
    kind: WindowKind, *, priority_waiting: bool, ordinary_waiting: bool, run: int
) -> Line | None:
    """Which line the window takes its next ticket from (None: nobody waits)."""
    if priority_waiting and ordinary_waiting:
        return Line.PRIORITY if run < run_limit(kind) else Line.ORDINARY
    if priority_waiting:
        return Line.PRIORITY
    if ordinary_waiting:
        return Line.ORDINARY
    return None


def preferred_line(kind: WindowKind, *, run: int) -> Line:
    """The line a window takes from when both lines wait; when only one does, it takes that one.
    The same rule as `line_to_call`, in the form one ordered query needs (the service orders the
    waiting tickets by "in the preferred line" first, then by queue instant, and locks the first
    it can: `SELECT … ORDER BY … LIMIT 1 FOR UPDATE SKIP LOCKED`)."""
    return Line.PRIORITY if run < run_limit(kind) else Line.ORDINARY


def run_after(run: int, called: Line) -> int:
    return run + 1 if called == Line.PRIORITY else 0


@dataclass(frozen=True)
class Waiting:
    """A waiting ticket as the rule sees it."""

    id: int
    priority: bool
    queued_at: datetime


def _sorted(tickets: Iterable[Waiting]) -> list[Waiting]:
    return sorted(tickets, key=lambda t: (t.queued_at, t.id))


def choose(kind: WindowKind, waiting: Iterable[Waiting], *, run: int) -> Waiting | None:
    """The ticket a window of `kind` calls next from `waiting` (one group's waiting tickets)."""
    tickets = list(waiting)
    priority = [t for t in tickets if t.priority]
    ordinary = [t for t in tickets if not t.priority]
    line = line_to_call(
        kind, priority_waiting=bool(priority), ordinary_waiting=bool(ordinary), run=run
    )
    if line is None:
        return None
    return _sorted(priority if line == Line.PRIORITY else ordinary)[0]


def queue_order(
    waiting: Iterable[Waiting], *, run: int, kind: WindowKind = WindowKind.ORDINARY
) -> list[Waiting]:
    """The order in which windows of `kind` would call `waiting` if nobody else arrived: what
    the phone page counts ("3 people ahead of you") and the board lists."""
    tickets = list(waiting)
    priority = _sorted(t for t in tickets if t.priority)
    ordinary = _sorted(t for t in tickets if not t.priority)
    order: list[Waiting] = []
    p = o = 0
    while p < len(priority) or o < len(ordinary):
        line = line_to_call(
            kind,
            priority_waiting=p < len(priority),
            ordinary_waiting=o < len(ordinary),
            run=run,
        )
        assert line is not None
        if line == Line.PRIORITY:
            order.append(priority[p])
            p += 1
        else:
            order.append(ordinary[o])
            o += 1
        run = run_after(run, line)
    return order


def ahead_of(ticket_id: int, waiting: Iterable[Waiting], *, run: int) -> int | None:
    """How many tickets will be called before `ticket_id` (None: it is not waiting)."""
    for index, ticket in enumerate(queue_order(waiting, run=run)):
        if ticket.id == ticket_id:
            return index
    return None


# --- wait estimates ---------------------------------------------------------------------------

# Service times used for an estimate: the latest this many of the category, not older than …
ESTIMATE_SAMPLE = 20
ESTIMATE_WINDOW = timedelta(hours=3)
# … and with fewer than this many samples, the category's default service time is used.
ESTIMATE_MIN_SAMPLES = 3
DEFAULT_SERVICE_SECONDS = 300


def typical_service_seconds(
    recent_seconds: Sequence[float], *, default_seconds: float = DEFAULT_SERVICE_SECONDS
) -> float:
    """The median of the recent service times (robust to one long case), or the default."""
    samples = [s for s in recent_seconds if s >= 0][:ESTIMATE_SAMPLE]
    if len(samples) < ESTIMATE_MIN_SAMPLES:
        return float(default_seconds)
    return float(statistics.median(samples))


def estimate_wait_minutes(*, ahead: int, open_windows: int, service_seconds: float) -> int | None:
    """Minutes until a ticket with `ahead` tickets before it is called, rounded up to the
    minute. The open windows work in parallel and are taken to be busy: the first window frees
    after half a service on average, so the ticket waits ⌊ahead / windows⌋ full services plus
    half of one. None when no window is open."""
    if open_windows <= 0:
        return None
    if ahead < 0:
        raise ValueError("ahead must not be negative")
    seconds = (ahead // open_windows + 0.5) * service_seconds
    return math.ceil(seconds / 60)


# --- ticket numbers ---------------------------------------------------------------------------


def ticket_label(prefix: str, number: int) -> str:
    """What the board shows and the ticket prints: the group's letter and a three-digit number."""
    return f"{prefix}{number:03d}"


def service_day(instant: datetime) -> date:
    """Numbers start again each day (the caller passes a Korean-time instant)."""
    return instant.date()
