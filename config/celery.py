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
from collections.abc import Mapping
from typing import Any, cast

from celery import Celery
from kombu.entity import Queue

from minwon.core import jobs

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def queue_names(environ: Mapping[str, str]) -> tuple[str, str]:
    """(default queue, routing queue). CELERY_QUEUE lets several installations (or test runs)
    share a broker; routing's queue follows it."""
    default = environ.get("CELERY_QUEUE")
    return (default, f"{default}-routing") if default else ("minwon", "routing")


DEFAULT_QUEUE, ROUTING_QUEUE = queue_names(os.environ)
# Reading complaints in Korean (kiwipiepy, the models: seconds to load, up to minutes for a
# backlog or a retrain) has a queue of its own, so it never holds up a notice or a deadline
# sweep. Routing's own jobs, and the lifecycle's job that hands routing the new rows.
ROUTING_TASKS = ("routing.*", "complaints.routing_read")

app = Celery("minwon")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    # A task is acknowledged after it ran, so a worker killed mid-task leaves it on the broker.
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    broker_connection_retry_on_startup=True,
    # Two queues. A worker started without -Q consumes both (a small installation runs one);
    # `minwon worker -Q routing` and `minwon worker -Q minwon` split them (docs/deploy.md).
    task_default_queue=DEFAULT_QUEUE,
    task_queues=tuple(cast(Any, Queue)(name) for name in (DEFAULT_QUEUE, ROUTING_QUEUE)),
    task_routes={name: {"queue": ROUTING_QUEUE} for name in ROUTING_TASKS},
    timezone="Asia/Seoul",
    enable_utc=True,
    task_ignore_result=True,
    worker_hijack_root_logger=False,
)
jobs.app_install(app)  # contexts send tasks through minwon.core.jobs, never importing config
