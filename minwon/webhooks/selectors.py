from __future__ import annotations

from django.db.models import QuerySet

from minwon.accounts.models import ApiKey
from minwon.webhooks.models import WebhookDelivery, WebhookSubscription


def webhook_subscription_list(*, api_key: ApiKey) -> QuerySet[WebhookSubscription]:
    return WebhookSubscription.objects.filter(api_key=api_key).order_by("pk")


def webhook_delivery_list(*, api_key: ApiKey, subscription_id: int) -> QuerySet[WebhookDelivery]:
    """The delivery log of one of the key's subscriptions, newest first."""
    return WebhookDelivery.objects.filter(
        subscription_id=subscription_id, subscription__api_key=api_key
    ).order_by("-pk")
