"""Benchmark of `complaint_deadlines_recompute` on PostgreSQL (docs/benchmarks.md,
"## Deadline recompute (PostgreSQL)"). Target (issue "lawclock"): re-computing the deadlines of
1,000,000 open complaints after a holiday change in 60 s or less.

1. A PostgreSQL database (default `minwon_bench_recompute`; created if missing, reused otherwise)
   is migrated, and N open complaints are generated in ONE `INSERT … SELECT generate_series`
   (no related rows: every foreign key of a complaint is nullable). The mix: 95 % processing
   clocks (7d, 14d, instant, hour-rule 1–5d and 4h, day-rule 10–70d, calendar 2w and 1m), 3 %
   registration clocks (8 working hours from arrival), 2 % objection clocks (10d); 4 % carry a
   closed supplement interval, 1 % an open one (clock stopped, no deadline), 3 % one extension
   and 0.5 % two. Clocks started at whole minutes over the 30 days (--spread-days) before
   Mon 2026-04-13 09:00 KST, registration clocks over the 2 days before.
2. Their deadlines are computed once by the service (every row written; timed, for the record),
   then the service runs again with nothing to change (timed).
3. A holiday is declared (a HolidayOverride row for Tue 2026-04-14, 임시공휴일) and the
   service re-computes every open deadline: THE timed number, with a progress bar. A random
   sample of rows is then checked against `clock_deadline`, one by one.
4. Floors, in the same run and on the same rows: a plain `SELECT` of the input columns into
   Python (server-side cursor), and ONE `UPDATE … SET calendar_version = …` over the open rows.

Between the steps the table is `VACUUM ANALYZE`d (not timed), as autovacuum would have done.

Usage (PostgreSQL on loopback, as in the README):
    .venv/bin/python bench/recompute_bench.py [--n 1000000] [--no-docs] [--database NAME]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SERVER = os.environ.get("BENCH_SERVER_URL", "postgres://postgres@127.0.0.1:5432")
DOCS = ROOT / "docs" / "benchmarks.md"
HEADING = "## Deadline recompute (PostgreSQL)"
START, END = "<!-- recompute-bench:start -->", "<!-- recompute-bench:end -->"
TARGET_SECONDS = 60.0
NOW = "2026-04-13 09:00:00+09"  # "today" of the generated data (a Monday)
HOLIDAY = date(2026, 4, 14)  # the declared 임시공휴일 (a Tuesday, the day after)
OPEN = ("registration", "processing", "objection")

# The generated rows. random() after setseed() is deterministic within the session.
GENERATE = """
INSERT INTO complaints_complaint (
    created_at, updated_at, receipt_number, kind, title, body, channel, external_ref, status,
    status_password, arrived_at, registered_at, unit_received_at, clock, clock_started_at, period,
    period_legal_basis, excluded_intervals, extensions, due_at, deadline_rule,
    deadline_legal_basis, calendar_version, rule_version, supplement_requests, progress_notices,
    outcome, answer, refusal_reason, appeal_route, result_notices, objection_grounds,
    objection_outcome, objection_decision, signer_count, household_count, is_multi_party,
    transferred_to{other_columns})
