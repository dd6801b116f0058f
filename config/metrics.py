"""/metrics: the Prometheus endpoint (issue 14 item 10; minwon.core.metrics has the process side).

The wiring registers one scrape-time collector per context that owns the numbers, each reading
through that context's selectors, and serves the text format. Access: with METRICS_TOKEN set,
`Authorization: Bearer <METRICS_TOKEN>`; without it, loopback clients only (the address after
TRUSTED_PROXIES, so a request relayed by the reverse proxy from outside is refused).
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric

from minwon.core import clock
from minwon.core.domain import address_in, parse_networks
from minwon.core.metrics import register_collector
from minwon.core.timeouts import database_deadline

_LOOPBACK = parse_networks(["127.0.0.0/8", "::1"])


def _age(oldest: object) -> float:
    from datetime import datetime

    return (clock.now() - oldest).total_seconds() if isinstance(oldest, datetime) else 0.0


def _timeout() -> float:
    return float(getattr(settings, "READINESS_TIMEOUT_SECONDS", 2.0))


def _outbox() -> Iterable[Metric]:
    from minwon.notifications.selectors import outbox_metrics

    with database_deadline(_timeout(), label="metrics"):
        numbers = outbox_metrics(now=clock.now())
    deliveries = GaugeMetricFamily(
        "minwon_notification_deliveries",
        "Notification deliveries in the log, by channel and status",
        labels=["channel", "status"],
    )
    for (channel, status), count in sorted(numbers.by_status.items()):
        deliveries.add_metric([channel, status], count)
    waiting = sum(n for (_, s), n in numbers.by_status.items() if s in {"pending", "sending"})
    depth = GaugeMetricFamily(
        "minwon_outbox_depth", "Notification deliveries waiting to be sent (pending or sending)"
    )
    depth.add_metric([], waiting)
    age = GaugeMetricFamily(
        "minwon_outbox_oldest_age_seconds", "Age of the oldest delivery waiting to be sent"
    )
    age.add_metric([], _age(numbers.oldest_waiting))
    failed = GaugeMetricFamily(
        "minwon_notification_delivery_failures",
        "Deliveries that failed for good in the last 24 hours, by channel",
        labels=["channel"],
    )
    for channel, count in sorted(numbers.failed_recently.items()):
        failed.add_metric([channel], count)
    return [deliveries, depth, age, failed]


def _exchange() -> Iterable[Metric]:
    from minwon.exchange.selectors import exchange_backlog_metrics

    with database_deadline(_timeout(), label="metrics"):
        rows = exchange_backlog_metrics()
    backlog = GaugeMetricFamily(
        "minwon_exchange_backlog",
        "Status reports waiting to be delivered to a national system",
        labels=["agency"],
    )
    age = GaugeMetricFamily(
        "minwon_exchange_backlog_oldest_age_seconds",
        "Age of the oldest report waiting for a national system",
        labels=["agency"],
    )
    for agency, waiting, oldest in rows:
        backlog.add_metric([agency], waiting)
        age.add_metric([agency], _age(oldest))
    return [backlog, age]


def _webhooks() -> Iterable[Metric]:
    from minwon.webhooks.selectors import webhook_backlog_metrics

    with database_deadline(_timeout(), label="metrics"):
        waiting, oldest, failed = webhook_backlog_metrics()
    depth = GaugeMetricFamily("minwon_webhook_backlog", "Webhook deliveries waiting to be sent")
    depth.add_metric([], waiting)
    age = GaugeMetricFamily(
        "minwon_webhook_backlog_oldest_age_seconds", "Age of the oldest webhook delivery waiting"
    )
    age.add_metric([], _age(oldest))
    gave_up = GaugeMetricFamily(
        "minwon_webhook_delivery_failures", "Webhook deliveries that failed for good"
    )
    gave_up.add_metric([], failed)
    return [depth, age, gave_up]


def _complaints() -> Iterable[Metric]:
    from minwon.complaints.selectors import (
        complaint_answer_delay_counts,
        complaint_deadline_counts,
        complaint_late_supplement_count,
    )

    soon = timedelta(hours=float(getattr(settings, "METRICS_DUE_SOON_HOURS", 24)))
    with database_deadline(_timeout(), label="metrics"):
        counts = complaint_deadline_counts(now=clock.now(), soon=soon)
        counts["supplement_late"] = complaint_late_supplement_count()
        counts.update(complaint_answer_delay_counts())
    families = []
    for key, name, text in (
        ("open", "minwon_complaints_open", "Complaints open (registered and not yet answered)"),
        (
            "due_soon",
            "minwon_complaints_due_soon",
            "Open complaints whose legal deadline falls within METRICS_DUE_SOON_HOURS",
        ),
        ("overdue", "minwon_complaints_overdue", "Open complaints past their legal deadline"),
        (
            "supplement_late",
            "minwon_complaints_supplement_requested_late",
            "Complaints whose first supplement request came after 8 working hours (규칙 제9조①)",
        ),
        ("answered", "minwon_complaints_answered", "Complaints answered (with a legal deadline)"),
        (
            "answered_late",
            "minwon_complaints_answered_late",
            "Complaints answered after their legal deadline (as lawfully extended)",
        ),
        (
            "answered_after_original",
            "minwon_complaints_answered_after_original_deadline",
            "Complaints answered after their deadline before any extension (영 제21조①)",
        ),
    ):
        family = GaugeMetricFamily(name, text)
        family.add_metric([], counts[key])
        families.append(family)
    return families


register_collector("outbox", _outbox)
register_collector("exchange", _exchange)
register_collector("webhooks", _webhooks)
register_collector("complaints", _complaints)


def _allowed(request: HttpRequest) -> bool:
    token = str(getattr(settings, "METRICS_TOKEN", "") or "")
    if token:
        given = request.META.get("HTTP_AUTHORIZATION", "")
        return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())
    peer = request.META.get("REMOTE_ADDR") or ""
    return bool(peer) and address_in(peer, _LOOPBACK)


def metrics_view(request: HttpRequest) -> HttpResponse:
    if not _allowed(request):
        # Looks like any unknown path: the endpoint is not advertised to the outside.
        from config.handlers import page_not_found

        return page_not_found(request)
    return HttpResponse(generate_latest(REGISTRY), content_type=CONTENT_TYPE_LATEST)
