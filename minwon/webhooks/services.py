"""Writes of webhooks: subscriptions, fan-out of complaint history into deliveries, delivery.

The complaint history (complaints.ComplaintEvent) is the durable source: the fan-out reads it
after a cursor and writes one delivery row per (subscription, history row) — unique, so running
it twice adds nothing — and moves the cursor in the same transaction. Delivery claims rows, posts
them signed (HMAC-SHA256), and records every attempt; failures back off and end as `failed`
after MAX_ATTEMPTS. Nothing acknowledged is lost: a crash between claim and outcome leaves the
row pending with a short lease, and the next run sends it again (receivers de-duplicate on the
`X-Minwon-Delivery` id).
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from minwon.accounts.models import ApiKey
from minwon.complaints.models import ComplaintEvent
from minwon.core import clock, crypto
from minwon.core.clock import SEOUL
from minwon.core.errors import NotFound, ValidationFailed
from minwon.core.services import audit_record
from minwon.webhooks import transport
from minwon.webhooks.domain import (
    MAX_ATTEMPTS,
    SIGNATURE_HEADER,
    UrlProblem,
    WebhookEvent,
    event_for,
    retry_delay_seconds,
    sign,
    url_port,
    url_problem,
)
from minwon.webhooks.models import WebhookCursor, WebhookDelivery, WebhookSubscription

LEASE = timedelta(seconds=60)
LEASE_MARGIN_SECONDS = 5.0  # a post starts only while the lease outlasts its time-out by this


def _url_refusal(problem: UrlProblem, *, allow_http: bool) -> Any:
    if problem is UrlProblem.SCHEME:
        return (
            _("The URL must use https.") if not allow_http else _("The URL must use https or http.")
        )
    if problem is UrlProblem.NO_HOST:
        return _("The URL has no host.")
    if problem is UrlProblem.CREDENTIALS:
        return _("The URL may not carry a user name or password.")
    ports = ", ".join(str(p) for p in sorted(settings.WEBHOOKS_ALLOWED_PORTS))
    return _("The URL's port is not allowed; use one of: %(ports)s.") % {"ports": ports}


def _check_url(url: str) -> None:
    """Refuse a URL whose form, port or resolved addresses a delivery may not use."""
    allow_http = bool(settings.WEBHOOKS_ALLOW_HTTP)
    problem = url_problem(url, allow_http=allow_http, allowed_ports=settings.WEBHOOKS_ALLOWED_PORTS)
    if problem is not None:
        raise ValidationFailed(
            _url_refusal(problem, allow_http=allow_http), code="webhook.url_" + problem, field="url"
        )
    host, port = urlsplit(url).hostname or "", url_port(url) or 443
    try:
        transport.checked_address(host, port)
    except transport.AddressRefused:
        raise ValidationFailed(
            _(
                "The URL's host does not resolve to a public internet address: webhooks are "
                "never sent to private, loopback, link-local or cloud metadata addresses."
            ),
            code="webhook.url_address",
            field="url",
        ) from None


@transaction.atomic
def webhook_subscribe(
    *, api_key: ApiKey, url: str, events: list[str]
) -> tuple[WebhookSubscription, str]:
    """Create a subscription; returns it and its signing secret (shown once)."""
    _check_url(url)
    known = {e.value for e in WebhookEvent}
    if not events or not set(events) <= known:
        raise ValidationFailed(
            _("Choose events from: %(events)s.") % {"events": ", ".join(sorted(known))},
            field="events",
        )
    secret = secrets.token_urlsafe(32)
    subscription = WebhookSubscription.objects.create(
        api_key=api_key,
        url=url,
        secret_encrypted=crypto.encrypt(secret),
        events=sorted(set(events)),
    )
    audit_record(
        actor=None,
        action="webhook.subscribed",
        target=subscription,
        data={"api_key": api_key.prefix, "url": url, "events": subscription.events},
    )
    return subscription, secret


@transaction.atomic
def webhook_unsubscribe(*, api_key: ApiKey, subscription_id: int) -> None:
    subscription = WebhookSubscription.objects.filter(pk=subscription_id, api_key=api_key).first()
    if subscription is None:
        raise NotFound()
    subscription.is_active = False
    subscription.save(update_fields=["is_active"])
    cancelled = _cancel_pending(subscription.pk)
    audit_record(
        actor=None,
        action="webhook.unsubscribed",
        target=subscription,
        data={"cancelled_deliveries": cancelled},
    )


def _cancel_pending(subscription_id: int) -> int:
    """A stopped subscription's waiting deliveries are never sent."""
    return WebhookDelivery.objects.filter(
        subscription_id=subscription_id, status=WebhookDelivery.PENDING
    ).update(status=WebhookDelivery.CANCELLED, last_error="unsubscribed", updated_at=clock.now())