SELECT t, t,
       CASE WHEN c.clock = 'registration' THEN NULL ELSE '2026-' || lpad(g.i::text, 8, '0') END,
       c.kind, '도로 보수 요청 ' || g.i, repeat('집 앞 도로가 파손되어 통행이 어렵습니다. ', 8),
       CASE WHEN c.clock = 'registration' THEN 'web' ELSE 'counter' END, '',
       CASE WHEN c.clock = 'registration' THEN 'received'
            WHEN c.clock = 'objection' THEN 'objection_pending'
            WHEN g.r_ex < 0.01 THEN 'supplement_pending'
            ELSE 'in_progress' END,
       '', t, CASE WHEN c.clock = 'registration' THEN NULL ELSE t END,
       CASE WHEN c.clock = 'registration' THEN NULL ELSE t END,
       c.clock, t, c.period, '',
       (CASE WHEN c.clock = 'registration' OR g.r_ex >= 0.05 THEN '[]'
             WHEN g.r_ex < 0.01 THEN '[["' || iso(t + interval '1 day') || '", null]]'
             ELSE '[["' || iso(t + interval '1 day') || '", "'
                        || iso(t + interval '3 days 2 hours') || '"]]' END)::jsonb,
       (CASE WHEN c.period NOT IN ('7d', '10d', '14d', '20d', '30d') OR g.r_ext >= 0.03 THEN '[]'
             WHEN c.clock = 'objection' OR g.r_ext >= 0.005 THEN '[' || ext(c.period, false) || ']'
             ELSE '[' || ext(c.period, false) || ', ' || ext(c.period, true) || ']' END)::jsonb,
       NULL, '', '', '', '', 0, 0, '', '', '', '', 0, '', '', '', 1, 1, false, ''{other_values}
  FROM (SELECT i, random() AS r_clock, random() AS r_period, random() AS r_ex,
               random() AS r_ext, random() AS r_t
          FROM generate_series(1, %(n)s) AS i) AS g
 CROSS JOIN LATERAL (
       SELECT CASE WHEN g.r_clock < 0.03 THEN 'registration'
                   WHEN g.r_clock < 0.05 THEN 'objection' ELSE 'processing' END AS clock) AS k
 CROSS JOIN LATERAL (
       SELECT k.clock,
              CASE WHEN k.clock = 'registration' THEN ''
                   WHEN k.clock = 'objection' THEN '10d'
                   WHEN g.r_period < 0.35 THEN '7d'  WHEN g.r_period < 0.60 THEN '14d'
                   WHEN g.r_period < 0.65 THEN 'instant' WHEN g.r_period < 0.70 THEN '3d'
                   WHEN g.r_period < 0.73 THEN '1d'  WHEN g.r_period < 0.75 THEN '4h'
                   WHEN g.r_period < 0.80 THEN '5d'  WHEN g.r_period < 0.88 THEN '10d'
                   WHEN g.r_period < 0.92 THEN '20d' WHEN g.r_period < 0.95 THEN '30d'
                   WHEN g.r_period < 0.96 THEN '70d' WHEN g.r_period < 0.98 THEN '1m'
                   ELSE '2w' END AS period,
              CASE WHEN k.clock = 'registration' THEN 'suggestion'
                   WHEN k.clock = 'objection' THEN 'statutory'
                   WHEN g.r_period < 0.35 THEN 'grievance'
                   WHEN g.r_period < 0.60 THEN 'suggestion' ELSE 'statutory' END AS kind) AS c
 CROSS JOIN LATERAL (
       SELECT date_trunc('minute', %(now)s::timestamptz
                         - CASE WHEN c.clock = 'registration' THEN interval '2 days'
                                ELSE %(spread)s * interval '1 day' END * g.r_t) AS t) AS s
"""
HELPERS = """
CREATE OR REPLACE FUNCTION pg_temp.iso(timestamptz) RETURNS text LANGUAGE sql IMMUTABLE AS
$$ SELECT to_char($1 AT TIME ZONE 'Asia/Seoul', 'YYYY-MM-DD"T"HH24:MI:SS') || '+09:00' $$;
CREATE OR REPLACE FUNCTION pg_temp.ext(text, boolean) RETURNS text LANGUAGE sql IMMUTABLE AS
$$ SELECT json_build_object('period', $1, 'consent', $2, 'reason', 'cooperation',
                            'reason_text', '')::text $$;
