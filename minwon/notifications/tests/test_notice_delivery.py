"""The 반려 notice (영 제25조①) reaches the citizen, and a delivered legal notice is recorded on
the complaint's history (`ComplaintEvent.notice_delivered_at`), once."""

from __future__ import annotations

from typing import Any

import time_machine

from minwon.accounts.models import OrgUnit, User
from minwon.complaints.domain import IntakeChannel, NoticeKind
from minwon.complaints.models import Complaint, ComplaintEvent
from minwon.complaints.services import (
    ApplicantInput,
    FilingInput,
    complaint_assign,
    complaint_file,
    complaint_notices_mark_delivered,
    complaint_return,
    complaint_supplement_request,
)
from minwon.core.models import AuditEvent
from minwon.lawclock.kinds import ComplaintKind
from minwon.notifications.domain import DeliveryChannel, DeliveryStatus, Event
from minwon.notifications.models import Delivery, InAppNotice, Notification
from minwon.notifications.selectors import complaint_notice_source
from minwon.notifications.services import complaint_notices_enqueue, notifications_dispatch
from minwon.notifications.services.notices import notice_event_id
from minwon.notifications.tests.servers import REJECT_400
from tests.factories import seoul


def returned_complaint(citizen: User, officer: User, unit: OrgUnit) -> Complaint:
    """A citizen's complaint, two supplement requests unanswered, then returned."""
    with time_machine.travel(seoul(2026, 3, 9, 10, 0), tick=False):
        complaint = complaint_file(
            data=FilingInput(
                kind=ComplaintKind.GRIEVANCE,
                title="보도블록 파손",
                body="내용",
                channel=IntakeChannel.WEB,
                applicant=ApplicantInput(name="홍길동", address="파주시 시청로 50"),
                org_unit=unit,
            ),
            citizen=citizen,
            register_now=True,
        )
        complaint = complaint_assign(complaint=complaint, actor=officer, assignee=officer)
    with time_machine.travel(seoul(2026, 3, 11, 10, 0), tick=False):
        complaint = complaint_supplement_request(
            complaint=complaint,
            actor=officer,
            items=["사진"],
            days=5,
            late_reason="현장 확인에서 누락 발견",  # past 8 working hours (규칙 제9조①)
        )
    with time_machine.travel(seoul(2026, 3, 17, 9, 0), tick=False):
        complaint = complaint_supplement_request(
            complaint=complaint, actor=officer, items=["사진"], days=5
        )
    with time_machine.travel(seoul(2026, 3, 30, 9, 0), tick=False):
        return complaint_return(complaint=complaint, actor=officer, reason="보완 서류 미제출")


def test_a_returned_complaint_notifies_the_citizen_with_the_reason(
    citizen: User, road_officer: User, road_unit: OrgUnit
) -> None:
    complaint = returned_complaint(citizen, road_officer, road_unit)
    with time_machine.travel(seoul(2026, 3, 30, 10, 0), tick=False):
        complaint_notices_enqueue(events=complaint_notice_source())
        returned = Notification.objects.get(event=Event.COMPLAINT_RETURNED.value)
        assert returned.complaint_id == complaint.pk
        assert returned.recipient_id == citizen.pk
        assert returned.context["reason"] == "보완 서류 미제출"
        assert returned.context["officer_name"] == road_officer.name
        source = ComplaintEvent.objects.get(complaint=complaint, notice=NoticeKind.RETURN.value)
        assert notice_event_id(returned.idempotency_key) == source.pk
        notifications_dispatch(transports={})
    notice = InAppNotice.objects.get(user=citizen, event=Event.COMPLAINT_RETURNED.value)
    assert complaint.receipt_number and complaint.receipt_number in notice.title
    assert "반려" in notice.title
    assert "보완 서류 미제출" in notice.body and "제25조" in notice.body


def test_an_english_speaker_gets_the_english_return_notice(
    citizen: User, road_officer: User, road_unit: OrgUnit
) -> None:
    citizen.preferred_language = "en"
    citizen.save(update_fields=["preferred_language"])
    returned_complaint(citizen, road_officer, road_unit)
    complaint_notices_enqueue(events=complaint_notice_source())
    notifications_dispatch(transports={})
    notice = InAppNotice.objects.get(user=citizen, event=Event.COMPLAINT_RETURNED.value)
    assert notice.title.startswith("[") and "returned" in notice.title


def test_delivering_a_notice_records_the_time_on_the_complaint_history_once(
    citizen: User, road_officer: User, road_unit: OrgUnit
) -> None:
    complaint = returned_complaint(citizen, road_officer, road_unit)
    with time_machine.travel(seoul(2026, 3, 30, 10, 0), tick=False):
        complaint_notices_enqueue(events=complaint_notice_source())
    notice_events = ComplaintEvent.objects.filter(complaint=complaint).exclude(notice="")
    assert notice_events.count() == 4  # receipt, two supplement requests, return
    assert not notice_events.filter(notice_delivered_at__isnull=False).exists()
    first = seoul(2026, 3, 30, 11, 0)
    notifications_dispatch(transports={}, now=first)  # in-app only
    assert set(notice_events.values_list("notice_delivered_at", flat=True)) == {first}
    marked = AuditEvent.objects.filter(action="complaint.notice_delivered")
    assert marked.count() == 4
    # Idempotent: a later delivery of the same notices keeps the first time, audits nothing.
    ids = list(notice_events.values_list("pk", flat=True))
    assert complaint_notices_mark_delivered(event_ids=ids, at=seoul(2026, 4, 1, 9, 0)) == 0
    assert set(notice_events.values_list("notice_delivered_at", flat=True)) == {first}
    assert marked.count() == 4
    # The delivered notices leave the bridge's source; nothing is enqueued twice.
    assert complaint_notices_enqueue(events=complaint_notice_source()) == 0


def test_history_rows_without_a_notice_are_never_marked(
    citizen: User, road_officer: User, road_unit: OrgUnit
) -> None:
    complaint = returned_complaint(citizen, road_officer, road_unit)
    plain = ComplaintEvent.objects.filter(complaint=complaint, notice="")
    assert (
        complaint_notices_mark_delivered(
            event_ids=plain.values_list("pk", flat=True), at=seoul(2026, 3, 30, 11, 0)
        )
        == 0
    )
    assert not plain.filter(notice_delivered_at__isnull=False).exists()


def test_a_notice_that_failed_everywhere_is_not_marked_delivered(
    road_officer: User, road_unit: OrgUnit, transports: dict[DeliveryChannel, Any]
) -> None:
    with time_machine.travel(seoul(2026, 3, 9, 10, 0), tick=False):
        complaint = complaint_file(
            data=FilingInput(
                kind=ComplaintKind.OTHER,
                title="가로등 고장",
                body="내용",
                channel=IntakeChannel.PHONE,
                applicant=ApplicantInput(name="김철수", address="파주시", phone=REJECT_400),
                org_unit=road_unit,
            ),
            filed_by=road_officer,
        )
        complaint_notices_enqueue(events=complaint_notice_source())
        notifications_dispatch(transports=transports)
    receipt = ComplaintEvent.objects.get(complaint=complaint, notice=NoticeKind.RECEIPT.value)
    statuses = set(Delivery.objects.values_list("status", flat=True))
    assert statuses == {DeliveryStatus.FAILED.value}
    assert receipt.notice_delivered_at is None
