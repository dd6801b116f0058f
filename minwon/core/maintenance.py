"""Core's own periodic jobs (`core/jobs.py` is the job framework itself, so they live here).

On the one schedule (config/schedule.py) like every context's `jobs.py`.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

from minwon.core import clock
from minwon.core.jobs import task
from minwon.core.services import idempotency_records_purge, throttle_failures_purge


@task("core.idempotency_purge", periodic=True)
def idempotency_purge_job() -> int:
    """Stored Idempotency-Key answers older than IDEMPOTENCY_RETENTION_HOURS are deleted."""
    hours = float(settings.IDEMPOTENCY_RETENTION_HOURS)
    return idempotency_records_purge(before=clock.now() - timedelta(hours=hours))


@task("core.throttle_purge", periodic=True)
def throttle_purge_job() -> int:
    """Failed tries older than the longest throttle window (THROTTLES) are deleted."""
    longest = max(int(policy["window_seconds"] or 0) for policy in settings.THROTTLES.values())
    return throttle_failures_purge(before=clock.now() - timedelta(seconds=longest))
