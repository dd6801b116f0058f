"""Periodic sweeps that turn the state of complaints into notifications (idempotent, set-based).

Each sweep reads a SOURCE of rows, so it does not depend on how the complaints context stores
them (docs/how-to/add-notification-channel.md and selectors.py show the wiring):

- an iterable of `DeadlineRow` / `DigestRow` (or tuples in the same order), or a
  Django queryset's `.values_list(...)` in that order: read in chunks, new notifications written
  with `bulk_create(ignore_conflicts=True)`;
- for the deadline sweep also a `SqlSource`: a SELECT with the DeadlineRow column names. On
  PostgreSQL the sweep is then ONE `INSERT ... SELECT ... ON CONFLICT DO NOTHING`; elsewhere the
  rows are read in chunks. The SELECT is code, never user input.

Idempotency keys carry the complaint, the deadline instant and the threshold, so re-running a sweep
adds nothing, and a changed deadline (extension) starts its own warnings.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from itertools import islice
from typing import Any, TypeVar

from django.db import connection, transaction
from django.utils.dateparse import parse_datetime

from minwon.accounts.models import User
from minwon.complaints.domain import DEADLINE_WARNING_SHARES
from minwon.core import clock
from minwon.notifications import wakeup
from minwon.notifications.contracts import (
    DEADLINE_STATES,
    REGISTRATION_ALARM_PERCENT,
    REGISTRATION_STATES,
    DeadlineRow,
    DigestRow,
    SqlSource,
)
from minwon.notifications.domain import (
    WARNING_PERCENTS,
    Event,
    deadline_event_due,
    deadline_share_used,
    idempotency_key,
)
from minwon.notifications.models import Notification

__all__ = ["DeadlineRow", "DigestRow", "SqlSource"]

CHUNK = 5000


@dataclass
class SweepReport:
    examined: int = 0
    created: int = 0
    keys: list[str] = field(default_factory=list)  # new keys (generic path only; for tests)


RowT = TypeVar("RowT")


def _chunks(rows: Iterable[Any], row_type: type[RowT]) -> Iterator[list[RowT]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, CHUNK)):
        yield [r if isinstance(r, row_type) else row_type(*r) for r in chunk]


def _aware(value: datetime | str) -> datetime:
    parsed = parse_datetime(value) if isinstance(value, str) else value
    if parsed is None:
        raise ValueError(f"not a date and time: {value!r}")
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _seoul(value: datetime) -> str:
    return value.astimezone(clock.SEOUL).strftime("%Y-%m-%d %H:%M")


def _insert_new(rows: list[Notification], report: SweepReport) -> None:
    """Insert the rows whose key is new; one SELECT and one INSERT per chunk."""
    if not rows:
        return
    keys = [r.idempotency_key for r in rows]
    existing = set(
        Notification.objects.filter(idempotency_key__in=keys).values_list(
            "idempotency_key", flat=True
        )
    )
    new = [r for r in rows if r.idempotency_key not in existing]
    Notification.objects.bulk_create(new, ignore_conflicts=True)
    report.created += len(new)
    report.keys += [r.idempotency_key for r in new]


def _languages(user_ids: Iterable[int | None]) -> dict[int, str]:
    ids = {u for u in user_ids if u is not None}
    return dict(User.objects.filter(pk__in=ids).values_list("pk", "preferred_language"))


def _notification(
    *,
    key: str,
    event: Event,
    user_id: int,
    languages: dict[int, str],
    context: dict[str, Any],
    now: datetime,
    complaint_id: int | None,
    org_unit_id: int | None,
) -> Notification:
    return Notification(
        idempotency_key=key,
        event=event.value,
        language=languages.get(user_id, "ko"),
        recipient_id=user_id,
        context=context,
        not_before=now,
        complaint_id=complaint_id,
        org_unit_id=org_unit_id,
    )


# --- deadline warnings, overdue, escalation ------------------------------------------------------


def _deadline_generic(rows: Iterable[Any], now: datetime, report: SweepReport) -> None:
    for chunk in _chunks(rows, DeadlineRow):
        report.examined += len(chunk)
        languages = _languages([r.officer_id for r in chunk] + [r.head_id for r in chunk])
        new: list[Notification] = []
        for r in chunk:
            if r.state not in DEADLINE_STATES:
                continue
            due = deadline_event_due(r.clock_from, r.due_at, now)
            if due is None:
                continue
            event, percent = due
            stamp = int(r.due_at.timestamp())
            context = {
                "complaint_no": r.complaint_no,
                "title": r.title,
                "percent": percent,
                "due_at": _seoul(r.due_at),
                "officer_name": r.officer_name,
            }
            targets: list[tuple[str, Event, int]] = []
            if r.officer_id is not None:
                targets.append(
                    (
                        idempotency_key("deadline", r.complaint_id, stamp, percent),
                        event,
                        r.officer_id,
                    )
                )
            if percent == 100 and r.head_id is not None:
                targets.append(
                    (
                        idempotency_key("escalation", r.complaint_id, stamp),
                        Event.ESCALATION_OVERDUE,
                        r.head_id,
                    )
                )
            new += [
                _notification(
                    key=key,
                    event=target_event,
                    user_id=user_id,
                    languages=languages,
                    context=context,
                    now=now,
                    complaint_id=r.complaint_id,
                    org_unit_id=r.org_unit_id,
                )
                for key, target_event, user_id in targets
            ]
        _insert_new(new, report)


_DEADLINE_SQL = """
WITH p AS (SELECT %s::timestamptz AS now, %s::float8 AS watch, %s::int AS watch_pct,
                  %s::float8 AS urgent, %s::int AS urgent_pct),
