"""Recording: write each send's outcome where the claim token still matches (delivered, retry
later, failed for good with the 대체발송 fallback, deferred for quiet hours, released unsent), the
in-app notices, and — in the same transaction — when a legal notice reached the complainant."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import F

from minwon.complaints.services import complaint_notices_mark_delivered
from minwon.notifications.channels.base import OutgoingMessage
from minwon.notifications.domain import (
    NO_CHANNEL,
    DeliveryChannel,
    DeliveryStatus,
    FailureKind,
    Preferences,
    after_failure,
    fallback_for,
    quiet_hours_release,
)
from minwon.notifications.models import ChannelPreference, Delivery, InAppNotice
from minwon.notifications.services.dispatch.rows import DispatchReport, Outcome
from minwon.notifications.services.notices import notice_event_id


def record(
    rows: list[Delivery],
    outcomes: list[Outcome],
    in_app: list[tuple[Delivery, OutgoingMessage]],
    token: str,
    now: datetime,
) -> DispatchReport:
    report = DispatchReport(claimed=len(rows))
    by_id = {d.pk: d for d in rows}
    mine = Delivery.objects.filter(claim_token=token, status=DeliveryStatus.SENDING.value)
    done = {
        "status": DeliveryStatus.DELIVERED.value,
        "delivered_at": now,
        "claimed_until": None,
        "claim_token": "",
        "reason_code": "",
        "reason": "",
        "updated_at": now,
    }
    with transaction.atomic():
        if in_app:
            InAppNotice.objects.bulk_create(
                [
                    InAppNotice(
                        user_id=d.notification.recipient_id or 0,  # checked before
                        delivery=d,
                        event=d.notification.event,
                        title=m.subject[:300],
                        body=m.body,
                        complaint_id=d.notification.complaint_id,
                    )
                    for d, m in in_app
                ],
                ignore_conflicts=True,
            )
            report.delivered += mine.filter(pk__in=[d.pk for d, _m in in_app]).update(**done)
        delivered = [o for o in outcomes if o.kind == "delivered"]
        report.delivered += mine.filter(pk__in=[o.delivery_id for o in delivered]).update(**done)
        for o in delivered:
            if o.ref:
                Delivery.objects.filter(pk=o.delivery_id).update(provider_ref=o.ref[:120])
        # A legal notice delivered on any channel: the complaint's history says when (first time).
        sent = [d for d, _m in in_app] + [by_id[o.delivery_id] for o in delivered]
        notice_events = [
            pk for d in sent if (pk := notice_event_id(d.notification.idempotency_key)) is not None
        ]
        if notice_events:
            complaint_notices_mark_delivered(event_ids=notice_events, at=now)
        released = [o.delivery_id for o in outcomes if o.kind == "released"]
        mine.filter(pk__in=released).update(
            status=DeliveryStatus.PENDING.value,
            attempts=F("attempts") - 1,
            claimed_until=None,
            claim_token="",
            next_attempt_at=now,
            updated_at=now,
        )
        fallbacks: list[Delivery] = []
        for o in outcomes:
            d = by_id[o.delivery_id]
            if o.kind == "deferred" and o.at is not None:
                report.deferred += mine.filter(pk=d.pk).update(
                    status=DeliveryStatus.PENDING.value,
                    attempts=F("attempts") - 1,
                    claimed_until=None,
                    claim_token="",
                    next_attempt_at=o.at,
                    deferred_for_quiet_hours=True,
                    updated_at=now,
                )
            elif o.kind in ("retry", "failed"):
                kind = FailureKind.TRANSIENT if o.kind == "retry" else FailureKind.PERMANENT
                retry_at = after_failure(d.attempts, kind, now)
                status = DeliveryStatus.PENDING if retry_at is not None else DeliveryStatus.FAILED
                changed = mine.filter(pk=d.pk).update(
                    status=status.value,
                    next_attempt_at=retry_at or now,
                    claimed_until=None,
                    claim_token="",
                    reason_code=o.code[:60],
                    reason=o.detail[:500],
                    updated_at=now,
                )
                if status is DeliveryStatus.PENDING:
                    report.retrying += changed
                    continue
                report.failed += changed
                fallback = _fallback_delivery(d, now)
                if changed and fallback is not None:
                    fallbacks.append(fallback)
        Delivery.objects.bulk_create(fallbacks, ignore_conflicts=True)
    return report


def _fallback_delivery(d: Delivery, now: datetime) -> Delivery | None:
    """알림톡 failed for good → the same notice by SMS (대체발송), keeping quiet hours."""
    n = d.notification
    pref = Preferences()
    if n.recipient_id is not None:
        stored = ChannelPreference.objects.filter(user_id=n.recipient_id).first()
        if stored is not None:
            pref = Preferences(email=stored.email, sms=stored.sms, alimtalk=stored.alimtalk)
    channel = fallback_for(DeliveryChannel(d.channel), pref) if d.channel != NO_CHANNEL else None
    if channel is None:
        return None
    release = quiet_hours_release(channel, now, urgent=n.urgent)
    return Delivery(
        notification=n,
        channel=channel.value,
        fallback_from=d.channel,
        next_attempt_at=release or now,
        deferred_for_quiet_hours=release is not None,
    )
