"""Alerts of the 특이민원 screen (issue 16): the department head is told when a citizen's text
was flagged, and for a threat to staff or of self-harm the head and the security desk are told
at once (urgent: no quiet hours).

The source is ``protection.Screening`` (``selectors.protection_alert_source``): flagged rows of
severity medium or higher that have no notification yet. Each recipient's notification has the key
``screening:<id>:<user id>``, so a sweep run twice, or by two workers, sends each alert once.
The context carries no word of the citizen's text: what kind of text, the categories, the severity
and the office page, where the text is shown masked.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import translation

from minwon.accounts.domain import Role
from minwon.accounts.models import User
from minwon.accounts.selectors import role_holders_over
from minwon.core import clock
from minwon.core.links import OFFICE_COMPLAINT_PATH, OFFICE_INCIDENT_PATH
from minwon.notifications.domain import Event
from minwon.notifications.models import Notification
from minwon.notifications.selectors import ALERT_KEY_PREFIX, PANIC_KEY_PREFIX, AlertRow
from minwon.notifications.services.outbox import notification_enqueue
from minwon.protection.access import panic_recipients
from minwon.protection.models import CATEGORY_CHOICES, SEVERITY_CHOICES, SOURCE_CHOICES, Incident


def alert_key(screening_id: int, user_id: int) -> str:
    return f"{ALERT_KEY_PREFIX}{screening_id}:{user_id}"


def alert_recipients(row: AlertRow) -> tuple[list[int], list[int]]:
    """(heads, security desk): the department heads of the complaint's unit (the nearest level
    that has one), else the 민원총괄 officers; for an urgent finding also the security desk over
    the unit (every holder when the complaint has no unit yet)."""
    heads = role_holders_over(row.org_unit, Role.DEPARTMENT_HEAD, nearest=True)
    if not heads:
        heads = role_holders_over(None, Role.COMPLAINT_SUPERVISOR)
    desk = role_holders_over(row.org_unit, Role.SECURITY_DESK) if row.screening.urgent else []
    return heads, desk


def _context(row: AlertRow, language: str) -> dict[str, str]:
    s = row.screening
    with translation.override(language):
        labels = {k: str(v) for k, v in CATEGORY_CHOICES}
        base = str(getattr(settings, "MINWON_PUBLIC_URL", "") or "").rstrip("/")
        return {
            "complaint_no": row.complaint_no,
            "source": str(dict(SOURCE_CHOICES).get(s.source, s.source)),
            "categories": ", ".join(labels.get(c, c) for c in s.categories),
            "severity": str(dict(SEVERITY_CHOICES).get(s.severity, s.severity)),
            "url": base + OFFICE_COMPLAINT_PATH.format(complaint_id=s.complaint_id),
        }


def protection_alerts_enqueue(*, rows: Iterable[AlertRow]) -> int:
    """Put every flagged screening's alerts in the outbox; the number of notifications new.
    Idempotent (one key per screening and recipient)."""
    created = 0
    for row in rows:
        heads, desk = alert_recipients(row)
        event = Event.PROTECTION_THREAT if row.screening.urgent else Event.PROTECTION_FLAGGED
        recipients = list(dict.fromkeys([*heads, *desk]))
        users = User.objects.in_bulk(recipients)
        keys = {user_id: alert_key(row.screening.pk, user_id) for user_id in recipients}
        sent = set(
            Notification.objects.filter(idempotency_key__in=keys.values()).values_list(
                "idempotency_key", flat=True
            )
        )
        with transaction.atomic():
            for user_id in recipients:
                user = users.get(user_id)
                if user is None or not user.is_active or keys[user_id] in sent:
                    continue
                notification_enqueue(
                    event=event,
                    idempotency_key=keys[user_id],
                    recipient=user,
                    context=_context(row, user.preferred_language),
                    urgent=row.screening.urgent,
                    complaint_id=row.screening.complaint_id,
                    org_unit_id=row.org_unit.pk if row.org_unit else None,
                )
                created += 1
    return created


def panic_alerts_enqueue(*, incidents: Iterable[Incident]) -> int:
    """Tell the security desk and the head of every panic-button incident (urgent, no quiet
    hours; ``protection.access.panic_recipients``); the number of notifications new. Idempotent:
    one key ``panic:<incident>:<user>`` per recipient."""
    created = 0
    base = str(getattr(settings, "MINWON_PUBLIC_URL", "") or "").rstrip("/")
    for incident in incidents:
        recipients = panic_recipients(incident)
        users = User.objects.in_bulk(recipients)
        with transaction.atomic():
            for user_id in recipients:
                user = users.get(user_id)
                if user is None or not user.is_active:
                    continue
                with translation.override(user.preferred_language):
                    context = {
                        "incident_no": str(incident.pk),
                        "officer_name": str(incident.officer),
                        "unit_name": incident.org_unit.display_name(user.preferred_language),
                        "time": incident.created_at.astimezone(clock.SEOUL).strftime("%H:%M"),
                        "place": incident.location or "-",
                        "url": base + OFFICE_INCIDENT_PATH.format(incident_id=incident.pk),
                    }
                notification_enqueue(
                    event=Event.PROTECTION_PANIC,
                    idempotency_key=f"{PANIC_KEY_PREFIX}{incident.pk}:{user_id}",
                    recipient=user,
                    context=context,
                    urgent=True,
                    org_unit_id=incident.org_unit_id,
                )
                created += 1
    return created
