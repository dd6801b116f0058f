"""Template helpers of the identity pages: whether the office menu shows the mobile-ID check."""

from __future__ import annotations

from typing import Any

from django import template

from minwon.accounts.models import User
from minwon.identity.access import may_verify

register = template.Library()


@register.simple_tag(takes_context=True)
def can_verify_identity(context: dict[str, Any]) -> bool:
    user = getattr(context.get("request"), "user", None)
    return isinstance(user, User) and user.is_authenticated and may_verify(user)
