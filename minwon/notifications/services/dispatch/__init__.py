"""The dispatcher: plan deliveries of new notifications, claim due deliveries, send, record.

Every step is safe to run in several workers at once and to repeat after a crash:
- planning claims notifications (`planned_at IS NULL`) and writes their deliveries in ONE
  transaction; a crash rolls both back;
- sending claims deliveries with a conditional UPDATE (PostgreSQL: `FOR UPDATE SKIP LOCKED`)
  that sets a lease (`claimed_until`) and a claim token; results are written only where the token
  still matches. While a send of the batch is open the worker renews the lease (`lease`), and it
  starts a send only while the lease it secured outlasts one time-out, so two workers never hold
  the same row, however long a provider stalls. Each send's outcome is recorded as soon as it
  ends; a worker that dies leaves the rows it had not recorded `sending` until the lease ends,
  and the next dispatch takes them again;
- each external call carries the delivery's key, so a provider can drop the one repeat a crash
  between "provider accepted" and "we recorded it" can cause (docs/adr/0002-background-work.md).

The steps live in one module each, in the order they run: `planning`, `sending` (claiming and
sending), `recording`; `lease` keeps a batch's lease and `rows` holds what they share. This
module runs them (`notifications_dispatch`, `notification_deliver`).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction

from minwon.core import clock
from minwon.notifications.channels.base import Transport
from minwon.notifications.channels.registry import transports_from_settings
from minwon.notifications.domain import DeliveryChannel
from minwon.notifications.services.dispatch.lease import LeaseKeeper
from minwon.notifications.services.dispatch.planning import plan
from minwon.notifications.services.dispatch.rows import DispatchReport
from minwon.notifications.services.dispatch.sending import claim_deliveries, send_claimed

__all__ = ["DispatchReport", "notification_deliver", "notifications_dispatch"]


def _run(
    *,
    now: datetime | None,
    transports: Mapping[DeliveryChannel, Transport] | None,
    batch_size: int | None,
    max_batches: int | None,
    notification_id: int | None,
) -> DispatchReport:
    batch = batch_size or settings.NOTIFICATIONS_BATCH_SIZE
    lease_seconds = settings.NOTIFICATIONS_CLAIM_SECONDS
    lease = timedelta(seconds=lease_seconds)
    # Stop starting sends while the slowest send (one time-out) still ends inside the lease.
    margin = min(settings.NOTIFICATIONS_HTTP_TIMEOUT + 5, lease_seconds / 2)
    own = transports is None
    active = transports_from_settings() if transports is None else transports
    report = DispatchReport()
    try:
        with ThreadPoolExecutor(max_workers=settings.NOTIFICATIONS_SEND_THREADS) as pool:
            while True:
                planned = plan(now or clock.now(), batch, active.keys(), notification_id)
                report.planned += planned
                if planned < batch:
                    break
            batches = 0
            while max_batches is None or batches < max_batches:
                token = secrets.token_hex(16)
                at = now or clock.now()
                keeper = LeaseKeeper(
                    token, lease_seconds=lease_seconds, margin_seconds=margin, at=at
                )
                with transaction.atomic():
                    ids = claim_deliveries(at, batch, lease, token, notification_id)
                if not ids:
                    break
                report.add(send_claimed(ids, token, at, active, pool, keeper))
                batches += 1  # go on until a claim finds nothing (fallbacks are due at once)
    finally:
        if own:
            for transport in active.values():
                transport.close()
    return report


def notifications_dispatch(
    *,
    now: datetime | None = None,
    transports: Mapping[DeliveryChannel, Transport] | None = None,
    batch_size: int | None = None,
    max_batches: int | None = None,
) -> DispatchReport:
    """Plan every due notification, then send due deliveries in batches until none is left.

    This is also the re-drive sweep: rows whose wake-up message was lost, whose retry time has
    come, whose quiet hours ended or whose worker died are all just "due" rows.
    """
    return _run(
        now=now,
        transports=transports,
        batch_size=batch_size,
        max_batches=max_batches,
        notification_id=None,
    )


def notification_deliver(
    *,
    notification_id: int,
    now: datetime | None = None,
    transports: Mapping[DeliveryChannel, Transport] | None = None,
) -> DispatchReport:
    """Plan and send one notification's due deliveries (the job a commit wakes). Idempotent."""
    return _run(
        now=now,
        transports=transports,
        batch_size=None,
        max_batches=1,
        notification_id=notification_id,
    )
