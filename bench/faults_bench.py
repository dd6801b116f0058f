"""Load with faults: complaints filed through the JSON API while processes die and links fail.

Run by hand (never in tests), on loopback, against the real thing in production mode:

    .venv/bin/python bench/faults_bench.py                    # 60 s, 4 clients
    .venv/bin/python bench/faults_bench.py --seconds 90 --clients 6

What it starts (all its own, all stopped at the end):
- a fresh PostgreSQL database `bench_faults_<hex>` on 127.0.0.1:5432 (dropped afterwards unless
  --keep), migrated; Redis db --redis-db (14) on 127.0.0.1:6379 with a Celery queue of its own;
- two `minwon.core.faultproxy.FaultProxy` links, one before PostgreSQL and one before Redis:
  every Minwon process reaches its database and Redis only through them;
- the recording SMS/알림톡 provider of `minwon/notifications/tests/servers.py` (counts each
  Idempotency-Key it sees, and answers a repeated key without counting it again);
- `minwon serve`, `minwon worker` and `minwon scheduler` with MINWON_MODE=production.

What it does: --clients integrator clients file complaints (`POST /api/v1/integrations/complaints`
with an API key from `minwon apikey_issue`, an Idempotency-Key and the key as `external_ref`),
retrying with the same key and body after any failure as a real client would; registrar threads
(officers with personal tokens) register each acknowledged complaint (`POST
/api/v1/office/complaints/{id}/register`, also with an Idempotency-Key), which makes the 접수
notice go out by 알림톡. Meanwhile, on a fixed timetable: SIGKILL and restart the web server and
the worker (a worker kill waits up to 10 s for a delivery in state `sending`, so it lands
mid-send), cut and stall the PostgreSQL and Redis links for a few seconds each. The provider
takes --provider-ms (150) a message, as a real SMS/알림톡 API does.

What it checks afterwards (links restored, outbox drained with a bounded wait), and prints:
every acknowledged complaint is in the database exactly once (by its key), no key is there twice,
every registered complaint's notices were delivered (a delivery row `delivered`) and reached the
provider, and how many times each key went out on the wire (at-least-once is the contract:
duplicates are counted, not hidden). Plus the figures: requests, acknowledged, retried, errors by
kind, latency p50/p95 outside the fault windows.

Never touches the machine's shared services: it only opens connections to them.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PG_HOST, PG_PORT = "127.0.0.1", 5432
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
ADMIN_URL = f"postgresql://postgres@{PG_HOST}:{PG_PORT}/postgres"
UNIT = "bench-faults"
REGISTRARS = 3  # officers: the per-person rate limit is 600 a minute
CLIENT_TIMEOUT = 15.0  # seconds a client waits for one answer
GIVE_UP_SECONDS = 90.0  # a client stops retrying one complaint after this long
DRAIN_SECONDS = float(
    os.environ.get("FAULTS_BENCH_DRAIN", "600")
)  # bounded wait for registrations and the outbox after the load
LEASE_SECONDS = 30  # NOTIFICATIONS_CLAIM_SECONDS for the run (default 120)


# --- the helper side: runs inside Django, in a subprocess ----------------------------------------


def helper(command: str, arg: str) -> int:
    import django

    django.setup()
    out = _helper_setup() if command == "setup" else _helper_report(arg)
    sys.stdout.write(json.dumps(out) + "\n")
    return 0


def _helper_setup() -> dict[str, Any]:
    import pyotp

    from minwon.accounts.domain import OrgUnitKind, Role
    from minwon.accounts.models import OrgUnit
    from minwon.accounts.services import (
        officer_create,
        org_unit_create,
        personal_token_issue,
        totp_confirm,
        totp_enroll_start,
    )

    city = OrgUnit.objects.filter(kind=OrgUnitKind.CITY.value).first() or org_unit_create(
        actor=None, code="bench-city", name_ko="시험시", kind=OrgUnitKind.CITY, parent=None
    )
    unit = OrgUnit.objects.filter(code=UNIT).first() or org_unit_create(
        actor=None, code=UNIT, name_ko="부하시험과", kind=OrgUnitKind.DIVISION, parent=city
    )
    tokens = []
    for n in range(REGISTRARS):
        user = officer_create(
            actor=None,
            username=f"bench-registrar-{n}",
            password=secrets.token_urlsafe(16) + "Aa1!",
            name=f"Registrar {n}",
            org_unit=unit,
            roles=(Role.DEPARTMENT_OFFICER,),
        )
        secret = totp_enroll_start(user=user)
        totp_confirm(user=user, code=pyotp.TOTP(secret).now())
        _, raw = personal_token_issue(actor=None, user=user, name="faults bench", days=1)
        tokens.append(raw)
    return {"tokens": tokens}


def _helper_report(prefix: str) -> dict[str, Any]:
    from django.db.models import Count

    from minwon.complaints.models import Complaint, ComplaintEvent
    from minwon.notifications.models import Delivery, Notification

    complaints = list(
        Complaint.objects.filter(external_ref__startswith=prefix).values_list(
            "id", "external_ref", "receipt_number", "status"
        )
    )
    by_ref = Counter(ref for _id, ref, _no, _st in complaints)
    ids = [pk for pk, _ref, _no, _st in complaints]
    notices = list(
        ComplaintEvent.objects.filter(complaint_id__in=ids)
        .exclude(notice="")
        .values_list("id", "complaint_id", "notice")
    )
    notifications = {
        key: (pk, complaint_id)
        for pk, key, complaint_id in Notification.objects.filter(complaint_id__in=ids).values_list(
            "id", "idempotency_key", "complaint_id"
        )
    }
    deliveries: dict[int, list[tuple[str, str]]] = {}
    for nid, channel, status in Delivery.objects.filter(
        notification_id__in=[pk for pk, _c in notifications.values()]
    ).values_list("notification_id", "channel", "status"):
        deliveries.setdefault(nid, []).append((channel, status))
    waiting = (
        Delivery.objects.exclude(status__in=["delivered", "failed"]).count()
        + Notification.objects.filter(planned_at__isnull=True).count()
    )
    statuses = dict(
        Delivery.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    return {
        "complaints": [
            {"id": pk, "ref": ref, "receipt": no, "status": st} for pk, ref, no, st in complaints
        ],
        "doubled_refs": {ref: n for ref, n in by_ref.items() if n > 1},
        "notices": [{"event": e, "complaint": c, "notice": k} for e, c, k in notices],
        "notifications": {
            key: {"complaint": c, "deliveries": deliveries.get(pk, [])}
            for key, (pk, c) in notifications.items()
        },
        "waiting": waiting,
        "delivery_statuses": statuses,
    }


# --- the driver side ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Result:
    started: float
    ended: float
    what: str  # file | register
    outcome: str  # ok | replayed | error kind
    retry: bool


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    results: list[Result] = field(default_factory=list)
    acknowledged: dict[str, int] = field(default_factory=dict)  # key -> complaint id
    gave_up: list[str] = field(default_factory=list)
    registered: dict[int, str] = field(default_factory=dict)  # complaint id -> receipt number
    register_gave_up: list[int] = field(default_factory=list)
    faults: list[tuple[str, float, float]] = field(default_factory=list)
    worker_kills_mid_send: int = 0  # kills that found a delivery `sending`

    def add(self, result: Result) -> None:
        with self.lock:
            self.results.append(result)


class Api:
    """One keep-alive connection per thread to the web server; any failure closes it."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn: http.client.HTTPConnection | None = None

    def post(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes, str]:
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=CLIENT_TIMEOUT)
        try:
            self.conn.request("POST", path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
            if response.will_close:
                self.close()
            return response.status, data, response.getheader("Retry-After") or ""
        except Exception:
            self.close()
            raise

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def error_kind(exc: BaseException) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, (ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected)):
        return "connection reset"
    if isinstance(exc, TimeoutError):
        return "client time-out"
    return type(exc).__name__


