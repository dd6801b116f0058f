from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet

from minwon.core import clock, crypto
from minwon.core.domain import FailureCount, ThrottlePolicy, throttle_wait
from minwon.core.models import AuditEvent, ThrottleFailure


def audit_event_list_for_target(*, target_type: str, target_id: str | int) -> QuerySet[AuditEvent]:
    """The history of one object, oldest first."""
    return AuditEvent.objects.filter(target_type=target_type, target_id=str(target_id)).order_by(
        "occurred_at", "id"
    )


def audit_event_search(
    *,
    action: str = "",
    actor: str = "",
    target_type: str = "",
    target_id: str = "",
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet[AuditEvent]:
    """Audit rows matching every filter given, newest first: `action` is a prefix
    ("complaint." finds every complaint step), `actor` a part of the actor's label or their id."""
    rows = AuditEvent.objects.all()
    if action:
        rows = rows.filter(action__startswith=action)
    if actor:
        match = Q(actor_label__icontains=actor)
        if actor.isdigit():
            match |= Q(actor_id=int(actor))
        rows = rows.filter(match)
    if target_type:
        rows = rows.filter(target_type=target_type)
    if target_id:
        rows = rows.filter(target_id=target_id)
    if since is not None:
        rows = rows.filter(occurred_at__gte=since)
    if until is not None:
        rows = rows.filter(occurred_at__lt=until)
    return rows.order_by("-occurred_at", "-id")


# --- failure throttles ---------------------------------------------------------------------------


def throttle_policy(scope: str) -> ThrottlePolicy:
    """The policy THROTTLES (settings) gives `scope`."""
    values: dict[str, Any] = settings.THROTTLES[scope]
    return ThrottlePolicy(scope=scope, **values)


def throttle_key(policy: ThrottlePolicy, key: str) -> str:
    """What a throttle stores for `key` (an account name, a follow-up number): a keyed hash."""
    return crypto.blind_index(key, purpose=f"throttle:{policy.scope}")


def _count(rows: QuerySet[ThrottleFailure], free: int | None) -> FailureCount:
    if free is None:
        return FailureCount(free=None, count=0, last_at=None)
    got = rows.aggregate(n=Count("id"), last=Max("occurred_at"))
    return FailureCount(free=free, count=got["n"], last_at=got["last"])


def throttle_failure_counts(
    policy: ThrottlePolicy, *, key: str, ip: str | None
) -> dict[str, FailureCount]:
    """The failures inside the policy's window, per dimension (key, client, key from client)."""
    since = clock.now() - timedelta(seconds=policy.window_seconds)
    rows = ThrottleFailure.objects.filter(scope=policy.scope, occurred_at__gte=since)
    hashed = throttle_key(policy, key)
    return {
        "key": _count(rows.filter(key=hashed), policy.per_key),
        "client": _count(rows.filter(ip=ip), policy.per_client if ip else None),
        "pair": _count(rows.filter(key=hashed, ip=ip), policy.per_pair if ip else None),
    }


def throttle_wait_seconds(policy: ThrottlePolicy, *, key: str, ip: str | None) -> int:
    """Seconds before `key` may be tried again from `ip` (0: now). Ask before checking any
    secret: while it is above 0 nothing is checked, not even the right one."""
    counts = throttle_failure_counts(policy, key=key, ip=ip)
    return throttle_wait(policy, list(counts.values()), clock.now())
