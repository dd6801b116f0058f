from __future__ import annotations

from django.db.models import QuerySet

from minwon.exchange.models import ExchangeCursor, ExchangeLink, ExchangeRejection


def exchange_link_list_failing() -> QuerySet[ExchangeLink]:
    """Links whose last report failed, for officers to see."""
    return (
        ExchangeLink.objects.exclude(last_error="")
        .select_related("complaint")
        .order_by("next_report_at")
    )


def exchange_rejection_list() -> QuerySet[ExchangeRejection]:
    return ExchangeRejection.objects.order_by("-created_at")


def exchange_cursor_list() -> QuerySet[ExchangeCursor]:
    return ExchangeCursor.objects.order_by("agency")
