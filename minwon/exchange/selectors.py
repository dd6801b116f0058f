from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Min, QuerySet

from minwon.exchange.models import ExchangeCursor, ExchangeRejection, ExchangeReport, ReportState


def exchange_report_list_failing() -> QuerySet[ExchangeReport]:
    """Reports not delivered whose last attempt failed, or that the national side contradicts."""
    return (
        ExchangeReport.objects.exclude(state=ReportState.DELIVERED)
        .exclude(last_error="")
        .select_related("link__complaint")
        .order_by("next_attempt_at", "pk")
    )


def exchange_report_backlog(*, agency: str | None = None) -> QuerySet[ExchangeReport]:
    """Reports waiting to be delivered (for metrics and the readiness of the link)."""
    reports = ExchangeReport.objects.filter(state=ReportState.PENDING)
    return reports.filter(link__agency=agency) if agency else reports


def exchange_rejection_list() -> QuerySet[ExchangeRejection]:
    return ExchangeRejection.objects.order_by("-created_at")


def exchange_cursor_list() -> QuerySet[ExchangeCursor]:
    return ExchangeCursor.objects.order_by("agency")


def exchange_backlog_metrics() -> list[tuple[str, int, datetime | None]]:
    """(agency, reports waiting, oldest waiting since) per national system, for /metrics."""
    rows = (
        ExchangeReport.objects.filter(state=ReportState.PENDING)
        .values("link__agency")
        .annotate(waiting=Count("pk"), oldest=Min("created_at"))
        .order_by("link__agency")
    )
    return [(r["link__agency"], r["waiting"], r["oldest"]) for r in rows]
