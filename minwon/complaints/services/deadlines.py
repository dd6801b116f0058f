"""Re-computing the stored deadlines of every open complaint (after a holiday change).

Fast by construction: rows are read in primary-key ranges with `values_list` (no model instances,
no per-row queries), computed in memory with lawclock, and only changed rows are written — with
one `UPDATE … FROM unnest(…)` per batch on PostgreSQL, `bulk_update` elsewhere.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from django.db import connection, transaction
from django.db.models import Max, Min

from minwon.complaints.domain import Clock
from minwon.complaints.models import Complaint
from minwon.complaints.services.common import city_calendar, clock_deadline
from minwon.core.services import audit_record
from minwon.lawclock import RULE_VERSION, SEOUL, LawclockError, parse_period

Row = tuple[int, datetime | None, str, str, str, str]  # pk, due_at, rule, basis, calendar, rule v.
_FIELDS = ["due_at", "deadline_rule", "deadline_legal_basis", "calendar_version", "rule_version"]
_CLOCKS = [Clock.REGISTRATION.value, Clock.PROCESSING.value, Clock.OBJECTION.value]


@dataclass(frozen=True)
class RecomputeResult:
    scanned: int
    changed: int
    failed: int
    calendar_version: str
    seconds: float


def complaint_deadlines_recompute(
    *, batch_size: int = 5000, progress: Callable[[int], None] | None = None
) -> RecomputeResult:
    """Re-compute `due_at` (and its provenance) of every complaint whose legal clock runs."""
    started = time.monotonic()
    calendar = city_calendar()
    scanned = changed = failed = 0
    bounds = Complaint.objects.filter(clock__in=_CLOCKS).aggregate(lo=Min("pk"), hi=Max("pk"))
    lo, hi = bounds["lo"], bounds["hi"]
    memo: dict[tuple[object, ...], tuple[datetime | None, str, str, str, str]] = {}
    for first in range(lo or 0, (hi or -1) + 1, batch_size):
        # a primary-key range, not LIMIT: an index range scan and no sort, whatever the stats
        rows = _read_batch(first, first + batch_size)
        if not rows:
            continue
        updates: list[Row] = []
        version_only: list[int] = []
        for pk, kind, start, period, excluded_raw, extensions_raw, *stored in rows:
            excluded = _json_list(excluded_raw)
            extensions = _json_list(extensions_raw)
            # A plain day- or calendar-rule deadline depends only on the start date: memoise it.
            key: tuple[object, ...] | None = None
            if not excluded and not extensions and start is not None:
                by_date = kind != Clock.REGISTRATION and _day_based(period)
                key = (kind, period, start.astimezone(SEOUL).date() if by_date else start)
                cached = memo.get(key)
                if cached is not None:
                    _classify((pk, *cached), stored, updates, version_only)
                    continue
            try:
                deadline = clock_deadline(
                    clock_kind=kind,
                    started_at=start,
                    period=period,
                    excluded=excluded,
                    extensions=extensions,
                    calendar=calendar,
                )
            except LawclockError:
                failed += 1
                continue
            if deadline is None:
                new: Row = (pk, None, "", "", "", "")
            else:
                new = (
                    pk,
                    deadline.due_at,
                    deadline.rule,
                    deadline.legal_basis[:200],
                    deadline.calendar_version,
                    deadline.rule_version,
                )
            if key is not None:
                memo[key] = new[1:]
            _classify(new, stored, updates, version_only)
        if updates:
            _write(updates)
        if version_only:
            # Same deadline, new calendar: only the provenance changes. No indexed column is
            # touched, so PostgreSQL can update in place (HOT), far cheaper than a full update.
            Complaint.objects.filter(pk__in=version_only).update(
                calendar_version=calendar.version, rule_version=RULE_VERSION
            )
        scanned += len(rows)
        changed += len(updates)
        if progress is not None:
            progress(len(rows))
    result = RecomputeResult(scanned, changed, failed, calendar.version, time.monotonic() - started)
    audit_record(
        actor=None,
        action="complaint.deadlines_recomputed",
        target_type=Complaint._meta.label_lower,
        data={
            "scanned": scanned,
            "changed": changed,
            "failed": failed,
            "calendar_version": calendar.version,
        },
    )
    return result


def _classify(new: Row, stored: list[Any], updates: list[Row], version_only: list[int]) -> None:
    if list(new[1:]) == stored:
        return
    if list(new[1:4]) == stored[:3] and new[4:] == (new[4], RULE_VERSION) and new[1] is not None:
        version_only.append(new[0])
    else:
        updates.append(new)


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


def _read_batch(first: int, end: int) -> list[tuple[Any, ...]]:
    """The open rows with first <= pk < end. On PostgreSQL a plain cursor with the JSON columns
    as text skips the ORM's per-value converters and most JSON parsing (most lists are empty)."""
    if connection.vendor == "postgresql":
        columns = ", ".join(
            f"{c}::text" if c in ("excluded_intervals", "extensions") else c for c in _COLUMNS
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {columns} FROM {Complaint._meta.db_table} "
                "WHERE id >= %s AND id < %s AND clock = ANY(%s)",
                [first, end, _CLOCKS],
            )
            return list(cursor.fetchall())
    names = ["pk" if c == "id" else c for c in _COLUMNS]
    base = Complaint.objects.filter(clock__in=_CLOCKS, pk__gte=first, pk__lt=end)
    return list(base.values_list(*names))


def _json_list(value: Any) -> list[Any]:
    if isinstance(value, str):
        return [] if value == "[]" else list(json.loads(value))
    return list(value or [])


@transaction.atomic
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


@lru_cache(maxsize=256)
def _day_based(period: str) -> bool:
    """Whether `period` counts whole days (법 제19조②③), so the start time does not matter."""
    try:
        return parse_period(period).rule != "hours"
    except LawclockError:
        return False


def complaint_deadlines_recompute_after_calendar_change() -> None:
    """The catalog's calendar hook: a declared or removed holiday moves open deadlines."""
    complaint_deadlines_recompute()
