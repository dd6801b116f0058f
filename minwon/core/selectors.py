from __future__ import annotations

from django.db.models import QuerySet

from minwon.core.models import AuditEvent


def audit_event_list_for_target(*, target_type: str, target_id: str | int) -> QuerySet[AuditEvent]:
    """The history of one object, oldest first."""
    return AuditEvent.objects.filter(target_type=target_type, target_id=str(target_id)).order_by(
        "occurred_at", "id"
    )