src AS (
  SELECT s.complaint_id, s.officer_id, s.head_id, s.clock_from, s.due_at, s.complaint_no,
         s.title, s.org_unit_id, s.officer_name,
         CASE WHEN p.now >= s.due_at THEN 100
              WHEN p.now >= s.clock_from + (s.due_at - s.clock_from) * p.urgent
                THEN p.urgent_pct
              ELSE p.watch_pct END AS pct
  FROM ({source}) s CROSS JOIN p
  WHERE s.state = ANY(%s)
    AND p.now >= s.clock_from + (s.due_at - s.clock_from) * p.watch
),
targets AS (
  SELECT src.*, src.officer_id AS user_id,
         CASE WHEN pct = 100 THEN 'deadline_overdue' ELSE 'deadline_warning' END AS event,
         'deadline:' || complaint_id || ':' || floor(extract(epoch FROM due_at))::bigint
           || ':' || pct AS key
  FROM src WHERE officer_id IS NOT NULL
  UNION ALL
  SELECT src.*, src.head_id, 'escalation_overdue',
         'escalation:' || complaint_id || ':' || floor(extract(epoch FROM due_at))::bigint
  FROM src WHERE pct = 100 AND head_id IS NOT NULL
)
INSERT INTO {notification} (idempotency_key, event, language, recipient_id, email_encrypted,
                            phone_encrypted, context,
                            urgent, not_before, planned_at, complaint_id, org_unit_id,
                            created_at, updated_at)
SELECT t.key, t.event, COALESCE(u.preferred_language, 'ko'), t.user_id, '', '',
       jsonb_build_object('complaint_no', COALESCE(t.complaint_no, ''),
                          'title', COALESCE(t.title, ''),
                          'percent', t.pct,
                          'due_at', to_char(t.due_at AT TIME ZONE 'Asia/Seoul',
                                            'YYYY-MM-DD HH24:MI'),
                          'officer_name', COALESCE(t.officer_name, '')),
       false, p.now, NULL, t.complaint_id, t.org_unit_id, p.now, p.now
