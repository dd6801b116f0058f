"""Writes of the shared kernel: the audit log every other service uses, failure throttles."""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime
from typing import Any, Protocol

from django.db import connection, models, transaction

from minwon.core import clock, metrics
from minwon.core.context import current_origin
from minwon.core.domain import ThrottlePolicy
from minwon.core.models import AuditEvent, IdempotencyRecord, ThrottleFailure
from minwon.core.selectors import throttle_failure_counts, throttle_key

log = logging.getLogger(__name__)


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
    actor_label: str = "",
) -> AuditEvent:
    """Append one audit row in the caller's transaction (call it inside the service's atomic block).

    `action` is a stable dotted code ("complaint.registered"); `data` holds the facts of the change
    (never personal data in clear: mask it first). `actor_label` names an actor that is not a
    person (an integrator's API key) when `actor` is None.
    """
    if target is not None:
        target_type = target._meta.label_lower
        target_id = target.pk
    origin = current_origin()
    event = AuditEvent(
        occurred_at=clock.now(),
        actor_id=actor.pk if actor is not None and actor.pk is not None else None,
        actor_label=actor.get_username() if actor is not None else (actor_label or "system"),
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


# --- failure throttles ---------------------------------------------------------------------------


def throttle_failure_record(
    policy: ThrottlePolicy,
    *,
    key: str,
    ip: str | None,
    action: str,
    actor: _Actor | None = None,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: str | int = "",
    data: dict[str, Any] | None = None,
) -> None:
    """Count one failed try of `key` from `ip` and write its audit row (`action`), in a
    transaction of its own: call it after the transaction the failure rolled back, never inside
    it, so the failure is kept. The failure that starts a dimension's backoff is a burst: it is
    logged as a warning, counted (minwon_throttle_lockouts) and audited as `throttle.locked`."""
    with transaction.atomic():
        ThrottleFailure.objects.create(
            scope=policy.scope, key=throttle_key(policy, key), ip=ip, occurred_at=clock.now()
        )
        audit_record(
            actor=actor,
            action=action,
            target=target,
            target_type=target_type,
            target_id=target_id,
            data=data,
        )
        _throttle_counted(
            policy,
            key=key,
            ip=ip,
            action=action,
            target=target,
            target_type=target_type,
            target_id=target_id,
        )


def client_lock(scope: str, ip: str | None) -> None:
    """Serialise, until the current transaction ends, what one client does under `scope`, so a
    limit checked and then counted holds under concurrent requests. PostgreSQL: a transaction
    advisory lock on a hash of scope and address; SQLite needs none (its transactions begin
    IMMEDIATE: one writer at a time). Call it inside `transaction.atomic()`."""
    if ip is None or connection.vendor != "postgresql":
        return
    digest = hashlib.sha256(f"{scope}:{ip}".encode()).digest()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest[:8], "big", signed=True)]
        )


def throttle_count(policy: ThrottlePolicy, *, key: str, ip: str | None, action: str) -> None:
    """Count one try that a rate limit counts whether or not it succeeds (a filing: issue 13
    item 8), with the same burst warning as a failure; the try's own audit row is the caller's."""
    with transaction.atomic():
        ThrottleFailure.objects.create(
            scope=policy.scope, key=throttle_key(policy, key), ip=ip, occurred_at=clock.now()
        )
        _throttle_counted(policy, key=key, ip=ip, action=action)


def _throttle_counted(
    policy: ThrottlePolicy,
    *,
    key: str,
    ip: str | None,
    action: str,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: str | int = "",
) -> None:
    """The counters, burst warning and `throttle.locked` audit row of one counted try."""
    metrics.THROTTLE_FAILURES.labels(policy.scope).inc()
    for dimension, count in throttle_failure_counts(policy, key=key, ip=ip).items():
        if count.free is not None and count.count == count.free:
            metrics.THROTTLE_LOCKOUTS.labels(policy.scope, dimension).inc()
            log.warning(
                "throttle %s: %d failures by one %s in %d s; further tries now wait",
                policy.scope,
                count.count,
                dimension,
                policy.window_seconds,
                extra={"ip": ip, "action": action},
            )
            audit_record(
                actor=None,
                action="throttle.locked",
                target=target,
                target_type=target_type,
                target_id=target_id,
                data={"scope": policy.scope, "dimension": dimension, "failures": count.count},
            )


def throttle_success(policy: ThrottlePolicy, *, key: str, ip: str | None) -> None:
    """A right answer forgets this client's failures for `key` (only this client's: another
    address's failures for the key, and this address's for other keys, still count)."""
    ThrottleFailure.objects.filter(
        scope=policy.scope, key=throttle_key(policy, key), ip=ip
    ).delete()


def throttle_forget(policy: ThrottlePolicy, *, key: str) -> None:
    """Forget every failure of `key` from every address (its owner proved who they are another
    way, e.g. a password reset by a one-time code)."""
    ThrottleFailure.objects.filter(scope=policy.scope, key=throttle_key(policy, key)).delete()


def throttle_failures_purge(*, before: datetime) -> int:
    """Delete counted failures older than `before` (past every window)."""
    deleted, _ = ThrottleFailure.objects.filter(occurred_at__lt=before).delete()
    return deleted
