"""The dispatcher: plan deliveries of new notifications, claim due deliveries, send, record.

Every step is safe to run in several workers at once and to repeat after a crash:
- planning claims notifications (`planned_at IS NULL`) and writes their deliveries in ONE
  transaction; a crash rolls both back;
- sending claims deliveries with a conditional UPDATE (PostgreSQL: `FOR UPDATE SKIP LOCKED`)
  that sets a lease (`claimed_until`) and a claim token; results are written only where the token
  still matches. A worker that dies leaves its rows `sending` until the lease ends; the next
  dispatch takes them again. A worker stops sending before its lease ends, so two workers never
  hold the same row;
- each external call carries the delivery's key, so a provider can drop the one repeat a crash
  between "provider accepted" and "we recorded it" can cause (docs/adr/0002-background-work.md).
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F

from minwon.accounts.models import User
from minwon.complaints.services import complaint_notices_mark_delivered
from minwon.core import clock
from minwon.notifications.channels.base import OutgoingMessage, SendError, Transport
from minwon.notifications.channels.registry import transports_from_settings
from minwon.notifications.defaults import DEFAULT_TEMPLATES
from minwon.notifications.domain import (
    AUDIENCE,
    MAX_ATTEMPTS,
    NO_CHANNEL,
    Channel,
    Contact,
    DeliveryStatus,
    Event,
    FailureKind,
    Preferences,
    TemplateError,
    after_failure,
    allowed_placeholders,
    fallback_for,
    plan_channels,
    quiet_hours_release,
    template_render,
)
from minwon.notifications.models import (
    ChannelPreference,
    Delivery,
    InAppNotice,
    Notification,
    NotificationTemplate,
)
from minwon.notifications.services.notices import notice_event_id

logger = logging.getLogger(__name__)

N_TABLE = Notification._meta.db_table
D_TABLE = Delivery._meta.db_table


@dataclass
class DispatchReport:
    planned: int = 0
    claimed: int = 0
    delivered: int = 0
    retrying: int = 0
    failed: int = 0
    deferred: int = 0

    def add(self, other: DispatchReport) -> None:
        for name in ("planned", "claimed", "delivered", "retrying", "failed", "deferred"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class _Outcome:
    delivery_id: int
    kind: str  # delivered | retry | failed | deferred | released
    at: datetime | None = None
    code: str = ""
    detail: str = ""
    ref: str = ""


@dataclass
class _Work:
    delivery: Delivery
    transport: Transport
    message: OutgoingMessage
    outcome: _Outcome | None = field(default=None)


def _db_dt(value: datetime) -> Any:
    """A datetime as the database backend stores it (raw SQL needs the backend's form)."""
    return connection.ops.adapt_datetimefield_value(value)


def _skip_locked() -> str:
    return " FOR UPDATE SKIP LOCKED" if connection.vendor == "postgresql" else ""


def _returning_ids(sql: str, params: list[Any]) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


# --- planning -----------------------------------------------------------------------------------


def _claim_notifications(now: datetime, limit: int, notification_id: int | None) -> list[int]:
    only = " AND id = %s" if notification_id is not None else ""
    params: list[Any] = [_db_dt(now), _db_dt(now), _db_dt(now)]
    if notification_id is not None:
        params.append(notification_id)
    params.append(limit)
    sql = (
        f"UPDATE {N_TABLE} SET planned_at = %s, updated_at = %s WHERE id IN ("
        f"SELECT id FROM {N_TABLE} WHERE planned_at IS NULL AND not_before <= %s{only} "
        f"ORDER BY not_before LIMIT %s{_skip_locked()}) RETURNING id"
    )
    return _returning_ids(sql, params)


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
    "email",
    "phone",
    "urgent",
    "recipient_id",
    "recipient__email",
    "recipient__phone",
    "recipient__is_active",
)


def _plan(
    now: datetime, limit: int, channels: Iterable[Channel], notification_id: int | None = None
) -> int:
    """Claim up to `limit` unplanned notifications and write their deliveries (one transaction)."""
    usable = set(channels) | {Channel.IN_APP}
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
            planned: list[Channel] = []
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


# --- claiming and sending -----------------------------------------------------------------------


