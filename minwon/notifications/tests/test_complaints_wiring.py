"""The sweeps and the notice bridge read the complaints context's real tables."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import time_machine

from minwon.accounts.models import OrgUnit, User
from minwon.catalog.domain import TypeData
from minwon.catalog.services import complaint_type_create
from minwon.complaints.domain import IntakeChannel
from minwon.complaints.services import (
    ApplicantInput,
    FilingInput,
    complaint_assign,
    complaint_file,
)
from minwon.lawclock.kinds import ComplaintKind
from minwon.notifications.domain import SEOUL
from minwon.notifications.models import Notification
from minwon.notifications.selectors import complaint_deadline_source, complaint_notice_source
from minwon.notifications.services import complaint_notices_enqueue, deadline_warning_sweep


def test_notices_and_deadlines_of_real_complaints_become_notifications(
    road_unit: OrgUnit, road_officer: User
) -> None:
    complaint_type_create(
        actor=None,
        data=TypeData(
            code="road-occupancy-permit",
            name_ko="도로점용허가",
            processing_period="5일",
            legal_basis="도로법 제61조",
            handling_unit_code="road",
        ),
    )
    start = datetime(2026, 3, 9, 10, 0, tzinfo=SEOUL)  # a Monday
    with time_machine.travel(start, tick=False):
        complaint = complaint_file(
            data=FilingInput(
                kind=ComplaintKind.STATUTORY,
                title="도로점용 신청",
                body="내용",
                channel=IntakeChannel.COUNTER,
                applicant=ApplicantInput(
                    name="홍길동", address="파주시", phone="010-1234-5678", email="hong@example.kr"
                ),
                complaint_type_code="road-occupancy-permit",
            ),
            citizen=None,
            filed_by=None,
            register_now=True,
        )
        complaint = complaint_assign(complaint=complaint, actor=None, assignee=road_officer)
        assert complaint_notices_enqueue(events=complaint_notice_source()) >= 1
        assert complaint_notices_enqueue(events=complaint_notice_source()) == 0  # once
    receipt = Notification.objects.get(event="complaint_registered")
    assert receipt.phone == "010-1234-5678"  # decrypted for sending, from the applicant
    assert receipt.context["title"] == "도로점용 신청"
    complaint.refresh_from_db()
    assert complaint.due_at is not None
    late = complaint.due_at + timedelta(hours=1)
    report = deadline_warning_sweep(source=complaint_deadline_source(), now=late)
    assert report.created == 1
    overdue = Notification.objects.get(event="deadline_overdue")
    assert overdue.recipient_id == road_officer.pk
    assert overdue.complaint_id == complaint.pk
    assert deadline_warning_sweep(source=complaint_deadline_source(), now=late).created == 0


def test_daily_digest_from_the_real_source(
    road_unit: OrgUnit, road_officer: User, make_officer: Any
) -> None:
    """The demo log showed "daily digest failed": the selector's rows were not the sweep's
    DigestRow and could not be unpacked. The real source must feed the real sweep."""
    from minwon.accounts.domain import Role
    from minwon.notifications.selectors import daily_digest_source
    from minwon.notifications.services import daily_digest_enqueue

    head = make_officer("roadhead", road_unit, Role.DEPARTMENT_HEAD)
    complaint_file(
        data=FilingInput(
            kind=ComplaintKind.GRIEVANCE,
            title="도로 파임",
            body="내용",
            channel=IntakeChannel.COUNTER,
            applicant=ApplicantInput(name="홍길동", address="파주시", phone="010-1234-5678"),
            org_unit=road_unit,
        ),
        citizen=None,
        filed_by=None,
        register_now=True,
    )
    day = datetime.now(SEOUL).date()
    report = daily_digest_enqueue(day=day, source=daily_digest_source())
    assert report.created == 1
    digest = Notification.objects.get(event="daily_digest")
    assert digest.recipient_id == head.pk
    assert digest.context["open_count"] == 1
    assert daily_digest_enqueue(day=day, source=daily_digest_source()).created == 0  # once a day
