"""Webhook subscriptions for integrators (API key with scope `webhooks`)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from minwon.accounts.access import ApiKeyAuth, ApiPrincipal
from minwon.accounts.domain import ApiScope
from minwon.accounts.models import ApiKey
from minwon.core.errors import PermissionDenied
from minwon.core.middleware import idempotency_secret_fields
from minwon.core.pagination import paginate
from minwon.webhooks.schemas import (
    DeliveryOut,
    SubscriptionCreatedOut,
    SubscriptionIn,
    SubscriptionOut,
)
from minwon.webhooks.selectors import webhook_delivery_list, webhook_subscription_list
from minwon.webhooks.services import webhook_subscribe, webhook_unsubscribe

router = Router(tags=["webhooks"], auth=[ApiKeyAuth()])


def _key(request: HttpRequest) -> ApiKey:
    principal = request.auth  # type: ignore[attr-defined]
    assert isinstance(principal, ApiPrincipal)
    assert principal.api_key is not None
    if not principal.has_scope(ApiScope.WEBHOOKS):
        raise PermissionDenied()
    return principal.api_key


@router.get("/subscriptions", response=list[SubscriptionOut], summary="List subscriptions")
def subscription_list_api(request: HttpRequest) -> Any:
    return list(webhook_subscription_list(api_key=_key(request)))


@router.post("/subscriptions", response={201: SubscriptionCreatedOut}, summary="Subscribe")
def subscription_create_api(request: HttpRequest, payload: SubscriptionIn) -> Status[Any]:
    subscription, secret = webhook_subscribe(
        api_key=_key(request), url=payload.url, events=payload.events
    )
    idempotency_secret_fields(request, "secret")
    return Status(201, {**SubscriptionOut.from_orm(subscription).dict(), "secret": secret})


@router.delete("/subscriptions/{subscription_id}", response={204: None}, summary="Unsubscribe")
def subscription_delete_api(request: HttpRequest, subscription_id: int) -> Status[None]:
    webhook_unsubscribe(api_key=_key(request), subscription_id=subscription_id)
    return Status(204, None)


@router.get(
    "/subscriptions/{subscription_id}/deliveries", summary="Delivery log", response=dict[str, Any]
)
def delivery_list_api(
    request: HttpRequest, subscription_id: int, cursor: str | None = None, limit: int = 50
) -> dict[str, Any]:
    rows, next_cursor = paginate(
        webhook_delivery_list(api_key=_key(request), subscription_id=subscription_id),
        order_field="created_at",
        descending=True,
        cursor=cursor,
        limit=limit,
    )
    return {"items": [DeliveryOut.from_orm(r).dict() for r in rows], "next_cursor": next_cursor}
