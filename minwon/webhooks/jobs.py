"""Background entry points (scheduled in config/celery.py and the in-process runner)."""

from __future__ import annotations

from minwon.webhooks.services import DeliveryResult, webhook_deliver_due, webhook_fanout


def webhook_dispatch_job() -> tuple[int, DeliveryResult]:
    """Fan out new complaint history, then send what is due. Idempotent; run it often."""
    made = webhook_fanout()
    return made, webhook_deliver_due()
