"""The lease on a claimed batch, renewed while its sends are in flight.

A claim gives the batch `claimed_until = now + NOTIFICATIONS_CLAIM_SECONDS`. A provider that
stalls (a partition, an answer that trickles in) can keep one send open longer than that; if the
lease ran out meanwhile another worker would take the rows again and send the same notice a
second time. So the worker that holds the batch renews the lease every third of its length for
as long as a send of the batch is open (`LeaseKeeper.renew`, one UPDATE on the rows that still
carry its claim token), and starts a send only while the lease it last secured has more than
one time-out (plus a margin) left (`may_start`). A renewal that fails (the database is
unreachable) extends nothing, so sends stop starting and the rows go back to whoever claims
them after the lease; the send already open is the one repeat that remains, and the provider's
idempotency key covers it where the provider honours one (docs/how-to/add-notification-channel.md,
"Duplicates").
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta

from django.db import DatabaseError

from minwon.core import clock
from minwon.notifications.domain import DeliveryStatus
from minwon.notifications.models import Delivery

logger = logging.getLogger("minwon.notifications.services.dispatch")


class LeaseKeeper:
    """The claim token's lease: when it ends, when to renew it, whether a send may start."""

    def __init__(
        self, token: str, *, lease_seconds: float, margin_seconds: float, at: datetime
    ) -> None:
        self.token = token
        self.lease = timedelta(seconds=lease_seconds)
        self.interval = max(lease_seconds / 3, 0.05)
        self.margin = margin_seconds
        self._at = at  # the claim's "now" (a test may pass a fixed instant)
        self._started = time.monotonic()
        self.held_until = self._started + lease_seconds  # monotonic end of the secured lease
        self.renewals = 0

    def now(self) -> datetime:
        """The claim's time base moved on by the time elapsed since the claim."""
        return self._at + timedelta(seconds=time.monotonic() - self._started)

    def next_renewal(self) -> float:
        """When (monotonic) the lease is next due for renewal."""
        return self.held_until - self.lease.total_seconds() + self.interval

    def may_start(self) -> bool:
        return time.monotonic() < self.held_until - self.margin

    def renew(self) -> int:
        """Push the lease of the rows this token still holds; returns how many were renewed."""
        asked = time.monotonic()
        until = self.now() + self.lease
        try:
            changed = Delivery.objects.filter(
                claim_token=self.token, status=DeliveryStatus.SENDING.value
            ).update(claimed_until=until, updated_at=clock.now())
        except DatabaseError:
            logger.warning("notifications: could not renew the lease of claim %s", self.token[:8])
            return 0
        self.held_until = asked + self.lease.total_seconds()
        self.renewals += 1
        return changed
