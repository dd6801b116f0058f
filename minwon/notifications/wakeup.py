"""After a commit that wrote notifications, tell the background runner there is work.

A lost wake-up loses nothing: the periodic dispatch (config/celery.py, or the runner thread's
timer) finds every due row in the database. So failures here are logged, never raised.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings

logger = logging.getLogger(__name__)

# Set by `wake` in "thread" mode; the runner thread (runner.py) waits on it between timer ticks.
work_available = threading.Event()

DELIVER_TASK = "notifications.deliver"
DISPATCH_TASK = "notifications.dispatch"


def wake(notification_ids: list[int]) -> None:
    runner = settings.BACKGROUND_RUNNER
    if runner == "thread":
        work_available.set()
    elif runner == "celery":
        try:
            from config.celery import app

            if not notification_ids:  # many rows (a sweep): one batch dispatch
                app.send_task(DISPATCH_TASK)
            for notification_id in notification_ids:
                app.send_task(DELIVER_TASK, kwargs={"notification_id": notification_id})
        except Exception:  # the broker is down: the periodic dispatch re-drives the rows
            logger.warning("notifications: broker unavailable, rows wait for the sweep")
