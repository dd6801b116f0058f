"""The Celery app: `minwon worker` runs workers, `minwon scheduler` its beat.

Beat's schedule is THE schedule (config/schedule.py), read from settings (CELERY_BEAT_SCHEDULE is
settings.BACKGROUND_SCHEDULE's entries; CELERY_IMPORTS its jobs modules); the in-process runner
of the embedded default reads the same one.

The database holds the truth (minwon.notifications, docs/adr/0002-background-work.md): a message
on the broker only says "there is work". Losing one costs a delay until the next periodic
dispatch, never a notification. Broker: CELERY_BROKER_URL, else REDIS_URL (redis:// or amqp://).
"""

from __future__ import annotations

import os

from celery import Celery

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
