"""Writes of the shared kernel: the audit log every other service uses."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from django.db import models, transaction

from minwon.core import clock
from minwon.core.context import current_origin
from minwon.core.models import AuditEvent, IdempotencyRecord


class _Actor(Protocol):
    pk: Any

    def get_username(self) -> str: ...


def audit_record(
    *,
    actor: _Actor | None,
    action: str,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: str | int = "",
    org_unit_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit row in the caller's transaction (call it inside the service's atomic block).

    `action` is a stable dotted code ("complaint.registered"); `data` holds the facts of the change
    (never personal data in clear: mask it first).
    """
    if target is not None:
        target_type = target._meta.label_lower
        target_id = target.pk
    origin = current_origin()
    event = AuditEvent(
        occurred_at=clock.now(),
        actor_id=actor.pk if actor is not None and actor.pk is not None else None,
        actor_label=actor.get_username() if actor is not None else "system",
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        org_unit_id=org_unit_id,
        channel=origin.channel,
        ip=origin.ip,
        user_agent=origin.user_agent,
        data=data or {},
    )
    if not transaction.get_connection().in_atomic_block:
        # A lone audit row still lands atomically; services normally call us inside their own.
        with transaction.atomic():
            event.save()
    else:
        event.save()
    return event


def idempotency_records_purge(*, before: datetime, batch_size: int = 2000) -> int:
    """Delete stored Idempotency-Key answers written before `before` (a retry that late is a new
    request); in batches, each its own transaction, with one audit row for the run."""
    deleted = 0
    while True:
        with transaction.atomic():
            ids = list(
                IdempotencyRecord.objects.filter(created_at__lt=before).values_list(
                    "pk", flat=True
                )[:batch_size]
            )
            if not ids:
                break
            deleted += IdempotencyRecord.objects.filter(pk__in=ids).delete()[0]
    if deleted:
        with transaction.atomic():
            audit_record(
                actor=None,
                action="core.idempotency_records_purged",
                data={"deleted": deleted, "before": before.isoformat()},
            )
    return deleted
