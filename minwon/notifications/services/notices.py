"""The notices the complaints context records (ComplaintEvent.notice) → outbox notifications.

The complaints services write a history row with `notice` in the transaction of the change, so
that row is itself durable: this sweep turns each such row into a notification exactly once
(key `notice:<event id>`), and it can run as often as wanted. Contexts that prefer to can call
`notification_enqueue` directly in their transaction instead.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction

from minwon.complaints.domain import NoticeKind
from minwon.complaints.models import ComplaintEvent
from minwon.core import clock, crypto
from minwon.notifications.domain import Event, idempotency_key
from minwon.notifications.services.outbox import notification_enqueue

EVENT_OF_NOTICE: dict[str, Event] = {
    NoticeKind.RECEIPT.value: Event.COMPLAINT_REGISTERED,
    NoticeKind.TRANSFER.value: Event.COMPLAINT_TRANSFERRED,
    NoticeKind.SUPPLEMENT_REQUEST.value: Event.SUPPLEMENT_REQUESTED,
    NoticeKind.EXTENSION.value: Event.COMPLAINT_EXTENDED,
    NoticeKind.PROGRESS.value: Event.PROGRESS_NOTICE,
    NoticeKind.RESULT.value: Event.COMPLAINT_ANSWERED,
    NoticeKind.RETURN.value: Event.COMPLAINT_RETURNED,
    NoticeKind.OBJECTION_RESULT.value: Event.COMPLAINT_ANSWERED,
}
SURVEY_DELAY = timedelta(days=1)  # the satisfaction survey follows the answer by a day
NOTICE_KEY = "notice"  # idempotency key `notice:<ComplaintEvent id>`


def notice_event_id(key: str) -> int | None:
    """The complaint history row a notification came from (`notice:<id>`), else None."""
    prefix, _sep, rest = key.partition(":")
    return int(rest) if prefix == NOTICE_KEY and rest.isdigit() else None


def _seoul_date(value: datetime | None) -> str:
    return value.astimezone(clock.SEOUL).strftime("%Y-%m-%d") if value else ""


def _context(event: ComplaintEvent) -> dict[str, Any]:
    c = event.complaint
    data = event.data or {}
    officer = c.assignee
    return {
        "complaint_no": c.receipt_number or "",
        "title": c.title,
        "registered_at": _seoul_date(c.registered_at or c.arrived_at),
        "due_date": _seoul_date(c.due_at),
        "to_agency": c.transferred_to or str(data.get("to_agency", "")),
        "reason": str(data.get("reason", "")),
        "items": str(data.get("items", data.get("note", ""))),
        "supplement_due": c.supplement_due_on.isoformat() if c.supplement_due_on else "",
        "progress": str(data.get("progress", "")),
        "outcome": c.outcome or c.objection_outcome or "",
        "officer_unit": c.org_unit.name_ko if c.org_unit else "",
        "officer_name": officer.name if officer else "",
        "officer_phone": officer.phone if officer else "",
        "survey_url": "",
    }


@transaction.atomic
def complaint_notices_enqueue(*, events: Any) -> int:
    """Enqueue one notification per notice event not enqueued yet; returns how many were new."""
    created = 0
    for event in events:
        mapped = EVENT_OF_NOTICE.get(event.notice)
        if mapped is None:
            continue
        complaint = event.complaint
        applicant = getattr(complaint, "applicant", None)
        email = phone = ""
        if complaint.citizen is None and applicant is not None:
            email = crypto.decrypt(applicant.email_encrypted) if applicant.email_encrypted else ""
            phone = crypto.decrypt(applicant.phone_encrypted) if applicant.phone_encrypted else ""
        if complaint.citizen is None and not email and not phone:
            continue  # no one to tell electronically (a paper notice is the office's)
        common: dict[str, Any] = {
            "recipient": complaint.citizen,
            "email": email,
            "phone": phone,
            "context": _context(event),
            "complaint_id": complaint.pk,
            "org_unit_id": complaint.org_unit_id,
        }
        notification_enqueue(
            event=mapped, idempotency_key=idempotency_key(NOTICE_KEY, event.pk), **common
        )
        created += 1
        if event.notice == NoticeKind.RESULT.value:
            notification_enqueue(
                event=Event.SATISFACTION_SURVEY,
                idempotency_key=idempotency_key("survey", complaint.pk),
                not_before=clock.now() + SURVEY_DELAY,
                **common,
            )
    return created