def _iso(value: Any) -> str | None:
    return value.astimezone(SEOUL).isoformat() if value is not None else None


def _payload(event: ComplaintEvent, kind: WebhookEvent) -> dict[str, Any]:
    complaint = event.complaint
    return {
        "event": kind.value,
        "occurred_at": _iso(event.occurred_at),
        "complaint": {
            "id": complaint.pk,
            "receipt_number": complaint.receipt_number,
            "kind": complaint.kind,
            "status": event.to_status,
            "channel": complaint.channel,
            "external_ref": complaint.external_ref or None,
            "org_unit": complaint.org_unit.code if complaint.org_unit else None,
            "due_at": _iso(complaint.due_at),
        },
    }


def _visible(subscription: WebhookSubscription, event: ComplaintEvent) -> bool:
    unit = subscription.api_key.org_unit
    if unit is None:
        return True
    complaint_unit = event.complaint.org_unit
    return complaint_unit is not None and complaint_unit.path.startswith(unit.path)


@transaction.atomic
def webhook_fanout(*, limit: int = 1000) -> int:
    """Turn new complaint history rows into deliveries; returns how many deliveries were made."""
    cursor, _ = WebhookCursor.objects.get_or_create(name="complaints")
    cursor = WebhookCursor.objects.select_for_update().get(pk=cursor.pk)
    events = list(
        ComplaintEvent.objects.filter(pk__gt=cursor.last_event_id)
        .select_related("complaint", "complaint__org_unit")
        .order_by("pk")[:limit]
    )
    if not events:
        return 0
    subscriptions = list(
        WebhookSubscription.objects.filter(
            is_active=True, api_key__revoked_at__isnull=True
        ).select_related("api_key", "api_key__org_unit")
    )
    now = clock.now()
    rows: list[WebhookDelivery] = []
    for event in events:
        kind = event_for(event.action)
        if kind is None:
            continue
        for subscription in subscriptions:
            if kind.value in subscription.events and _visible(subscription, event):
                rows.append(
                    WebhookDelivery(
                        subscription=subscription,
                        complaint_id=event.complaint_id,
                        source_event_id=event.pk,
                        event=kind.value,
                        payload=_payload(event, kind),
                        next_attempt_at=now,
                    )
                )
    WebhookDelivery.objects.bulk_create(rows, ignore_conflicts=True)
    cursor.last_event_id = events[-1].pk
    cursor.save(update_fields=["last_event_id"])
    return len(rows)


@dataclass
class DeliveryResult:
    delivered: int = 0
    retrying: int = 0
    failed: int = 0
    released: int = 0  # claimed, not posted: the lease could not cover one more post