"""


def _setup(database: str) -> None:
    import psycopg

    with psycopg.connect(SERVER.replace("postgres://", "postgresql://", 1) + "/postgres") as c:
        c.autocommit = True
        exists = c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if not exists:
            c.execute(f'CREATE DATABASE "{database}"')
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "MINWON_MODE": "test",
            "SECRET_KEY": "bench-secret-key-0123456789abcdef-0123456789",
            "DATABASE_URL": f"{SERVER}/{database}",
            "BACKGROUND_RUNNER": "none",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, skip_checks=True)


def _sql(statement: str, params: Any = None) -> Any:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else cursor.rowcount


def _vacuum() -> None:
    from django.db import connection

    connection.ensure_connection()
    autocommit = connection.get_autocommit()
    connection.set_autocommit(True)
    _sql("VACUUM ANALYZE complaints_complaint")
    connection.set_autocommit(autocommit)


def _other_columns() -> tuple[str, str]:
    """Columns added since this script was written that are NOT NULL without a default get a
    neutral value ('' / 0 / false / '[]'), so the generator keeps up with the model."""
    known = set(re.findall(r"\w+", GENERATE.split(")", 1)[0].split("(", 1)[1]))
    zero = {"boolean": "false", "jsonb": "'[]'", "json": "'[]'", "uuid": "gen_random_uuid()"}
    rows = _sql(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_name = 'complaints_complaint' AND is_nullable = 'NO' "
        "AND column_default IS NULL AND is_identity = 'NO' ORDER BY ordinal_position"
    )
    names, values = [], []
    for name, data_type in rows:
        if name in known:
            continue
        names.append(name)
        if data_type in zero:
            values.append(zero[data_type])
        elif "time" in data_type or data_type == "date":
            values.append("t")
        elif data_type in ("integer", "bigint", "smallint", "numeric", "double precision", "real"):
            values.append("0")
        else:
            values.append("''")
    return "".join(f", {n}" for n in names), "".join(f", {v}" for v in values)


def _generate(n: int, spread_days: int) -> float:
    from django.db import transaction

    from minwon.catalog.models import HolidayOverride

    started = time.perf_counter()
    HolidayOverride.objects.all().delete()
    _sql("TRUNCATE complaints_complaint RESTART IDENTITY CASCADE")
    with transaction.atomic():
        # A closed complaint's identity would stay; the bench only holds open ones.
        _sql("SELECT setseed(0.42)")
        _sql(HELPERS)
        columns, values = _other_columns()
        statement = GENERATE.format(other_columns=columns, other_values=values)
        statement = statement.replace("iso(", "pg_temp.iso(").replace("ext(", "pg_temp.ext(")
        _sql(statement, {"n": n, "now": NOW, "spread": spread_days})
    return time.perf_counter() - started


def _recompute(n: int, label: str) -> tuple[float, Any]:
    from tqdm import tqdm

    from minwon.complaints.services import complaint_deadlines_recompute

    with tqdm(total=n, unit="row", unit_scale=True, desc=label, file=sys.stderr) as bar:
        started = time.perf_counter()
        result = complaint_deadlines_recompute(progress=bar.update)
        seconds = time.perf_counter() - started
    return seconds, result


def _check_sample(size: int, before: Any) -> tuple[int, int]:
    """(checked, mismatches): stored deadlines of random rows against `clock_deadline`.

    A row whose deadline the holiday moved must carry the new calendar version; a row it did not
    move keeps the version it was computed with, which must re-derive the same deadline (checked
    against the calendar from before the holiday, `before`).
    """
    from minwon.complaints.models import Complaint
    from minwon.complaints.services.common import city_calendar, clock_deadline
    from minwon.lawclock import LawclockError

    calendar = city_calendar()
    hi = _sql("SELECT max(id) FROM complaints_complaint")[0][0]
    picked = random.Random(7).sample(range(1, hi + 1), min(size, hi))
    mismatches = 0
    for c in Complaint.objects.filter(pk__in=picked, clock__in=OPEN):
        try:
            d = clock_deadline(
                clock_kind=c.clock,
                started_at=c.clock_started_at,
                period=c.period,
                excluded=c.excluded_intervals,
                extensions=c.extensions,
                calendar=calendar,
            )
        except LawclockError:
            continue
        expected = (
            (None, "", "", "", "")
            if d is None
            else (d.due_at, d.rule, d.legal_basis[:200], d.calendar_version, d.rule_version)
        )
        stored = (
            c.due_at,
            c.deadline_rule,
            c.deadline_legal_basis,
            c.calendar_version,
            c.rule_version,
        )
        if d is not None and stored[:3] == expected[:3] and stored[3] == before.version:
            # not moved: the stored version must still produce the stored deadline
            old = clock_deadline(
                clock_kind=c.clock,
                started_at=c.clock_started_at,
                period=c.period,
                excluded=c.excluded_intervals,
                extensions=c.extensions,
                calendar=before,
            )
            mismatches += old is None or old.due_at != c.due_at
            continue
        mismatches += expected != stored
    return len(picked), mismatches


def _floor_select() -> tuple[float, int]:
    from django.db import connection, transaction

    started = time.perf_counter()
    rows = 0
    with transaction.atomic(), connection.connection.cursor(name="floor_select") as cursor:
        cursor.itersize = 20000
        cursor.execute(
            "SELECT id, clock, clock_started_at, period, excluded_intervals::text, "
            "extensions::text, due_at, deadline_rule, deadline_legal_basis, "
            "calendar_version, rule_version FROM complaints_complaint "
            "WHERE clock = ANY(%s)",
            [list(OPEN)],
        )
        while batch := cursor.fetchmany(20000):
            rows += len(batch)
    return time.perf_counter() - started, rows


def _floor_update(version: str) -> tuple[float, int]:
    from django.db import transaction

    started = time.perf_counter()
    with transaction.atomic():
        count = _sql(
            "UPDATE complaints_complaint SET calendar_version = %s "
            "WHERE clock = ANY(%s) AND due_at IS NOT NULL",
            [version, list(OPEN)],
        )
    return time.perf_counter() - started, count


SIZE = (
    "SELECT pg_size_pretty(pg_table_size('complaints_complaint')), "
    "pg_size_pretty(pg_indexes_size('complaints_complaint'))"
)


def _setting(name: str) -> str:
    return str(_sql(f"SHOW {name}")[0][0])


def _machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0]
    return (
        f"{model or platform.processor()}, {os.cpu_count()} cores, "
        f"load average {load:.1f} at the start"
    )


def _write_docs(lines: list[str]) -> None:
    text = DOCS.read_text()
    block = "\n".join([START, *lines, END])
    if START in text and END in text:
        text = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S)
    elif HEADING in text:
        text = text.replace(HEADING, HEADING + "\n\n" + block, 1)
    else:
        text = text.rstrip("\n") + "\n\n" + HEADING + "\n\n" + block + "\n"
    DOCS.write_text(text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="open complaints")
    parser.add_argument("--database", default="minwon_bench_recompute")
    parser.add_argument("--spread-days", type=int, default=30, help="clocks started over")
    parser.add_argument("--holiday", type=date.fromisoformat, default=HOLIDAY)
    parser.add_argument("--sample", type=int, default=5000, help="rows checked one by one")
    parser.add_argument("--no-docs", action="store_true", help="do not write docs/benchmarks.md")
    args = parser.parse_args()
    machine = _machine()
    _setup(args.database)

    from django.db import connection

    from minwon.catalog.models import HolidayOverride
    from minwon.complaints.services.common import city_calendar

    pg_version = _sql("SHOW server_version")[0][0]
    print(f"generating {args.n:,} open complaints ...", flush=True)
    generated = _generate(args.n, args.spread_days)
    _vacuum()
    print(f"  {generated:.1f} s", flush=True)
    t_initial, r_initial = _recompute(args.n, "initial compute (every row written)")
    _vacuum()
    t_same, r_same = _recompute(args.n, "recompute, nothing changed")
    _vacuum()
    before = city_calendar()
    HolidayOverride.objects.create(day=args.holiday, kind=HolidayOverride.EXTRA, name="임시공휴일")
    t_holiday, r_holiday = _recompute(args.n, f"recompute after a holiday on {args.holiday}")
    checked, mismatches = _check_sample(args.sample, before)
    _vacuum()
    t_select, selected = _floor_select()
    _vacuum()
    t_update, updated = _floor_update(city_calendar().version)

    met = t_holiday <= TARGET_SECONDS
    rows = [
        ("generate rows (INSERT … SELECT generate_series)", generated, args.n, "—"),
        ("initial compute (every deadline written)", t_initial, r_initial.changed, "—"),
        ("recompute, nothing changed", t_same, r_same.changed, "—"),
        (
            f"**recompute after a holiday ({args.holiday})**",
            t_holiday,
            r_holiday.changed,
            f"≤ {TARGET_SECONDS:.0f} s: **{'met' if met else 'missed'}**",
        ),
        ("floor: `SELECT` of the input columns (server-side cursor)", t_select, selected, "—"),
        (
            "floor: one `UPDATE … SET calendar_version` of the open rows with a deadline",
            t_update,
            updated,
            "—",
        ),
    ]
    stamp = datetime.now(UTC).astimezone().strftime("%Y-%m-%d %H:%M %Z")
    lines = [
        f"Measured {stamp} by `bench/recompute_bench.py --n {args.n}`: CPython "
        f"{platform.python_version()}, PostgreSQL {pg_version} on loopback, {machine}.",
        f"Server settings: shared_buffers {_setting('shared_buffers')}, max_wal_size "
        f"{_setting('max_wal_size')}, synchronous_commit {_setting('synchronous_commit')}; table "
        f"after the run: {_sql(SIZE)[0][0]} heap, {_sql(SIZE)[0][1]} indexes. Clocks started over "
        f"{args.spread_days} days before {NOW}; holiday {args.holiday}.",
        "",
        "| step | seconds | rows | rows/s | note |",
        "|---|---:|---:|---:|---|",
    ]
    for label, seconds, count, note in rows:
        rate = f"{args.n / seconds:,.0f}" if seconds else "—"
        lines.append(f"| {label} | {seconds:.1f} | {count:,} | {rate} | {note} |")
    lines += [
        "",
        f"rows: rows written with a new deadline (`RecomputeResult.changed`; rows the holiday "
        f"does not move keep the calendar version that produced them); rows/s: open rows "
        f"({args.n:,}) per second. "
        f"Failed rows: {r_holiday.failed}. Sample check after the holiday: {checked:,} random "
        f"rows against `clock_deadline`, **{mismatches} mismatches**.",
    ]
    connection.close()
    print("\n".join(lines))
    if not args.no_docs:
        _write_docs(lines)
        print(f"written to {DOCS.relative_to(ROOT)}")
    return 0 if mismatches == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
