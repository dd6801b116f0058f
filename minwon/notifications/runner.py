"""Background work without a broker: one daemon thread in the web process (`minwon demo`).

It wakes when a commit wrote notifications (wakeup.work_available) and at least every
NOTIFICATIONS_SWEEP_SECONDS, and then runs the same services the Celery schedule runs
(config/celery.py): the complaint-notice bridge, the sweeps, and the dispatch. It is the
embedded default's runner (docs/adr/0002-background-work.md); production uses `minwon worker`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import date
from functools import partial

from django.conf import settings
from django.db import close_old_connections

from minwon.complaints.jobs import complaint_progress_notices_job
from minwon.core import clock
from minwon.exchange.jobs import exchange_sync_job
from minwon.notifications import selectors, services, wakeup
from minwon.webhooks.jobs import webhook_dispatch_job

logger = logging.getLogger(__name__)

SWEEP_EVERY_SECONDS = 600  # deadline and registration sweeps, as in the Celery schedule
EXCHANGE_EVERY_SECONDS = 300  # progress notices and the national exchange
_started: threading.Thread | None = None
_lock = threading.Lock()


def _guarded(name: str, step: Callable[[], object]) -> None:
    try:
        step()
    except Exception:  # one failing step must not stop the runner; the next tick retries
        logger.exception("background runner: %s failed", name)
    finally:
        close_old_connections()


def _digest(day: date) -> object:
    return services.daily_digest_enqueue(day=day, source=selectors.daily_digest_source())


def _loop(stop: threading.Event) -> None:
    last_sweep = 0.0
    last_exchange = 0.0
    last_digest_day: date | None = None
    while not stop.is_set():
        wakeup.work_available.wait(timeout=settings.NOTIFICATIONS_SWEEP_SECONDS)
        wakeup.work_available.clear()
        _guarded(
            "complaint notices",
            lambda: services.complaint_notices_enqueue(events=selectors.complaint_notice_source()),
        )
        if time.monotonic() - last_sweep >= SWEEP_EVERY_SECONDS:
            last_sweep = time.monotonic()
            _guarded(
                "deadline sweep",
                lambda: services.deadline_warning_sweep(
                    source=selectors.complaint_deadline_source()
                ),
            )
            _guarded(
                "registration alarm",
                lambda: services.registration_alarm_sweep(
                    source=selectors.complaint_registration_source()
                ),
            )
        local = clock.local_now()
        if local.hour >= 8 and local.weekday() < 5 and last_digest_day != local.date():
            last_digest_day = today = local.date()
            _guarded(
                "daily digest",
                partial(_digest, today),
            )
        _guarded("dispatch", services.notifications_dispatch)
        _guarded("webhooks", webhook_dispatch_job)
        if time.monotonic() - last_exchange >= EXCHANGE_EVERY_SECONDS:
            last_exchange = time.monotonic()
            _guarded("progress notices", complaint_progress_notices_job)
            _guarded("national exchange", exchange_sync_job)


def start_background_thread() -> threading.Event | None:
    """Start the runner once per process when BACKGROUND_RUNNER is "thread"; returns its stop."""
    global _started
    if settings.BACKGROUND_RUNNER != "thread":
        return None
    with _lock:
        if _started is not None:
            return None
        stop = threading.Event()
        _started = threading.Thread(
            target=_loop, args=(stop,), name="minwon-background", daemon=True
        )
        _started.start()
        return stop
