"""How background work is declared, scheduled and asked for, without knowing the wiring.

Jobs are interfaces (docs/architecture.md): ids in, one service call, idempotent. A context
declares them in its `jobs.py` with `task(name)`, and marks the ones meant to run on the clock
`periodic=True`. THE schedule (a `Schedule` of `Periodic` entries) is declared once by the wiring
(`config/schedule.py`, as `settings.BACKGROUND_SCHEDULE`); Celery beat (`minwon scheduler`) and
the embedded default's in-process runner (`minwon.core.runner`) both read it, so no context runs
another's jobs. The wiring (`config/celery.py`) also makes the Celery app and hands it in with
`app_install`; a context sends a task by name with `send`, or `wake`s the in-process runner, and
never imports `config`. A lost message only delays work: the schedule re-drives every job.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar, cast

from celery import shared_task
from django.conf import settings

from minwon.core.metrics import job_timer

if TYPE_CHECKING:
    from celery import Celery
    from celery.schedules import BaseSchedule

logger = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Declared:
    """A job as its context declared it: the function, and whether it is meant for the clock."""

    name: str
    function: Callable[..., Any]
    periodic: bool


_declared: dict[str, Declared] = {}
_app: Celery | None = None

# Set by `wake` when BACKGROUND_RUNNER is "thread": the in-process runner waits on it between ticks.
work_available = threading.Event()


def task(name: str, *, periodic: bool = False) -> Callable[[F], F]:
    """celery's shared_task with an explicit name (typed for mypy).

    `periodic=True` says the job is meant to run on the clock: it must have an entry in the one
    schedule (tests/test_schedule.py checks every jobs.py against it). Every run, by Celery or
    the in-process runner, is timed (minwon_job_duration_seconds{job=name}, core.metrics).
    """

    def declare(function: F) -> F:
        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            with job_timer(name):
                return function(*args, **kwargs)

        _declared[name] = Declared(name, timed, periodic)
        return cast(F, shared_task(name=name)(timed))

    return declare


def declared() -> dict[str, Declared]:
    """Every job declared so far (import the jobs modules first: `Schedule.import_jobs`)."""
    return dict(_declared)


@dataclass(frozen=True)
class Periodic:
    """One entry of the schedule: run job `task` at `when` (a Celery schedule or crontab).

    `on_wake`: the in-process runner also runs it as soon as a commit said there is work
    (`wake`); with Celery that work is sent as a task instead, and the entry is the re-drive.
    """

    key: str
    task: str
    when: BaseSchedule
    on_wake: bool = False


@dataclass(frozen=True)
class Schedule:
    """THE schedule: the jobs modules to load and every periodic entry, in the order to run."""

    job_modules: tuple[str, ...]
    entries: tuple[Periodic, ...]

    def beat(self) -> dict[str, dict[str, Any]]:
        """The same entries as Celery beat's `beat_schedule` (the same schedule objects)."""
        return {e.key: {"task": e.task, "schedule": e.when} for e in self.entries}

    def import_jobs(self) -> dict[str, Declared]:
        import importlib

        for module in self.job_modules:
            importlib.import_module(module)
        return declared()


def schedule_get() -> Schedule:
    """The one schedule, as the wiring declared it (settings.BACKGROUND_SCHEDULE)."""
    return settings.BACKGROUND_SCHEDULE


def wake() -> None:
    """After a commit that made work: the in-process runner runs its `on_wake` entries now.

    Outside "thread" mode this does nothing; the schedule (or a task sent with `send`) picks the
    work up.
    """
    if settings.BACKGROUND_RUNNER == "thread":
        work_available.set()


def app_install(app: Celery) -> None:
    """The wiring hands in the Celery app that `send` uses (config/celery.py, at import)."""
    global _app
    _app = app


def app_get() -> Celery:
    """The Celery app the wiring installed (`minwon worker` and `minwon scheduler` run it)."""
    if _app is None:
        raise RuntimeError("no Celery app installed: config/celery.py hands it in at start-up")
    return _app


def send(name: str, **kwargs: Any) -> None:
    """Put task `name` on the broker. Never raises: the periodic schedule re-drives the work."""
    if _app is None:
        logger.warning("jobs: no Celery app installed, %s waits for the schedule", name)
        return
    try:
        _app.send_task(name, kwargs=kwargs)
    except Exception:  # the broker is down
        logger.warning("jobs: broker unavailable, %s waits for the schedule", name)