def _claim_deliveries(
    now: datetime, limit: int, lease: timedelta, token: str, notification_id: int | None
) -> list[int]:
    only = " AND notification_id = %s" if notification_id is not None else ""
    head = (
        f"UPDATE {D_TABLE} SET status = 'sending', claim_token = %s, claimed_until = %s, "
        "attempts = attempts + 1, updated_at = %s WHERE id IN ("
    )
    base = [token, _db_dt(now + lease), _db_dt(now)]
    tail = [notification_id] if notification_id is not None else []
    # First rows whose worker died (lease over), then due rows, oldest first.
    ids = _returning_ids(
        head + f"SELECT id FROM {D_TABLE} WHERE status = 'sending' AND claimed_until < %s{only} "
        f"LIMIT %s{_skip_locked()}) RETURNING id",
        [*base, _db_dt(now), *tail, limit],
    )
    if len(ids) < limit:
        ids += _returning_ids(
            head + f"SELECT id FROM {D_TABLE} WHERE status = 'pending' AND next_attempt_at <= %s"
            f"{only} ORDER BY next_attempt_at LIMIT %s{_skip_locked()}) RETURNING id",
            [*base, _db_dt(now), *tail, limit - len(ids)],
        )
    return ids


def _templates(keys: set[tuple[str, str]]) -> dict[tuple[str, str], NotificationTemplate]:
    events = {event for event, _lang in keys}
    found = {
        (t.event, t.language): t for t in NotificationTemplate.objects.filter(event__in=events)
    }
    for event, language in keys:
        if (event, language) in found:
            continue
        stored_ko = found.get((event, "ko"))
        default = DEFAULT_TEMPLATES.get((Event(event), language)) or DEFAULT_TEMPLATES.get(
            (Event(event), "ko")
        )
        if stored_ko is not None:
            found[(event, language)] = stored_ko
        elif default is not None:
            found[(event, language)] = NotificationTemplate(
                event=event,
                language=language,
                subject=default.subject,
                body=default.body,
                short=default.short,
                alimtalk_code=default.alimtalk_code,
            )
    return found


def _render(d: Delivery, template: NotificationTemplate | None) -> OutgoingMessage:
    n = d.notification
    user = n.recipient
    if template is None:
        raise TemplateError("template.missing", f"{n.event} ({n.language})")
    # A value the event allows but this notification's context lacks (one enqueued before a
    # template gained a placeholder) renders empty rather than failing the notice.
    values: dict[str, object] = dict.fromkeys(allowed_placeholders(Event(n.event)), "")
    values |= {
        "recipient_name": (user.name or user.username) if user is not None else "",
        "site_name": settings.NOTIFICATIONS_SITE_NAME,
        "url": "",
        **n.context,
    }
    channel = Channel(d.channel)
    long_form = channel in (Channel.EMAIL, Channel.IN_APP)
    if channel is Channel.EMAIL:
        to = n.email or (user.email if user is not None else "")
    elif channel in (Channel.SMS, Channel.ALIMTALK):
        to = n.phone or (user.phone if user is not None else "")
    else:
        to = str(n.recipient_id or "")
    return OutgoingMessage(
        key=f"{n.idempotency_key}:{d.channel}",
        to=to,
        subject=template_render(template.subject, values) if long_form else "",
        body=template_render(template.body, values) if long_form else "",
        short="" if long_form else template_render(template.short, values),
        template_code=template.alimtalk_code,
        language=n.language,
    )


def _send_one(work: _Work, deadline: float) -> None:
    d = work.delivery
    if time.monotonic() > deadline:  # the lease is nearly over: let another run take it
        work.outcome = _Outcome(d.pk, "released")
        return
    try:
        ref = work.transport.send(work.message)
    except SendError as exc:
        kind = "retry" if exc.kind is FailureKind.TRANSIENT else "failed"
        work.outcome = _Outcome(d.pk, kind, None, exc.code, exc.detail)
        return
    except Exception as exc:  # a bug in an adapter must not stop the other messages
        logger.exception("notifications: transport %s raised", d.channel)
        work.outcome = _Outcome(d.pk, "retry", None, f"{d.channel}.error", repr(exc))
        return
    work.outcome = _Outcome(d.pk, "delivered", ref=ref if ref != work.message.key else "")


_SEND_FIELDS = (
    "id",
    "channel",
    "attempts",
    "notification__id",
    "notification__idempotency_key",
    "notification__event",
    "notification__language",
    "notification__email",
    "notification__phone",
    "notification__context",
    "notification__urgent",
    "notification__complaint_id",
    "notification__recipient_id",
    "notification__recipient__username",
    "notification__recipient__name",
    "notification__recipient__email",
    "notification__recipient__phone",
)