FROM targets t CROSS JOIN p LEFT JOIN {user} u ON u.id = t.user_id
ON CONFLICT (idempotency_key) DO NOTHING
"""


def _deadline_postgres(source: SqlSource, now: datetime, report: SweepReport) -> None:
    sql = _DEADLINE_SQL.format(
        source=source.sql,
        notification=Notification._meta.db_table,
        user=User._meta.db_table,
    )
    # Placeholders in text order: `now` and the warning thresholds (the same shares and percents
    # as `deadline_event_due`), the source's own, then the states.
    (watch, urgent), (watch_pct, urgent_pct) = DEADLINE_WARNING_SHARES, WARNING_PERCENTS
    params = [now, watch, watch_pct, urgent, urgent_pct, *source.params, sorted(DEADLINE_STATES)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        report.created += max(cursor.rowcount, 0)


def _rows_of(source: SqlSource) -> Iterator[DeadlineRow]:
    names = [f.name for f in DeadlineRow.__dataclass_fields__.values()]
    with connection.cursor() as cursor:
        cursor.execute(source.sql, list(source.params))
        columns = [c[0] for c in cursor.description]
        while batch := cursor.fetchmany(CHUNK):
            for values in batch:
                record = dict(zip(columns, values, strict=True))
                for name in ("clock_from", "due_at"):  # SQLite hands back text
                    record[name] = _aware(record[name])
                yield DeadlineRow(**{n: record[n] for n in names if n in record})


@transaction.atomic
def deadline_warning_sweep(
    *, source: Iterable[Any] | SqlSource, now: datetime | None = None
) -> SweepReport:
    """Warn officers at 50 % and 80 % of the period, at 100 % (overdue) warn them and escalate to
    the department head. Safe to run as often as wanted; each notice goes out once."""
    now = now or clock.now()
    report = SweepReport()
    if isinstance(source, SqlSource):
        if connection.vendor == "postgresql":
            _deadline_postgres(source, now, report)
        else:
            _deadline_generic(_rows_of(source), now, report)
    else:
        _deadline_generic(source, now, report)
    if report.created:
        transaction.on_commit(lambda: wakeup.wake([]))
    return report


# --- registration alarm (영 제6조⑧: online arrivals registered within 8 working hours) ----------


@transaction.atomic
def registration_alarm_sweep(*, source: Iterable[Any], now: datetime | None = None) -> SweepReport:
    """Rows are DeadlineRows of arrivals (clock_from = arrival, due_at = registration due).

    Once half of the 8 working hours have passed without registration, the officer (and head)
    of the receiving unit are told, once per complaint.
    """
    now = now or clock.now()
    report = SweepReport()
    for chunk in _chunks(source, DeadlineRow):
        report.examined += len(chunk)
        languages = _languages([r.officer_id for r in chunk] + [r.head_id for r in chunk])
        new: list[Notification] = []
        for r in chunk:
            used = deadline_share_used(r.clock_from, r.due_at, now) * 100
            if r.state not in REGISTRATION_STATES or used < REGISTRATION_ALARM_PERCENT:
                continue
            context = {"complaint_no": r.complaint_no, "title": r.title, "due_at": _seoul(r.due_at)}
            for user_id in dict.fromkeys(u for u in (r.officer_id, r.head_id) if u is not None):
                new.append(
                    _notification(
                        key=idempotency_key("registration", r.complaint_id, user_id),
                        event=Event.REGISTRATION_ALARM,
                        user_id=user_id,
                        languages=languages,
                        context=context,
                        now=now,
                        complaint_id=r.complaint_id,
                        org_unit_id=r.org_unit_id,
                    )
                )
        _insert_new(new, report)
    if report.created:
        transaction.on_commit(lambda: wakeup.wake([]))
    return report


# --- daily digest per org unit -------------------------------------------------------------------


@transaction.atomic
def daily_digest_enqueue(
    *, day: date, source: Iterable[Any], now: datetime | None = None
) -> SweepReport:
    """One summary per org unit and recipient per day."""
    now = now or clock.now()
    report = SweepReport()
    for chunk in _chunks(source, DigestRow):
        report.examined += len(chunk)
        languages = _languages(u for r in chunk for u in r.recipient_ids)
        new: list[Notification] = []
        for r in chunk:
            context = {
                "unit_name": r.unit_name,
                "date": day.isoformat(),
                "open_count": r.open_count,
                "due_soon": r.due_soon,
                "overdue": r.overdue,
            }
            for user_id in r.recipient_ids:
                new.append(
                    _notification(
                        key=idempotency_key("digest", r.org_unit_id, day.isoformat(), user_id),
                        event=Event.DAILY_DIGEST,
                        user_id=user_id,
                        languages=languages,
                        context=context,
                        now=now,
                        complaint_id=None,
                        org_unit_id=r.org_unit_id,
                    )
                )
        _insert_new(new, report)
    if report.created:
        transaction.on_commit(lambda: wakeup.wake([]))
    return report
