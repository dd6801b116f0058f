"""Benchmark of the notifications outbox on PostgreSQL (docs/benchmarks.md, "## notifications").

1. Dispatch throughput: N notifications (알림톡, one HTTP call each) are written to the outbox,
   then W dispatcher processes (`notifications_dispatch`: plan, claim with SKIP LOCKED, send over
   keep-alive connections, record) drain it against a recording HTTP provider running in its own
   process. Also measured: the same N through real Celery workers on the Redis broker, woken by
   one `notifications.dispatch` message per worker (what the beat schedule sends).
2. Deadline sweep: R open complaints generated with generate_series in a bench table; the sweep
   runs as ONE INSERT ... SELECT ... ON CONFLICT DO NOTHING (first run, then an idempotent re-run).
   Floors measured in the same run: `SELECT count(*)` over the rows, and a plain INSERT ... SELECT
   of the same number of notification rows into a copy of the table (same indexes).

Usage (PostgreSQL and Redis on loopback, as in the README):
    .venv/bin/python bench/notifications_bench.py [--notifications 20000] [--complaints 1000000]
A database `minwon_bench` is created and dropped on the same server.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import platform
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
ADMIN_URL = os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/test")
BENCH_DB = "minwon_bench"
BENCH_URL = ADMIN_URL.rsplit("/", 1)[0] + "/" + BENCH_DB
BROKER = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/14")


def _env(port: int) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "MINWON_MODE": "test",
        "SECRET_KEY": "bench-secret-key-0123456789abcdef-0123456789",
        "DATABASE_URL": BENCH_URL,
        "ALIMTALK_API_URL": f"http://127.0.0.1:{port}/alimtalk",
        "SMS_API_URL": f"http://127.0.0.1:{port}/sms",
        "NOTIFICATIONS_BATCH_SIZE": "500",
        "NOTIFICATIONS_SEND_THREADS": "8",
        "CELERY_BROKER_URL": BROKER,
        "BACKGROUND_RUNNER": "none",
    }


# --- the recording provider (its own process, so it does not share the dispatcher's GIL) ------


def _provider(port: int, counter: Any, ready: Any) -> None:
    """A minimal HTTP/1.1 keep-alive endpoint on asyncio that counts requests and distinct
    Idempotency-Keys (http.server costs more CPU per request than the dispatcher under test,
    and both share the machine's 2 cores)."""
    import asyncio

    keys: set[bytes] = set()
    answer = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"

    class Provider(asyncio.Protocol):
        def connection_made(self, transport: Any) -> None:
            self.transport = transport
            self.buffer = b""

        def data_received(self, data: bytes) -> None:
            self.buffer += data
            while True:
                head_end = self.buffer.find(b"\r\n\r\n")
                if head_end < 0:
                    return
                head = self.buffer[:head_end].lower()
                length = 0
                key = b""
                for line in head.split(b"\r\n"):
                    if line.startswith(b"content-length:"):
                        length = int(line[15:])
                    elif line.startswith(b"idempotency-key:"):
                        key = line[16:].strip()
                total = head_end + 4 + length
                if len(self.buffer) < total:
                    return
                self.buffer = self.buffer[total:]
                keys.add(key)
                with counter.get_lock():
                    counter.value += 1
                self.transport.write(answer)

    async def serve() -> None:
        server = await asyncio.get_running_loop().create_server(Provider, "127.0.0.1", port)
        ready.set()
        async with server:
            await server.serve_forever()

    asyncio.run(serve())


# --- helpers -----------------------------------------------------------------------------------


def _setup_django(port: int) -> None:
    os.environ.update(_env(port))
    import django

    django.setup()


def _recreate_database() -> None:
    import psycopg

    admin = ADMIN_URL.replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        c.execute(f'CREATE DATABASE "{BENCH_DB}"')


def _drop_database() -> None:
    import psycopg

    admin = ADMIN_URL.replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')


def _enqueue(n: int, prefix: str) -> float:
    """Write n notifications in bulk (what a burst of complaint changes produces)."""
    from django.db import transaction

    from minwon.notifications.models import Notification

    now = datetime.now(UTC)
    started = time.perf_counter()
    with transaction.atomic():
        for start in range(0, n, 5000):
            Notification.objects.bulk_create(
                Notification(
                    idempotency_key=f"{prefix}:{i}",
                    event="complaint_registered",
                    phone=f"010{i:08d}",
                    urgent=True,  # no quiet hours whatever the hour of the run
                    context={
                        "complaint_no": f"B-{i}",
                        "title": "bench",
                        "registered_at": "2026-03-10",
                        "due_date": "2026-03-17",
                    },
                    not_before=now,
                )
                for i in range(start, min(n, start + 5000))
            )
    return time.perf_counter() - started


def _dispatcher(port: int, results: Any, ready: Any, go: Any) -> None:
    _setup_django(port)
    from django.db import connection

    from minwon.notifications.services import notifications_dispatch

    connection.ensure_connection()
    ready.put(True)
    go.wait()  # start-up of the process is not part of the throughput
    report = notifications_dispatch()
    results.put(report.delivered)


def _delivered_count() -> int:
    from minwon.notifications.models import Delivery

    return Delivery.objects.filter(status="delivered").count()


# --- benchmarks --------------------------------------------------------------------------------


def bench_dispatch(n: int, workers: int, port: int, counter: Any) -> dict[str, Any]:
    enqueue_s = _enqueue(n, "direct")
    before = counter.value
    ctx = mp.get_context("spawn")
    results: Any = ctx.Queue()
    ready: Any = ctx.Queue()
    go = ctx.Event()
    procs = [
        ctx.Process(target=_dispatcher, args=(port, results, ready, go)) for _ in range(workers)
    ]
    for p in procs:
        p.start()
    for _ in procs:
        ready.get(timeout=120)
    started = time.perf_counter()
    go.set()
    delivered = sum(results.get(timeout=600) for _ in procs)
    elapsed = time.perf_counter() - started
    for p in procs:
        p.join(timeout=60)
    calls = counter.value - before
    return {
        "n": n,
        "workers": workers,
        "enqueue_s": enqueue_s,
        "seconds": elapsed,
        "delivered": delivered,
        "http_calls": calls,
        "per_second": delivered / elapsed,
    }


def bench_celery(n: int, workers: int, port: int, counter: Any) -> dict[str, Any]:
    """The same through `minwon worker` processes on Redis: one dispatch message per worker."""
    import redis

    redis.Redis.from_url(BROKER).flushdb()
    _enqueue(n, "celery")
    done_before = _delivered_count()
    env = {**os.environ, **_env(port), "BACKGROUND_RUNNER": "celery"}
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "minwon.cli",
            "worker",
            f"--concurrency={workers}",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        from config.celery import app

        time.sleep(5)  # let the worker connect before the clock starts
        started = time.perf_counter()
        for _ in range(workers):
            app.send_task("notifications.dispatch")
        deadline = time.monotonic() + 600
        while _delivered_count() - done_before < n and time.monotonic() < deadline:
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)
    delivered = _delivered_count() - done_before
    return {
        "n": n,
        "workers": workers,
        "seconds": elapsed,
        "delivered": delivered,
        "per_second": delivered / elapsed,
    }


