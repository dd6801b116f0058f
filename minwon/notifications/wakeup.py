"""After a commit that wrote notifications, tell the background runner there is work.

A lost wake-up loses nothing: the periodic dispatch (config/celery.py, or the runner thread's
timer) finds every due row in the database. So failures here are logged, never raised.
"""

from __future__ import annotations

import threading

from django.conf import settings

from minwon.core import jobs

# Set by `wake` in "thread" mode; the runner thread (runner.py) waits on it between timer ticks.
work_available = threading.Event()

DELIVER_TASK = "notifications.deliver"
DISPATCH_TASK = "notifications.dispatch"


def wake(notification_ids: list[int]) -> None:
    runner = settings.BACKGROUND_RUNNER
    if runner == "thread":
        work_available.set()
    elif runner == "celery":
        # Through the app the wiring handed to core.jobs; a broker that is down is logged there
        # and the periodic dispatch re-drives the rows.
        if not notification_ids:  # many rows (a sweep): one batch dispatch
            jobs.send(DISPATCH_TASK)
        for notification_id in notification_ids:
            jobs.send(DELIVER_TASK, notification_id=notification_id)
