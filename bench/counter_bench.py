"""Benchmark of "call next" (`counter.services.window_call_next`) on PostgreSQL
(docs/benchmarks.md, "## counter: call next (PostgreSQL)"). Target (issue 17): p95 ≤ 20 ms with
8 windows calling at once, against the floor of one `SELECT … FOR UPDATE SKIP LOCKED` round trip
measured in the same run.

1. A PostgreSQL database (default `minwon_bench_counter`; created if missing) is migrated; the
   counter's tables are emptied; one window group with one category, 8 windows (one of them a
   배려창구) and 8 counter officers are set up through the services, each window opened by its
   officer; N waiting tickets (every fourth a priority one) are generated in one `INSERT … SELECT
   generate_series`.
2. Floor: 8 threads, each on its own connection, run `BEGIN; SELECT id … WHERE status =
   'waiting' AND group_id = … ORDER BY priority DESC, queued_at, id LIMIT 1 FOR UPDATE SKIP
   LOCKED; COMMIT` back to back (the lock alone: nothing is changed).
3. Call next: 8 threads, one per window, each press `window_call_next` and then mark the ticket
   served (`ticket_serve`, not in the call's time) until each has called its share. The time
   of each `window_call_next` (its whole transaction: window lock, priority run, the claim, the
   event and the audit row) is recorded.
4. The floor again (same threads, on the tickets still waiting), so drift shows.

Usage (PostgreSQL on loopback, as in the README):
    nice -n 10 .venv/bin/python bench/counter_bench.py [--tickets 6000] [--calls 400]
        [--database NAME] [--no-docs]
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SERVER = os.environ.get("BENCH_SERVER_URL", "postgres://postgres@127.0.0.1:5432")
DOCS = ROOT / "docs" / "benchmarks.md"
HEADING = "## counter: call next (PostgreSQL)"
START, END = "<!-- counter-bench:start -->", "<!-- counter-bench:end -->"
WINDOWS = 8
TARGET_P95_MS = 20.0


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


def _world(tickets: int) -> tuple[list[Any], list[Any], int]:
    from django.db import connection

    from minwon.accounts.domain import OrgUnitKind, Role
    from minwon.accounts.models import OrgUnit, User
    from minwon.accounts.services import officer_create, org_unit_create
    from minwon.counter import services
    from minwon.counter.domain import WindowKind
    from minwon.counter.models import Window

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE counter_ticketevent, counter_ticket, counter_ticketsequence, "
            "counter_window, counter_servicecategory, counter_windowgroup CASCADE"
        )
    unit = OrgUnit.objects.filter(code="bench-counter").first() or org_unit_create(
        actor=None, code="bench-counter", name_ko="민원여권과", kind=OrgUnitKind.CITY, parent=None
    )
    group = services.window_group_create(actor=None, code="bench", name_ko="제증명", prefix="A")
    services.service_category_create(actor=None, group=group, code="bench", name_ko="등·초본")
    officers, windows = [], []
    for n in range(WINDOWS):
        name = f"bench-window-{n}"
        officer = User.objects.filter(username=name).first() or officer_create(
            actor=None,
            username=name,
            password="bench-password-0123456789",
            name=name,
            org_unit=unit,
            roles=(Role.COUNTER_OFFICER,),
        )
        kind = WindowKind.CARE if n == 0 else WindowKind.ORDINARY
        window = services.window_create(actor=None, group=group, number=n + 1, kind=kind)
        services.window_open(officer=officer, window_id=window.pk)
        officers.append(officer)
        windows.append(Window.objects.get(pk=window.pk))
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO counter_ticket (created_at, updated_at, token, group_id, category_id, day,
                number, label, priority, priority_reason, channel, status, queued_at, issued_at,
                recalls, transfers)
            SELECT now(), now(), substr(md5(random()::text || n::text) || md5(n::text), 1, 40), %s,
                (SELECT id FROM counter_servicecategory WHERE code = 'bench'), current_date, n,
                'A' || lpad(n::text, 4, '0'), n %% 4 = 0, CASE WHEN n %% 4 = 0 THEN 'senior'
                ELSE '' END, 'kiosk', 'waiting', now() + n * interval '1 millisecond', now(), 0, 0
            FROM generate_series(1, %s) AS n
            """,
            [group.pk, tickets],
        )
        cursor.execute("ANALYZE counter_ticket")
    return officers, windows, group.pk


def _threads(target: Any, args: list[tuple[Any, ...]]) -> float:
    barrier = threading.Barrier(len(args) + 1)
    errors: list[BaseException] = []

    def run(*a: Any) -> None:
        from django.db import connection

        try:
            barrier.wait()
            target(*a)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=a) for a in args]
    for t in threads:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return time.perf_counter() - started


