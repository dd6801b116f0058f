"""Background entry points of webhooks (on the one schedule, config/schedule.py)."""

from __future__ import annotations

from minwon.core.jobs import task
from minwon.webhooks.services import webhook_deliver_due, webhook_fanout


@task("webhooks.dispatch", periodic=True)
def webhook_dispatch_job() -> int:
    """Fan out new complaint history, then send what is due. Idempotent; run it often."""
    webhook_fanout()
    return webhook_deliver_due().delivered