def _send_claimed(
    ids: list[int],
    token: str,
    now: datetime,
    transports: Mapping[Channel, Transport],
    pool: ThreadPoolExecutor,
    deadline: float,
) -> DispatchReport:
    rows = list(
        Delivery.objects.filter(pk__in=ids, claim_token=token)
        .select_related("notification", "notification__recipient")
        .only(*_SEND_FIELDS)
    )
    templates = _templates({(d.notification.event, d.notification.language) for d in rows})
    outcomes: list[_Outcome] = []
    in_app: list[tuple[Delivery, OutgoingMessage]] = []
    work: list[_Work] = []
    for d in rows:
        n = d.notification
        channel = Channel(d.channel)
        if d.attempts > MAX_ATTEMPTS:
            outcomes.append(_Outcome(d.pk, "failed", None, "delivery.too_many_attempts", ""))
            continue
        release = quiet_hours_release(channel, now, urgent=n.urgent)
        if release is not None:
            outcomes.append(_Outcome(d.pk, "deferred", release))
            continue
        try:
            message = _render(d, templates.get((n.event, n.language)))
        except TemplateError as exc:
            outcomes.append(_Outcome(d.pk, "failed", None, exc.code, exc.detail))
            continue
        if channel is Channel.IN_APP:
            if n.recipient_id is None:
                outcomes.append(_Outcome(d.pk, "failed", None, "in_app.no_account", ""))
            else:
                in_app.append((d, message))
            continue
        transport = transports.get(channel)
        if transport is None:
            outcomes.append(_Outcome(d.pk, "failed", None, "channel.not_configured", d.channel))
            continue
        work.append(_Work(d, transport, message))
    for _ in pool.map(lambda w: _send_one(w, deadline), work):
        pass
    outcomes += [w.outcome for w in work if w.outcome is not None]
    return _record(rows, outcomes, in_app, token, now)


def _record(
    rows: list[Delivery],
    outcomes: list[_Outcome],
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
    channel = fallback_for(Channel(d.channel), pref) if d.channel != NO_CHANNEL else None
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


# --- entry points -------------------------------------------------------------------------------


def _run(
    *,
    now: datetime | None,
    transports: Mapping[Channel, Transport] | None,
    batch_size: int | None,
    max_batches: int | None,
    notification_id: int | None,
) -> DispatchReport:
    batch = batch_size or settings.NOTIFICATIONS_BATCH_SIZE
    lease_seconds = settings.NOTIFICATIONS_CLAIM_SECONDS
    lease = timedelta(seconds=lease_seconds)
    # Stop starting sends early enough that the slowest send (one time-out) ends inside the lease.
    budget = max(lease_seconds - settings.NOTIFICATIONS_HTTP_TIMEOUT - 5, lease_seconds / 2)
    own = transports is None
    active = transports_from_settings() if transports is None else transports
    report = DispatchReport()
    try:
        with ThreadPoolExecutor(max_workers=settings.NOTIFICATIONS_SEND_THREADS) as pool:
            while True:
                planned = _plan(now or clock.now(), batch, active.keys(), notification_id)
                report.planned += planned
                if planned < batch:
                    break
            batches = 0
            while max_batches is None or batches < max_batches:
                token = secrets.token_hex(16)
                at = now or clock.now()
                deadline = time.monotonic() + budget
                with transaction.atomic():
                    ids = _claim_deliveries(at, batch, lease, token, notification_id)
                if not ids:
                    break
                report.add(_send_claimed(ids, token, at, active, pool, deadline))
                batches += 1  # go on until a claim finds nothing (fallbacks are due at once)
    finally:
        if own:
            for transport in active.values():
                transport.close()
    return report


def notifications_dispatch(
    *,
    now: datetime | None = None,
    transports: Mapping[Channel, Transport] | None = None,
    batch_size: int | None = None,
    max_batches: int | None = None,
) -> DispatchReport:
    """Plan every due notification, then send due deliveries in batches until none is left.

    This is also the re-drive sweep: rows whose wake-up message was lost, whose retry time has
    come, whose quiet hours ended or whose worker died are all just "due" rows.
    """
    return _run(
        now=now,
        transports=transports,
        batch_size=batch_size,
        max_batches=max_batches,
        notification_id=None,
    )


def notification_deliver(
    *,
    notification_id: int,
    now: datetime | None = None,
    transports: Mapping[Channel, Transport] | None = None,
) -> DispatchReport:
    """Plan and send one notification's due deliveries (the job a commit wakes). Idempotent."""
    return _run(
        now=now,
        transports=transports,
        batch_size=None,
        max_batches=1,
        notification_id=notification_id,
    )
