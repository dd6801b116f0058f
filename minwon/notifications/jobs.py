"""Celery tasks of the notifications context: thin, named, ids in, one service call each.

Every task is idempotent (the outbox's keys and claims make a repeat harmless), so the broker may
deliver a message twice and a lost message only delays work until the next periodic dispatch.
They run on the one schedule (config/schedule.py).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

from minwon.core import clock
from minwon.core.jobs import task as _task
from minwon.notifications import selectors, services
from minwon.notifications.services.retention import delivery_log_purge


@_task("notifications.deliver")
def notification_deliver_job(*, notification_id: int) -> int:
    return services.notification_deliver(notification_id=notification_id).delivered


@_task("notifications.dispatch", periodic=True)
def notifications_dispatch_job() -> int:
    return services.notifications_dispatch().delivered


@_task("notifications.deadline_sweep", periodic=True)
def deadline_sweep_job() -> int:
    return services.deadline_warning_sweep(source=selectors.complaint_deadline_source()).created


@_task("notifications.registration_alarm_sweep", periodic=True)
def registration_alarm_sweep_job() -> int:
    source = selectors.complaint_registration_source()
    return services.registration_alarm_sweep(source=source).created


@_task("notifications.complaint_notices", periodic=True)
def complaint_notices_job() -> int:
    """Notices the complaints history recorded (접수, 이송, 보완, 연장, 중간통지, 결과) → outbox."""
    return services.complaint_notices_enqueue(events=selectors.complaint_notice_source())


@_task("notifications.protection_alerts", periodic=True)
def protection_alerts_job() -> int:
    """The screen flagged a citizen's text: the department head is told; a threat goes to the
    head and the security desk at once (issue 16); a panic button pressed on an office page tells
    the security desk and the head (urgent). Idempotent."""
    panic = services.panic_alerts_enqueue(incidents=selectors.panic_alert_source())
    return panic + services.protection_alerts_enqueue(rows=selectors.protection_alert_source())


@_task("notifications.daily_digest", periodic=True)
def daily_digest_job() -> int:
    day = clock.local_now().date()
    return services.daily_digest_enqueue(day=day, source=selectors.daily_digest_source()).created


@_task("notifications.delivery_log_purge", periodic=True)
def delivery_log_purge_job() -> int:
    """Final deliveries older than NOTIFICATIONS_LOG_RETENTION_DAYS leave the delivery log."""
    days = float(settings.NOTIFICATIONS_LOG_RETENTION_DAYS)
    return delivery_log_purge(before=clock.now() - timedelta(days=days))
