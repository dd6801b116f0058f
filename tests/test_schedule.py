"""Every periodic job in the one schedule exists, and each job runs on an empty database."""

from __future__ import annotations

import pytest

from config.celery import app


def test_every_scheduled_task_is_registered() -> None:
    app.loader.import_default_modules()
    app.autodiscover_tasks(
        [
            "minwon.notifications",
            "minwon.complaints",
            "minwon.webhooks",
            "minwon.exchange",
            "minwon.identity",
        ],
        related_name="jobs",
        force=True,
    )
    missing = [
        entry["task"] for entry in app.conf.beat_schedule.values() if entry["task"] not in app.tasks
    ]
    assert not missing


@pytest.mark.django_db
def test_jobs_run_on_an_empty_database(settings) -> None:
    from minwon.complaints.jobs import complaint_progress_notices_job
    from minwon.exchange.jobs import exchange_sync_job
    from minwon.webhooks.jobs import webhook_dispatch_job

    settings.EXCHANGE_URLS = {"epeople": "", "gov24": ""}
    assert complaint_progress_notices_job() == 0
    assert webhook_dispatch_job() == 0
    assert exchange_sync_job() == {}
