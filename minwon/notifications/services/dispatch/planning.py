"""Planning: claim new notifications (`planned_at IS NULL`) and write their deliveries, one per
channel the recipient's contact and preferences allow, in ONE transaction (a crash rolls both
back)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction

from minwon.accounts.models import User
from minwon.notifications.domain import (
    AUDIENCE,
    NO_CHANNEL,
    Contact,
    DeliveryChannel,
    DeliveryStatus,
    Event,
    Preferences,
    fallback_for,
    plan_channels,
    quiet_hours_release,
)
from minwon.notifications.models import ChannelPreference, Delivery, Notification
from minwon.notifications.services.dispatch.rows import N_TABLE, db_dt, returning_ids, skip_locked


def _claim_notifications(now: datetime, limit: int, notification_id: int | None) -> list[int]:
    only = " AND id = %s" if notification_id is not None else ""
    params: list[Any] = [db_dt(now), db_dt(now), db_dt(now)]
    if notification_id is not None:
        params.append(notification_id)
    params.append(limit)
    sql = (
        f"UPDATE {N_TABLE} SET planned_at = %s, updated_at = %s WHERE id IN ("
        f"SELECT id FROM {N_TABLE} WHERE planned_at IS NULL AND not_before <= %s{only} "
        f"ORDER BY not_before LIMIT %s{skip_locked()}) RETURNING id"
    )
    return returning_ids(sql, params)


def _contact(notification: Notification, user: User | None) -> Contact:
    return Contact(
        email=notification.email or (user.email if user is not None else ""),
        phone=notification.phone or (user.phone if user is not None else ""),
        has_account=user is not None and user.is_active,
    )


# What planning reads (not the context or timestamps: fewer values to load per row).
_PLAN_FIELDS = (
    "id",
    "event",
    "email_encrypted",
    "phone_encrypted",
    "urgent",
    "recipient_id",
    "recipient__email_encrypted",
    "recipient__phone_encrypted",
    "recipient__is_active",
)


def plan(
    now: datetime,
    limit: int,
    channels: Iterable[DeliveryChannel],
    notification_id: int | None = None,
) -> int:
    """Claim up to `limit` unplanned notifications and write their deliveries (one transaction)."""
    usable = set(channels) | {DeliveryChannel.IN_APP}
    with transaction.atomic():
        ids = _claim_notifications(now, limit, notification_id)
        if not ids:
            return 0
        rows = list(
            Notification.objects.filter(pk__in=ids).select_related("recipient").only(*_PLAN_FIELDS)
        )
        user_ids = {n.recipient_id for n in rows if n.recipient_id is not None}
        prefs = {
            p.user_id: Preferences(email=p.email, sms=p.sms, alimtalk=p.alimtalk)
            for p in ChannelPreference.objects.filter(user_id__in=user_ids)
        }
        deliveries: list[Delivery] = []
        for n in rows:
            pref = prefs.get(n.recipient_id or 0, Preferences())
            planned: list[DeliveryChannel] = []
            for channel in plan_channels(AUDIENCE[Event(n.event)], _contact(n, n.recipient), pref):
                if channel not in usable:  # not configured here: its fallback, if any
                    substitute = fallback_for(channel, pref)
                    if substitute is None or substitute not in usable:
                        continue
                    channel = substitute
                planned.append(channel)
            if not planned:
                deliveries.append(
                    Delivery(
                        notification=n,
                        channel=NO_CHANNEL,
                        status=DeliveryStatus.FAILED.value,
                        next_attempt_at=now,
                        reason_code="notification.no_channel",
                        reason="no address or allowed channel for this recipient",
                    )
                )
            for channel in planned:
                release = quiet_hours_release(channel, now, urgent=n.urgent)
                deliveries.append(
                    Delivery(
                        notification=n,
                        channel=channel.value,
                        next_attempt_at=release or now,
                        deferred_for_quiet_hours=release is not None,
                    )
                )
        Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
        return len(ids)
