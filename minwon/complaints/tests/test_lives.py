"""Complete lives of complaints of every kind, with deadlines counted by hand (2026 calendar:
3/1 삼일절 is a Sunday, so 3/2 is a 대체공휴일; no other holiday until 5/1)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from minwon.accounts.models import OrgUnit, User
from minwon.catalog.domain import TypeData
from minwon.catalog.models import ComplaintType
from minwon.catalog.services import complaint_type_update
from minwon.complaints import services as s
from minwon.complaints.access import access_complaint_by_follow_number
from minwon.complaints.domain import ComplaintStatus, IntakeChannel, Outcome, TransferKind
from minwon.complaints.models import Applicant, Complaint, ComplaintEvent
from minwon.complaints.selectors import (
    applicant_masked,
    complaint_receipt,
    complaint_timeline,
    notice_pending_list,
)
from minwon.core.errors import ApplicationError, Conflict, NotFound, ValidationFailed
from minwon.core.models import AuditEvent
from minwon.lawclock.kinds import ComplaintKind
from tests.factories import TravellingClock, seoul

pytestmark = pytest.mark.django_db
File = Callable[..., Complaint]


def actions(complaint: Complaint) -> list[str]:
    return [entry.action for entry in complaint_timeline(complaint)]


def test_grievance_online_arrival_registration_assignment_answer(
    clock: TravellingClock,
    file: File,
    citizen: User,
    counter_officer: User,
    road_officer: User,
    road_unit: OrgUnit,
) -> None:
    # 고충민원 7일 arriving on the web on Friday 3/6 16:00.
    clock.at(2026, 3, 6, 16, 0)
    c = file(ComplaintKind.GRIEVANCE, channel=IntakeChannel.WEB, citizen=citizen)
    assert c.status == ComplaintStatus.RECEIVED
    assert c.receipt_number is None
    # 영 제6조⑧ 8 working hours: Fri 16–18 (2h), Mon 3/9 9–12 (5h), 13–16 (8h) → Mon 3/9 16:00.
    assert c.due_at == seoul(2026, 3, 9, 16, 0)
    assert c.deadline_legal_basis == "민원처리법 시행령 제6조 제8항"

    clock.at(2026, 3, 9, 10, 0)
    c = s.complaint_register(complaint=c, actor=counter_officer, org_unit=road_unit)
    assert c.status == ComplaintStatus.REGISTERED
    assert c.receipt_number == f"2026-{c.pk:07d}"
    # 7일 ≥ 6 → working days, first day counted: 3/9,10,11,12,13,16,17 → Tue 3/17 18:00.
    assert c.due_at == seoul(2026, 3, 17, 18, 0)
    assert (c.period, c.period_legal_basis) == ("7d", "민원처리법 시행령 제17조 제1항")
    assert (c.deadline_rule, c.deadline_legal_basis) == ("days", "민원처리법 제19조 제2항")
    assert c.calendar_version.startswith("kr-holidays-")
    assert c.rule_version

    c = s.complaint_assign(complaint=c, actor=counter_officer, assignee=road_officer)
    assert c.status == ComplaintStatus.IN_PROGRESS
    clock.at(2026, 3, 12, 15, 0)
    c = s.complaint_answer(
        complaint=c,
        actor=road_officer,
        outcome=Outcome.GRANTED,
        answer="현장 확인 후 보수했습니다.",
    )
    assert c.status == ComplaintStatus.ANSWERED
    assert c.clock == ""
    assert actions(c) == ["arrive", "register", "assign", "answer"]
    timeline = complaint_timeline(c)
    assert [(t.from_status, t.to_status) for t in timeline[1:]] == [
        ("received", "registered"),
        ("registered", "in_progress"),
        ("in_progress", "answered"),
    ]
    assert timeline[-1].details["on_time"] is True
    notices = [e.notice for e in notice_pending_list()]
    assert notices == ["receipt", "result"]


def test_counter_statutory_permit_in_hours_and_receipt(
    clock: TravellingClock,
    file: File,
    types: dict[str, ComplaintType],
    counter_officer: User,
) -> None:
    # 도로점용허가 5일 ≤ 5 → 40 working hours from Mon 3/9 15:00:
    # Mon 15–18 3h, Tue–Fri 32h (35h), Mon 3/16 9–12 (38h), 13–15 (40h) → Mon 3/16 15:00.
    clock.at(2026, 3, 9, 15, 0)
    c = file(ComplaintKind.STATUTORY, type_code="road-occupancy-permit", filed_by=counter_officer)
    assert c.status == ComplaintStatus.REGISTERED
    assert c.arrived_at == c.registered_at
    assert c.due_at == seoul(2026, 3, 16, 15, 0)
    assert c.deadline_legal_basis == "민원처리법 제19조 제1항"
    assert c.period_legal_basis == "민원처리법 제17조 (민원처리기준표)"
    assert c.org_unit is not None and c.org_unit.code == "road"
    receipt = complaint_receipt(c)
    assert receipt.receipt_number == c.receipt_number
    assert receipt.type_name == "도로점용허가"
    assert receipt.formal_receipt_required
    assert receipt.applicant_name == "홍*동"
    # the type is edited later: the complaint keeps the version it was registered under
    complaint_type_update(
        actor=None,
        complaint_type=types["road-occupancy-permit"],
        data=TypeData(code="x", name_ko="도로점용허가", processing_period="3일"),
    )
    c.refresh_from_db()
    assert c.type_version is not None and c.type_version.version == 1
    assert c.type_version.processing_period == "5d"


def test_other_complaint_by_phone_is_instant_and_answered_on_the_spot(
    clock: TravellingClock,
    file: File,
    types: dict[str, ComplaintType],
    counter_officer: User,
) -> None:
    clock.at(2026, 3, 9, 10, 0)
    c = file(
        ComplaintKind.OTHER,
        channel=IntakeChannel.PHONE,
        type_code="pothole",
        filed_by=counter_officer,
    )
    # 즉시 = 3 working hours (영 제19조): 10–12 (2h), 13–14 (3h) → Mon 14:00.
    assert c.due_at == seoul(2026, 3, 9, 14, 0)
    assert c.deadline_legal_basis == "민원처리법 시행령 제19조"
    assert not complaint_receipt(c).formal_receipt_required  # 영 제6조③
    c = s.complaint_answer(
        complaint=c,
        actor=counter_officer,
        outcome=Outcome.INFORMED,
        answer="도로관리과에 전달했습니다.",
    )
    assert c.status == ComplaintStatus.ANSWERED


def test_oral_suggestion_is_refused(file: File) -> None:
    with pytest.raises(ValidationFailed) as info:
        file(ComplaintKind.SUGGESTION, channel=IntakeChannel.ORAL)
    assert info.value.code == "complaint.oral_not_allowed"
    assert "제8조" in str(info.value.message)
    assert Complaint.objects.count() == 0


@pytest.mark.parametrize(
    ("kind", "due", "basis"),
    [
        # 질의(법령) 14일: 3/9–13 (5), 3/16–20 (10), 3/23–26 (14) → Thu 3/26 18:00
        (ComplaintKind.INQUIRY_LAW, (2026, 3, 26, 18, 0), "민원처리법 시행령 제14조 제1호"),
        # 질의(제도·절차) 7일: → Tue 3/17 18:00
        (ComplaintKind.INQUIRY_PROCEDURE, (2026, 3, 17, 18, 0), "민원처리법 시행령 제14조 제2호"),
        # 건의 14일 → Thu 3/26 18:00
        (ComplaintKind.SUGGESTION, (2026, 3, 26, 18, 0), "민원처리법 시행령 제15조"),
    ],
)
def test_periods_by_kind(
    clock: TravellingClock, file: File, kind: ComplaintKind, due: tuple[int, ...], basis: str
) -> None:
    clock.at(2026, 3, 9, 10, 0)
    c = file(kind, channel=IntakeChannel.POST)
    assert c.due_at == seoul(*due)
    assert c.period_legal_basis == basis


def test_anonymous_tip_has_no_deadline_and_is_followed_by_password(
    clock: TravellingClock, file: File
) -> None:
    clock.at(2026, 3, 9, 10, 0)
    with pytest.raises(ValidationFailed) as info:
        file(ComplaintKind.TIP, channel=IntakeChannel.WEB, applicant=None)
    assert info.value.code == "complaint.password_required"
    tip = file(
        ComplaintKind.TIP, channel=IntakeChannel.WEB, applicant=None, status_password="secret-123"
    )
    assert tip.status == ComplaintStatus.REGISTERED
    assert tip.due_at is None and tip.clock == ""
    assert not Applicant.objects.filter(complaint=tip).exists()
    assert access_complaint_by_follow_number(tip.follow_number or "", "secret-123") == tip
    with pytest.raises(NotFound):
        access_complaint_by_follow_number(tip.follow_number or "", "wrong-password")
    with pytest.raises(NotFound):
        access_complaint_by_follow_number("ZZZZ-ZZZZ-ZZZZ", "secret-123")
    with pytest.raises(NotFound):
        access_complaint_by_follow_number(tip.receipt_number or "", "secret-123")
    with pytest.raises(Conflict) as extend:
        s.complaint_extend(complaint=tip, actor=None, period="3d", reason="cooperation")
    assert extend.value.code == "complaint.no_deadline_to_extend"


def test_rrn_only_where_required_encrypted_and_masked(
    file: File,
    types: dict[str, ComplaintType],
    counter_officer: User,
) -> None:
    with pytest.raises(ValidationFailed) as info:
        file(ComplaintKind.STATUTORY, type_code="resident-card-new", filed_by=counter_officer)
    assert info.value.code == "complaint.rrn_required"
    with pytest.raises(ValidationFailed) as info:
        file(
            ComplaintKind.STATUTORY,
            type_code="road-occupancy-permit",
            applicant=s.ApplicantInput(
                name="홍길동", address="파주시 시청로 50", rrn="900101-1234567"
            ),
        )
    assert info.value.code == "complaint.rrn_not_allowed"
    with pytest.raises(ValidationFailed) as info:
        file(
            ComplaintKind.STATUTORY,
            type_code="resident-card-new",
            applicant=s.ApplicantInput(name="홍길동", address="파주시 시청로 50", rrn="12-34"),
        )
    assert info.value.code == "complaint.rrn_invalid"
    c = file(
        ComplaintKind.STATUTORY,
        type_code="resident-card-new",
        filed_by=counter_officer,
        applicant=s.ApplicantInput(
            name="홍길동",
            address="경기도 파주시 시청로 50 101동",
            phone="010-1234-5678",
            rrn="900101-1234567",
        ),
    )
    stored = Applicant.objects.get(complaint=c)
    assert "900101" not in stored.rrn_encrypted and "홍길동" not in stored.name_encrypted
    masked = applicant_masked(c)
    assert masked is not None
    assert (masked.name, masked.rrn, masked.phone) == ("홍*동", "900101-1******", "010-****-5678")
    assert masked.address == "경기도 파주시 시청로 **"
    dump = str(list(AuditEvent.objects.values_list("data", flat=True)))
    assert "1234567" not in dump and "홍길동" not in dump


def test_identity_is_required_for_a_complaint(file: File) -> None:
    with pytest.raises(ValidationFailed) as info:
        file(ComplaintKind.SUGGESTION, applicant=s.ApplicantInput(name="홍길동"))
    assert info.value.code == "complaint.address_required"
    with pytest.raises(ValidationFailed) as info:
        file(ComplaintKind.STATUTORY)
    assert info.value.code == "complaint.statutory_type_required"
    with pytest.raises(ValidationFailed) as info:
        file(ComplaintKind.SUGGESTION, title=" ")
    assert info.value.code == "complaint.title_required"


def test_external_import_keeps_channel_and_reference(clock: TravellingClock, file: File) -> None:
    clock.at(2026, 3, 9, 10, 0)
    c = file(
        ComplaintKind.SUGGESTION,
        channel=IntakeChannel.EPEOPLE,
        external_ref="1AA-2603-0012345",
        register_now=True,
    )
    assert (c.channel, c.external_ref, c.status) == ("epeople", "1AA-2603-0012345", "registered")
    with pytest.raises(ValidationFailed) as info:
        file(
            ComplaintKind.SUGGESTION,
            channel=IntakeChannel.POST,
            arrived_at=seoul(2026, 3, 10, 9, 0),
        )
    assert info.value.code == "complaint.arrival_in_future"


def test_transfers_inside_the_city_and_to_another_agency(
    clock: TravellingClock,
    file: File,
    counter_officer: User,
    civil_unit: OrgUnit,
    road_unit: OrgUnit,
) -> None:
    clock.at(2026, 3, 9, 10, 0)
    c = file(ComplaintKind.GRIEVANCE, filed_by=counter_officer, org_unit=civil_unit)
    due = c.due_at
    clock.at(2026, 3, 9, 10, 30)
    c = s.complaint_transfer(
        complaint=c,
        actor=counter_officer,
        kind=TransferKind.WITHIN_UNIT,
        to_org_unit=road_unit,
        reason="소관 부서",
    )
    assert (c.status, c.org_unit) == (ComplaintStatus.REGISTERED, road_unit)
    assert c.due_at == due  # the processing period keeps running from registration
    event = ComplaintEvent.objects.filter(complaint=c).last()
    assert event is not None
    # 영 제13조①: 1 working hour from 10:00 → 11:00; transferred 10:30 → on time.
    assert event.data["transfer_due_at"] == "2026-03-09T11:00:00+09:00"
    assert event.data["on_time"] is True
    clock.at(2026, 3, 10, 11, 0)
    with pytest.raises(ValidationFailed) as info:
        s.complaint_transfer(
            complaint=c, actor=counter_officer, kind=TransferKind.EXTERNAL, reason="타 기관 소관"
        )
    assert info.value.code == "complaint.agency_required"
    c = s.complaint_transfer(
        complaint=c,
        actor=counter_officer,
        kind=TransferKind.EXTERNAL,
        to_agency="경기도청",
        reason="도 소관 사무",
    )
    assert c.status == ComplaintStatus.TRANSFERRED
    last = ComplaintEvent.objects.filter(complaint=c).last()
    assert last is not None and last.notice == "transfer"
    # 영 제13조③: 8 working hours from registration at 10:00 (not from road's receipt): Mon
    # 10–12 (2h), 13–18 (5h), Tue 9–10 (1h) → Tue 10:00; sent Tue 11:00 → late.
    assert last.data["transfer_due_at"] == "2026-03-10T10:00:00+09:00"
    assert last.data["on_time"] is False
    with pytest.raises(Conflict) as refused:
        s.complaint_answer(complaint=c, actor=counter_officer, outcome=Outcome.GRANTED, answer="x")
    assert refused.value.code == "complaint.invalid_transition"


def test_withdrawn_complaint_cannot_be_answered_and_failure_changes_nothing(
    clock: TravellingClock,
    file: File,
    citizen: User,
    road_officer: User,
    road_unit: OrgUnit,
) -> None:
    clock.at(2026, 3, 9, 10, 0)
    c = file(
        ComplaintKind.SUGGESTION,
        channel=IntakeChannel.WEB,
        citizen=citizen,
        org_unit=road_unit,
        register_now=True,
    )
    c = s.complaint_withdraw(complaint=c, actor=citizen, reason="해결됨")
    assert c.status == ComplaintStatus.WITHDRAWN
    audit_count, events = AuditEvent.objects.count(), ComplaintEvent.objects.count()
    with pytest.raises(Conflict) as info:
        s.complaint_answer(complaint=c, actor=road_officer, outcome=Outcome.GRANTED, answer="x")
    assert info.value.code == "complaint.invalid_transition"
    assert info.value.params["status"] == "withdrawn"
    assert (AuditEvent.objects.count(), ComplaintEvent.objects.count()) == (audit_count, events)


def test_error_messages_are_translated(file: File) -> None:
    from django.utils import translation

    with pytest.raises(ApplicationError) as info:
        file(ComplaintKind.SUGGESTION, channel=IntakeChannel.PHONE)
    with translation.override("en"):
        assert "orally" in str(info.value.message)
