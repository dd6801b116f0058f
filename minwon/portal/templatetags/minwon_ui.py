"""Template tags shared by both interfaces: display preferences and the site's mode."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from minwon.portal.domain import (
    CONTRAST_COOKIE,
    TEXT_SIZE_COOKIE,
    DisplayPreferences,
    display_preferences,
)

register = template.Library()


@register.simple_tag(takes_context=True)
def display_prefs(context: dict[str, Any]) -> DisplayPreferences:
    request = context.get("request")
    cookies = request.COOKIES if request is not None else {}
    return display_preferences(
        text_size=cookies.get(TEXT_SIZE_COOKIE), contrast=cookies.get(CONTRAST_COOKIE)
    )


@register.simple_tag
def site_is_demo() -> bool:
    """Demo and test sites say so on every page, so nobody mistakes them for the city's."""
    return str(getattr(settings, "MINWON_MODE", "demo")) != "production"


@register.simple_tag
def demo_messages_on() -> bool:
    """The demo records SMS, 알림톡 and e-mail locally and shows them at /demo/messages/."""
    return bool(getattr(settings, "NOTIFICATIONS_RECORDING", False))


# --- plain words for the complaint vocabulary (complaints.domain values) ------------------------

STATUS_LABELS: dict[str, Promise] = {
    "received": _("Arrived, waiting to be registered"),
    "registered": _("Registered"),
    "in_progress": _("Being handled"),
    "supplement_pending": _("Waiting for information from you"),
    "answered": _("Answered"),
    "objection_pending": _("Objection being decided"),
    "objection_decided": _("Objection decided"),
    "transferred": _("Sent to another agency"),
    "returned": _("Returned"),
    "withdrawn": _("Withdrawn"),
    "closed": _("Closed"),
}
KIND_LABELS: dict[str, Promise] = {
    "statutory": _("Application (permit, certificate, report)"),
    "inquiry_law": _("Question about a law"),
    "inquiry_procedure": _("Question about a procedure"),
    "suggestion": _("Suggestion"),
    "other": _("Simple request"),
    "grievance": _("Problem or inconvenience"),
    "tip": _("Anonymous tip"),
}
ACTION_LABELS: dict[str, Promise] = {
    "arrive": _("Arrived"),
    "register": _("Registered, receipt number given"),
    "assign": _("Officer in charge assigned"),
    "transfer_internal": _("Passed to another department"),
    "transfer_external": _("Sent to another agency"),
    "request_supplement": _("More information requested"),
    "receive_supplement": _("Information received"),
    "return": _("Returned"),
    "extend": _("Processing period extended"),
    "record_progress_notice": _("Progress notice"),
    "answer": _("Answered"),
    "withdraw": _("Withdrawn"),
    "reopen": _("Reopened"),
    "file_objection": _("Objection filed"),
    "decide_objection": _("Objection decided"),
    "merge": _("Merged with similar complaints"),
    "close_repeated": _("Closed as repeated"),
    "rate": _("Answer rated"),
}
SCORE_LABELS: dict[int, Promise] = {
    5: _("5 – very satisfied"),
    4: _("4 – satisfied"),
    3: _("3 – neither satisfied nor dissatisfied"),
    2: _("2 – dissatisfied"),
    1: _("1 – very dissatisfied"),
}
CHANNEL_LABELS: dict[str, Promise] = {
    "web": _("Website"),
    "counter": _("At the counter, in writing"),
    "oral": _("At the counter, orally"),
    "phone": _("By phone"),
    "post": _("By post"),
    "fax": _("By fax"),
    "api": _("Another system"),
    "epeople": _("National e-People portal"),
    "gov24": _("Government24"),
}
OUTCOME_LABELS: dict[str, Promise] = {
    "granted": _("Done as requested"),
    "partially_granted": _("Partly done"),
    "refused": _("Refused"),
    "informed": _("Explained"),
    "not_processed": _("Not processed"),
}
BADGE_BY_STATUS = {
    "received": "bg-light-gray",
    "registered": "bg-light-secondary",
    "in_progress": "bg-light-primary",
    "supplement_pending": "bg-light-warning",
    "answered": "bg-light-success",
}


@register.filter
def status_label(value: str) -> str:
    return str(STATUS_LABELS.get(value, value))


@register.filter
def status_badge(value: str) -> str:
    return BADGE_BY_STATUS.get(value, "bg-light-gray")


@register.filter
def kind_label(value: str) -> str:
    return str(KIND_LABELS.get(value, value))


@register.filter
def action_label(value: str) -> str:
    return str(ACTION_LABELS.get(value, value))


@register.filter
def outcome_label(value: str) -> str:
    return str(OUTCOME_LABELS.get(value, value))


@register.filter
def score_label(value: int) -> str:
    return str(SCORE_LABELS.get(int(value), value))


@register.filter
def channel_label(value: str) -> str:
    return str(CHANNEL_LABELS.get(value, value))


@register.filter
def period_label(value: str) -> str:
    """'7d' → '7 days', '8h' → '8 working hours', 'instant' → 'at once (3 working hours)'."""
    if value == "instant":
        return str(_("at once (within 3 working hours)"))
    if len(value) < 2 or not value[:-1].isdigit():
        return value
    amount, unit = int(value[:-1]), value[-1]
    labels = {
        "h": ngettext("%(n)d working hour", "%(n)d working hours", amount),
        "d": ngettext("%(n)d day", "%(n)d days", amount),
        "w": ngettext("%(n)d week", "%(n)d weeks", amount),
        "m": ngettext("%(n)d month", "%(n)d months", amount),
        "y": ngettext("%(n)d year", "%(n)d years", amount),
    }
    return labels[unit] % {"n": amount} if unit in labels else value