def _floor(group_id: int, rounds: int) -> tuple[list[float], float]:
    from django.db import connection, transaction

    times: list[float] = []
    lock = threading.Lock()

    def loop() -> None:
        mine = []
        for _ in range(rounds):
            t0 = time.perf_counter()
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    "SELECT id FROM counter_ticket WHERE status = 'waiting' AND group_id = %s "
                    "ORDER BY priority DESC, queued_at, id LIMIT 1 FOR UPDATE SKIP LOCKED",
                    [group_id],
                )
                cursor.fetchone()
            mine.append(time.perf_counter() - t0)
        with lock:
            times.extend(mine)

    wall = _threads(loop, [() for _ in range(WINDOWS)])
    return times, wall


def _calls(officers: list[Any], windows: list[Any], calls: int) -> tuple[list[float], float, int]:
    from minwon.counter import services

    times: list[float] = []
    seen: list[int] = []
    lock = threading.Lock()

    def press(officer: Any, window: Any) -> None:
        mine, ids = [], []
        for _ in range(calls):
            t0 = time.perf_counter()
            ticket = services.window_call_next(officer=officer, window_id=window.pk)
            mine.append(time.perf_counter() - t0)
            if ticket is None:
                break
            ids.append(ticket.pk)
            services.ticket_serve(officer=officer, window_id=window.pk, ticket_id=ticket.pk)
        with lock:
            times.extend(mine)
            seen.extend(ids)

    wall = _threads(press, list(zip(officers, windows, strict=True)))
    duplicates = len(seen) - len(set(seen))
    return times, wall, duplicates


def _q(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def _row(name: str, values: list[float], wall: float) -> str:
    return (
        f"| {name} | {len(values):,} | {_q(values, 0.5):.2f} | {_q(values, 0.95):.2f} | "
        f"{_q(values, 0.99):.2f} | {max(values) * 1000:.1f} | {len(values) / wall:,.0f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, default=6000)
    parser.add_argument("--calls", type=int, default=400, help="calls per window")
    parser.add_argument("--floor-rounds", type=int, default=400, help="per thread")
    parser.add_argument("--database", default="minwon_bench_counter")
    parser.add_argument("--no-docs", action="store_true")
    args = parser.parse_args()
    if args.calls * WINDOWS >= args.tickets:
        parser.error("--tickets must exceed --calls × 8 (the second floor needs waiting tickets)")
    _setup(args.database)
    officers, windows, group_id = _world(args.tickets)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    connection.close()
    print(f"{args.tickets:,} waiting tickets, {WINDOWS} windows; floor …", flush=True)
    floor1, floor1_wall = _floor(group_id, args.floor_rounds)
    print("call next …", flush=True)
    calls, calls_wall, duplicates = _calls(officers, windows, args.calls)
    print("floor again …", flush=True)
    floor2, floor2_wall = _floor(group_id, args.floor_rounds)
    p95 = _q(calls, 0.95)
    verdict = "met" if p95 <= TARGET_P95_MS else "NOT met"
    lines = [
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()} "
        f"({os.cpu_count()} cores shared with other work), PostgreSQL {server}, Python "
        f"{platform.python_version()}; `bench/counter_bench.py --tickets {args.tickets} "
        f"--calls {args.calls} --floor-rounds {args.floor_rounds}`.",
        "",
        "| 8 threads at once | operations | p50 ms | p95 ms | p99 ms | max ms | per second |",
        "|---|---|---|---|---|---|---|",
        _row("floor: `SELECT … FOR UPDATE SKIP LOCKED` round trip (before)", floor1, floor1_wall),
        _row("`window_call_next` (one transaction, audited)", calls, calls_wall),
        _row("floor again (after)", floor2, floor2_wall),
        "",
        f"Target p95 ≤ {TARGET_P95_MS:.0f} ms: **{verdict}** ({p95:.2f} ms; "
        f"{p95 / max(_q(floor1 + floor2, 0.95), 1e-9):.1f} × the floor's p95). Throughput of "
        f"call next counts the windows' `ticket_serve` between calls in the wall time. Tickets "
        f"called twice: {duplicates}.",
    ]
    report = "\n".join(lines)
    print(report)
    if not args.no_docs:
        text = DOCS.read_text(encoding="utf-8")
        block = f"{START}\n{report}\n{END}"
        if START in text:
            text = re.sub(
                re.escape(START) + ".*?" + re.escape(END), lambda m: block, text, flags=re.S
            )
        else:
            text = text.rstrip("\n") + f"\n\n{HEADING}\n\n{block}\n"
        DOCS.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
