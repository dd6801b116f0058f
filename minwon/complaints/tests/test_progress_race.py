"""Two runner threads sweeping 중간통지 (영 제23조) at the same moment record each notice once.

Real threads, each with its own PostgreSQL connection, and committed data (a transactional test).
SQLite serialises every writer on one file lock, so the race cannot happen there."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.db import connection

from minwon.accounts.models import User
from minwon.complaints import services as s
from minwon.complaints.domain import progress_notices_due
from minwon.complaints.models import ComplaintEvent
from minwon.lawclock.kinds import ComplaintKind
from tests.factories import TravellingClock, complaint_filed

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs concurrent writers on separate connections (PostgreSQL row locks); "
        "SQLite has one writer at a time",
    ),
]


def test_two_sweeps_at_once_record_each_progress_notice_once(
    counter_officer: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = TravellingClock()
    try:
        clock.at(2026, 3, 9, 10)
        complaint = complaint_filed(ComplaintKind.SUGGESTION, filed_by=counter_officer)
        clock.at(2026, 4, 8, 9)  # 30 days after registration: the first 중간통지 is due

        # Both sweeps look at the complaint before either records anything: the interleaving
        # that let both record the same notice.
        barrier = threading.Barrier(2, timeout=60)
        looked = threading.local()

        def both_look_first(*, registered_on: date, today: date, recorded: int) -> int:
            if not getattr(looked, "once", False):
                looked.once = True
                barrier.wait()
            return progress_notices_due(registered_on=registered_on, today=today, recorded=recorded)

        monkeypatch.setattr(
            "minwon.complaints.services.workflow.progress_notices_due", both_look_first
        )
        recorded: list[int] = []
        errors: list[BaseException] = []

        def sweep() -> None:
            try:
                recorded.append(s.complaint_progress_notices_sweep())
            except BaseException as exc:
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=sweep) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        clock.stop()

    assert errors == []
    complaint.refresh_from_db()
    assert complaint.progress_notices == 1
    assert ComplaintEvent.objects.filter(complaint=complaint, notice="progress").count() == 1
    assert sorted(recorded) == [0, 1]
