"""The outbox: other contexts call `notification_enqueue` inside their own transaction."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from minwon.accounts.models import User
from minwon.core import clock, crypto
from minwon.core.errors import ValidationFailed
from minwon.notifications import wakeup
from minwon.notifications.domain import (
    ADDRESS_ONLY_EVENTS,
    LANGUAGES,
    SECRET_PLACEHOLDERS,
    Event,
)
from minwon.notifications.models import Notification


def _plain(value: Any) -> Any:
    """Context values are stored as JSON: dates as ISO text, everything else as text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime):
        return value.astimezone(clock.SEOUL).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def notification_enqueue(
    *,
    event: Event | str,
    idempotency_key: str,
    context: Mapping[str, Any],
    recipient: User | None = None,
    email: str = "",
    phone: str = "",
    language: str | None = None,
    urgent: bool = False,
    not_before: datetime | None = None,
    complaint_id: int | None = None,
    org_unit_id: int | None = None,
) -> Notification:
    """Record that `recipient` (or the given address) must be told about `event`.

    Call it INSIDE the transaction that makes the change: the row commits or rolls back with it.
    The same `idempotency_key` twice records one notification (the first); the call returns it.
    A worker sends it after commit; `urgent` ignores quiet hours; `not_before` delays it.
    Values named in SECRET_PLACEHOLDERS (a one-time code) are stored encrypted.
    """
    try:
        event = Event(event)
    except ValueError:
        raise ValidationFailed(_("Unknown notification event."), field="event") from None
    if not idempotency_key or len(idempotency_key) > 200:
        raise ValidationFailed(
            _("The idempotency key must have 1 to 200 characters."), field="idempotency_key"
        )
    if recipient is not None and event in ADDRESS_ONLY_EVENTS:
        raise ValidationFailed(
            _("This notification goes to an address, not to an account."), field="recipient"
        )
    if recipient is None and not email and not phone:
        raise ValidationFailed(
            _("A notification needs a recipient, an e-mail address or a phone number."),
            field="recipient",
        )
    if language is None:
        language = recipient.preferred_language if recipient is not None else "ko"
    if language not in LANGUAGES:
        language = "ko"
    now = clock.now()
    row = Notification(
        idempotency_key=idempotency_key,
        event=event.value,
        language=language,
        recipient=recipient,
        context={
            str(k): crypto.encrypt(str(v)) if k in SECRET_PLACEHOLDERS else _plain(v)
            for k, v in context.items()
        },
        urgent=urgent,
        not_before=not_before or now,
        complaint_id=complaint_id,
        org_unit_id=org_unit_id,
    )
    row.email, row.phone = email.strip(), phone.strip()  # stored encrypted
    # ON CONFLICT DO NOTHING: a repeat neither fails nor aborts the caller's transaction.
    Notification.objects.bulk_create([row], ignore_conflicts=True)
    stored = Notification.objects.get(idempotency_key=idempotency_key)
    if stored.planned_at is None:
        transaction.on_commit(lambda: wakeup.wake([stored.pk]))
    return stored
