"""How background work is declared, and how a context asks for it without knowing the wiring.

Jobs are interfaces (docs/architecture.md): ids in, one service call, idempotent. They are
declared here with `task(name)` and run by Celery (`minwon worker`) or, in the embedded default,
by the in-process runner (`minwon.core.runner`). The wiring (`config/celery.py`) makes the Celery
app and hands it in with `app_install`; a context sends a task by name with `send` and never
imports `config`. A lost message only delays work: the periodic schedule re-drives every job.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from celery import shared_task

if TYPE_CHECKING:
    from celery import Celery

logger = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])

_app: Celery | None = None


def task(name: str) -> Callable[[F], F]:
    """celery's shared_task with an explicit name (typed for mypy)."""
    return cast(Callable[[F], F], shared_task(name=name))


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
