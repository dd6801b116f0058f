"""The Celery app: `minwon worker` runs workers, `minwon scheduler` its beat (the schedule below).

The database holds the truth (minwon.notifications, docs/adr/0002-background-work.md): a message
on the broker only says "there is work". Losing one costs a delay until the next periodic
dispatch, never a notification. Broker: CELERY_BROKER_URL, else REDIS_URL (redis:// or amqp://).
"""

from __future__ import annotations

import os

from celery import Celery
from celery.schedules import crontab

from minwon.core import jobs

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("minwon")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    # A task is acknowledged after it ran, so a worker killed mid-task leaves it on the broker.
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    broker_connection_retry_on_startup=True,
    # One queue; CELERY_QUEUE lets several installations (or test runs) share a broker.
    task_default_queue=os.environ.get("CELERY_QUEUE", "minwon"),
    timezone="Asia/Seoul",
    enable_utc=True,
    task_ignore_result=True,
    worker_hijack_root_logger=False,
)
jobs.app_install(app)  # contexts send tasks through minwon.core.jobs, never importing config
app.autodiscover_tasks(
    ["minwon.notifications", "minwon.complaints", "minwon.webhooks", "minwon.exchange"],
    related_name="jobs",
)
app.autodiscover_tasks(["minwon.identity"], related_name="jobs")

# Seconds between re-drives of the outbox (also read by settings.NOTIFICATIONS_SWEEP_SECONDS).
SWEEP_SECONDS = float(os.environ.get("NOTIFICATIONS_SWEEP_SECONDS", "60"))

# THE periodic schedule, one entry per job (times are Asia/Seoul).
app.conf.beat_schedule = {
    # Every minute: send whatever is due: new rows whose wake-up message was lost, retries whose
    # backoff ended, SMS/알림톡 held for quiet hours (21:00-08:00), rows of a worker that died.
    "notifications-dispatch": {
        "task": "notifications.dispatch",
        "schedule": SWEEP_SECONDS,
    },
    # Every 10 minutes: 50 % / 80 % deadline warnings, overdue notices and escalation to heads.
    "notifications-deadline-sweep": {
        "task": "notifications.deadline_sweep",
        "schedule": crontab(minute="*/10"),
    },
    # Every 10 minutes, on working hours' scale: online arrivals not registered (영 제6조⑧).
    "notifications-registration-alarm": {
        "task": "notifications.registration_alarm_sweep",
        "schedule": crontab(minute="5-59/10"),
    },
    # Every minute, before the dispatch has much to do: notices the complaints history recorded
    # (접수, 이송, 보완요구, 연장, 중간통지, 처리결과) become notifications. The complaints context
    # records the 30-day 중간통지 itself (complaint_progress_notices_sweep).
    "notifications-complaint-notices": {
        "task": "notifications.complaint_notices",
        "schedule": SWEEP_SECONDS,
    },
    # Hourly: 중간통지 (영 제23조) for complaints whose 30 days have run; the bridge above turns
    # the recorded notices into notifications.
    "complaints-progress-notices": {
        "task": "complaints.progress_notices",
        "schedule": crontab(minute=15),
    },
    # Every minute: complaint history → webhook deliveries, and send those due (with retries).
    "webhooks-dispatch": {
        "task": "webhooks.dispatch",
        "schedule": SWEEP_SECONDS,
    },
    # Every 5 minutes: poll 국민신문고 / 정부24 and report status back (no-op when not configured).
    "exchange-sync": {
        "task": "exchange.sync",
        "schedule": crontab(minute="*/5"),
    },
    # Every minute: mobile-ID result screens past their display time are erased, records past
    # their purpose's retention deleted (minwon.identity).
    "identity-retention-sweep": {
        "task": "identity.retention_sweep",
        "schedule": 60.0,
    },
    # 08:30 on weekdays: each org unit's digest, before the working day starts.
    "notifications-daily-digest": {
        "task": "notifications.daily_digest",
        "schedule": crontab(hour=8, minute=30, day_of_week="mon-fri"),
    },
}
