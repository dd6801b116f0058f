"""Template tags of the officer interface."""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.utils.translation import gettext as _

from minwon.accounts.domain import Role
from minwon.accounts.models import User
from minwon.accounts.selectors import user_has_role

register = template.Library()


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
