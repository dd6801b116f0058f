"""Claiming and sending: take due deliveries with a conditional UPDATE (PostgreSQL: `FOR UPDATE
SKIP LOCKED`) that sets a lease and a claim token, render each message from its template, send
through the channel's transport in a thread pool, and hand the outcomes to `recording`."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from datetime import datetime, timedelta

from django.conf import settings

from minwon.core import crypto
from minwon.notifications.channels.base import OutgoingMessage, SendError, Transport
from minwon.notifications.defaults import DEFAULT_TEMPLATES
from minwon.notifications.domain import (
    MAX_ATTEMPTS,
    SECRET_PLACEHOLDERS,
    DeliveryChannel,
    Event,
    FailureKind,
    TemplateError,
    allowed_placeholders,
    quiet_hours_release,
    template_render,
)
from minwon.notifications.models import Delivery, NotificationTemplate
from minwon.notifications.services.dispatch.lease import LeaseKeeper
from minwon.notifications.services.dispatch.recording import record
from minwon.notifications.services.dispatch.rows import (
    D_TABLE,
    DispatchReport,
    Outcome,
    Work,
    db_dt,
    returning_ids,
    skip_locked,
)

logger = logging.getLogger("minwon.notifications.services.dispatch")


def claim_deliveries(
    now: datetime, limit: int, lease: timedelta, token: str, notification_id: int | None
) -> list[int]:
    only = " AND notification_id = %s" if notification_id is not None else ""
    head = (
        f"UPDATE {D_TABLE} SET status = 'sending', claim_token = %s, claimed_until = %s, "
        "attempts = attempts + 1, updated_at = %s WHERE id IN ("
    )
    base = [token, db_dt(now + lease), db_dt(now)]
    tail = [notification_id] if notification_id is not None else []
    # First rows whose worker died (lease over), then due rows, oldest first.
    ids = returning_ids(
        head + f"SELECT id FROM {D_TABLE} WHERE status = 'sending' AND claimed_until < %s{only} "
        f"LIMIT %s{skip_locked()}) RETURNING id",
        [*base, db_dt(now), *tail, limit],
    )
    if len(ids) < limit:
        ids += returning_ids(
            head + f"SELECT id FROM {D_TABLE} WHERE status = 'pending' AND next_attempt_at <= %s"
            f"{only} ORDER BY next_attempt_at LIMIT %s{skip_locked()}) RETURNING id",
            [*base, db_dt(now), *tail, limit - len(ids)],
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
    for name in SECRET_PLACEHOLDERS & n.context.keys():  # stored encrypted by the outbox
        values[name] = crypto.decrypt(str(n.context[name]))
    channel = DeliveryChannel(d.channel)
    long_form = channel in (DeliveryChannel.EMAIL, DeliveryChannel.IN_APP)
    if channel is DeliveryChannel.EMAIL:
        to = n.email or (user.email if user is not None else "")
    elif channel in (DeliveryChannel.SMS, DeliveryChannel.ALIMTALK):
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


def _send_one(work: Work, keeper: LeaseKeeper) -> None:
    d = work.delivery
    if not keeper.may_start():  # the lease is nearly over: let another run take it
        work.outcome = Outcome(d.pk, "released")
        return
    try:
        ref = work.transport.send(work.message)
    except SendError as exc:
        kind = "retry" if exc.kind is FailureKind.TRANSIENT else "failed"
        work.outcome = Outcome(d.pk, kind, None, exc.code, exc.detail)
        return
    except Exception as exc:  # a bug in an adapter must not stop the other messages
        logger.exception("notifications: transport %s raised", d.channel)
        work.outcome = Outcome(d.pk, "retry", None, f"{d.channel}.error", repr(exc))
        return
    work.outcome = Outcome(d.pk, "delivered", ref=ref if ref != work.message.key else "")


def _send_all(
    work: list[Work],
    pool: ThreadPoolExecutor,
    keeper: LeaseKeeper,
    ended: Callable[[list[Outcome]], None],
) -> None:
    """Send in the pool; hand the outcomes of the sends that ended to `ended` as soon as they
    end (whatever ended while the last ones were being recorded is recorded together), and while
    any send is open, renew the batch's lease every `interval`."""
    futures = {pool.submit(_send_one, w, keeper): w for w in work}
    open_sends = set(futures)
    while open_sends:
        done, open_sends = wait(open_sends, timeout=keeper.interval, return_when=FIRST_COMPLETED)
        outcomes = []
        for future in done:
            future.result()  # _send_one turns every failure into an outcome; anything else is a bug
            outcome = futures[future].outcome
            if outcome is not None:
                outcomes.append(outcome)
        if outcomes:
            ended(outcomes)
        if open_sends and time.monotonic() >= keeper.next_renewal():
            keeper.renew()


_SEND_FIELDS = (
    "id",
    "channel",
    "attempts",
    "notification__id",
    "notification__idempotency_key",
    "notification__event",
    "notification__language",
    "notification__email_encrypted",
    "notification__phone_encrypted",
    "notification__context",
    "notification__urgent",
    "notification__complaint_id",
    "notification__recipient_id",
    "notification__recipient__username",
    "notification__recipient__name",
    "notification__recipient__email_encrypted",
    "notification__recipient__phone_encrypted",
)


def send_claimed(
    ids: list[int],
    token: str,
    now: datetime,
    transports: Mapping[DeliveryChannel, Transport],
    pool: ThreadPoolExecutor,
    keeper: LeaseKeeper,
) -> DispatchReport:
    rows = list(
        Delivery.objects.filter(pk__in=ids, claim_token=token)
        .select_related("notification", "notification__recipient")
        .only(*_SEND_FIELDS)
    )
    templates = _templates({(d.notification.event, d.notification.language) for d in rows})
    outcomes: list[Outcome] = []
    in_app: list[tuple[Delivery, OutgoingMessage]] = []
    work: list[Work] = []
    for d in rows:
        n = d.notification
        channel = DeliveryChannel(d.channel)
        if d.attempts > MAX_ATTEMPTS:
            outcomes.append(Outcome(d.pk, "failed", None, "delivery.too_many_attempts", ""))
            continue
        release = quiet_hours_release(channel, now, urgent=n.urgent)
        if release is not None:
            outcomes.append(Outcome(d.pk, "deferred", release))
            continue
        try:
            message = _render(d, templates.get((n.event, n.language)))
        except TemplateError as exc:
            outcomes.append(Outcome(d.pk, "failed", None, exc.code, exc.detail))
            continue
        if channel is DeliveryChannel.IN_APP:
            if n.recipient_id is None:
                outcomes.append(Outcome(d.pk, "failed", None, "in_app.no_account", ""))
            else:
                in_app.append((d, message))
            continue
        transport = transports.get(channel)
        if transport is None:
            outcomes.append(Outcome(d.pk, "failed", None, "channel.not_configured", d.channel))
            continue
        work.append(Work(d, transport, message))
    # What needs no provider is recorded first; each send's outcome as soon as it ends, so a
    # worker that dies mid-batch leaves only its open sends to be sent again after the lease.
    report = record(rows, outcomes, in_app, token, now)

    def ended(sent: list[Outcome]) -> None:
        part = record(rows, sent, [], token, now)
        part.claimed = 0  # counted once, above
        report.add(part)

    _send_all(work, pool, keeper, ended)
    return report
