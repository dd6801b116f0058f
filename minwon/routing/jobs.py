"""Routing's background work: retrain on the city's confirmed routings.

Idempotent: a target whose confirmed history has not grown since the active model is left alone,
so a repeated or late run changes nothing. The schedule is config/schedule.py.
"""

from __future__ import annotations

from minwon.core.jobs import task
from minwon.routing import services


@task("routing.retrain", periodic=True)
def retrain_job() -> dict[str, str]:
    return services.retrain_all()
