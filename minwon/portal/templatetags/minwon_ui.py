"""Template tags shared by both interfaces: display preferences and the site's mode."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import template
from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import pgettext_lazy

from minwon.complaints.domain import deadline_citation as _deadline_citation
from minwon.complaints.labels import (
    ACTION_LABELS,
    CHANNEL_LABELS,
    COMMITTEE_DECISION_LABELS,
    EXCLUSION_KIND_LABELS,
    KIND_LABELS,
    MOVED_DATE_LABELS,
    OUTCOME_LABELS,
    SCORE_LABELS,
    STATUS_LABELS,
    period_words,
)
from minwon.core.domain import choose_particles
from minwon.portal.domain import (
    CONTRAST_COOKIE,
    TEXT_SIZE_COOKIE,
    DisplayPreferences,
    display_preferences,
)

register = template.Library()


@register.filter(is_safe=True)
def particles(text: object) -> str:
    """Korean particle markers ("(으)로", "이(가)" …) resolved for the word before each one:
    `{% filter particles %}{% blocktranslate %}…{% endblocktranslate %}{% endfilter %}`."""
    return choose_particles(str(text))


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
def iso_datetime(value: object) -> str:
    """An ISO instant kept in a history row, shown like the page's other dates and times."""
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value or "")
    return str(formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT"))


@register.filter
def exclusion_label(value: str) -> str:
    return str(EXCLUSION_KIND_LABELS.get(value, value))


@register.filter
def committee_decision_label(value: str) -> str:
    return str(COMMITTEE_DECISION_LABELS.get(value, value))


@register.filter
def moved_date(item: object) -> str:
    """One date a holiday change moved (a history row's `moved` item), "what: before → after"."""
    if not isinstance(item, dict):
        return ""
    what = str(item.get("what") or "")

    def words(value: object) -> str:
        if what == "due_at":
            return iso_datetime(value)
        try:
            return str(formats.date_format(date.fromisoformat(str(value)), "DATE_FORMAT"))
        except ValueError:
            return str(value or "")

    name = MOVED_DATE_LABELS.get(what, what)
    return f"{name}: {words(item.get('from'))} → {words(item.get('to'))}"


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
    return period_words(value)


# The catalogue's categories are data in Korean (민원분류); the usual ones have English names.
CATEGORY_LABELS: dict[str, Any] = {
    "발급": pgettext_lazy("service category", "Issuing documents"),
    "증명": pgettext_lazy("service category", "Certificates and records"),
    "인허가": pgettext_lazy("service category", "Permits and licences"),
    "신고": pgettext_lazy("service category", "Reports to the city"),
    "등록": pgettext_lazy("service category", "Registrations"),
    "생활불편": pgettext_lazy("service category", "Everyday problems"),
    "": pgettext_lazy("service category", "Other services"),
}


@register.filter
def category_label(value: str) -> str:
    """A catalogue category in the reader's language; an unknown one as the city wrote it."""
    return str(CATEGORY_LABELS.get(value, value))


@register.filter
def deadline_citation(complaint: Any) -> str:
    """The article(s) of the deadline the complaint is held to: the same words on the office page,
    the citizen's page and the receipt PDF (`complaints.domain.deadline_citation`)."""
    return _deadline_citation(
        clock=complaint.clock,
        period_basis=complaint.period_legal_basis,
        deadline_basis=complaint.deadline_legal_basis,
    )
