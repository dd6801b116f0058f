"""A declared holiday moves the deadlines of open complaints, and only theirs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from minwon.accounts.models import User
from minwon.catalog.models import CalendarChange
from minwon.catalog.services import holiday_declare
from minwon.complaints import services as s
from minwon.complaints.domain import IntakeChannel, Outcome
from minwon.complaints.jobs import complaint_deadlines_recompute_job
from minwon.complaints.models import Complaint
from minwon.core.models import AuditEvent
from minwon.lawclock.kinds import ComplaintKind
from tests.factories import TravellingClock, seoul

pytestmark = pytest.mark.django_db
File = Callable[..., Complaint]


def test_holiday_declared_moves_open_deadlines(
    clock: TravellingClock,
    file: File,
    counter_officer: User,
    django_capture_on_commit_callbacks: object,
) -> None:
    clock.at(2026, 3, 9, 10, 0)
    open_ = [file(ComplaintKind.GRIEVANCE, filed_by=counter_officer) for _ in range(7)]
    extended = s.complaint_extend(
        complaint=file(ComplaintKind.GRIEVANCE, filed_by=counter_officer),
        actor=None,
        period="7d",
        reason="cooperation",
    )
    arriving = file(
        ComplaintKind.SUGGESTION, channel=IntakeChannel.WEB, status_password="password-1"
    )
    answered = s.complaint_answer(
        complaint=file(ComplaintKind.GRIEVANCE, filed_by=counter_officer),
        actor=None,
        outcome=Outcome.GRANTED,
        answer="done",
    )
    before_answered = answered.due_at
    assert extended.due_at == seoul(2026, 3, 26, 18, 0)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        holiday_declare(actor=None, day=date(2026, 3, 11), name="임시공휴일")
    # The request only recorded the change: nothing is re-computed in it.
    open_[0].refresh_from_db()
    assert open_[0].due_at == seoul(2026, 3, 17, 18, 0)
    assert not AuditEvent.objects.filter(action="complaint.deadlines_recomputed").exists()
    change = CalendarChange.objects.get()
    assert (change.status, change.reason) == ("pending", "extra holiday 2026-03-11 임시공휴일")
    # The scheduled job does it.
    assert complaint_deadlines_recompute_job() == 8
    change.refresh_from_db()
    assert (change.status, change.total, change.scanned, change.changed) == ("done", 9, 9, 8)
    assert complaint_deadlines_recompute_job() == 0  # nothing waits: the next run does nothing
    # 7일 from 3/9 skipping 3/11: 3/9, 10, 12, 13, 16, 17, 18 → Wed 3/18 18:00.
    for complaint in open_:
        complaint.refresh_from_db()
        assert complaint.due_at == seoul(2026, 3, 18, 18, 0)
        assert "+" in complaint.calendar_version
    # base 3/18, extension from 3/19: 19, 20, 23, 24, 25, 26, 27 → Fri 3/27 18:00.
    extended.refresh_from_db()
    assert extended.due_at == seoul(2026, 3, 27, 18, 0)
    # registration: 8 working hours from Mon 10:00 → Mon 10–12, 13–18 (7h), (3/11 is a holiday
    # but Tue 3/10 is not) → Tue 3/10 10:00, unchanged.
    arriving.refresh_from_db()
    assert arriving.due_at == seoul(2026, 3, 10, 10, 0)
    answered.refresh_from_db()
    assert answered.due_at == before_answered  # closed complaints keep their record
    assert AuditEvent.objects.filter(action="complaint.deadlines_recomputed").count() == 1


def test_recompute_in_small_batches_reports_progress(
    clock: TravellingClock, file: File, counter_officer: User
) -> None:
    clock.at(2026, 3, 9, 10, 0)
    for _ in range(5):
        file(ComplaintKind.GRIEVANCE, filed_by=counter_officer)
    seen: list[int] = []
    result = s.complaint_deadlines_recompute(batch_size=2, progress=seen.append)
    assert (result.scanned, result.changed, seen) == (5, 0, [2, 2, 1])
    Complaint.objects.update(due_at=seoul(2030, 1, 1, 0, 0))
    assert s.complaint_deadlines_recompute(batch_size=2).changed == 5
    assert set(Complaint.objects.values_list("due_at", flat=True)) == {seoul(2026, 3, 17, 18, 0)}


def test_management_command(clock: TravellingClock, file: File, counter_officer: User) -> None:
    clock.at(2026, 3, 9, 10, 0)
    file(ComplaintKind.GRIEVANCE, filed_by=counter_officer)
    out = StringIO()
    call_command("deadlines_recompute", "--no-progress", stdout=out)
    assert out.getvalue().startswith("1 open complaints, 0 deadlines changed")
