"""Writes of the notifications context (one module per concern, re-exported here)."""

from minwon.notifications.services.admin import (
    channel_preference_update,
    in_app_notice_mark_read,
    notification_template_update,
    notification_templates_seed,
)
from minwon.notifications.services.dispatch import (
    DispatchReport,
    notification_deliver,
    notifications_dispatch,
)
from minwon.notifications.services.notices import complaint_notices_enqueue
from minwon.notifications.services.outbox import notification_enqueue
from minwon.notifications.services.protection import (
    panic_alerts_enqueue,
    protection_alerts_enqueue,
)
from minwon.notifications.services.sweeps import (
    DeadlineRow,
    DigestRow,
    SqlSource,
    SweepReport,
    daily_digest_enqueue,
    deadline_warning_sweep,
    registration_alarm_sweep,
)

__all__ = [
    "DeadlineRow",
    "DigestRow",
    "DispatchReport",
    "SqlSource",
    "SweepReport",
    "channel_preference_update",
    "complaint_notices_enqueue",
    "daily_digest_enqueue",
    "deadline_warning_sweep",
    "in_app_notice_mark_read",
    "notification_deliver",
    "notification_enqueue",
    "notification_template_update",
    "notification_templates_seed",
    "notifications_dispatch",
    "panic_alerts_enqueue",
    "protection_alerts_enqueue",
    "registration_alarm_sweep",
]
