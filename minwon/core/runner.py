"""Background work without a broker: one daemon thread in the web process (`minwon demo`).

It runs THE schedule (settings.BACKGROUND_SCHEDULE, config/schedule.py), the one Celery beat
reads: each entry when its Celery schedule says it is due, at the times beat keeps, and the
`on_wake` entries as soon as a commit said there is work (`minwon.core.jobs.wake`). It calls the
jobs' own functions, found by name, so it knows no context (docs/adr/0002-background-work.md).
Production uses `minwon worker` and `minwon scheduler` instead.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import close_old_connections

from minwon.core import jobs

logger = logging.getLogger(__name__)

MAX_WAIT_SECONDS = 60.0  # the longest sleep between two looks at the schedule
MIN_WAIT_SECONDS = 0.5

_started: threading.Thread | None = None
_lock = threading.Lock()


class Runner:
    """Decides, tick by tick, which entries of a schedule run, and runs them in table order."""

    def __init__(
        self,
        schedule: jobs.Schedule,
        *,
        functions: Mapping[str, Callable[[], Any]],
    ) -> None:
        missing = [e.task for e in schedule.entries if e.task not in functions]
        if missing:
            raise LookupError(f"the schedule names jobs nobody declared: {missing}")
        self.schedule = schedule
        self.functions = functions
        # As Celery beat does for a new entry: the first run is the first due time after start.
        self.last_run: dict[str, datetime] = {e.key: e.when.now() for e in schedule.entries}

    def tick(self, *, woken: bool) -> tuple[list[str], float]:
        """Run what is due (and, when `woken`, the `on_wake` entries); the keys run and the
        seconds until the schedule next needs a look."""
        ran: list[str] = []
        wait = MAX_WAIT_SECONDS
        for entry in self.schedule.entries:
            due, next_check = entry.when.is_due(self.last_run[entry.key])
            if due or (woken and entry.on_wake):
                self.last_run[entry.key] = entry.when.now()
                _guarded(entry.task, self.functions[entry.task])
                ran.append(entry.key)
                due, next_check = entry.when.is_due(self.last_run[entry.key])
            wait = min(wait, float(next_check))
        return ran, max(wait, MIN_WAIT_SECONDS)


def _guarded(name: str, step: Callable[[], object]) -> None:
    try:
        step()
    except Exception:  # one failing job must not stop the runner; its next run retries
        logger.exception("background runner: %s failed", name)
    finally:
        close_old_connections()


def runner_for(schedule: jobs.Schedule) -> Runner:
    """A runner over `schedule` that calls the functions its jobs modules declared."""
    declared = schedule.import_jobs()
    return Runner(schedule, functions={n: d.function for n, d in declared.items()})


def loop(runner: Runner, stop: threading.Event) -> None:
    """Tick until `stop` is set: after each wake-up, or when the schedule next needs a look."""
    try:  # crontab entries keep the wiring's time zone (Asia/Seoul) in this thread too
        jobs.app_get().set_current()
    except RuntimeError:
        logger.warning("background runner: no Celery app installed; crontab times are in UTC")
    wait = MIN_WAIT_SECONDS
    while not stop.is_set():
        woken = jobs.work_available.wait(timeout=wait)
        jobs.work_available.clear()
        _, wait = runner.tick(woken=woken)


def start_background_thread() -> threading.Event | None:
    """Start the runner once per process when BACKGROUND_RUNNER is "thread"; returns its stop."""
    global _started
    if settings.BACKGROUND_RUNNER != "thread":
        return None
    with _lock:
        if _started is not None:
            return None
        runner = runner_for(jobs.schedule_get())
        stop = threading.Event()
        _started = threading.Thread(
            target=loop, args=(runner, stop), name="minwon-background", daemon=True
        )
        _started.start()
        return stop