def bench_sweep(rows: int) -> dict[str, Any]:
    from django.db import connection, transaction

    from minwon.accounts.models import User
    from minwon.notifications.models import Notification
    from minwon.notifications.services import SqlSource, deadline_warning_sweep

    officers = [
        User(username=f"bench-officer-{i}", kind="officer", name=f"담당{i}") for i in range(200)
    ]
    User.objects.bulk_create(officers)
    first_id = User.objects.filter(username="bench-officer-0").values_list("pk", flat=True)[0]
    with connection.cursor() as cursor:
        # 1,000,000 open complaints: registered over the last 30 days with 3-40 day periods,
        # so a share has passed 50 %, 80 % or the deadline; a tenth are already answered.
        cursor.execute(
            """
            CREATE UNLOGGED TABLE bench_complaints AS
            SELECT g AS complaint_id,
                   %s + (g %% 200) AS officer_id,
                   %s + ((g + 7) %% 200) AS head_id,
                   now() - (g %% 43200) * interval '1 minute' AS registered_at,
                   now() - (g %% 43200) * interval '1 minute'
                     + (3 + g %% 38) * interval '1 day' AS due_at,
                   CASE WHEN g %% 10 = 0 THEN 'answered' ELSE 'in_progress' END AS state,
                   '2026-' || lpad(g::text, 7, '0') AS complaint_no,
                   '도로 파손 신고 ' || g AS title,
                   NULL::bigint AS org_unit_id,
                   '담당' || (g %% 200) AS officer_name
            FROM generate_series(1, %s) AS g
            """,
            [first_id, first_id, rows],
        )
        cursor.execute("ANALYZE bench_complaints")
    source = SqlSource("SELECT * FROM bench_complaints")
    table = Notification._meta.db_table

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM bench_complaints")
        counted = cursor.fetchone()[0]
    count_s = time.perf_counter() - started

    started = time.perf_counter()
    first = deadline_warning_sweep(source=source)
    first_s = time.perf_counter() - started

    started = time.perf_counter()
    again = deadline_warning_sweep(source=source)
    again_s = time.perf_counter() - started

    # Floor: the same number of rows copied by a plain INSERT ... SELECT into a table with the
    # same columns and indexes (no thresholds, no JSON building, no join, no conflict check).
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE bench_copy (LIKE {table} INCLUDING ALL)")
        started = time.perf_counter()
        cursor.execute(
            f"INSERT INTO bench_copy (idempotency_key, event, language, recipient_id, email, "
            f"phone, context, urgent, not_before, planned_at, complaint_id, org_unit_id, "
            f"created_at, updated_at) SELECT 'copy:' || id, event, language, recipient_id, "
            f"email, phone, context, urgent, not_before, planned_at, complaint_id, org_unit_id, "
            f"created_at, updated_at FROM {table} WHERE idempotency_key LIKE 'deadline:%%' "
            f"OR idempotency_key LIKE 'escalation:%%'"
        )
        copy_s = time.perf_counter() - started
    return {
        "rows": counted,
        "count_s": count_s,
        "sweep_first_s": first_s,
        "created": first.created,
        "sweep_again_s": again_s,
        "created_again": again.created,
        "floor_insert_s": copy_s,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--notifications", type=int, default=20000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--complaints", type=int, default=1_000_000)
    parser.add_argument("--skip-celery", action="store_true")
    args = parser.parse_args()

    port = 18765
    counter = mp.get_context("spawn").Value("l", 0)
    ready = mp.get_context("spawn").Event()
    provider = mp.get_context("spawn").Process(target=_provider, args=(port, counter, ready))
    provider.start()
    ready.wait(30)
    _recreate_database()
    try:
        _setup_django(port)
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0, skip_checks=True)
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            pg_version = cursor.fetchone()[0]
        results: dict[str, Any] = {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "python": platform.python_version(),
            "postgresql": pg_version,
            "cpus": os.cpu_count(),
        }
        print("dispatch (direct) ...", flush=True)
        results["dispatch"] = bench_dispatch(args.notifications, args.workers, port, counter)
        print(json.dumps(results["dispatch"]), flush=True)
        if not args.skip_celery:
            print("dispatch (celery on redis) ...", flush=True)
            results["celery"] = bench_celery(args.notifications, args.workers, port, counter)
            print(json.dumps(results["celery"]), flush=True)
        print("deadline sweep ...", flush=True)
        results["sweep"] = bench_sweep(args.complaints)
        print(json.dumps(results["sweep"]), flush=True)
        print(json.dumps(results, indent=2))
        connection.close()
    finally:
        provider.terminate()
        provider.join(10)
        _drop_database()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
