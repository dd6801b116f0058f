"""Template tags of the notification pages: plain words for events and channels, the unread
count in the header (one COUNT query), and whether the office menu offers the templates."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from minwon.accounts.domain import Role
from minwon.accounts.models import User
from minwon.accounts.selectors import user_has_role
from minwon.notifications.models import CHANNEL_CHOICES
from minwon.notifications.selectors import in_app_unread_count

register = template.Library()

EVENT_LABELS: dict[str, Promise] = {
    "complaint_registered": _("Complaint registered (receipt notice)"),
    "complaint_transferred": _("Complaint transferred to another agency"),
    "supplement_requested": _("More information requested"),
    "complaint_extended": _("Processing period extended"),
    "progress_notice": _("Progress notice"),
    "complaint_answered": _("Answer (result notice)"),
    "complaint_returned": _("Complaint returned"),
    "objection_decided": _("Objection decided"),
    "complaint_closed_repeated": _("Closed as a repeated complaint"),
    "complaint_withdrawn": _("Withdrawal confirmed"),
    "deadline_moved": _("A date of the complaint moved"),
    "satisfaction_survey": _("Satisfaction survey"),
    "deadline_warning": _("Deadline warning (officer)"),
    "deadline_overdue": _("Deadline passed (officer)"),
    "escalation_overdue": _("Overdue in the unit (department head)"),
    "registration_alarm": _("Online complaint not yet registered (officer)"),
    "daily_digest": _("Daily summary of the unit"),
    "protection_flagged": _("Abusive words in a citizen's text (department head)"),
    "protection_threat": _("Threat in a citizen's text (head and security desk, urgent)"),
    "protection_panic": _("Panic button pressed (security desk and head, urgent)"),
    "signup_code": _("Sign-up code"),
    "signup_address_taken": _("Sign-up for an address that already has an account"),
    "password_reset_code": _("Password reset code"),
    "benefit_application_received": _("Life-event bundle application received"),
    "benefit_status_changed": _("Life-event programme status changed"),
}
CHANNEL_LABELS: dict[str, Any] = dict(CHANNEL_CHOICES)


@register.filter
def event_label(value: str) -> str:
    return str(EVENT_LABELS.get(value, value))


@register.filter
def channel_label(value: str) -> str:
    return str(CHANNEL_LABELS.get(value, value))


@register.simple_tag(takes_context=True)
def unread_notice_count(context: dict[str, Any]) -> int:
    """Unread in-app notices of the logged-in citizen (0 for visitors and officers)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated or user.is_officer:
        return 0
    return in_app_unread_count(user=user)


@register.simple_tag(takes_context=True)
def can_edit_templates(context: dict[str, Any]) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None)
    return (
        isinstance(user, User) and user.is_authenticated and user_has_role(user, Role.ADMINISTRATOR)
    )
