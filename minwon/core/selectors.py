from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet

from minwon.core.models import AuditEvent


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
