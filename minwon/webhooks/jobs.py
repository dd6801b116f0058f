"""Background entry points of webhooks (on the one schedule, config/schedule.py)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

from minwon.core import clock
from minwon.core.jobs import task
from minwon.webhooks.services import (
    webhook_deliver_due,
    webhook_delivery_log_purge,
    webhook_fanout,
)


@task("webhooks.dispatch", periodic=True)
def webhook_dispatch_job() -> int:
    """Fan out new complaint history, then send what is due. Idempotent; run it often."""
    webhook_fanout()
    return webhook_deliver_due().delivered


@task("webhooks.delivery_log_purge", periodic=True)
def webhook_delivery_log_purge_job() -> int:
    """Finished webhook deliveries older than WEBHOOKS_LOG_RETENTION_DAYS are deleted."""
    days = float(settings.WEBHOOKS_LOG_RETENTION_DAYS)
    return webhook_delivery_log_purge(before=clock.now() - timedelta(days=days))
