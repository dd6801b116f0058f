"""Template tags of the officer interface."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from minwon.accounts.domain import Role
from minwon.accounts.models import User
from minwon.accounts.selectors import org_units_visible_to, user_has_role
from minwon.complaints.labels import OFFICE_STATUS_LABELS
from minwon.core import clock
from minwon.office.domain import time_left

register = template.Library()


@register.simple_tag(takes_context=True)
def is_citywide(context: dict[str, Any]) -> bool:
    """Citywide officers (민원총괄, administrators) see routing's metrics in the menu."""
    user = getattr(context.get("request"), "user", None)
    return (
        isinstance(user, User)
        and user.is_authenticated
        and user.is_officer
        and org_units_visible_to(user) is None
    )


@register.simple_tag(takes_context=True)
def can_read_audit(context: dict[str, Any]) -> bool:
    """Administrators and auditors see the audit log in the menu."""
    user = getattr(context.get("request"), "user", None)
    return (
        isinstance(user, User)
        and user.is_authenticated
        and user_has_role(user, Role.ADMINISTRATOR, Role.AUDITOR)
    )


@register.filter
def as_json(value: Any) -> str:
    """Details as JSON (as stored), not Python's notation."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _routing_reasons() -> dict[str, str]:
    return {
        "not_read": _(
            "Routing has not read this complaint yet (new complaints are read within a minute)."
        ),
        "empty": _("The complaint has no text to read."),
        "only_personal_data": _("The text holds only personal data (masked before reading)."),
        "not_korean": _("The text is not in Korean."),
        "too_little_text": _("The text is too short to suggest anything."),
        "no_model": _("There is no model yet: add the departments' duties."),
        "low_confidence": _("No department is likely enough to suggest."),
    }


@register.filter
def routing_reason(reason: str) -> str:
    """Why routing makes no suggestion, in the reader's language."""
    return _routing_reasons().get(reason, _("No suggestion."))


@register.filter
def office_status_label(value: str) -> str:
    """A state in the officer's words."""
    return str(OFFICE_STATUS_LABELS.get(value, value))


@register.filter
def time_left_words(due_at: datetime | None) -> str:
    """ "3일 남음", "5시간 남음", "기한 초과 2일" beside a deadline (empty without one)."""
    if due_at is None:
        return ""
    left = time_left(due_at=due_at, now=clock.now(), tz=clock.SEOUL)
    if left.overdue:
        if left.days:
            return ngettext("%(n)d day overdue", "%(n)d days overdue", left.days) % {"n": left.days}
        return ngettext("%(n)d hour overdue", "%(n)d hours overdue", left.hours) % {"n": left.hours}
    if left.days:
        return ngettext("%(n)d day left", "%(n)d days left", left.days) % {"n": left.days}
    return ngettext("%(n)d hour left", "%(n)d hours left", left.hours) % {"n": left.hours}


@register.filter
def is_past(moment: datetime | None) -> bool:
    return moment is not None and moment <= clock.now()


@register.simple_tag
def routing_reasons_json() -> str:
    """Every no-suggestion reason, translated, for the counter form's script (a data attribute)."""
    return json.dumps({"": _("No suggestion."), **_routing_reasons()}, ensure_ascii=False)
