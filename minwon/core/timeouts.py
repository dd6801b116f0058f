"""A bound on how long a request may wait for its database (issue 14 item 5).

The connection settings (config/env.py `database_from_url`) bound connecting
(`connect_timeout`) and each statement on the server (`statement_timeout`). Neither helps when
the link stalls after a statement was sent: the server may have given up, but its answer never
arrives and the client waits for ever (and a web server's threads fill up behind it). So every
request runs under a deadline (REQUEST_TIMEOUT_SECONDS): a watchdog thread shuts down the
socket of the PostgreSQL connection of a request that outlives it. The blocked driver call then
fails at once with an OperationalError, which `config/handlers.py` answers with 503 and
Retry-After; Django discards the broken connection at the end of the request.

Only the request's own thread's connections are cut, and only while that request is running.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse

log = logging.getLogger(__name__)

cut_count = 0  # connections cut so far (read by the metrics and by tests)


class _Watchdog:
    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._entries: dict[int, tuple[float, list[Any], str]] = {}
        self._ids = itertools.count(1)
        self._thread: threading.Thread | None = None

    @contextlib.contextmanager
    def guard(self, seconds: float, *, label: str = "") -> Iterator[None]:
        """Run the block with this thread's database connections cut after `seconds`."""
        wrappers = [connections[alias] for alias in connections]
        with self._lock:
            token = next(self._ids)
            self._entries[token] = (time.monotonic() + seconds, wrappers, label)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="minwon-request-watchdog", daemon=True
                )
                self._thread.start()
            self._lock.notify()
        try:
            yield
        finally:
            with self._lock:
                self._entries.pop(token, None)

    def _run(self) -> None:
        while True:
            with self._lock:
                now = time.monotonic()
                expired = [t for t, (deadline, _, _) in self._entries.items() if deadline <= now]
                for token in expired:
                    _, wrappers, label = self._entries.pop(token)
                    for wrapper in wrappers:
                        _cut(wrapper, label)
                soonest = min((d for d, _, _ in self._entries.values()), default=now + 60)
                self._lock.wait(timeout=max(0.01, min(soonest - now, 60)))


def _cut(wrapper: Any, label: str) -> None:
    """Shut the socket of a PostgreSQL connection down (the owner's blocked call then fails)."""
    global cut_count
    if getattr(wrapper, "vendor", "") != "postgresql":
        return
    raw = getattr(wrapper, "connection", None)
    if raw is None or getattr(raw, "closed", True):
        return
    try:
        fd = raw.pgconn.socket
        duplicate = socket.socket(fileno=os.dup(fd))
    except Exception:  # the connection closed meanwhile: nothing to cut
        return
    with contextlib.suppress(OSError):
        duplicate.shutdown(socket.SHUT_RDWR)
    duplicate.close()
    cut_count += 1
    log.warning("request time limit reached: database connection cut (%s)", label)


watchdog = _Watchdog()


def database_deadline(
    seconds: float, *, label: str = ""
) -> contextlib.AbstractContextManager[None]:
    """`with database_deadline(2):` cuts this thread's database connections after 2 seconds."""
    return watchdog.guard(seconds, label=label)


class RequestTimeoutMiddleware:
    """Every request runs under REQUEST_TIMEOUT_SECONDS (0 switches the bound off)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seconds = float(getattr(settings, "REQUEST_TIMEOUT_SECONDS", 0) or 0)
        if seconds <= 0:
            return self.get_response(request)
        with watchdog.guard(seconds, label=f"{request.method} {request.path}"):
            return self.get_response(request)
