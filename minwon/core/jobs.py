"""How a background job is declared: a Celery task with an explicit, stable name.

Jobs are interfaces (docs/architecture.md): ids in, one service call, idempotent. The schedule
that runs them periodically is config/celery.py; the demo's in-process runner calls the same
functions directly (minwon.notifications.runner).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from celery import shared_task

F = TypeVar("F", bound=Callable[..., Any])


def task(name: str) -> Callable[[F], F]:
    """celery's shared_task with an explicit name (typed for mypy)."""
    return cast(Callable[[F], F], shared_task(name=name))