def _claim(limit: int) -> list[int]:
    now = clock.now()
    with transaction.atomic():
        ids = list(
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .filter(status=WebhookDelivery.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        WebhookDelivery.objects.filter(pk__in=ids).update(next_attempt_at=now + LEASE)
    return ids


def _post(delivery: WebhookDelivery, timeout: float) -> transport.Answer:
    body = json.dumps({"id": delivery.pk, **delivery.payload}, ensure_ascii=False).encode()
    secret = crypto.decrypt(delivery.subscription.secret_encrypted)
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "Minwon-Webhooks/1",
        "X-Minwon-Event": delivery.event,
        "X-Minwon-Delivery": str(delivery.pk),
        SIGNATURE_HEADER: sign(secret, int(clock.now().timestamp()), body),
    }
    return transport.post(delivery.subscription.url, body, headers, timeout=timeout)


def _still_wanted(delivery: WebhookDelivery) -> bool:
    subscription = delivery.subscription
    return subscription.is_active and subscription.api_key.revoked_at is None


def webhook_deliver_due(*, limit: int = 100, timeout: float = 5.0) -> DeliveryResult:
    """Send the deliveries that are due; one failing endpoint never holds up the others. A
    delivery whose subscription was stopped (or whose key was revoked) is cancelled, not sent."""
    result = DeliveryResult()
    claimed_at = time.monotonic()
    ids = _claim(limit)
    for index, delivery_id in enumerate(ids):
        if time.monotonic() - claimed_at > LEASE.total_seconds() - timeout - LEASE_MARGIN_SECONDS:
            # Less than one time-out (and a margin) is left of the lease: give the rest back now.
            # Posting them would overlap the next run, which takes them once the lease ends and
            # posts them too (a slow endpoint: 100 posts of up to 5 s each outlast 60 s).
            result.released = WebhookDelivery.objects.filter(
                pk__in=ids[index:], status=WebhookDelivery.PENDING
            ).update(next_attempt_at=clock.now())
            break
        delivery = WebhookDelivery.objects.select_related(
            "subscription", "subscription__api_key"
        ).get(pk=delivery_id)
        if not _still_wanted(delivery):
            _cancel_pending(delivery.subscription_id)
            continue
        answer = _post(delivery, timeout)
        status, error = answer.status, answer.error
        now = clock.now()
        with transaction.atomic():
            delivery.attempts += 1
            delivery.last_status_code = status
            if status is not None and 200 <= status < 300:
                delivery.status = WebhookDelivery.DELIVERED
                delivery.delivered_at = now
                delivery.last_error = ""
                result.delivered += 1
            elif status == 410 or delivery.attempts >= MAX_ATTEMPTS:
                delivery.status = WebhookDelivery.FAILED
                delivery.last_error = error or "gone"
                result.failed += 1
            else:
                delivery.next_attempt_at = now + timedelta(
                    seconds=retry_delay_seconds(delivery.attempts)
                )
                delivery.last_error = error
                result.retrying += 1
            delivery.save(
                update_fields=[
                    "attempts",
                    "last_status_code",
                    "status",
                    "delivered_at",
                    "last_error",
                    "next_attempt_at",
                ]
            )
            if status == 410:  # the receiver says the endpoint is gone for good
                WebhookSubscription.objects.filter(pk=delivery.subscription_id).update(
                    is_active=False
                )
                _cancel_pending(delivery.subscription_id)
    return result


def webhook_delivery_log_purge(*, before: datetime, batch_size: int = 2000) -> int:
    """Delete delivered or failed webhook deliveries last changed before `before` (issue 14
    item 11; pending ones never), in batches; one audit row a run."""
    final = [WebhookDelivery.DELIVERED, WebhookDelivery.FAILED, WebhookDelivery.CANCELLED]
    deleted = 0
    while True:
        with transaction.atomic():
            ids = list(
                WebhookDelivery.objects.filter(status__in=final, updated_at__lt=before).values_list(
                    "pk", flat=True
                )[:batch_size]
            )
            if not ids:
                break
            deleted += WebhookDelivery.objects.filter(pk__in=ids).delete()[0]
    if deleted:
        with transaction.atomic():
            audit_record(
                actor=None,
                action="webhooks.delivery_log_purged",
                data={"deleted": deleted, "before": before.isoformat()},
            )
    return deleted
