"""Background entry points of the national exchange (on the one schedule, config/schedule.py)."""

from __future__ import annotations

from django.conf import settings

from minwon.core.jobs import task
from minwon.exchange.clients import HttpExchangeClient
from minwon.exchange.domain import Agency
from minwon.exchange.services import PollResult, ReportResult, exchange_poll, exchange_report_sweep


def _client(agency: Agency) -> HttpExchangeClient | None:
    url = settings.EXCHANGE_URLS.get(agency.value, "")
    if not url:
        return None
    return HttpExchangeClient(
        url, key=settings.EXCHANGE_KEY, timeout=settings.EXCHANGE_TIMEOUT_SECONDS
    )


@task("exchange.sync", periodic=True)
def exchange_sync_job() -> dict[str, tuple[PollResult, ReportResult]]:
    """Poll every configured national system, then report back; safe to run at any time."""
    results: dict[str, tuple[PollResult, ReportResult]] = {}
    for agency in Agency:
        client = _client(agency)
        if client is None:
            continue
        polled = exchange_poll(agency=agency, client=client)
        reported = exchange_report_sweep(agency=agency, client=client)
        results[agency.value] = (polled, reported)
    return results
