"""Re-computing the stored deadlines of every open complaint (after a holiday change).

Fast by construction: rows are read in primary-key ranges with `values_list` (no model instances,
no per-row queries), computed in memory with lawclock, and only changed rows are written — with
one `UPDATE … FROM unnest(…)` per batch on PostgreSQL, `bulk_update` elsewhere.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction

from minwon.complaints.domain import Clock
from minwon.complaints.models import Complaint
from minwon.complaints.services.common import city_calendar, clock_deadline
from minwon.core.services import audit_record
from minwon.lawclock import LawclockError

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
    last_pk = 0
    base = Complaint.objects.filter(clock__in=_CLOCKS).order_by("pk")
    while True:
        rows = list(
            base.filter(pk__gt=last_pk).values_list(
                "pk",
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
            )[:batch_size]
        )
        if not rows:
            break
        last_pk = rows[-1][0]
        updates: list[Row] = []
        for pk, kind, start, period, excluded, extensions, *stored in rows:
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
            if list(new[1:]) != stored:
                updates.append(new)
        if updates:
            _write(updates)
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


@transaction.atomic
def _write(rows: list[Row]) -> None:
    if connection.vendor == "postgresql":
        columns = list(zip(*rows, strict=True))
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


def complaint_deadlines_recompute_after_calendar_change() -> None:
    """The catalog's calendar hook: a declared or removed holiday moves open deadlines."""
    complaint_deadlines_recompute()