def backoff(attempt: int, retry_after: str) -> float:
    if retry_after.isdigit():
        return min(float(retry_after), 2.0)
    return min(0.2 * 2.0**attempt, 2.0)


def call(
    api: Api,
    stats: Stats,
    *,
    what: str,
    path: str,
    payload: dict[str, Any],
    headers: dict[str, str],
    stop_at: float,
) -> dict[str, Any] | None:
    """POST until a 2xx (or a final 4xx), retrying with the same key and body; None = gave up."""
    body = json.dumps(payload, ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json", **headers}
    attempt = 0
    while time.monotonic() < stop_at:
        started = time.monotonic()
        retry_after = ""
        try:
            status, data, retry_after = api.post(path, body, headers)
        except Exception as exc:  # every failure is retried with the same key
            stats.add(Result(started, time.monotonic(), what, error_kind(exc), attempt > 0))
        else:
            ended = time.monotonic()
            if 200 <= status < 300:
                stats.add(Result(started, ended, what, "ok", attempt > 0))
                return dict(json.loads(data))
            code = ""
            with contextlib.suppress(ValueError, AttributeError):
                code = str(json.loads(data).get("code", ""))
            stats.add(Result(started, ended, what, f"HTTP {status} {code}".strip(), attempt > 0))
            if what == "register" and status == 409 and code.startswith("complaint."):
                return {"already": True}  # registered by an earlier attempt whose answer was lost
            if 400 <= status < 500 and status not in (408, 409, 429):
                return {"final_error": f"HTTP {status} {code}"}
        attempt += 1
        time.sleep(backoff(attempt, retry_after))
    return None


class Processes:
    """serve, worker and scheduler, each in its own session (so a SIGKILL takes its children)."""

    def __init__(self, env: dict[str, str], logs: Path, port: int) -> None:
        self.env = env
        self.logs = logs
        self.port = port
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self.starts: Counter[str] = Counter()

    def command(self, name: str) -> list[str]:
        cli = [sys.executable, "-m", "minwon.cli"]
        if name == "web":
            return [
                *cli,
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--threads",
                "8",
            ]
        if name == "worker":
            return [*cli, "worker", "--concurrency=2", "--loglevel=INFO"]
        schedule = self.logs / f"beat-{self.starts[name]}"
        return [*cli, "scheduler", f"--schedule={schedule}", "--loglevel=INFO"]

    def start(self, name: str) -> None:
        self.starts[name] += 1
        log = open(self.logs / f"{name}.log", "ab")  # noqa: SIM115 - the child keeps it
        self.procs[name] = subprocess.Popen(
            self.command(name),
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self, name: str) -> None:
        proc = self.procs[name]
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)

    def stop_all(self) -> None:
        for name in list(self.procs):
            if self.procs[name].poll() is None:
                self.kill(name)

    def web_ready(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                    s.sendall(b"GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
                    if b" 200 " in s.recv(32):
                        return True
                time.sleep(0.2)
            except OSError:
                time.sleep(0.2)
        return False


def run_django(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"faults bench: {' '.join(args[:3])} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the load phase")
    parser.add_argument("--clients", type=int, default=4, help="concurrent filing clients")
    parser.add_argument(
        "--provider-ms", type=float, default=150.0, help="the provider's time per message"
    )
    parser.add_argument("--redis-db", type=int, default=14)
    parser.add_argument("--keep", action="store_true", help="keep the database and the logs")
    parser.add_argument("--helper", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.helper:
        return helper(*args.helper)

    import psycopg
    from cryptography.fernet import Fernet

    from minwon.core.faultproxy import FaultProxy
    from minwon.notifications.tests.servers import Recorder, RecordingProvider

    run_id = secrets.token_hex(3)
    db = f"bench_faults_{run_id}"
    prefix = f"faults-{run_id}-"
    tmp = Path(tempfile.mkdtemp(prefix=f"faults-bench-{run_id}-"))
    print(f"faults bench {run_id}: database {db}, Redis db {args.redis_db}, logs in {tmp}")
    print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{db}"')

    # A real SMS/알림톡 API answers in 100-300 ms: long enough for a worker kill to land mid-send.
    recorder = Recorder(delay=args.provider_ms / 1000)
    pg = FaultProxy(PG_HOST, PG_PORT)
    redis = FaultProxy(REDIS_HOST, REDIS_PORT)
    port = free_port()
    base_env = {
        **os.environ,
        "MINWON_MODE": "production",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "faults-bench-" + secrets.token_hex(24),
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "MINWON_DATA_DIR": str(tmp / "data"),
        "BACKGROUND_RUNNER": "celery",
        "CELERY_QUEUE": f"minwon-bench-faults-{run_id}",
        "NOTIFICATIONS_CLAIM_SECONDS": str(LEASE_SECONDS),
        "NOTIFICATIONS_SWEEP_SECONDS": "5",
        "NOTIFICATIONS_HTTP_TIMEOUT": "3",
        "NOTIFICATIONS_BATCH_SIZE": "50",
        "PYTHONUNBUFFERED": "1",
    }
    direct = {
        **base_env,
        "DATABASE_URL": f"postgres://postgres@{PG_HOST}:{PG_PORT}/{db}",
        "REDIS_URL": f"redis://{REDIS_HOST}:{REDIS_PORT}/{args.redis_db}",
    }
    stats = Stats()
    procs: Processes | None = None
    try:
        with pg, redis, RecordingProvider(recorder) as provider:
            env = {
                **base_env,
                "DATABASE_URL": f"postgres://postgres@127.0.0.1:{pg.port}/{db}",
                "REDIS_URL": f"redis://127.0.0.1:{redis.port}/{args.redis_db}",
                "ALIMTALK_API_URL": provider.url + "/alimtalk",
                "ALIMTALK_API_KEY": "bench",
                "ALIMTALK_SENDER_KEY": "bench",
                "SMS_API_URL": provider.url + "/sms",
                "SMS_API_KEY": "bench",
                "SMS_SENDER": "0319400000",
            }
            run_django(direct, "-m", "minwon.cli", "migrate", "--no-input", "-v", "0")
            setup = json.loads(run_django(direct, __file__, "--helper", "setup", "-"))
            api_key = run_django(
                direct,
                *("-m", "minwon.cli", "apikey_issue", "--name", "faults bench"),
                *("--scope", "api.write", "--scope", "api.read", "--org-unit", UNIT),
                *("--rate-limit", "1000000"),
            ).strip()
            procs = Processes(env, tmp, port)
            for name in ("web", "worker", "scheduler"):
                procs.start(name)
            if not procs.web_ready(120):
                raise SystemExit(f"faults bench: minwon serve did not start (see {tmp}/web.log)")
            direct_url = direct["DATABASE_URL"].replace("postgres://", "postgresql://", 1)
            load(args, stats, procs, pg, redis, api_key, setup["tokens"], prefix, port, direct_url)
            pg.set("pass")
            redis.set("pass")
            report = drain(stats, direct, prefix)
            raw, accepted = recorder.snapshot()
            summarise(args, stats, report, raw, accepted, prefix)
            procs.stop_all()
    finally:
        if procs is not None:
            procs.stop_all()
        print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
        if not args.keep:
            with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    return 0


def load(
    args: argparse.Namespace,
    stats: Stats,
    procs: Processes,
    pg: Any,
    redis: Any,
    api_key: str,
    tokens: list[str],
    prefix: str,
    port: int,
    direct_url: str,
) -> None:
    import queue

    seconds = float(args.seconds)
    start = time.monotonic()
    load_ends = start + seconds
    pending: queue.Queue[int] = queue.Queue()
    counter = iter(range(10**9))
    counter_lock = threading.Lock()
    clients_done = threading.Event()

    def client(n: int) -> None:
        api = Api(port)
        while time.monotonic() < load_ends:
            with counter_lock:
                seq = next(counter)
            key = f"{prefix}{n}-{seq}"
            payload = {
                "kind": "other",
                "title": f"부하 시험 민원 {seq}",
                "body": "가로등이 꺼져 있습니다. 확인 부탁드립니다.",
                "external_ref": key,
                "applicant": {
                    "name": "홍길동",
                    "address": "경기도 파주시 시청로 50",
                    # 0109…: never one of the recording provider's misbehaving numbers
                    "phone": f"0109{seq % 10**7:07d}",
                },
            }
            answer = call(
                api,
                stats,
                what="file",
                path="/api/v1/integrations/complaints",
                payload=payload,
                headers={"X-API-Key": api_key, "Idempotency-Key": key},
                stop_at=time.monotonic() + GIVE_UP_SECONDS,
            )
            if answer is None or "id" not in answer:
                with stats.lock:
                    stats.gave_up.append(key)
                continue
            with stats.lock:
                stats.acknowledged[key] = int(answer["id"])
            pending.put(int(answer["id"]))
        api.close()

    def registrar(token: str) -> None:
        api = Api(port)
        while True:
            try:
                complaint_id = pending.get(timeout=0.5)
            except queue.Empty:
                if clients_done.is_set():
                    break
                continue
            answer = call(
                api,
                stats,
                what="register",
                path=f"/api/v1/office/complaints/{complaint_id}/register",
                payload={},
                headers={
                    "Authorization": f"Bearer {token}",
                    "Idempotency-Key": f"{prefix}register-{complaint_id}",
                },
                stop_at=time.monotonic() + GIVE_UP_SECONDS,
            )
            with stats.lock:
                if answer is None or "final_error" in answer:
                    stats.register_gave_up.append(complaint_id)
                else:
                    stats.registered[complaint_id] = str(answer.get("receipt_number") or "")
        api.close()

    # The timetable of faults, as fractions of the load phase.
    def link(proxy: Any, mode: str, name: str, hold: float) -> None:
        began = time.monotonic()
        proxy.set(mode)
        time.sleep(hold)
        proxy.set("pass")
        stats.faults.append((name, began, time.monotonic()))

    def sending() -> bool:
        import psycopg

        with psycopg.connect(direct_url, connect_timeout=5) as conn:
            row = conn.execute(
                "SELECT count(*) FROM notifications_delivery WHERE status = 'sending'"
            ).fetchone()
        return bool(row and row[0])

    def kill(name: str) -> None:
        if name == "worker":  # the worst moment: while a delivery is being sent (≤ 10 s wait)
            deadline = time.monotonic() + 10
            while not sending() and time.monotonic() < deadline:
                time.sleep(0.02)
            mid_send = sending()
        began = time.monotonic()
        procs.kill(name)
        if name == "worker":
            stats.worker_kills_mid_send += int(mid_send)
        procs.start(name)
        if name == "web":
            procs.web_ready(120)
        stats.faults.append((f"SIGKILL {name} + restart", began, time.monotonic()))

    timetable: list[tuple[float, str, Any]] = [
        (0.12, "SIGKILL web", lambda: kill("web")),
        (0.24, "cut PostgreSQL 4 s", lambda: link(pg, "cut", "cut PostgreSQL", 4)),
        (0.36, "SIGKILL worker", lambda: kill("worker")),
        (0.48, "stall PostgreSQL 4 s", lambda: link(pg, "stall", "stall PostgreSQL", 4)),
        (0.60, "cut Redis 4 s", lambda: link(redis, "cut", "cut Redis", 4)),
        (0.70, "SIGKILL web", lambda: kill("web")),
        (0.80, "stall Redis 4 s", lambda: link(redis, "stall", "stall Redis", 4)),
        (0.90, "SIGKILL worker", lambda: kill("worker")),
    ]

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(args.clients)]
    threads += [threading.Thread(target=registrar, args=(t,), daemon=True) for t in tokens]
    for t in threads:
        t.start()
    next_progress = start + 5
    for at, what, action in timetable:
        while time.monotonic() < start + at * seconds:
            time.sleep(0.1)
            if time.monotonic() >= next_progress:
                progress(stats, start, pending.qsize(), "")
                next_progress += 5
        progress(stats, start, pending.qsize(), f"fault: {what}")
        action()
    while time.monotonic() < load_ends:
        time.sleep(0.2)
        if time.monotonic() >= next_progress:
            progress(stats, start, pending.qsize(), "")
            next_progress += 5
    for t in threads[: args.clients]:
        t.join(timeout=GIVE_UP_SECONDS + CLIENT_TIMEOUT)
    clients_done.set()
    progress(stats, start, pending.qsize(), "load over; registering the rest")
    for t in threads[args.clients :]:
        t.join(timeout=DRAIN_SECONDS)


def progress(stats: Stats, start: float, queued: int, note: str) -> None:
    with stats.lock:
        done = len(stats.results)
        acked = len(stats.acknowledged)
        registered = len(stats.registered)
        errors = sum(1 for r in stats.results if r.outcome != "ok")
    line = (
        f"[{time.monotonic() - start:5.0f} s] requests {done}, acknowledged {acked}, "
        f"registered {registered} (queued {queued}), failed attempts {errors}"
    )
    print(line + (f"  -- {note}" if note else ""), flush=True)


def drain(stats: Stats, direct: dict[str, str], prefix: str) -> dict[str, Any]:
    """Wait (bounded) until every registered complaint's notices are delivered; the last report."""
    deadline = time.monotonic() + DRAIN_SECONDS
    began = time.monotonic()
    while True:
        report = json.loads(run_django(direct, __file__, "--helper", "report", prefix))
        notices = {f"notice:{n['event']}" for n in report["notices"]}
        undelivered = [
            key
            for key in notices
            if not any(
                status == "delivered"
                for _ch, status in report["notifications"].get(key, {}).get("deliveries", [])
            )
        ]
        print(
            f"[drain {time.monotonic() - began:4.0f} s] notices {len(notices)}, not yet delivered "
            f"{len(undelivered)}, outbox waiting {report['waiting']}",
            flush=True,
        )
        if (not undelivered and report["waiting"] == 0) or time.monotonic() > deadline:
            report["drain_seconds"] = time.monotonic() - began
            return dict(report)
        time.sleep(5)


def summarise(
    args: argparse.Namespace,
    stats: Stats,
    report: dict[str, Any],
    raw: Counter[str],
    accepted: Counter[str],
    prefix: str,
) -> None:
    windows = [(began, ended + 2.0) for _name, began, ended in stats.faults]

    def calm(r: Result) -> bool:
        return not any(r.started < end and r.ended > begin for begin, end in windows)

    files = [r for r in stats.results if r.what == "file"]
    registers = [r for r in stats.results if r.what == "register"]
    found = Counter(c["ref"] for c in report["complaints"])
    acked = stats.acknowledged
    missing = [k for k in acked if found.get(k, 0) == 0]
    doubled = {k: n for k, n in found.items() if n > 1}
    by_id = {c["id"]: c for c in report["complaints"]}
    wrong_id = [k for k, pk in acked.items() if pk not in by_id or by_id[pk]["ref"] != k]
    unacked_present = [k for k in stats.gave_up if found.get(k, 0)]
    registered_db = [c for c in report["complaints"] if c["receipt"]]
    not_registered = [pk for pk in stats.registered if not by_id.get(pk, {}).get("receipt")]
    notices = {f"notice:{n['event']}": n for n in report["notices"]}
    receipt_notices = [n for n in report["notices"] if n["notice"] == "receipt"]
    undelivered = []
    wire_keys: list[str] = []
    for key in notices:
        rows = report["notifications"].get(key, {}).get("deliveries", [])
        if not any(status == "delivered" for _ch, status in rows):
            undelivered.append(key)
        wire_keys += [f"{key}:{ch}" for ch, status in rows if ch in ("sms", "alimtalk")]
    not_on_wire = [k for k in wire_keys if raw.get(k, 0) == 0]
    repeats = {k: raw[k] - 1 for k in wire_keys if raw.get(k, 0) > 1}
    failed_kinds = Counter(r.outcome for r in stats.results if r.outcome != "ok")
    calm_ms = [(r.ended - r.started) * 1000 for r in files if r.outcome == "ok" and calm(r)]
    all_ms = [(r.ended - r.started) * 1000 for r in files if r.outcome == "ok"]
    reg_calm_ms = [(r.ended - r.started) * 1000 for r in registers if r.outcome == "ok" and calm(r)]

    def ok(flag: bool) -> str:
        return "ok" if flag else "FAILED"

    print()
    print(
        f"== faults bench: {args.seconds:.0f} s, {args.clients} clients, {REGISTRARS} registrars, "
        f"provider {args.provider_ms:.0f} ms a message"
    )
    print("faults (start → healed, seconds into the run):")
    t0 = min((r.started for r in stats.results), default=0.0)
    for name, began, ended in stats.faults:
        print(f"  {name:28s} {began - t0:6.1f} → {ended - t0:6.1f}")
    print("during each fault (filing and registration attempts overlapping it, +2 s):")
    for name, began, ended in stats.faults:
        inside = [r for r in stats.results if r.started < ended + 2.0 and r.ended > began]
        good = [(r.ended - r.started) * 1000 for r in inside if r.outcome == "ok"]
        slowest = f"{max(good):.0f}" if good else "-"
        print(
            f"  {name:28s} attempts {len(inside):4d}, 2xx {len(good):4d}, slowest 2xx {slowest} ms"
        )
    print("figures:")
    rows = [
        ("filing requests (attempts)", len(files)),
        ("  of which retries", sum(1 for r in files if r.retry)),
        ("complaints acknowledged (2xx)", len(acked)),
        ("complaints given up by the client", len(stats.gave_up)),
        ("registration requests (attempts)", len(registers)),
        ("  of which retries", sum(1 for r in registers if r.retry)),
        ("complaints registered (acknowledged)", len(stats.registered)),
        ("registrations given up", len(stats.register_gave_up)),
        ("filing p50 / p95 ms, outside fault windows", _pct(calm_ms)),
        ("filing p50 / p95 ms, all acknowledged", _pct(all_ms)),
        ("registration p50 / p95 ms, outside fault windows", _pct(reg_calm_ms)),
        ("notices recorded (history rows with a notice)", len(notices)),
        ("  of which 접수 (receipt)", len(receipt_notices)),
        ("notices delivered", len(notices) - len(undelivered)),
        ("provider calls (all keys)", sum(raw.values())),
        ("keys sent more than once on the wire", len(repeats)),
        ("extra sends (duplicates on the wire)", sum(repeats.values())),
        ("worker kills while a delivery was `sending`", stats.worker_kills_mid_send),
        ("drain time, s", f"{report['drain_seconds']:.0f}"),
    ]
    for label, value in rows:
        print(f"  {label:50s} {value}")
    print("failed attempts by kind:")
    for kind, n in failed_kinds.most_common():
        print(f"  {kind:50s} {n}")
    print("checks:")
    checks = [
        (f"every acknowledged complaint is in the database ({len(acked)})", not missing),
        ("no key is in the database twice", not doubled),
        ("each acknowledged id is the complaint filed under its key", not wrong_id),
        ("every acknowledged registration holds (receipt number stored)", not not_registered),
        (
            f"every registered complaint has its 접수 notice ({len(registered_db)})",
            len(receipt_notices) == len(registered_db),
        ),
        ("every notice has a delivered delivery", not undelivered),
        ("every 알림톡/SMS delivery reached the provider", not not_on_wire),
        ("the outbox is empty", report["waiting"] == 0),
    ]
    for label, passed in checks:
        print(f"  [{ok(passed)}] {label}")
    print(
        f"  (not acknowledged but present: {len(unacked_present)} of {len(stats.gave_up)} "
        "given up: allowed, the client never learnt the answer)"
    )
    if missing:
        print("  missing:", missing[:20])
    if doubled:
        print("  doubled:", dict(list(doubled.items())[:20]))
    if undelivered:
        print("  undelivered:", undelivered[:20])
    if repeats:
        print("  repeated keys:", dict(list(repeats.items())[:20]))
    print("delivery rows by status:", report["delivery_statuses"])


def _pct(values: list[float]) -> str:
    if not values:
        return "-"
    return f"{statistics.median(values):.0f} / {percentile(values, 0.95):.0f} (n={len(values)})"


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
