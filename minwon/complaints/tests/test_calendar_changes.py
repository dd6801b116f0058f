"""A holiday change is a durable row; the scheduled job re-computes open deadlines once for the
waiting changes, under a lease, so two workers never run it twice (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from minwon.accounts.models import User
from minwon.catalog.models import CalendarChange
from minwon.catalog.services import (
    RECOMPUTE_LEASE_SECONDS,
    calendar_changes_claim,
    calendar_changes_finish,
    calendar_changes_progress,
    holiday_declare,
    holiday_remove,
)
from minwon.complaints import services as s
from minwon.complaints.jobs import complaint_deadlines_recompute_job
from minwon.complaints.models import Complaint
from minwon.core.errors import Conflict
from minwon.core.models import AuditEvent
from minwon.lawclock.kinds import ComplaintKind
from tests.factories import TravellingClock, seoul

File = Callable[..., Complaint]
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks across connections: PostgreSQL"
)


def _recomputes() -> int:
    return AuditEvent.objects.filter(action="complaint.deadlines_recomputed").count()


@pytest.mark.django_db
def test_a_failed_holiday_change_leaves_no_row() -> None:
    holiday_declare(actor=None, day=date(2026, 3, 11), name="임시공휴일")
    with pytest.raises(Conflict):
        holiday_declare(actor=None, day=date(2026, 3, 11), name="again")
    assert CalendarChange.objects.count() == 1


@pytest.mark.django_db
def test_one_run_covers_every_waiting_change_and_a_later_one_waits(
    clock: TravellingClock, file: File, counter_officer: User
) -> None:
    clock.at(2026, 3, 9, 10, 0)
    complaint = file(ComplaintKind.GRIEVANCE, filed_by=counter_officer)
    first = holiday_declare(actor=None, day=date(2026, 3, 11), name="one")
    holiday_declare(actor=None, day=date(2026, 3, 12), name="two")
    claim = calendar_changes_claim()
    assert claim is not None and len(claim.change_ids) == 2
    assert calendar_changes_claim() is None  # the run's lease is live: one run at a time
    result = s.complaint_deadlines_recompute()  # read the calendar with both holidays
    holiday_remove(actor=None, override_id=first.pk)  # written while the run goes on
    calendar_changes_finish(
        claim=claim, scanned=result.scanned, changed=result.changed, failed=result.failed
    )
    statuses = list(CalendarChange.objects.values_list("status", flat=True))
    assert statuses == ["done", "done", "pending"]
    assert complaint_deadlines_recompute_job() == 1  # the later change: 3/11 is a day again
    complaint.refresh_from_db()
    # 7일 from 3/9 skipping 3/12: 9, 10, 11, 13, 16, 17, 18 → 3/18 18:00.
    assert complaint.due_at == seoul(2026, 3, 18, 18, 0)
    assert set(CalendarChange.objects.values_list("status", flat=True)) == {"done"}
    assert _recomputes() == 2


@pytest.mark.django_db
def test_a_dead_runs_lease_runs_out_and_its_token_stops_counting(clock: TravellingClock) -> None:
    clock.at(2026, 3, 9, 10, 0)
    holiday_declare(actor=None, day=date(2026, 3, 11), name="one")
    dead = calendar_changes_claim()
    assert dead is not None and calendar_changes_progress(claim=dead, scanned=10, total=50)
    lease_minutes = RECOMPUTE_LEASE_SECONDS // 60
    clock.at(2026, 3, 9, 10, lease_minutes - 1)
    assert calendar_changes_claim() is None
    clock.at(2026, 3, 9, 10, lease_minutes + 1)
    again = calendar_changes_claim()
    assert again is not None and again.change_ids == dead.change_ids
    change = CalendarChange.objects.get()
    assert (change.attempts, change.scanned, change.total) == (2, 0, 0)
    assert not calendar_changes_progress(claim=dead, scanned=5)  # the dead run's token is void
    assert calendar_changes_finish(claim=dead, scanned=1, changed=1, failed=0) == 0
    assert calendar_changes_finish(claim=again, scanned=0, changed=0, failed=0) == 1


@pytest.mark.django_db
def test_a_run_that_fails_puts_the_changes_back(monkeypatch: pytest.MonkeyPatch) -> None:
    from minwon.complaints.services import calendar_changes

    holiday_declare(actor=None, day=date(2026, 3, 11), name="one")

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(calendar_changes, "complaint_deadlines_recompute", broken)
    with pytest.raises(RuntimeError):
        complaint_deadlines_recompute_job()
    change = CalendarChange.objects.get()
    assert (change.status, change.error) == ("pending", "RuntimeError('disk full')")
    monkeypatch.undo()
    assert complaint_deadlines_recompute_job() == 0
    change.refresh_from_db()
    assert (change.status, change.error, change.attempts) == ("done", "", 2)


@pytest.mark.django_db
def test_progress_on_the_calendar_api_and_the_cli(
    clock: TravellingClock, file: File, counter_officer: User, client: Any
) -> None:
    clock.at(2026, 3, 9, 10, 0)
    for _ in range(3):
        file(ComplaintKind.GRIEVANCE, filed_by=counter_officer)
    assert client.get("/api/v1/catalog/calendar").json()["recompute"] is None
    holiday_declare(actor=None, day=date(2026, 3, 11), name="임시공휴일")
    body = client.get("/api/v1/catalog/calendar").json()
    assert body["recompute_waiting"] == 1
    assert body["recompute"]["status"] == "pending"
    s.complaint_deadlines_catch_up(batch_size=2)
    body = client.get("/api/v1/catalog/calendar").json()
    assert body["recompute_waiting"] == 0
    assert {k: body["recompute"][k] for k in ("status", "total", "scanned", "changed")} == {
        "status": "done",
        "total": 3,
        "scanned": 3,
        "changed": 3,
    }
    out = StringIO()
    call_command("deadlines_status", stdout=out)
    assert out.getvalue().splitlines() == [
        "extra holiday 2026-03-11 임시공휴일: done, 3 of 3 open complaints scanned, "
        "3 deadlines changed, 0 failed (attempt 1)",
        "0 change(s) waiting",
    ]


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_worker_holding_the_oldest_change_keeps_the_others_out() -> None:
    holiday_declare(actor=None, day=date(2026, 3, 11), name="one")
    holiday_declare(actor=None, day=date(2026, 3, 12), name="two")
    oldest = CalendarChange.objects.order_by("id").first()
    assert oldest is not None
    locked, release = threading.Event(), threading.Event()

    def other_worker() -> None:  # mid-claim: the oldest row locked, not yet committed
        try:
            with transaction.atomic():
                list(CalendarChange.objects.select_for_update().filter(pk=oldest.pk))
                locked.set()
                release.wait(timeout=60)
        finally:
            connection.close()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert locked.wait(timeout=60)
        # The newer row is free, but taking it alone would run a second recompute at once.
        assert calendar_changes_claim() is None
    finally:
        release.set()
        thread.join(timeout=60)
    claim = calendar_changes_claim()
    assert claim is not None and len(claim.change_ids) == 2


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_workers_running_the_job_at_once_recompute_once(
    file: File, counter_officer: User
) -> None:
    for _ in range(5):
        file(ComplaintKind.GRIEVANCE, filed_by=counter_officer)
    holiday_declare(actor=None, day=date(2026, 3, 11), name="임시공휴일")
    start = threading.Barrier(2)
    results: list[int | BaseException] = []

    def worker() -> None:
        try:
            start.wait(timeout=60)
            results.append(complaint_deadlines_recompute_job())
        except BaseException as exc:  # reported below
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert len(results) == 2 and not [r for r in results if isinstance(r, BaseException)]
    assert _recomputes() == 1
    assert CalendarChange.objects.get().status == "done"
