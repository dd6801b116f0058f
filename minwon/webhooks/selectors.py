from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Min, QuerySet

from minwon.accounts.models import ApiKey
from minwon.webhooks.models import WebhookDelivery, WebhookSubscription


def webhook_subscription_list(*, api_key: ApiKey) -> QuerySet[WebhookSubscription]:
    return WebhookSubscription.objects.filter(api_key=api_key).order_by("pk")


def webhook_delivery_list(*, api_key: ApiKey, subscription_id: int) -> QuerySet[WebhookDelivery]:
    """The delivery log of one of the key's subscriptions, newest first."""
    return WebhookDelivery.objects.filter(
        subscription_id=subscription_id, subscription__api_key=api_key
    ).order_by("-pk")


def webhook_backlog_metrics() -> tuple[int, datetime | None, int]:
    """(deliveries waiting, oldest waiting since, failed for good), for /metrics."""
    waiting = WebhookDelivery.objects.filter(status=WebhookDelivery.PENDING).aggregate(
        n=Count("pk"), oldest=Min("created_at")
    )
    failed = WebhookDelivery.objects.filter(status=WebhookDelivery.FAILED).count()
    return waiting["n"], waiting["oldest"], failed
