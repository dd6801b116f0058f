"""Liveness and readiness (issue 14 item 7).

`/healthz` is liveness: the process answers (no database, no broker: a load balancer must not
restart a web server because PostgreSQL is down). `/readyz` is readiness: it answers 200 only
when the database answers, every migration on disk is applied and, with BACKGROUND_RUNNER=celery,
the broker accepts a connection; otherwise 503 with the failing checks. Each check is bounded by
READINESS_TIMEOUT_SECONDS (the database by the request watchdog and its connect timeout), and the
broker is checked in a thread alongside the database, so readiness never waits long. The
rate-limit cache (Redis) is reported but does not fail readiness: its limits fail open.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import DatabaseError, connection

from minwon.core.timeouts import database_deadline

log = logging.getLogger(__name__)


@dataclass
class Check:
    ok: bool
    detail: str = ""
    critical: bool = True
    data: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"ok": self.ok, **self.data}
        if self.detail:
            body["detail"] = self.detail
        return body


_expected_migrations: set[tuple[str, str]] | None = None
_expected_lock = threading.Lock()


def _expected() -> set[tuple[str, str]]:
    """The latest migration of each app on disk (read once: the code does not change under us)."""
    global _expected_migrations
    with _expected_lock:
        if _expected_migrations is None:
            from django.db.migrations.loader import MigrationLoader

            loader = MigrationLoader(None, ignore_no_migrations=True)
            _expected_migrations = set(loader.graph.leaf_nodes())
        return set(_expected_migrations)


def check_database(timeout: float) -> tuple[Check, Check]:
    """(database, migrations): one round trip each, under a deadline."""
    try:
        with database_deadline(timeout, label="readiness"), connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.execute("SELECT app, name FROM django_migrations")
            applied = {(app, name) for app, name in cursor.fetchall()}
    except DatabaseError as exc:
        connection.close_if_unusable_or_obsolete()
        log.warning("readiness: the database check failed: %s", exc)
        return Check(False, type(exc).__name__), Check(False, "database unreachable")
    pending = sorted(f"{app}.{name}" for app, name in _expected() - applied)
    migrations = Check(not pending, data={"pending": pending})
    return Check(True), migrations


def _redis_ping(url: str, timeout: float) -> None:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
    try:
        client.ping()
    finally:
        client.close()


def _amqp_connect(url: str, timeout: float) -> None:
    from kombu.connection import Connection

    with Connection(url, connect_timeout=timeout, heartbeat=0) as conn:  # type: ignore[no-untyped-call]
        conn.connect()  # the AMQP handshake, bounded by connect_timeout


def check_url(url: str, timeout: float) -> Check:
    scheme = urlsplit(url).scheme
    try:
        if scheme in {"redis", "rediss"}:
            _redis_ping(url, timeout)
        elif scheme in {"amqp", "amqps", "pyamqp"}:
            _amqp_connect(url, timeout)
        else:
            return Check(False, f"unsupported scheme {scheme or '?'}")
    except Exception as exc:  # any failure to connect means "not ready"; say which
        return Check(False, type(exc).__name__)
    return Check(True)


def _in_thread(fn: Callable[[], Check], timeout: float) -> Callable[[], Check]:
    """Start fn in a daemon thread; the returned callable waits at most `timeout` for it."""
    box: list[Check] = []
    thread = threading.Thread(target=lambda: box.append(fn()), daemon=True)
    thread.start()

    def result() -> Check:
        thread.join(timeout)
        return box[0] if box else Check(False, "timed out")

    return result


def readiness() -> tuple[bool, dict[str, Any]]:
    """(ready, document): every critical check passed, and what each found."""
    timeout = float(getattr(settings, "READINESS_TIMEOUT_SECONDS", 2.0))
    waits: dict[str, Callable[[], Check]] = {}
    if getattr(settings, "BACKGROUND_RUNNER", "") == "celery":
        broker = str(settings.CELERY_BROKER_URL)
        waits["broker"] = _in_thread(lambda: check_url(broker, timeout), timeout + 1)
    cache_url = str(getattr(settings, "REDIS_URL", "") or "")
    if cache_url:
        waits["cache"] = _in_thread(
            lambda: _non_critical(check_url(cache_url, timeout)), timeout + 1
        )
    checks: dict[str, Check] = {}
    checks["database"], checks["migrations"] = check_database(timeout)
    for name, wait in waits.items():
        checks[name] = wait()
    if "broker" not in checks:
        checks["broker"] = Check(True, "not used (BACKGROUND_RUNNER is not celery)", critical=False)
    ready = all(c.ok for c in checks.values() if c.critical)
    return ready, {
        "status": "ready" if ready else "not_ready",
        "checks": {name: c.as_dict() for name, c in checks.items()},
    }


def _non_critical(check: Check) -> Check:
    check.critical = False
    return check
