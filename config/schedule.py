"""THE periodic schedule, declared once (times are Asia/Seoul).

Celery beat (`minwon scheduler`, config/celery.py) and the embedded default's in-process runner
(`minwon.core.runner`, `minwon demo`) both read it from `settings.BACKGROUND_SCHEDULE`. Each
context declares its jobs in its `jobs.py` (`minwon.core.jobs.task`, `periodic=True` for the
ones listed here); this table says when they run. tests/test_schedule.py checks that every
periodic job is here and that beat's schedule is this one. Entries run in this order in the
in-process runner: notices become notifications before the dispatch sends them.
"""

from __future__ import annotations

from celery.schedules import crontab
from celery.schedules import schedule as every

from minwon.core.jobs import Periodic, Schedule

# Every context with background work; Celery imports these (CELERY_IMPORTS) and so does the runner.
JOB_MODULES = (
    "minwon.notifications.jobs",
    "minwon.complaints.jobs",
    "minwon.webhooks.jobs",
    "minwon.exchange.jobs",
    "minwon.identity.jobs",
    "minwon.core.maintenance",  # core's own periodic jobs (core/jobs.py is the framework)
    "minwon.routing.jobs",
    "minwon.portal.jobs",
)


def background_schedule(*, sweep_seconds: float) -> Schedule:
    """`sweep_seconds`: NOTIFICATIONS_SWEEP_SECONDS, between re-drives of the outboxes."""
    sweep = every(sweep_seconds)
    return Schedule(
        job_modules=JOB_MODULES,
        entries=(
            # Every minute, before the dispatch has much to do: notices the complaints history
            # recorded (접수, 이송, 보완요구, 연장, 중간통지, 처리결과) become notifications.
            Periodic(
                "notifications-complaint-notices",
                "notifications.complaint_notices",
                sweep,
                on_wake=True,
            ),
            # Every 10 minutes: 50 % / 80 % deadline warnings, overdue notices, escalation to heads.
            Periodic(
                "notifications-deadline-sweep",
                "notifications.deadline_sweep",
                crontab(minute="*/10"),
            ),
            # Every 10 minutes, on working hours' scale: online arrivals not registered (영 제6조⑧).
            Periodic(
                "notifications-registration-alarm",
                "notifications.registration_alarm_sweep",
                crontab(minute="5-59/10"),
            ),
            # Hourly: 중간통지 (영 제23조) for complaints whose 30 days have run; the bridge above
            # turns the recorded notices into notifications.
            Periodic(
                "complaints-progress-notices",
                "complaints.progress_notices",
                crontab(minute=15),
            ),
            # 08:30 on weekdays: each org unit's digest, before the working day starts.
            Periodic(
                "notifications-daily-digest",
                "notifications.daily_digest",
                crontab(hour=8, minute=30, day_of_week="mon-fri"),
            ),
            # Every minute: send whatever is due: new rows whose wake-up message was lost, retries
            # whose backoff ended, SMS/알림톡 held for quiet hours (21:00-08:00), rows of a worker
            # that died.
            Periodic("notifications-dispatch", "notifications.dispatch", sweep, on_wake=True),
            # Every minute: complaint history → webhook deliveries, and send those due (retries).
            Periodic("webhooks-dispatch", "webhooks.dispatch", sweep, on_wake=True),
            # Every 5 minutes: poll 국민신문고 / 정부24 and report status back (no-op unconfigured).
            Periodic("exchange-sync", "exchange.sync", crontab(minute="*/5")),
            # Every minute: mobile-ID result screens past their display time are erased, records
            # past their purpose's retention deleted (minwon.identity).
            Periodic("identity-retention-sweep", "identity.retention_sweep", every(60.0)),
            # Every minute, and at once after a holiday change in the in-process runner: re-compute
            # open deadlines when the catalog recorded a calendar change (catalog.CalendarChange;
            # a lease keeps it to one run at a time).
            Periodic(
                "complaints-deadlines-recompute",
                "complaints.deadlines_recompute",
                sweep,
                on_wake=True,
            ),
            # Every minute, and at once after a filing in the in-process runner: routing reads
            # the new complaints (suggestions, duplicates, campaigns, repeats) and the transfers
            # and answers after its cursor (issue 15); intake only asks, after its commit.
            Periodic(
                "complaints-routing-read",
                "complaints.routing_read",
                sweep,
                on_wake=True,
            ),
            # Every minute, and at once after a citizen's text was recorded in the in-process
            # runner: protection screens the complaints, supplements, objections and messages
            # after its cursor (issue 16), then the alerts of what it flagged go out (the head;
            # the security desk for a threat). Intake only asks, after its commit.
            Periodic(
                "complaints-protection-screen",
                "complaints.protection_screen",
                sweep,
                on_wake=True,
            ),
            Periodic(
                "notifications-protection-alerts",
                "notifications.protection_alerts",
                sweep,
                on_wake=True,
            ),
            # Nightly, 03:10-03:30: retention (issue 14 item 11). Stored Idempotency-Key answers
            # past IDEMPOTENCY_RETENTION_HOURS, finished notification deliveries past
            # NOTIFICATIONS_LOG_RETENTION_DAYS, finished webhook deliveries past
            # WEBHOOKS_LOG_RETENTION_DAYS. (Staged filing uploads: portal-staging-sweep below.)
            Periodic(
                "core-idempotency-purge", "core.idempotency_purge", crontab(hour=3, minute=10)
            ),
            # Failed tries the throttles counted, once past every throttle's window.
            Periodic("core-throttle-purge", "core.throttle_purge", crontab(hour=3, minute=15)),
            Periodic(
                "notifications-delivery-log-purge",
                "notifications.delivery_log_purge",
                crontab(hour=3, minute=20),
            ),
            Periodic(
                "webhooks-delivery-log-purge",
                "webhooks.delivery_log_purge",
                crontab(hour=3, minute=30),
            ),
            # Every 10 minutes: files staged on the portal's filing form and never sent, past
            # STAGING_MAX_AGE_SECONDS, are removed (issue 13 item 8).
            Periodic("portal-staging-sweep", "portal.staging_sweep", crontab(minute="*/10")),
            # 02:30 nightly: retrain routing's department and kind models on the confirmed
            # routings of the day (skipped when the history has not grown; previous kept).
            Periodic("routing-retrain", "routing.retrain", crontab(hour=2, minute=30)),
        ),
    )
