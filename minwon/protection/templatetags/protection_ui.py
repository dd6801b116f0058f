"""Template helpers of the protection pages: whether the office menu shows the incident register."""

from __future__ import annotations

from typing import Any

from django import template

from minwon.accounts.models import User
from minwon.protection.access import may_record_incident

register = template.Library()


@register.simple_tag(takes_context=True)
def can_record_incidents(context: dict[str, Any]) -> bool:
    user = getattr(context.get("request"), "user", None)
    return isinstance(user, User) and may_record_incident(user)
