"""Re-computing the stored deadlines of every open complaint (after a holiday change).

Fast by construction:

* reading: on PostgreSQL one server-side cursor (`WITH HOLD`, so the batches can commit while it
  is open) streams the open rows with the JSON columns as text; elsewhere primary-key ranges with
  `values_list`. No model instances, no per-row queries.
* computing: rows without excluded intervals and extensions (nearly all) are grouped by clock and
  period and computed in bulk with `lawclock.compute_due_ats` (C-level maps for the day rule, the
  short path for hour rules), calendar-rule deadlines memoised by their start date; their rule and
  legal basis come from `clock_deadline` on the first row of each group, which is also checked
  against the bulk result. Every other row goes through `clock_deadline` one by one.
* writing: only rows whose deadline (instant, rule or legal basis) changed are written, with
  one `UPDATE … FROM unnest(…)` per batch on PostgreSQL (`bulk_update` elsewhere), and they get
  the new calendar and rule versions. A row whose deadline the new calendar leaves where it was
  keeps its stored versions: they name a calendar that produced exactly the stored deadline, so
  an auditor re-deriving it gets the same answer, and the recompute itself is recorded in the
  audit log with the new version. (Rewriting the provenance of every open row cost more than the
  whole 60-second budget on its own: one `UPDATE` of 1M rows measured 63 s; docs/benchmarks.md.)
  Each batch commits on its own (row locks are
  held for one batch only); on PostgreSQL outside a transaction the batches are written from a
  thread with its own connection, so the server writes batch k while Python computes batch k + 1.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Max, Min

from minwon.complaints.domain import ClockKind
from minwon.complaints.models import Complaint
from minwon.complaints.selectors import city_calendar
from minwon.complaints.services.common import clock_deadline
from minwon.complaints.services.moved_dates import (
    Move,
    MoveCause,
    complaint_told_dates_move,
    deadline_moves_record,
)
from minwon.core.services import audit_record
from minwon.lawclock import (
    RULE_VERSION,
    SEOUL,
    LawclockError,
    WorkingCalendar,
    compute_due_at,
    compute_due_ats,
    parse_period,
)

Row = tuple[int, datetime | None, str, str, str, str]  # pk, due_at, rule, basis, calendar, rule v.
_FIELDS = ["due_at", "deadline_rule", "deadline_legal_basis", "calendar_version", "rule_version"]
_CLOCKS = [ClockKind.REGISTRATION.value, ClockKind.PROCESSING.value, ClockKind.OBJECTION.value]
_EMPTY: tuple[object, ...] = ("[]", [])  # an empty JSON list, as text (PostgreSQL) or parsed
_NO_DEADLINE: tuple[None, str, str, str, str] = (None, "", "", "", "")

# Positions in a read row (see _COLUMNS).
_PK, _CLOCK, _START, _PERIOD, _EXCLUDED, _EXTENSIONS, _DUE, _RULE, _BASIS, _CAL, _RV = range(11)
_COLUMNS = (
    "id",
    "clock",
    "clock_started_at",
    "period",
    "excluded_intervals",
    "extensions",
    "due_at",
    "deadline_rule",
    "deadline_legal_basis",
    "calendar_version",
    "rule_version",
)


@dataclass(frozen=True)
class RecomputeResult:
    scanned: int
    changed: int
    failed: int
    calendar_version: str
    seconds: float
    moved: int = 0  # complaints told of a moved date (history rows written)


def complaint_deadlines_recompute(
    *,
    batch_size: int = 5000,
    progress: Callable[[int], None] | None = None,
    cause: MoveCause | None = None,
) -> RecomputeResult:
    """Re-compute `due_at` (and its provenance) of every complaint whose legal clock runs, then
    the other legal dates a holiday moves (`moved_dates`); every moved date gets a history row
    and, if the complainant was told it, a notice. `cause`: the holiday changes behind the run."""
    started = time.monotonic()
    calendar = city_calendar()
    cause = cause or MoveCause()
    planner = _Planner(calendar)
    writer = _Writer(calendar.version, cause)
    scanned = changed = failed = 0
    try:
        for rows in _read(batch_size):
            plan = planner.plan(rows)
            writer.submit(plan)
            scanned += len(rows)
            changed += len(plan.updates)
            failed += plan.failed
            if progress is not None:
                progress(len(rows))
    finally:
        writer.close()
    moved = writer.moved + complaint_told_dates_move(calendar=calendar, cause=cause)
    result = RecomputeResult(
        scanned, changed, failed, calendar.version, time.monotonic() - started, moved
    )
    audit_record(
        actor=None,
        action="complaint.deadlines_recomputed",
        target_type=Complaint._meta.label_lower,
        data={
            "scanned": scanned,
            "changed": changed,
            "failed": failed,
            "moved": moved,
            "calendar_version": calendar.version,
        },
    )
    return result


# --- computing -------------------------------------------------------------------------------


@dataclass
class _Plan:
    updates: list[Row]  # rows whose deadline changed: every deadline column is written
    failed: int
    moves: list[Move] = field(default_factory=list)  # rows whose due instant itself moved


@dataclass(frozen=True)
class _Template:
    """What every plain row (no excluded interval, no extension) of one (clock, period) shares."""

    period: str  # as given to compute_due_ats
    rule: str
    basis: str
    by_date: bool  # calendar rule: the deadline depends on the start date only (memoised)


class _Planner:
    """Decides, row by row, what a recompute writes; the answers are those of `clock_deadline`."""

    def __init__(self, calendar: WorkingCalendar) -> None:
        self.calendar = calendar
        self.version = calendar.version
        self.templates: dict[tuple[str, str], _Template | None] = {}
        self.by_date: dict[tuple[str, date], datetime] = {}

    def plan(self, rows: Sequence[Sequence[Any]]) -> _Plan:
        plan = _Plan([], 0)
        groups: dict[tuple[str, str], list[Sequence[Any]]] = {}
        for row in rows:
            if row[_EXCLUDED] in _EMPTY and row[_EXTENSIONS] in _EMPTY and row[_START] is not None:
                # the registration clock runs 8 working hours whatever the stored period
                key = (row[_CLOCK], "" if row[_CLOCK] == ClockKind.REGISTRATION else row[_PERIOD])
                group = groups.get(key)
                if group is None:
                    groups[key] = group = []
                group.append(row)
            else:
                self._one(row, plan)
        for key, group in groups.items():
            template = self._template(key, group[0])
            dues = self._bulk(template, group) if template is not None else None
            if template is None or dues is None:
                for row in group:
                    self._one(row, plan)
                continue
            rule, basis, version = template.rule, template.basis, self.version
            updates, moves = plan.updates, plan.moves
            for row, due in zip(group, dues, strict=True):
                if row[_DUE] == due and row[_RULE] == rule and row[_BASIS] == basis:
                    continue  # the same deadline keeps the versions that produced it
                updates.append((row[_PK], due, rule, basis, version, RULE_VERSION))
                if row[_DUE] != due:
                    moves.append((row[_PK], row[_DUE], due, row[_CLOCK]))
        return plan

    def _template(self, key: tuple[str, str], first: Sequence[Any]) -> _Template | None:
        """The group's rule and legal basis, from `clock_deadline` on its first row (whose due
        instant must also be what the bulk path gives); None: compute the group row by row."""
        if key in self.templates:
            return self.templates[key]
        template: _Template | None = None
        try:
            deadline = clock_deadline(
                clock_kind=first[_CLOCK],
                started_at=first[_START],
                period=first[_PERIOD],
                excluded=[],
                extensions=[],
                calendar=self.calendar,
            )
            clock_kind, period = key
            bulk_period = "8h" if clock_kind == ClockKind.REGISTRATION else period
            rule = parse_period(bulk_period).rule
            if (
                deadline is not None
                and deadline.rule == rule
                and deadline.calendar_version == self.version
                and deadline.rule_version == RULE_VERSION
                and compute_due_at(
                    registered_at=first[_START], period=bulk_period, calendar=self.calendar
                )
                == deadline.due_at
            ):
                template = _Template(
                    bulk_period, deadline.rule, deadline.legal_basis[:200], rule == "calendar"
                )
        except LawclockError:
            template = None
        self.templates[key] = template
        return template

    def _bulk(self, template: _Template, group: list[Sequence[Any]]) -> list[datetime] | None:
        """The due instants of a group of plain rows; None if one of them fails (then every row
        of the group goes one by one, so only the bad ones count as failed)."""
        starts = [row[_START].astimezone(SEOUL) for row in group]
        try:
            if not template.by_date:
                return compute_due_ats(
                    starts, [template.period] * len(starts), calendar=self.calendar
                )
            memo, period, dues = self.by_date, template.period, []
            for start in starts:
                key = (period, start.date())
                due = memo.get(key)
                if due is None:
                    memo[key] = due = compute_due_at(
                        registered_at=start, period=period, calendar=self.calendar
                    )
                dues.append(due)
            return dues
        except LawclockError:
            return None

    def _one(self, row: Sequence[Any], plan: _Plan) -> None:
        try:
            deadline = clock_deadline(
                clock_kind=row[_CLOCK],
                started_at=row[_START],
                period=row[_PERIOD],
                excluded=_json_list(row[_EXCLUDED]),
                extensions=_json_list(row[_EXTENSIONS]),
                calendar=self.calendar,
            )
        except LawclockError:
            plan.failed += 1
            return
        new: tuple[datetime | None, str, str, str, str] = (
            _NO_DEADLINE
            if deadline is None
            else (
                deadline.due_at,
                deadline.rule,
                deadline.legal_basis[:200],
                deadline.calendar_version,
                deadline.rule_version,
            )
        )
        stored = tuple(row[_DUE:])
        if new == stored:
            return
        if new[:3] == stored[:3] and new[0] is not None:
            return  # the same deadline keeps the versions that produced it
        plan.updates.append((row[_PK], *new))
        if new[0] != stored[0]:
            plan.moves.append((row[_PK], stored[0], new[0], row[_CLOCK]))


def _json_list(value: Any) -> list[Any]:
    if isinstance(value, str):
        return [] if value == "[]" else list(json.loads(value))
    return list(value or [])


# --- reading and writing ---------------------------------------------------------------------


def _read(batch_size: int) -> Iterator[list[tuple[Any, ...]]]:
    """The open rows, in batches of about `batch_size`."""
    if connection.vendor == "postgresql":
        yield from _read_postgresql(batch_size)
        return
    bounds = Complaint.objects.filter(clock__in=_CLOCKS).aggregate(lo=Min("pk"), hi=Max("pk"))
    lo, hi = bounds["lo"], bounds["hi"]
    names = ["pk" if c == "id" else c for c in _COLUMNS]
    for first in range(lo or 0, (hi or -1) + 1, batch_size):
        # a primary-key range, not LIMIT: an index range scan and no sort, whatever the stats
        base = Complaint.objects.filter(clock__in=_CLOCKS, pk__gte=first, pk__lt=first + batch_size)
        rows = list(base.values_list(*names))
        if rows:
            yield rows


def _read_postgresql(batch_size: int) -> Iterator[list[tuple[Any, ...]]]:
    """One scan through a server-side cursor. `WITH HOLD`: it outlives the commits of the
    batches written meanwhile (PostgreSQL keeps its rows), and it reads one snapshot, so a row
    written by an earlier batch is never read again. The JSON columns come as text: most lists
    are empty and are recognised without parsing."""
    columns = ", ".join(
        f"{c}::text" if c in ("excluded_intervals", "extensions") else c for c in _COLUMNS
    )
    import psycopg

    connection.ensure_connection()
    raw = connection.connection
    assert raw is not None
    timestamptz = psycopg.adapters.types["timestamptz"].oid
    with raw.cursor(name=f"minwon_recompute_{id(raw)}", withhold=True) as cursor:
        # psycopg's own timestamptz loader (C, with psycopg[binary]), not Django's: Django's
        # subclass of the pure-Python loader costs ~8 µs a value, 2 values a row. Instants come
        # in the session's time zone (UTC under Django), which is all the comparisons need.
        loader = psycopg.adapters.get_loader(timestamptz, psycopg.pq.Format.TEXT)
        if loader is not None:
            cursor.adapters.register_loader(timestamptz, loader)
        cursor.execute(
            f"SELECT {columns} FROM {Complaint._meta.db_table} WHERE clock = ANY(%s)",
            [_CLOCKS],
        )
        while rows := cursor.fetchmany(batch_size):
            yield rows


class _Writer:
    """Writes each batch's plan in a transaction of its own.

    On PostgreSQL outside a transaction, the writes run in a thread with its own connection, one
    batch in flight: the server writes batch k while Python computes batch k + 1 (psycopg
    releases the GIL while it waits). Inside a transaction (a caller's, or a test's) everything
    stays on the caller's connection, in order.
    """

    def __init__(self, version: str, cause: MoveCause) -> None:
        self.version = version
        self.cause = cause
        self.moved = 0  # history rows written by the batches (read after close)
        threaded = connection.vendor == "postgresql" and not connection.in_atomic_block
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="recompute") if threaded else None
        self.pending: Future[int] | None = None

    def submit(self, plan: _Plan) -> None:
        if not plan.updates:
            return
        if self.pool is None:
            self.moved += _write_plan(plan, self.version, self.cause)
            return
        if self.pending is not None:
            self.moved += self.pending.result()
        self.pending = self.pool.submit(_write_plan, plan, self.version, self.cause)

    def close(self) -> None:
        if self.pool is None:
            return
        try:
            if self.pending is not None:
                self.moved += self.pending.result()
                self.pending = None
        finally:
            self.pool.submit(_close_connection).result()
            self.pool.shutdown()


def _write_plan(plan: _Plan, version: str, cause: MoveCause) -> int:
    own_transaction = not connection.in_atomic_block
    with transaction.atomic():
        if own_transaction and connection.vendor == "postgresql":
            # Each batch is re-done by the next run if lost in a crash; the final audit record
            # commits synchronously, and with it every batch before it. (Never inside a
            # caller's transaction: SET LOCAL would last until that one ends.)
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        if plan.updates:
            _write(plan.updates)
        # the history of what moved, in the batch's transaction (never a moved date unrecorded)
        return deadline_moves_record(plan.moves, cause=cause, version=version)


def _close_connection() -> None:
    connection.close()


def _write(rows: list[Row]) -> None:
    if connection.vendor == "postgresql":
        columns = list(zip(*rows, strict=True))
        # instants as ISO text: cheaper to send than datetime objects, cast by the server
        columns[1] = tuple(d.isoformat() if d is not None else None for d in columns[1])
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                UPDATE {Complaint._meta.db_table} AS c
                   SET due_at = v.due_at, deadline_rule = v.rule,
                       deadline_legal_basis = v.basis, calendar_version = v.cal,
                       rule_version = v.rv
                  FROM unnest(%s::bigint[], %s::timestamptz[], %s::text[], %s::text[],
                              %s::text[], %s::text[]) AS v(id, due_at, rule, basis, cal, rv)
                 WHERE c.id = v.id
                """,
                [list(column) for column in columns],
            )
        return
    objects = [
        Complaint(
            pk=pk,
            due_at=due,
            deadline_rule=rule,
            deadline_legal_basis=basis,
            calendar_version=cal,
            rule_version=rv,
        )
        for pk, due, rule, basis, cal, rv in rows
    ]
    Complaint.objects.bulk_update(objects, _FIELDS, batch_size=500)
