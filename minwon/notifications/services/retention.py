"""Retention of the delivery log (issue 14 item 11).

Deliveries in a final state (delivered, failed) older than NOTIFICATIONS_LOG_RETENTION_DAYS are
deleted; pending and sending rows never are. The notifications themselves stay (small rows whose
unique idempotency key keeps an event from being told twice).
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from minwon.core.services import audit_record
from minwon.notifications.domain import FINAL_STATUSES
from minwon.notifications.models import Delivery


def delivery_log_purge(*, before: datetime, batch_size: int = 2000) -> int:
    """Delete final deliveries last changed before `before`, in batches; one audit row a run."""
    final = [status.value for status in FINAL_STATUSES]
    deleted = 0
    while True:
        with transaction.atomic():
            ids = list(
                Delivery.objects.filter(status__in=final, updated_at__lt=before).values_list(
                    "pk", flat=True
                )[:batch_size]
            )
            if not ids:
                break
            deleted += Delivery.objects.filter(pk__in=ids).delete()[0]
    if deleted:
        with transaction.atomic():
            audit_record(
                actor=None,
                action="notifications.delivery_log_purged",
                data={"deleted": deleted, "before": before.isoformat()},
            )
    return deleted
