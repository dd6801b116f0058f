"""Template tags of the officer interface."""

from __future__ import annotations

import json
from typing import Any

from django import template

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
