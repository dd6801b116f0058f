"""The lifecycle's legal safeguards (issue 12), one scenario per article: each test is named after
the article it enforces (`test_law23_…` = 법 제23조, `test_decree21_…` = 영 제21조,
`test_rule9_…` = 규칙 제9조)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client

from minwon.accounts.models import OrgUnit, User
from minwon.catalog.models import ComplaintType
from minwon.complaints import services as s
from minwon.complaints.domain import CommitteeDecision, ObjectionOutcome, Outcome, TransferKind
from minwon.complaints.models import Complaint, ComplaintEvent
from minwon.complaints.selectors import complaint_answer_history
from minwon.core.errors import Conflict, ValidationFailed
from minwon.core.models import AuditEvent
from minwon.lawclock.kinds import ComplaintKind
from tests.factories import TravellingClock, seoul

pytestmark = pytest.mark.django_db
File = Callable[..., Complaint]
WRITTEN = s.ConsentInput(method="written", given_at=seoul(2026, 3, 9, 9, 0))


def started(
    clock: TravellingClock,
    file: File,
    officer: User,
    kind: ComplaintKind = ComplaintKind.GRIEVANCE,
    **extra: object,
) -> Complaint:
    """Filed and assigned on Mon 2026-03-09 10:00 (a 고충민원: 7일 → Tue 3/17 18:00)."""
    clock.at(2026, 3, 9, 10, 0)
    c = file(kind, filed_by=officer, **extra)
    return s.complaint_assign(complaint=c, actor=officer, assignee=officer)


# --- 영 제21조①: an extension is decided before the deadline -----------------------------------


def test_decree21_extension_after_the_deadline_is_refused(
    clock: TravellingClock, file: File, counter_officer: User
) -> None:
    c = started(clock, file, counter_officer)
    assert c.due_at == seoul(2026, 3, 17, 18, 0)
    clock.at(2026, 3, 19, 10, 0)  # two days late
    audit_before = AuditEvent.objects.count()
    with pytest.raises(Conflict) as late:
        s.complaint_extend(complaint=c, actor=counter_officer, period="7d", reason="fact_finding")
    assert late.value.code == "complaint.extension_after_deadline"
    assert "2026-03-17 18:00" in str(late.value.message)
    assert "제21조 제1항" in str(late.value.message)
    c.refresh_from_db()
    assert c.extensions == [] and c.due_at == seoul(2026, 3, 17, 18, 0)
    assert c.original_due_at is None
    assert AuditEvent.objects.count() == audit_before
    # answered late, it counts as late
    c = s.complaint_answer(
        complaint=c, actor=counter_officer, outcome=Outcome.INFORMED, answer="답"
    )
    answer = ComplaintEvent.objects.get(complaint=c, action="answer")
    assert answer.data["on_time"] is False and answer.data["within_original_period"] is False


def test_decree21_original_due_instant_is_kept_through_extensions(
    clock: TravellingClock, file: File, counter_officer: User
) -> None:
    c = started(clock, file, counter_officer)
    clock.at(2026, 3, 17, 17, 59)  # a minute before the due instant: still in time
    c = s.complaint_extend(complaint=c, actor=counter_officer, period="7d", reason="fact_finding")
    assert c.due_at == seoul(2026, 3, 26, 18, 0)
    assert c.original_due_at == seoul(2026, 3, 17, 18, 0)
    clock.at(2026, 3, 26, 9, 0)
    c = s.complaint_extend(
        complaint=c, actor=counter_officer, period="7d", reason="cooperation", consent=WRITTEN
    )
    assert c.due_at == seoul(2026, 4, 6, 18, 0)
    assert c.original_due_at == seoul(2026, 3, 17, 18, 0)  # the first one, not the second
    clock.at(2026, 4, 1, 10, 0)
    c = s.complaint_answer(
        complaint=c, actor=counter_officer, outcome=Outcome.INFORMED, answer="답"
    )
    c.refresh_from_db()
    assert c.original_due_at == seoul(2026, 3, 17, 18, 0)
    answer = ComplaintEvent.objects.get(complaint=c, action="answer")
    assert answer.data["on_time"] is True  # within the lawfully extended period
    assert answer.data["within_original_period"] is False
    assert answer.data["original_due_at"] == "2026-03-17T18:00:00+09:00"


def test_decree21_delay_indicators_count_from_the_original_due_instant(
    clock: TravellingClock, file: File, counter_officer: User
) -> None:
    from minwon.complaints.selectors import complaint_answer_delay_counts

    in_time = started(clock, file, counter_officer)  # each due Tue 3/17 18:00
    extended = started(clock, file, counter_officer)
    late = started(clock, file, counter_officer)
    clock.at(2026, 3, 12, 10, 0)
    s.complaint_answer(
        complaint=in_time, actor=counter_officer, outcome=Outcome.INFORMED, answer="답"
    )
    clock.at(2026, 3, 17, 17, 0)
    s.complaint_extend(
        complaint=extended, actor=counter_officer, period="7d", reason="fact_finding"
    )
    clock.at(2026, 3, 19, 10, 0)  # after 3/17: within the extension for one, late for the other
    for c in (extended, late):
        s.complaint_answer(
            complaint=c, actor=counter_officer, outcome=Outcome.INFORMED, answer="답"
        )
    assert complaint_answer_delay_counts() == {
        "answered": 3,
        "answered_late": 1,  # past the deadline in force
        "answered_after_original": 2,  # the extension does not hide the original delay
    }


# --- 영 제13조: transfers ------------------------------------------------------------------------


def test_decree13_external_transfer_limit_counts_from_registration(
    clock: TravellingClock,
    file: File,
    counter_officer: User,
    civil_unit: OrgUnit,
    road_unit: OrgUnit,
) -> None:
    clock.at(2026, 3, 9, 10, 0)
    c = file(ComplaintKind.GRIEVANCE, filed_by=counter_officer, org_unit=civil_unit)
    clock.at(2026, 3, 9, 17, 0)
    c = s.complaint_transfer(
        complaint=c,
        actor=counter_officer,
        kind=TransferKind.INTERNAL,
        to_org_unit=road_unit,
        reason="잘못 접수",
    )
    clock.at(2026, 3, 10, 10, 30)
    c = s.complaint_transfer(
        complaint=c,
        actor=counter_officer,
        kind=TransferKind.EXTERNAL,
        to_agency="경기도청",
        reason="도 소관 사무",
    )
    event = ComplaintEvent.objects.filter(complaint=c).last()
    assert event is not None and event.action == "transfer_external"
    # 8 working hours from registration Mon 10:00 → Tue 10:00 (not from road's receipt at 17:00,
    # which would give Tue 16:00): sent Tue 10:30, late.
    assert event.data["transfer_due_at"] == "2026-03-10T10:00:00+09:00"
    assert event.data["on_time"] is False


def test_decree13_assigning_to_another_unit_is_a_transfer(
    clock: TravellingClock,
    file: File,
    counter_officer: User,
    road_officer: User,
    civil_unit: OrgUnit,
    road_unit: OrgUnit,
) -> None:
    clock.at(2026, 3, 9, 10, 0)
    c = file(ComplaintKind.GRIEVANCE, filed_by=counter_officer, org_unit=civil_unit)
    events_before = ComplaintEvent.objects.filter(complaint=c).count()
    with pytest.raises(ValidationFailed) as moved:
        s.complaint_assign(
            complaint=c, actor=counter_officer, assignee=road_officer, org_unit=road_unit
        )
    assert moved.value.code == "complaint.assign_is_transfer"
    assert moved.value.field == "org_unit"
    assert "제13조" in str(moved.value.message)
    c.refresh_from_db()
    assert (c.org_unit, c.assignee) == (civil_unit, None)
    assert ComplaintEvent.objects.filter(complaint=c).count() == events_before
    # the way across units is a transfer: reason, limit and record
    c = s.complaint_transfer(
        complaint=c,
        actor=counter_officer,
        kind=TransferKind.WITHIN_UNIT,
        to_org_unit=road_unit,
        reason="소관 부서",
    )
    c = s.complaint_assign(complaint=c, actor=road_officer, assignee=road_officer)
    assert (c.org_unit, c.assignee) == (road_unit, road_officer)
    transfer = ComplaintEvent.objects.get(complaint=c, action="transfer_internal")
    assert transfer.data["reason"] == "소관 부서" and transfer.data["transfer_due_at"]


def test_decree13_api_assign_to_another_unit_is_refused_in_words(
    clock: TravellingClock,
    file: File,
    counter_officer: User,
    road_officer: User,
    civil_unit: OrgUnit,
    officer_client: Callable[[User], Client],
) -> None:
    clock.at(2026, 3, 9, 10, 0)
    c = file(ComplaintKind.GRIEVANCE, filed_by=counter_officer, org_unit=civil_unit)
    client = officer_client(counter_officer)
    response = client.post(
        f"/api/v1/office/complaints/{c.pk}/assign",
        {"assignee_id": road_officer.pk, "org_unit": "road"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="ko",
    )
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "complaint.assign_is_transfer"
    assert "이송" in body["message"]


# --- 법 제20조, 제31조: 복합민원 ------------------------------------------------------------------


def test_law20_linked_part_never_outlasts_its_parent(
    clock: TravellingClock, file: File, counter_officer: User, road_unit: OrgUnit
) -> None:
    parent = started(clock, file, counter_officer)  # due Tue 3/17 18:00
    clock.at(2026, 3, 16, 10, 0)
    children_before = parent.children.count()
    with pytest.raises(ValidationFailed) as longer:  # the parent's 7일 again from 3/16: 3/24
        s.complaint_child_create(
            parent=parent, actor=counter_officer, org_unit=road_unit, title="도로 협의"
        )
    assert longer.value.code == "complaint.child_outlasts_parent"
    assert longer.value.field == "period"
    assert "2026-03-17 18:00" in str(longer.value.message)
    assert "제20조" in str(longer.value.message)
    assert parent.children.count() == children_before
    # 8 working hours from Mon 10:00 → Tue 3/17 10:00: within the parent's period
    child = s.complaint_child_create(
        parent=parent, actor=counter_officer, org_unit=road_unit, title="도로 협의", period="1d"
    )
    assert child.due_at == seoul(2026, 3, 17, 10, 0)
    with pytest.raises(ValidationFailed) as extended:  # +8h → Wed 10:00, past the parent
        s.complaint_extend(
            complaint=child, actor=counter_officer, period="1d", reason="cooperation"
        )
    assert extended.value.code == "complaint.child_outlasts_parent"
    child.refresh_from_db()
    assert child.extensions == [] and child.due_at == seoul(2026, 3, 17, 10, 0)


def test_law31_parent_answers_when_every_part_is_answered(
    clock: TravellingClock, file: File, counter_officer: User, road_unit: OrgUnit
) -> None:
    parent = started(clock, file, counter_officer)
    child = s.complaint_child_create(
        parent=parent, actor=counter_officer, org_unit=road_unit, title="도로 협의", period="3d"
    )
    with pytest.raises(Conflict) as early:
        s.complaint_answer(
            complaint=parent, actor=counter_officer, outcome=Outcome.INFORMED, answer="답"
        )
    assert early.value.code == "complaint.children_open"
    assert "제31조" in str(early.value.message)
    parent.refresh_from_db()
    assert parent.status == "in_progress" and parent.answer == ""
    s.complaint_answer(
        complaint=child, actor=counter_officer, outcome=Outcome.INFORMED, answer="협의 완료"
    )
    parent = s.complaint_answer(
        complaint=parent, actor=counter_officer, outcome=Outcome.INFORMED, answer="답"
    )
    assert parent.status == "answered"


# --- 법 제27조, 제35조: nothing is overwritten ------------------------------------------------


def test_law27_every_answer_stays_in_the_history_after_reopening(
    clock: TravellingClock,
    file: File,
    counter_officer: User,
    officer_client: Callable[[User], Client],
) -> None:
    c = started(clock, file, counter_officer, ComplaintKind.SUGGESTION)
    c = s.complaint_answer(
        complaint=c, actor=counter_officer, outcome=Outcome.INFORMED, answer="첫 번째 답변"
    )
    clock.at(2026, 3, 12, 10, 0)
    c = s.complaint_reopen(complaint=c, actor=counter_officer, reason="답변이 부족합니다")
    c = s.complaint_answer(
        complaint=c,
        actor=counter_officer,
        outcome=Outcome.NOT_PROCESSED,
        answer="두 번째 답변",
        reason="소송 진행 중 (법 제21조 제3호)",
    )
    assert c.answer == "두 번째 답변"
    history = complaint_answer_history(c)
    assert [(a.number, a.outcome, a.text, a.reason) for a in history] == [
        (1, "informed", "첫 번째 답변", ""),
        (2, "not_processed", "두 번째 답변", "소송 진행 중 (법 제21조 제3호)"),
    ]
    page = officer_client(counter_officer).get(f"/office/complaints/{c.pk}/")
    text = page.content.decode()
    assert "첫 번째 답변" in text and "답변이 부족합니다" in text and "두 번째 답변" in text


def _refused_permit(clock: TravellingClock, file: File, road_officer: User) -> Complaint:
    """A road-occupancy permit refused with its appeal route; the clock then on 3/12 10:00."""
    c = started(
        clock, file, road_officer, ComplaintKind.STATUTORY, type_code="road-occupancy-permit"
    )
    c = s.complaint_answer(
        complaint=c,
        actor=road_officer,
        outcome=Outcome.REFUSED,
        answer="불허",
        reason="점용 기준 미달",
        appeal_route="60일 이내 이의신청 (민원처리법 제35조)",
    )
    clock.at(2026, 3, 12, 10, 0)
    return c


def test_law35_objection_grounds_and_decision_stay_in_the_history(
    clock: TravellingClock,
    file: File,
    types: dict[str, ComplaintType],
    road_officer: User,
) -> None:
    c = _refused_permit(clock, file, road_officer)
    c = s.complaint_objection_file(complaint=c, actor=None, grounds="기준을 충족합니다")
    c = s.complaint_objection_decide(
        complaint=c, actor=road_officer, outcome=ObjectionOutcome.UPHELD, decision="허가합니다"
    )
    filed = ComplaintEvent.objects.get(complaint=c, action="file_objection")
    assert filed.data["grounds"] == "기준을 충족합니다"
    history = complaint_answer_history(c)
    assert [(a.action, a.outcome, a.text, a.reason) for a in history] == [
        ("answer", "refused", "불허", "점용 기준 미달"),
        ("decide_objection", "upheld", "허가합니다", ""),
    ]
    assert history[0].appeal_route == "60일 이내 이의신청 (민원처리법 제35조)"


def test_law35_a_rrn_in_the_objection_grounds_is_masked_and_kept_encrypted(
    clock: TravellingClock,
    file: File,
    types: dict[str, ComplaintType],
    road_officer: User,
) -> None:
    """Issue 13 item 12: grounds are shown to officers like the intake text: masked."""
    from minwon.core import crypto

    c = _refused_permit(clock, file, road_officer)
    grounds = "신청인 900101-1234568 본인이 소유자입니다"
    c = s.complaint_objection_file(complaint=c, actor=None, grounds=grounds)
    assert c.objection_grounds == "신청인 900101-1****** 본인이 소유자입니다"
    filed = ComplaintEvent.objects.get(complaint=c, action="file_objection")
    assert filed.data["grounds"] == c.objection_grounds
    assert crypto.decrypt(filed.data["grounds_original_encrypted"]) == grounds


# --- 영 제21조① 단서: the consent to a second extension, how and when ---------------------------


def test_decree21_second_extension_consent_is_recorded_how_and_when(
    clock: TravellingClock, file: File, counter_officer: User
) -> None:
    c = started(clock, file, counter_officer)
    c = s.complaint_extend(complaint=c, actor=counter_officer, period="7d", reason="fact_finding")
    clock.at(2026, 3, 20, 15, 0)

    def second(consent: s.ConsentInput | None) -> Complaint:
        return s.complaint_extend(
            complaint=c, actor=counter_officer, period="7d", reason="cooperation", consent=consent
        )

    refused = [
        (None, Conflict, "complaint.extension_consent_required", None),
        (s.ConsentInput("nod", seoul(2026, 3, 20, 14, 0)), ValidationFailed,
         "complaint.consent_method_invalid", "consent_method"),
        (s.ConsentInput("written", None), ValidationFailed,
         "complaint.consent_time_required", "consent_at"),
        (s.ConsentInput("written", seoul(2026, 3, 20, 16, 0)), ValidationFailed,
         "complaint.consent_in_future", "consent_at"),
        (s.ConsentInput("phone", seoul(2026, 3, 20, 14, 0)), ValidationFailed,
         "complaint.consent_note_required", "consent_note"),
    ]  # fmt: skip
    for consent, error_type, code, field in refused:
        with pytest.raises(error_type) as info:
            second(consent)
        assert (info.value.code, info.value.field) == (code, field)
        assert "제21조 제1항 단서" in str(info.value.message)
    c.refresh_from_db()
    assert len(c.extensions) == 1
    c = second(
        s.ConsentInput("phone", seoul(2026, 3, 20, 14, 10), "민원인 본인 통화, 4/6까지 연장 동의")
    )
    record = {
        "method": "phone",
        "given_at": "2026-03-20T14:10:00+09:00",
        "note": "민원인 본인 통화, 4/6까지 연장 동의",
        "recorded_by": counter_officer.username,
    }
    assert c.extensions[1]["consent_record"] == record
    event = ComplaintEvent.objects.filter(complaint=c, action="extend").last()
    assert event is not None and event.data["consent"] is True
    assert {key: event.data[f"consent_{key}"] for key in ("method", "note", "recorded_by")} == {
        "method": "phone",
        "note": record["note"],
        "recorded_by": counter_officer.username,
    }
    assert event.data["consent_at"] == "2026-03-20T14:10:00+09:00"


def test_decree21_office_form_records_the_consent(
    clock: TravellingClock,
    file: File,
    counter_officer: User,
    officer_client: Callable[[User], Client],
) -> None:
    c = started(clock, file, counter_officer)
    s.complaint_extend(complaint=c, actor=counter_officer, period="7d", reason="fact_finding")
    clock.at(2026, 3, 20, 15, 0)
    client = officer_client(counter_officer)
    url = f"/office/complaints/{c.pk}/extend/"
    form = {"extend-period": "7d", "extend-reason": "cooperation"}
    phone = {**form, "extend-consent_method": "phone", "extend-consent_at": "2026-03-20T14:10"}
    missing_note = client.post(url, phone, HTTP_ACCEPT_LANGUAGE="ko")
    assert missing_note.status_code == 400
    assert 'href="#id_extend-consent_note"' in missing_note.content.decode()
    done = client.post(url, {**phone, "extend-consent_note": "본인 통화"})
    assert done.status_code in (200, 302, 303)
    c.refresh_from_db()
    assert c.extensions[1]["consent_record"]["method"] == "phone"
    assert c.extensions[1]["consent_record"]["given_at"] == "2026-03-20T14:10:00+09:00"
    assert c.extensions[1]["consent_record"]["note"] == "본인 통화"


# --- 법 제23조①, 영 제26조: 반복민원 종결 ---------------------------------------------------------

OTHER_PERSON = s.ApplicantInput(name="김철수", address="경기도 파주시 문산읍 1")


def answered(file: File, officer: User, **extra: object) -> Complaint:
    c = file(ComplaintKind.SUGGESTION, filed_by=officer, **extra)
    return s.complaint_answer(complaint=c, actor=officer, outcome=Outcome.INFORMED, answer="답변")


def test_law23_closure_needs_the_same_complainant(
    clock: TravellingClock, file: File, counter_officer: User
) -> None:
    clock.at(2026, 3, 9, 10, 0)
    earlier = [answered(file, counter_officer) for _ in range(2)]  # 홍길동's
    first_ever = file(ComplaintKind.SUGGESTION, filed_by=counter_officer, applicant=OTHER_PERSON)
    with pytest.raises(ValidationFailed) as other:
        s.complaint_close_repeated(
            complaint=first_ever, actor=counter_officer, earlier=earlier, reason="같은 내용"
        )
    assert other.value.code == "complaint.repeat_closure_other_complainant"
    assert other.value.field == "earlier"
    assert "제23조 제1항" in str(other.value.message)
    first_ever.refresh_from_db()
    assert first_ever.status == "registered"


def test_law23_one_inquiry_answered_twice_counts_as_one_filing(
    clock: TravellingClock, file: File, counter_officer: User
) -> None:
    clock.at(2026, 3, 9, 10, 0)
    once = answered(file, counter_officer)
    once = s.complaint_reopen(complaint=once, actor=counter_officer, reason="다시")
    once = s.complaint_answer(
        complaint=once, actor=counter_officer, outcome=Outcome.INFORMED, answer="다시 답변"
    )
    assert once.result_notices == 2
    later = file(ComplaintKind.SUGGESTION, filed_by=counter_officer)
    with pytest.raises(Conflict) as few:
        s.complaint_close_repeated(
            complaint=later, actor=counter_officer, earlier=[once, once], reason="같은 내용"
        )
    assert few.value.code == "complaint.repeat_closure_too_few_filings"
    # two filings answered once each, and a third: closed, citing the article
    second = answered(file, counter_officer)
    closed = s.complaint_close_repeated(
        complaint=later, actor=counter_officer, earlier=[once, second], reason="같은 내용 3회"
    )
    assert closed.status == "closed"
    event = ComplaintEvent.objects.get(complaint=closed, action="close_repeated")
    assert event.notice == "repeated_closure"
    assert event.data["legal_basis"] == "민원처리법 제23조 제1항"
    assert (event.data["filings"], event.data["answered_filings"]) == (3, 2)


def representatives(n: int = 5) -> list[s.CosignerInput]:
    return [
        s.CosignerInput(
            name=f"연명인{i}", address=f"파주시 운정로 {i + 10}", is_representative=i == 0
        )
        for i in range(n)
    ]


def test_decree26_multi_party_repeat_is_closed_after_the_committee(
    clock: TravellingClock, file: File, counter_officer: User
) -> None:
    clock.at(2026, 3, 9, 10, 0)
    people = [s.ApplicantInput(name=f"주민{i}", address=f"파주시 가람로 {i}") for i in range(3)]
    earlier = [
        answered(file, counter_officer, applicant=people[i], cosigners=representatives())
        for i in range(2)
    ]
    third = file(
        ComplaintKind.SUGGESTION,
        filed_by=counter_officer,
        applicant=people[2],
        cosigners=representatives(),
    )
    assert third.is_multi_party
    with pytest.raises(Conflict) as committee:
        s.complaint_close_repeated(
            complaint=third, actor=counter_officer, earlier=earlier, reason="같은 내용"
        )
    assert committee.value.code == "complaint.repeat_closure_needs_committee"
    assert "제26조" in str(committee.value.message)
    with pytest.raises(ValidationFailed) as future:
        s.complaint_committee_review(
            complaint=third,
            actor=counter_officer,
            held_on=date(2026, 3, 10),
            decision=CommitteeDecision.CLOSE,
            summary="종결 의결",
        )
    assert future.value.code == "complaint.committee_in_future"
    s.complaint_committee_review(
        complaint=third,
        actor=counter_officer,
        held_on=date(2026, 3, 9),
        decision=CommitteeDecision.CONTINUE,
        summary="한 번 더 답변",
    )
    with pytest.raises(Conflict):  # the committee said to handle it again
        s.complaint_close_repeated(
            complaint=third, actor=counter_officer, earlier=earlier, reason="같은 내용"
        )
    s.complaint_committee_review(
        complaint=third,
        actor=counter_officer,
        held_on=date(2026, 3, 9),
        decision=CommitteeDecision.CLOSE,
        summary="동일 내용 3회, 종결 의결",
    )
    third = s.complaint_close_repeated(
        complaint=third, actor=counter_officer, earlier=earlier, reason="같은 대표자, 같은 내용"
    )
    assert third.status == "closed"
    review = ComplaintEvent.objects.filter(complaint=third, action="committee_review").last()
    assert review is not None and review.data["summary"] == "동일 내용 3회, 종결 의결"
    closing = ComplaintEvent.objects.get(complaint=third, action="close_repeated")
    assert closing.data["committee_review_id"] == review.pk


# --- 영 제17조④⑤, 제20조: excluded time beyond 보완 ---------------------------------------------


def test_decree20_testing_and_site_investigation_are_not_counted(
    clock: TravellingClock,
    file: File,
    counter_officer: User,
    officer_client: Callable[[User], Client],
) -> None:
    c = started(clock, file, counter_officer)  # 고충민원 7일: due Tue 3/17 18:00
    clock.at(2026, 3, 12, 10, 0)
    c = s.complaint_excluded_time_record(
        complaint=c,
        actor=counter_officer,
        kind="testing",
        start=seoul(2026, 3, 10, 9, 0),
        end=seoul(2026, 3, 11, 18, 0),
        note="수질 검사 의뢰",
    )
    # 3/10 and 3/11 are not counted (행정절차법 시행령 제11조 제5호): two working days later
    assert c.due_at == seoul(2026, 3, 19, 18, 0)
    event = ComplaintEvent.objects.filter(complaint=c, action="exclude_time").last()
    assert event is not None
    assert event.data["legal_basis"].endswith("행정절차법 시행령 제11조 제5호")
    assert (event.data["start"], event.data["end"]) == (
        "2026-03-10T09:00:00+09:00",
        "2026-03-11T18:00:00+09:00",
    )
    # a site investigation still running stops the clock (영 제17조④⑤)
    clock.at(2026, 3, 13, 9, 0)
    c = s.complaint_excluded_time_record(
        complaint=c, actor=counter_officer, kind="site_investigation", start=seoul(2026, 3, 13, 9)
    )
    assert c.due_at is None
    with pytest.raises(Conflict) as running:
        s.complaint_excluded_time_record(
            complaint=c, actor=counter_officer, kind="hearing", start=seoul(2026, 3, 13, 9)
        )
    assert running.value.code == "complaint.exclusion_open"
    with pytest.raises(Conflict):
        s.complaint_supplement_request(complaint=c, actor=counter_officer, items=["x"], days=3)
    clock.at(2026, 3, 17, 10, 0)
    c = s.complaint_excluded_time_end(
        complaint=c, actor=counter_officer, end=seoul(2026, 3, 16, 18)
    )
    # 3/13 and 3/16 not counted either: 3/19 → 3/23
    assert c.due_at == seoul(2026, 3, 23, 18, 0)
    # the deadline recompute (a holiday change) applies them the same way
    s.complaint_deadlines_recompute()
    c.refresh_from_db()
    assert c.due_at == seoul(2026, 3, 23, 18, 0)
    page = officer_client(counter_officer).get(f"/office/complaints/{c.pk}/").content.decode()
    assert "행정절차법 시행령 제11조 제5호" in page and "제17조 제4항" in page


def test_decree17_site_investigation_is_excluded_for_grievances_only(
    clock: TravellingClock, file: File, counter_officer: User
) -> None:
    c = started(clock, file, counter_officer, ComplaintKind.SUGGESTION)
    due = c.due_at
    clock.at(2026, 3, 12, 10, 0)
    with pytest.raises(ValidationFailed) as grievance_only:
        s.complaint_excluded_time_record(
            complaint=c,
            actor=counter_officer,
            kind="site_investigation",
            start=seoul(2026, 3, 10, 9),
            end=seoul(2026, 3, 11, 18),
        )
    assert grievance_only.value.code == "complaint.exclusion_not_applicable"
    assert grievance_only.value.field == "kind"
    assert "제20조" in str(grievance_only.value.message)
    with pytest.raises(ValidationFailed) as outage:  # 영 제20조 제2호 only from 2026-05-06
        s.complaint_excluded_time_record(
            complaint=c,
            actor=counter_officer,
            kind="system_outage",
            start=seoul(2026, 3, 10, 9),
            end=seoul(2026, 3, 10, 12),
        )
    assert outage.value.code == "complaint.exclusion_not_applicable"
    with pytest.raises(ValidationFailed) as supplement:
        s.complaint_excluded_time_record(
            complaint=c, actor=counter_officer, kind="supplement", start=seoul(2026, 3, 10, 9)
        )
    assert supplement.value.code == "complaint.exclusion_supplement"
    c.refresh_from_db()
    assert c.excluded_intervals == [] and c.due_at == due


# --- 규칙 제9조①, 영 제24조②: when a 보완 is asked for, and more time to supplement -----------


def test_rule9_late_supplement_request_needs_its_reason_and_is_counted(
    clock: TravellingClock,
    file: File,
    counter_officer: User,
    officer_client: Callable[[User], Client],
) -> None:
    c = started(clock, file, counter_officer)  # registered Mon 3/9 10:00
    # 8 working hours: Mon 10–12, 13–18 (7 h), Tue 09–10 → Tue 3/10 10:00
    clock.at(2026, 3, 10, 14, 0)
    audit_before = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as late:
        s.complaint_supplement_request(
            complaint=c, actor=counter_officer, items=["도면"], days=7, late_reason="  "
        )
    assert late.value.code == "complaint.supplement_late_reason_required"
    assert late.value.field == "late_reason"
    assert "2026-03-10 10:00" in str(late.value.message)
    assert "시행규칙 제9조 제1항" in str(late.value.message)
    c.refresh_from_db()
    assert c.status == "in_progress" and c.supplement_requests == 0
    assert c.excluded_intervals == [] and c.supplement_requested_late is False
    assert AuditEvent.objects.count() == audit_before
    c = s.complaint_supplement_request(
        complaint=c,
        actor=counter_officer,
        items=["도면"],
        days=7,
        late_reason="현장 확인에서 도면 누락을 알게 됨",
    )
    assert c.supplement_requested_late is True
    event = ComplaintEvent.objects.get(complaint=c, action="request_supplement")
    assert event.data["late"] is True
    assert event.data["late_reason"] == "현장 확인에서 도면 누락을 알게 됨"
    assert event.data["request_limit_at"] == "2026-03-10T10:00:00+09:00"
    assert event.data["request_limit_basis"] == "민원처리법 시행규칙 제9조 제1항"
    # the indicators count it, and the office timeline shows it with its reason
    from minwon.complaints.selectors import complaint_late_supplement_count

    assert complaint_late_supplement_count() == 1
    page = officer_client(counter_officer).get(f"/office/complaints/{c.pk}/").content.decode()
    assert "현장 확인에서 도면 누락을 알게 됨" in page and "시행규칙 제9조 제1항" in page


def test_rule9_supplement_within_eight_working_hours_is_not_flagged(
    clock: TravellingClock, file: File, counter_officer: User
) -> None:
    c = started(clock, file, counter_officer)
    clock.at(2026, 3, 10, 9, 59)
    c = s.complaint_supplement_request(complaint=c, actor=counter_officer, items=["도면"], days=7)
    assert c.supplement_requested_late is False
    event = ComplaintEvent.objects.get(complaint=c, action="request_supplement")
    assert event.data["late"] is False and "late_reason" not in event.data


def test_rule9_office_form_asks_why_a_late_supplement_request_is_late(
    clock: TravellingClock,
    file: File,
    counter_officer: User,
    officer_client: Callable[[User], Client],
) -> None:
    c = started(clock, file, counter_officer)
    clock.at(2026, 3, 11, 10, 0)
    client = officer_client(counter_officer)
    url = f"/office/complaints/{c.pk}/supplement/"
    refused = client.post(url, {"supplement-items": "도면", "supplement-days": "7"})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert 'id="supplement-late_reason-error"' in page  # the error beside the field
    assert "2026-03-10 10:00" in page
    c.refresh_from_db()
    assert c.status == "in_progress"
    done = client.post(
        url,
        {
            "supplement-items": "도면",
            "supplement-days": "7",
            "supplement-late_reason": "현장 확인 후 발견",
        },
    )
    assert done.status_code == 302
    c.refresh_from_db()
    assert c.status == "supplement_pending" and c.supplement_requested_late is True


def test_decree24_complainant_is_given_more_time_to_supplement_twice_at_most(
    clock: TravellingClock, file: File, counter_officer: User, citizen: User
) -> None:
    c = started(clock, file, counter_officer)
    clock.at(2026, 3, 9, 15, 0)
    c = s.complaint_supplement_request(complaint=c, actor=counter_officer, items=["도면"], days=7)
    assert c.supplement_due_on == date(2026, 3, 16)
    clock.at(2026, 3, 12, 11, 0)
    # the new period must end later than the one it replaces (3/12 + 3 days → 3/16)
    with pytest.raises(ValidationFailed) as shorter:
        s.complaint_supplement_extend(complaint=c, actor=counter_officer, days=3)
    assert shorter.value.code == "complaint.supplement_extension_not_longer"
    assert shorter.value.field == "days"
    assert "제24조 제2항" in str(shorter.value.message)
    with pytest.raises(ValidationFailed) as too_long:
        s.complaint_supplement_extend(complaint=c, actor=counter_officer, days=31)
    assert too_long.value.code == "complaint.supplement_period_invalid"
    c = s.complaint_supplement_extend(
        complaint=c, actor=counter_officer, days=10, note="전화로 요청: 서류 발급 대기"
    )
    # 민법 제157조: day 1 is 3/13, day 10 is Sun 3/22 → Mon 3/23 (제161조)
    assert c.supplement_due_on == date(2026, 3, 23)
    assert c.status == "supplement_pending" and c.due_at is None  # the clock stays stopped
    event = ComplaintEvent.objects.get(complaint=c, action="extend_supplement")
    assert event.data["previous_due_on"] == "2026-03-16"
    assert event.data["supplement_due_on"] == "2026-03-23"
    assert event.data["legal_basis"] == "민원처리법 시행령 제24조 제2항"
    clock.at(2026, 3, 20, 10, 0)
    c = s.complaint_supplement_extend(complaint=c, actor=citizen, days=7, by_complainant=True)
    assert c.supplement_due_on == date(2026, 3, 27)
    clock.at(2026, 3, 23, 10, 0)
    with pytest.raises(Conflict) as third:
        s.complaint_supplement_extend(complaint=c, actor=counter_officer, days=10)
    assert third.value.code == "complaint.supplement_extension_limit"
    # once the supplement arrives the count starts again for a later 보완
    c = s.complaint_supplement_receive(complaint=c, actor=counter_officer, note="도면 도착")
    assert c.supplement_extensions == 0


def test_decree24_more_time_is_asked_for_within_the_period(
    clock: TravellingClock, file: File, counter_officer: User
) -> None:
    c = started(clock, file, counter_officer)
    clock.at(2026, 3, 9, 15, 0)
    c = s.complaint_supplement_request(complaint=c, actor=counter_officer, items=["도면"], days=7)
    clock.at(2026, 3, 17, 10, 0)  # the period ended on 3/16
    with pytest.raises(Conflict) as late:
        s.complaint_supplement_extend(complaint=c, actor=counter_officer, days=7)
    assert late.value.code == "complaint.supplement_extension_too_late"
    c.refresh_from_db()
    assert c.supplement_due_on == date(2026, 3, 16) and c.supplement_extensions == 0


def test_decree24_api_gives_more_time_to_supplement(
    clock: TravellingClock,
    file: File,
    counter_officer: User,
    officer_client: Callable[[User], Client],
) -> None:
    c = started(clock, file, counter_officer)
    clock.at(2026, 3, 9, 15, 0)
    client = officer_client(counter_officer)
    asked = client.post(
        f"/api/v1/office/complaints/{c.pk}/supplement-request",
        {"items": ["도면"], "days": 7},
        content_type="application/json",
    )
    assert asked.status_code == 200, asked.content
    more = client.post(
        f"/api/v1/office/complaints/{c.pk}/supplement-extension",
        {"days": 10, "note": "전화 요청"},
        content_type="application/json",
    )
    assert more.status_code == 200, more.content
    assert more.json()["supplement_due_on"] == "2026-03-19"
    assert more.json()["supplement_requested_late"] is False


# --- 민법 제161조 (영 제24조④, 법 제35조①): a new holiday moves every open legal date ----------


def test_civil_code161_holiday_moves_every_open_legal_date_and_tells_the_complainant(
    clock: TravellingClock,
    file: File,
    types: dict[str, ComplaintType],
    counter_officer: User,
    citizen: User,
    make_officer: Callable[..., User],
    civil_unit: OrgUnit,
    officer_client: Callable[[User], Client],
) -> None:
    from minwon.accounts.domain import Role
    from minwon.catalog.services import holiday_declare
    from minwon.complaints.jobs import complaint_deadlines_recompute_job
    from minwon.notifications.models import InAppNotice
    from minwon.notifications.selectors import complaint_notice_source
    from minwon.notifications.services import complaint_notices_enqueue, notifications_dispatch

    admin = make_officer("admin", civil_unit, Role.ADMINISTRATOR)
    running = started(clock, file, counter_officer, citizen=citizen)  # due Tue 3/17 18:00
    waiting = started(clock, file, counter_officer, citizen=citizen)
    waiting = s.complaint_supplement_request(
        complaint=waiting, actor=counter_officer, items=["도면"], days=7
    )
    assert waiting.supplement_due_on == date(2026, 3, 16)
    refused = started(
        clock,
        file,
        counter_officer,
        ComplaintKind.STATUTORY,
        type_code="columbarium-report-family",
        citizen=citizen,
    )
    refused = s.complaint_answer(
        complaint=refused,
        actor=counter_officer,
        outcome=Outcome.REFUSED,
        answer="신고를 수리하지 않습니다.",
        reason="서류 미비",
        appeal_route="이의신청",
    )
    assert refused.objection_last_day == date(2026, 5, 8)  # 60 days from 3/9 (법 제35조①)
    complaint_notices_enqueue(events=complaint_notice_source())  # the earlier notices go first
    notifications_dispatch(transports={})
    InAppNotice.objects.all().delete()
    untouched = s.complaint_answer(  # answered: its record stays as it was
        complaint=started(clock, file, counter_officer, citizen=citizen),
        actor=counter_officer,
        outcome=Outcome.INFORMED,
        answer="답",
    )
    clock.at(2026, 3, 10, 9, 0)
    holiday_declare(actor=admin, day=date(2026, 3, 16), name="임시공휴일")
    holiday_declare(actor=admin, day=date(2026, 5, 8), name="임시공휴일")
    complaint_deadlines_recompute_job()
    running.refresh_from_db()
    waiting.refresh_from_db()
    refused.refresh_from_db()
    # 7일 from 3/9 without 3/16: 9, 10, 11, 12, 13, 17, 18 → Wed 3/18 18:00
    assert running.due_at == seoul(2026, 3, 18, 18, 0)
    assert waiting.supplement_due_on == date(2026, 3, 17)  # 민법 제161조: the next working day
    assert refused.objection_last_day == date(2026, 5, 11)  # Fri 5/8 off → Mon 5/11
    holidays = [
        {"day": "2026-03-16", "name": "임시공휴일", "kind": "extra"},
        {"day": "2026-05-08", "name": "임시공휴일", "kind": "extra"},
    ]
    expected = {
        running.pk: ("due_at", "2026-03-17T18:00:00+09:00", "2026-03-18T18:00:00+09:00"),
        waiting.pk: ("supplement_due_on", "2026-03-16", "2026-03-17"),
        refused.pk: ("objection_last_day", "2026-05-08", "2026-05-11"),
    }
    moves = ComplaintEvent.objects.filter(action="move_dates")
    assert sorted(moves.values_list("complaint_id", flat=True)) == sorted(expected)
    for event in moves:
        what, before, after = expected[event.complaint_id]
        assert event.data["moved"] == [{"what": what, "from": before, "to": after}]
        assert event.data["holidays"] == holidays
        assert event.actor_id == admin.pk  # the administrator who declared the holiday
        assert event.notice == "deadline_moved"
    assert not ComplaintEvent.objects.filter(complaint=untouched, action="move_dates").exists()
    page = officer_client(counter_officer).get(f"/office/complaints/{waiting.pk}/")
    assert "보완 기한: 2026. 3. 16.(월) → 2026. 3. 17.(화)" in page.content.decode()
    assert complaint_deadlines_recompute_job() == 0  # run again: nothing moves twice
    assert ComplaintEvent.objects.filter(action="move_dates").count() == 3
    # the complainant is told, in words
    complaint_notices_enqueue(events=complaint_notice_source())
    notifications_dispatch(transports={})
    notices = list(InAppNotice.objects.filter(user=citizen, event="deadline_moved"))
    assert len(notices) == 3
    bodies = "\n".join(n.body for n in notices)
    assert "2026. 3. 16.(월) 공휴일 지정 (임시공휴일)" in bodies
    assert "보완 기한: 2026. 3. 16.(월) → 2026. 3. 17.(화)" in bodies
    assert "이의신청 마감일: 2026. 5. 8.(금) → 2026. 5. 11.(월)" in bodies
    assert "처리완료 예정일: 2026. 3. 17.(화)" in bodies and "$" not in bodies


# --- 법 제2조 제6호: 다수인관련민원 counts households, however an address was typed ---------------

ONE_FLAT = [
    "경기도 파주시 운정로 123, 101동 1001호",
    "경기 파주 운정로123 101동1001호",
    "파주시 운정로 １２３ (와동동) 101-1001",
    "경기도 파주시 운정로 123 가람마을아파트 제101동 제1001호",
]


def test_law2_one_flat_written_four_ways_is_one_household(
    clock: TravellingClock, file: File, counter_officer: User
) -> None:
    clock.at(2026, 3, 9, 10, 0)
    c = file(
        ComplaintKind.GRIEVANCE,
        filed_by=counter_officer,
        applicant=s.ApplicantInput(name="대표자", address=ONE_FLAT[0]),
        cosigners=[
            *(
                s.CosignerInput(name=f"가족{i}", address=address, is_representative=i == 1)
                for i, address in enumerate(ONE_FLAT[1:], start=1)
            ),
            s.CosignerInput(name="이웃", address="경기도 파주시 운정로 123, 101동 1002호"),
        ],
    )
    assert (c.signer_count, c.household_count) == (5, 2)
    assert not c.is_multi_party  # five signers, but two households: not 다수인관련민원
    arrival = ComplaintEvent.objects.get(complaint=c, action="arrive")
    assert arrival.data["multi_party"] is False


def test_law2_merged_filings_from_one_flat_count_one_household(
    clock: TravellingClock, file: File, counter_officer: User
) -> None:
    clock.at(2026, 3, 9, 10, 0)
    ways = [*ONE_FLAT, "운정로 123 101 동 1001 호"]
    group = [
        file(
            ComplaintKind.SUGGESTION,
            filed_by=counter_officer,
            applicant=s.ApplicantInput(name=f"주민{i}", address=address),
        )
        for i, address in enumerate(ways)
    ]
    merged = s.complaint_merge(primary=group[0], others=group[1:], actor=counter_officer)
    assert (merged.signer_count, merged.household_count, merged.is_multi_party) == (5, 1, False)


def test_law23_the_same_complainant_at_the_same_flat_typed_another_way(
    clock: TravellingClock, file: File, counter_officer: User
) -> None:
    clock.at(2026, 3, 9, 10, 0)
    earlier = [
        answered(file, counter_officer, applicant=s.ApplicantInput(name="홍길동", address=way))
        for way in ONE_FLAT[:2]
    ]
    third = file(
        ComplaintKind.SUGGESTION,
        filed_by=counter_officer,
        applicant=s.ApplicantInput(name="홍길동", address=ONE_FLAT[2]),
    )
    closed = s.complaint_close_repeated(
        complaint=third, actor=counter_officer, earlier=earlier, reason="같은 사람, 같은 내용"
    )
    assert closed.status == "closed"


# --- the office page records what the API could (영 제20조 excluded time, 영 제26조 committee) ----


def test_decree20_office_page_records_and_ends_excluded_time_with_its_basis(
    clock: TravellingClock,
    file: File,
    counter_officer: User,
    officer_client: Callable[[User], Client],
) -> None:
    c = started(clock, file, counter_officer)  # 고충민원 7일: due Tue 3/17 18:00
    clock.at(2026, 3, 12, 10, 0)
    client = officer_client(counter_officer)
    page_url = f"/office/complaints/{c.pk}/"
    page = client.get(page_url).content.decode()
    assert 'id="excluded-title"' in page and 'id="id_excluded-kind"' in page
    assert (
        "민원처리법 시행령 제20조 제1호, 행정절차법 시행령 제11조 제5호" in page
    )  # each kind's basis
    assert 'value="supplement"' not in page  # a 보완 stops the clock through its own request
    future = client.post(
        page_url + "excluded/", {"excluded-kind": "testing", "excluded-start": "2026-03-13T09:00"}
    )
    assert future.status_code == 400
    assert 'id="excluded-start-error"' in future.content.decode()
    c.refresh_from_db()
    assert c.excluded_intervals == [] and c.due_at == seoul(2026, 3, 17, 18, 0)
    started_it = client.post(
        page_url + "excluded/",
        {"excluded-kind": "testing", "excluded-start": "2026-03-10T09:00", "excluded-note": "수질"},
    )
    assert started_it.status_code == 302
    c = Complaint.objects.get(pk=c.pk)
    assert c.due_at is None  # running: the clock stops
    page = client.get(page_url).content.decode()
    assert 'id="excluded-end-form-title"' in page and 'id="excluded-form-title"' not in page
    no_end = client.post(page_url + "excluded_end/", {})
    assert no_end.status_code == 400 and 'id="excluded_end-end-error"' in no_end.content.decode()
    ended = client.post(page_url + "excluded_end/", {"excluded_end-end": "2026-03-11T18:00"})
    assert ended.status_code == 302
    c = Complaint.objects.get(pk=c.pk)
    assert c.due_at == seoul(2026, 3, 19, 18, 0)  # 3/10 and 3/11 not counted
    page = client.get(page_url).content.decode()
    table = page.split('class="tbl col data excluded-list"')[1].split("</table>")[0]
    assert "행정절차법 시행령 제11조 제5호" in table and "2026" in table
    events = ComplaintEvent.objects.filter(
        complaint=c, action__in=["exclude_time", "end_excluded_time"]
    )
    assert [e.actor_id for e in events] == [counter_officer.pk, counter_officer.pk]


def test_decree26_office_page_records_the_committee_deliberation(
    clock: TravellingClock,
    file: File,
    counter_officer: User,
    officer_client: Callable[[User], Client],
) -> None:
    clock.at(2026, 3, 9, 10, 0)
    c = file(ComplaintKind.SUGGESTION, filed_by=counter_officer, cosigners=representatives())
    assert c.is_multi_party
    client = officer_client(counter_officer)
    page_url = f"/office/complaints/{c.pk}/"
    page = client.get(page_url).content.decode()
    assert 'id="committee-form-title"' in page and "시행령 제26조" in page
    empty = client.post(
        page_url + "committee/", {"committee-held_on": "2026-03-09", "committee-decision": "close"}
    )
    assert empty.status_code == 400 and 'id="committee-summary-error"' in empty.content.decode()
    future = client.post(
        page_url + "committee/",
        {
            "committee-held_on": "2026-03-10",
            "committee-decision": "close",
            "committee-summary": "종결 의결",
        },
    )
    assert future.status_code == 400
    assert 'id="committee-held_on-error"' in future.content.decode()
    assert not ComplaintEvent.objects.filter(complaint=c, action="committee_review").exists()
    done = client.post(
        page_url + "committee/",
        {
            "committee-held_on": "2026-03-09",
            "committee-decision": "close",
            "committee-summary": "동일 내용 3회, 종결 의결",
        },
    )
    assert done.status_code == 302
    review = ComplaintEvent.objects.get(complaint=c, action="committee_review")
    assert (review.data["decision"], review.actor_id) == ("close", counter_officer.pk)
    page = client.get(page_url).content.decode()
    assert "동일 내용 3회, 종결 의결" in page and "민원처리법 시행령 제26조, 제38조의2" in page


def test_law2_officer_corrects_the_household_count_with_a_reason(
    clock: TravellingClock,
    file: File,
    counter_officer: User,
    officer_client: Callable[[User], Client],
) -> None:
    clock.at(2026, 3, 9, 10, 0)
    # one building written with its road-name address and with its lot address: no
    # normalisation can tell, so it counts as five households
    addresses = [
        "경기도 파주시 운정로 123",
        "경기도 파주시 와동동 1234-5",
        "파주시 가람로 10",
        "파주시 가람로 11",
    ]
    c = file(
        ComplaintKind.GRIEVANCE,
        filed_by=counter_officer,
        applicant=s.ApplicantInput(name="대표자", address="파주시 가람로 12"),
        cosigners=[
            s.CosignerInput(name=f"주민{i}", address=a, is_representative=i == 0)
            for i, a in enumerate(addresses)
        ],
    )
    assert (c.signer_count, c.household_count, c.is_multi_party) == (5, 5, True)
    client = officer_client(counter_officer)
    page_url = f"/office/complaints/{c.pk}/"
    page = client.get(page_url).content.decode()
    assert 'id="households-form-title"' in page and "제2조 제6호" in page
    for bad, field in (
        ({"households-households": "6", "households-reason": "x"}, "households"),
        ({"households-households": "0", "households-reason": "x"}, "households"),
        ({"households-households": "4"}, "reason"),
    ):
        refused = client.post(page_url + "households/", bad)
        assert refused.status_code == 400
        assert f'id="households-{field}-error"' in refused.content.decode()
    c.refresh_from_db()
    assert (c.household_count, c.is_multi_party) == (5, True)
    done = client.post(
        page_url + "households/",
        {
            "households-households": "4",
            "households-reason": "운정로 123과 와동동 1234-5는 같은 건물",
        },
    )
    assert done.status_code == 302
    c.refresh_from_db()
    assert (c.household_count, c.is_multi_party) == (4, False)
    event = ComplaintEvent.objects.get(complaint=c, action="correct_households")
    assert event.actor_id == counter_officer.pk
    assert (event.data["households_before"], event.data["households"]) == (5, 4)
    assert event.data["legal_basis"] == "민원처리법 제2조 제6호"
    assert "같은 건물" in client.get(page_url).content.decode()
    # the API does the same
    api = client.post(
        f"/api/v1/office/complaints/{c.pk}/households",
        {"households": 5, "reason": "다시 확인: 다른 세대"},
        content_type="application/json",
    )
    assert api.status_code == 200, api.content
    assert (api.json()["household_count"], api.json()["is_multi_party"]) == (5, True)


def test_civil_code161_every_stored_calendar_version_resolves_to_its_holidays(
    clock: TravellingClock,
    file: File,
    counter_officer: User,
    make_officer: Callable[..., User],
    civil_unit: OrgUnit,
) -> None:
    from urllib.parse import quote

    from minwon.accounts.domain import Role
    from minwon.catalog.selectors import calendar_version_resolve
    from minwon.catalog.services import holiday_declare, holiday_remove
    from minwon.complaints.jobs import complaint_deadlines_recompute_job
    from minwon.complaints.selectors import city_calendar

    admin = make_officer("admin", civil_unit, Role.ADMINISTRATOR)
    c = started(clock, file, counter_officer)  # due Tue 3/17 18:00
    base = c.calendar_version
    resolved = calendar_version_resolve(base)
    assert resolved is not None and resolved.overrides == []  # the package's holidays alone
    clock.at(2026, 3, 10, 9, 0)
    first = holiday_declare(actor=admin, day=date(2026, 3, 16), name="임시공휴일")
    complaint_deadlines_recompute_job()
    c.refresh_from_db()
    one_holiday = c.calendar_version
    assert one_holiday != base and c.due_at == seoul(2026, 3, 18, 18, 0)
    holiday_declare(actor=admin, day=date(2026, 3, 12), name="시 개청 기념일")
    holiday_remove(actor=admin, override_id=first.pk)
    complaint_deadlines_recompute_job()
    c.refresh_from_db()
    # the same due date under the new list: the complaint keeps the version it was computed
    # with; that one and the calendar's newest both still name their holiday lists
    assert c.due_at == seoul(2026, 3, 18, 18, 0) and c.calendar_version == one_holiday
    then = calendar_version_resolve(one_holiday)
    now = calendar_version_resolve(city_calendar().version)
    assert then is not None and now is not None
    assert then.overrides == [{"day": "2026-03-16", "kind": "extra", "name": "임시공휴일"}]
    assert now.overrides == [{"day": "2026-03-12", "kind": "extra", "name": "시 개청 기념일"}]
    assert then.holidays_version == resolved.holidays_version
    api = Client().get(f"/api/v1/catalog/calendar/versions/{quote(one_holiday)}")
    assert api.status_code == 200, api.content
    assert api.json()["overrides"] == [{"day": "2026-03-16", "kind": "extra", "name": "임시공휴일"}]
    assert Client().get("/api/v1/catalog/calendar/versions/kr-holidays-0+000").status_code == 404


def test_law2_stored_addresses_are_re_indexed_by_household(
    clock: TravellingClock, file: File, counter_officer: User
) -> None:
    """Migration 0010: addresses indexed before the normalisation get the household index, so a
    filing made today recognises the household (and the complainant, 법 제23조①) of one made
    before."""
    import importlib

    from django.apps import apps

    from minwon.complaints.models import Applicant, Cosigner
    from minwon.complaints.services.intake import household_index
    from minwon.core import crypto

    clock.at(2026, 3, 9, 10, 0)
    c = file(
        ComplaintKind.GRIEVANCE,
        filed_by=counter_officer,
        applicant=s.ApplicantInput(name="홍길동", address=ONE_FLAT[0]),
        cosigners=[s.CosignerInput(name="가족", address=ONE_FLAT[1])],
    )
    old = crypto.blind_index(ONE_FLAT[1], purpose="household")  # the index as it used to be
    Applicant.objects.filter(complaint=c).update(address_index=old)
    Cosigner.objects.filter(complaint=c).update(household_index=old)
    migration = importlib.import_module("minwon.complaints.migrations.0010_household_index")
    migration.reindex(apps, None)
    expected = household_index(ONE_FLAT[3])
    assert Applicant.objects.get(complaint=c).address_index == expected
    assert Cosigner.objects.get(complaint=c).household_index == expected
