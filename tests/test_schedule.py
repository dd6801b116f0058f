"""The one schedule: beat and the in-process runner read the same entries, every periodic job is
in it, the runner keeps beat's times, and each job runs on an empty database."""

from __future__ import annotations

import importlib
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from celery.schedules import crontab
from celery.schedules import schedule as every
from django.conf import settings

from config import celery_app
from minwon.core import jobs
from minwon.core.runner import Runner, runner_for

ROOT = Path(__file__).resolve().parents[1]
SEOUL = ZoneInfo("Asia/Seoul")


def _jobs_modules_on_disk() -> list[str]:
    # core/jobs.py is the job framework; core's own periodic jobs are in core/maintenance.py.
    return sorted(
        [
            ".".join(path.relative_to(ROOT).with_suffix("").parts)
            for path in (ROOT / "minwon").glob("*/jobs.py")
            if path.parent.name != "core"
        ]
        + ["minwon.core.maintenance"]
    )


def test_beat_reads_the_one_schedule() -> None:
    schedule = jobs.schedule_get()
    assert schedule is settings.BACKGROUND_SCHEDULE
    beat = celery_app.conf.beat_schedule
    assert beat == schedule.beat()
    for entry in schedule.entries:  # the very objects, not copies that could drift
        assert beat[entry.key]["schedule"] is entry.when
        assert beat[entry.key]["task"] == entry.task
    assert list(celery_app.conf.imports) == list(schedule.job_modules)


def test_the_in_process_runner_reads_the_same_schedule() -> None:
    runner = runner_for(jobs.schedule_get())  # what start_background_thread runs
    assert runner.schedule is settings.BACKGROUND_SCHEDULE
    beat = celery_app.conf.beat_schedule
    assert [beat[e.key]["schedule"] for e in runner.schedule.entries] == [
        e.when for e in runner.schedule.entries
    ]
    assert all(beat[e.key]["schedule"] is e.when for e in runner.schedule.entries)


def test_every_periodic_job_of_every_context_is_in_the_schedule() -> None:
    schedule = jobs.schedule_get()
    assert sorted(schedule.job_modules) == _jobs_modules_on_disk()
    for module in _jobs_modules_on_disk():
        importlib.import_module(module)
    declared = jobs.declared()
    periodic = {name for name, job in declared.items() if job.periodic}
    scheduled = [entry.task for entry in schedule.entries]
    assert periodic == set(scheduled)
    assert len({entry.key for entry in schedule.entries}) == len(schedule.entries)
    celery_app.loader.import_default_modules()
    assert not [name for name in scheduled if name not in celery_app.tasks]


class _Calls:
    def __init__(self) -> None:
        self.ran: list[str] = []

    def job(self, name: str) -> Any:
        return lambda: self.ran.append(name)


def _runner(calls: _Calls) -> Runner:
    schedule = jobs.Schedule(
        job_modules=(),
        entries=(
            jobs.Periodic("bridge", "t.bridge", every(60), on_wake=True),
            jobs.Periodic("broken", "t.broken", every(60), on_wake=True),
            jobs.Periodic("sweep", "t.sweep", crontab(minute="*/10")),
            jobs.Periodic("digest", "t.digest", crontab(hour=8, minute=30, day_of_week="mon-fri")),
        ),
    )

    def broken() -> None:
        raise RuntimeError("a failing job")

    functions = {
        "t.bridge": calls.job("bridge"),
        "t.broken": broken,
        "t.sweep": calls.job("sweep"),
        "t.digest": calls.job("digest"),
    }
    return Runner(schedule, functions=functions)


@pytest.mark.django_db
def test_the_runner_keeps_beats_times_and_runs_on_wake_entries_at_once() -> None:
    calls = _Calls()
    start = datetime(2026, 3, 9, 8, 21, 30, tzinfo=SEOUL)  # a Monday
    with time_machine.travel(start, tick=False) as traveller:
        runner = _runner(calls)
        ran, wait = runner.tick(woken=False)
        assert ran == [] and 0 < wait <= 60  # as beat: nothing runs at start
        ran, _ = runner.tick(woken=True)
        assert ran == ["bridge", "broken"] and calls.ran == ["bridge"]  # a failure is logged
        traveller.move_to(start + timedelta(seconds=30))
        assert runner.tick(woken=False)[0] == []
        traveller.move_to(start + timedelta(seconds=61))
        assert runner.tick(woken=False)[0] == ["bridge", "broken"]
        traveller.move_to(datetime(2026, 3, 9, 8, 30, 5, tzinfo=SEOUL))
        assert runner.tick(woken=False)[0] == ["bridge", "broken", "sweep", "digest"]
        assert runner.tick(woken=False)[0] == []  # each once
        traveller.move_to(datetime(2026, 3, 13, 8, 29, 0, tzinfo=SEOUL))  # Friday, before 08:30
        assert "digest" in runner.tick(woken=False)[0]  # beat runs a missed time once, at once
        traveller.move_to(datetime(2026, 3, 13, 8, 30, 5, tzinfo=SEOUL))
        assert "digest" in runner.tick(woken=False)[0]
        traveller.move_to(datetime(2026, 3, 14, 8, 30, 5, tzinfo=SEOUL))  # Saturday
        assert "digest" not in runner.tick(woken=False)[0]
        traveller.move_to(datetime(2026, 3, 16, 8, 29, 0, tzinfo=SEOUL))  # Monday, before 08:30
        assert "digest" not in runner.tick(woken=False)[0]  # in Seoul time, not UTC
        traveller.move_to(datetime(2026, 3, 16, 8, 30, 5, tzinfo=SEOUL))
        assert "digest" in runner.tick(woken=False)[0]


def test_a_schedule_naming_an_undeclared_job_is_refused() -> None:
    schedule = jobs.Schedule(job_modules=(), entries=(jobs.Periodic("x", "t.none", every(60)),))
    with pytest.raises(LookupError):
        Runner(schedule, functions={})


@pytest.mark.django_db
def test_jobs_run_on_an_empty_database(settings) -> None:
    from minwon.complaints.jobs import complaint_progress_notices_job
    from minwon.exchange.jobs import exchange_sync_job
    from minwon.webhooks.jobs import webhook_dispatch_job

    settings.EXCHANGE_URLS = {"epeople": "", "gov24": ""}
    assert complaint_progress_notices_job() == 0
    assert webhook_dispatch_job() == 0
    assert exchange_sync_job() == {}


def test_a_wake_up_runs_the_on_wake_entries_in_the_runner_thread(settings: Any) -> None:
    import threading

    from minwon.core.runner import loop

    settings.BACKGROUND_RUNNER = "thread"
    ran = threading.Event()
    schedule = jobs.Schedule(
        job_modules=(),
        entries=(
            jobs.Periodic("bridge", "t.bridge", every(3600), on_wake=True),
            jobs.Periodic("hourly", "t.hourly", every(3600)),
        ),
    )
    hourly: list[str] = []
    runner = Runner(
        schedule, functions={"t.bridge": ran.set, "t.hourly": lambda: hourly.append("x")}
    )
    stop = threading.Event()
    thread = threading.Thread(target=loop, args=(runner, stop), daemon=True)
    thread.start()
    try:
        jobs.wake()
        assert ran.wait(timeout=30), "the runner thread did not run the on_wake entry"
        assert hourly == []
    finally:
        stop.set()
        jobs.work_available.set()
        thread.join(timeout=30)
    assert not thread.is_alive()
