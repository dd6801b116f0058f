"""Template tags shared by both interfaces: display preferences and the site's mode."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

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
