"""After a commit that wrote notifications, say there is work.

A lost wake-up loses nothing: the periodic dispatch of the one schedule (config/schedule.py, run
by Celery beat or the in-process runner) finds every due row in the database. So failures here
are logged, never raised.
"""

from __future__ import annotations

from django.conf import settings

from minwon.core import jobs

DELIVER_TASK = "notifications.deliver"
DISPATCH_TASK = "notifications.dispatch"


def wake(notification_ids: list[int]) -> None:
    runner = settings.BACKGROUND_RUNNER
    if runner == "thread":
        jobs.wake()  # the in-process runner runs its on_wake entries (bridge, dispatch) now
    elif runner == "celery":
        # Through the app the wiring handed to core.jobs; a broker that is down is logged there
        # and the periodic dispatch re-drives the rows.
        if not notification_ids:  # many rows (a sweep): one batch dispatch
            jobs.send(DISPATCH_TASK)
        for notification_id in notification_ids:
            jobs.send(DELIVER_TASK, notification_id=notification_id)
