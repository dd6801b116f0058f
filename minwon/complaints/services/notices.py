"""What the notifications outbox reports back: a legal notice reached the complainant."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction

from minwon.complaints.models import ComplaintEvent
from minwon.core.services import audit_record


@transaction.atomic
def complaint_notices_mark_delivered(*, event_ids: Iterable[int], at: datetime) -> int:
    """Record when the notices of these history rows were first delivered; returns how many
    were new. Idempotent: a row already marked keeps its first time, rows without a notice
    are left alone. Called by the notifications dispatcher in the transaction that records
    the delivery, so both commit together."""
    ids = sorted(set(event_ids))
    if not ids:
        return 0
    rows = list(
        ComplaintEvent.objects.select_for_update(of=("self",))
        .filter(pk__in=ids, notice_delivered_at__isnull=True)
        .exclude(notice="")
        .values_list("pk", "complaint_id", "complaint__org_unit_id", "notice")
    )
    if not rows:
        return 0
    ComplaintEvent.objects.filter(pk__in=[pk for pk, *_rest in rows]).update(notice_delivered_at=at)
    for pk, complaint_id, org_unit_id, notice in rows:
        audit_record(
            actor=None,
            action="complaint.notice_delivered",
            target_type="complaints.complaint",
            target_id=complaint_id,
            org_unit_id=org_unit_id,
            data={"event": pk, "notice": notice},
        )
    return len(rows)
