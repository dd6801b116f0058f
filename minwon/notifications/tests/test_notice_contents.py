"""What each legal notice says (issue 12, "Notices"): rendered in Korean and English from a real
event of the lifecycle, with every field the law asks for, and with the values of the moment the
event happened (not the complaint's later state)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import override_settings

from minwon.accounts.models import OrgUnit, User
from minwon.catalog.domain import TypeData
from minwon.catalog.services import complaint_type_create
from minwon.complaints.domain import (
    ExtensionReason,
    NoticeKind,
    ObjectionOutcome,
    Outcome,
    TransferKind,
)
from minwon.complaints.models import Complaint, ComplaintEvent
from minwon.complaints.services import (
    ConsentInput,
    complaint_answer,
    complaint_assign,
    complaint_close_repeated,
    complaint_extend,
    complaint_objection_decide,
    complaint_objection_file,
    complaint_progress_notice_record,
    complaint_supplement_request,
    complaint_transfer,
    complaint_withdraw,
)
from minwon.lawclock.kinds import ComplaintKind
from minwon.notifications.defaults import DEFAULT_TEMPLATES
from minwon.notifications.domain import NOTICE_PLACEHOLDERS, Event, template_render
from minwon.notifications.models import InAppNotice
from minwon.notifications.selectors import complaint_notice_source
from minwon.notifications.services import complaint_notices_enqueue, notifications_dispatch
from minwon.notifications.services.notices import EVENT_OF_NOTICE, notice_context
from tests.factories import TravellingClock, complaint_filed, seoul

pytestmark = pytest.mark.django_db

PUBLIC = "https://minwon.paju.example"


@pytest.fixture(autouse=True)
def _public_url() -> Iterator[None]:
    with override_settings(MINWON_PUBLIC_URL=PUBLIC):
        yield


@pytest.fixture
def clock() -> Iterator[TravellingClock]:
    c = TravellingClock()
    c.at(2026, 3, 9, 10, 0)  # Monday
    yield c
    c.stop()


@pytest.fixture
def permit(road_unit: OrgUnit) -> str:
    road_unit.phone = "031-940-4321"
    road_unit.save(update_fields=["phone"])
    complaint_type_create(
        actor=None,
        data=TypeData(
            code="road-occupancy-permit",
            name_ko="도로점용허가",
            processing_period="5일",
            fee_krw=1000,
            legal_basis="도로법 제61조",
            handling_unit_code="road",
        ),
    )
    return "road-occupancy-permit"


def filed(citizen: User, *, type_code: str = "", kind: ComplaintKind | None = None) -> Complaint:
    return complaint_filed(
        kind or (ComplaintKind.STATUTORY if type_code else ComplaintKind.SUGGESTION),
        type_code=type_code,
        citizen=citizen,
        title="도로 점용 허가 신청" if type_code else "가로등 고장",
    )


def notice_event(complaint: Complaint, kind: NoticeKind) -> ComplaintEvent:
    return ComplaintEvent.objects.filter(complaint=complaint, notice=kind.value).latest("pk")


def rendered(event: ComplaintEvent, language: str) -> str:
    """Subject, body and short text of the default template, filled from the event."""
    template = DEFAULT_TEMPLATES[(EVENT_OF_NOTICE[event.notice], language)]
    values = {"recipient_name": "홍길동", "site_name": "파주시 민원"} | notice_context(
        event, language
    )
    parts = (template.subject, template.body, template.short)
    return "\n".join(template_render(text, values) for text in parts)


def assert_all_in(text: str, *expected: str) -> None:
    missing = [value for value in expected if value not in text]
    assert not missing, f"missing {missing} in:\n{text}"


def test_every_notice_value_is_computed_and_none_is_a_raw_code(
    clock: TravellingClock, citizen: User, permit: str
) -> None:
    complaint = filed(citizen, type_code=permit)
    context = notice_context(notice_event(complaint, NoticeKind.RECEIPT), "ko")
    assert set(context) == NOTICE_PLACEHOLDERS - {"recipient_name", "site_name"} | {"url"}
    assert "None" not in "".join(str(v) for v in context.values())


def test_receipt_notice_decree6_number_time_period_date_department_contact(
    clock: TravellingClock, citizen: User, permit: str
) -> None:
    complaint = filed(citizen, type_code=permit)
    event = notice_event(complaint, NoticeKind.RECEIPT)
    assert complaint.receipt_number
    ko = rendered(event, "ko")
    assert_all_in(
        ko,
        complaint.receipt_number,
        "접수일시: 2026. 3. 9.(월) 10:00",
        "처리기간: 5일",
        "처리 예정일: 2026. 3. 16.(월)",
        "처리 부서: 도로관리과",
        "031-940-4321",
        f"{PUBLIC}/my/{complaint.pk}/",
        "시행령 제6조",
        "「도로 점용 허가 신청」이 접수되었습니다",  # the particle chosen for 청, not "이(가)"
    )
    en = rendered(event, "en")
    assert_all_in(
        en,
        complaint.receipt_number,
        "Processing period: 5 days",
        "Department: Road Maintenance Division",
        "031-940-4321",
    )
    assert "answer by Mon 16 Mar 2026" in en


def test_supplement_notice_law22_decree24_what_by_when_consequence_how(
    clock: TravellingClock, citizen: User, permit: str, road_officer: User
) -> None:
    complaint = filed(citizen, type_code=permit)
    complaint_assign(complaint=complaint, actor=road_officer, assignee=road_officer)
    complaint_supplement_request(
        complaint=complaint, actor=road_officer, items=["도면 1부", "위임장"], days=7
    )
    complaint.refresh_from_db()
    event = notice_event(complaint, NoticeKind.SUPPLEMENT_REQUEST)
    ko = rendered(event, "ko")
    assert_all_in(
        ko,
        "- 도면 1부\n- 위임장",
        "보완 기한: 2026. 3. 16.(월)",
        "반려",  # what happens if not
        "제24조제2항",  # the complainant's own request for more time
        f"{PUBLIC}/my/{complaint.pk}/",  # how to reply
        "도로관리과 Road (031-940-4321)",  # 영 제31조
    )
    assert "['" not in ko  # the list is not printed as Python
    assert_all_in(rendered(event, "en"), "- 도면 1부", "Please reply by: Mon 16 Mar 2026")


def test_transfer_notice_law16_decree13_to_whom_why_when(
    clock: TravellingClock, citizen: User
) -> None:
    complaint = filed(citizen)
    clock.at(2026, 3, 9, 14, 0)
    complaint_transfer(
        complaint=complaint,
        actor=None,
        kind=TransferKind.EXTERNAL,
        reason="국도 관리는 국토교통부 소관",
        to_agency="서울지방국토관리청",
    )
    event = notice_event(complaint, NoticeKind.TRANSFER)
    assert_all_in(
        rendered(event, "ko"),
        "서울지방국토관리청",
        "이송 사유: 국도 관리는 국토교통부 소관",
        "2026. 3. 9.(월)에",
        "제16조",
        "서울지방국토관리청으로 이송되었습니다",
        "서울지방국토관리청으로 이송됨",  # the short text too
    )
    assert "(으)로" not in rendered(event, "ko")
    assert_all_in(rendered(event, "en"), "transferred to 서울지방국토관리청", "Reason: 국도")


def test_extension_notice_decree21_reason_in_words_text_new_date(
    clock: TravellingClock, citizen: User, permit: str, road_officer: User
) -> None:
    complaint = filed(citizen, type_code=permit)
    complaint_assign(complaint=complaint, actor=road_officer, assignee=road_officer)
    complaint_extend(
        complaint=complaint,
        actor=road_officer,
        period="3d",
        reason=ExtensionReason.FACT_FINDING.value,
        reason_text="현장 측량이 필요합니다",
    )
    event = notice_event(complaint, NoticeKind.EXTENSION)
    ko = rendered(event, "ko")
    assert_all_in(
        ko,
        "연장 사유: 사실관계 또는 현장 확인이 필요함",
        "현장 측량이 필요합니다",
        "당초 처리 예정일: 2026. 3. 16.(월)",
        "처리완료 예정일: 2026. 3. 19.(목)",
        "(1차)",
        "시행령 제21조",
    )
    assert "fact_finding" not in ko and "\n\n" not in ko  # no blank line for the absent consent
    assert_all_in(rendered(event, "en"), "Reason: The facts or the site must be checked")


def test_second_extension_notice_decree21_names_the_consent(
    clock: TravellingClock, citizen: User, permit: str, road_officer: User
) -> None:
    complaint = filed(citizen, type_code=permit)
    by_phone = ConsentInput(method="phone", given_at=seoul(2026, 3, 9, 9, 30), note="본인 통화")
    for consent in (None, by_phone):
        complaint_extend(
            complaint=complaint,
            actor=road_officer,
            period="2d",
            reason=ExtensionReason.COOPERATION.value,
            consent=consent,
        )
    event = notice_event(complaint, NoticeKind.EXTENSION)
    assert_all_in(rendered(event, "ko"), "(2차)", "두 번째 연장에 동의", "전화로", "2026. 3. 9.")
    assert_all_in(rendered(event, "en"), "by phone")


def test_progress_notice_decree23_says_what_was_done_and_what_is_next(
    clock: TravellingClock, citizen: User, road_officer: User, road_unit: OrgUnit
) -> None:
    complaint = filed(citizen)
    complaint_assign(
        complaint=complaint, actor=road_officer, assignee=road_officer, org_unit=road_unit
    )
    clock.at(2026, 4, 8, 9, 0)
    complaint_progress_notice_record(complaint=complaint, actor=None)
    event = notice_event(complaint, NoticeKind.PROGRESS)
    ko = rendered(event, "ko")
    assert_all_in(ko, "2026. 3. 9.(월) 접수", "담당자 지정", "앞으로의 처리: 담당자가")
    assert "진행상황: \n" not in ko
    # In the officer's own words, when given.
    complaint_progress_notice_record(
        complaint=complaint,
        actor=road_officer,
        progress="현장을 확인했습니다",
        next_step="부품 주문",
    )
    event = notice_event(complaint, NoticeKind.PROGRESS)
    assert_all_in(rendered(event, "en"), "Done so far:\n현장을 확인했습니다", "Next: 부품 주문")


def test_result_notice_law27_refusal_reason_and_remedies_with_time_limits(
    clock: TravellingClock, citizen: User, permit: str, road_officer: User
) -> None:
    complaint = filed(citizen, type_code=permit)
    complaint_assign(complaint=complaint, actor=road_officer, assignee=road_officer)
    clock.at(2026, 3, 10, 15, 0)
    complaint_answer(
        complaint=complaint,
        actor=road_officer,
        outcome=Outcome.REFUSED,
        answer="점용 구간이 보도 폭 기준에 맞지 않습니다.",
        reason="도로법 시행령 기준 미달",
        appeal_route="파주시 도로관리과에 이의신청",
    )
    event = notice_event(complaint, NoticeKind.RESULT)
    ko = rendered(event, "ko")
    assert_all_in(
        ko,
        "처리결과: 거부",
        "점용 구간이 보도 폭 기준에 맞지 않습니다.",
        "도로법 시행령 기준 미달",
        "60일",
        "행정심판법 제27조",
        "행정소송법 제20조",
        "90일",
        "2026. 5. 11.(월)",  # the objection's last day (60 days, 민법 제161조)
        "도로관리과 Road (031-940-4321)",
        "제27조",
    )
    en = rendered(event, "en")
    assert_all_in(en, "Decision: Refused", "Objection (이의신청)", "within 60 days")
    assert "refused" not in ko


def test_result_notice_keeps_the_answer_of_its_moment_after_a_reopening(
    clock: TravellingClock, citizen: User, road_officer: User, road_unit: OrgUnit
) -> None:
    from minwon.complaints.services import complaint_reopen

    complaint = filed(citizen)
    complaint_assign(
        complaint=complaint, actor=road_officer, assignee=road_officer, org_unit=road_unit
    )
    complaint_answer(
        complaint=complaint, actor=road_officer, outcome=Outcome.INFORMED, answer="첫 답변"
    )
    first = notice_event(complaint, NoticeKind.RESULT)
    complaint_reopen(complaint=complaint, actor=None, reason="해결되지 않았습니다")
    complaint_answer(
        complaint=complaint, actor=road_officer, outcome=Outcome.GRANTED, answer="두 번째 답변"
    )
    assert "첫 답변" in rendered(first, "ko") and "두 번째 답변" not in rendered(first, "ko")
    assert "두 번째 답변" in rendered(notice_event(complaint, NoticeKind.RESULT), "ko")


def test_objection_decision_notice_law35_upheld_is_not_called_refused(
    clock: TravellingClock, citizen: User, permit: str, road_officer: User
) -> None:
    complaint = filed(citizen, type_code=permit)
    complaint_answer(
        complaint=complaint,
        actor=road_officer,
        outcome=Outcome.REFUSED,
        answer="불가",
        reason="기준 미달",
        appeal_route="이의신청",
    )
    complaint_objection_file(complaint=complaint, actor=None, grounds="측량 오류")
    complaint_objection_decide(
        complaint=complaint,
        actor=road_officer,
        outcome=ObjectionOutcome.UPHELD,
        decision="재측량 결과 기준을 충족합니다.",
    )
    event = notice_event(complaint, NoticeKind.OBJECTION_RESULT)
    assert EVENT_OF_NOTICE[event.notice] == Event.OBJECTION_DECIDED
    assert event.data["legal_basis"] == "민원처리법 제35조 제2항"  # the stored basis
    ko = rendered(event, "ko")
    assert_all_in(ko, "이의신청", "재측량 결과 기준을 충족합니다.", "제35조제2항", "인용")
    assert "거부" not in ko.split("결정:")[1].splitlines()[0]
    assert_all_in(rendered(event, "en"), "Objection upheld")


def test_objection_dismissed_notice_law35_names_the_next_remedy(
    clock: TravellingClock, citizen: User, permit: str, road_officer: User
) -> None:
    complaint = filed(citizen, type_code=permit)
    complaint_answer(
        complaint=complaint,
        actor=road_officer,
        outcome=Outcome.REFUSED,
        answer="불가",
        reason="기준 미달",
        appeal_route="이의신청",
    )
    complaint_objection_file(complaint=complaint, actor=None, grounds="측량 오류")
    complaint_objection_decide(
        complaint=complaint,
        actor=road_officer,
        outcome=ObjectionOutcome.DISMISSED,
        decision="기준 미달이 확인됩니다.",
    )
    ko = rendered(notice_event(complaint, NoticeKind.OBJECTION_RESULT), "ko")
    assert_all_in(ko, "기각", "행정심판법 제27조", "행정소송법 제20조")


def test_repeated_closure_notice_law23_cites_the_article_and_later_filings(
    clock: TravellingClock, citizen: User, road_officer: User, road_unit: OrgUnit
) -> None:
    earlier = []
    for _n in range(2):
        c = filed(citizen)
        complaint_assign(complaint=c, actor=road_officer, assignee=road_officer, org_unit=road_unit)
        complaint_answer(complaint=c, actor=road_officer, outcome=Outcome.INFORMED, answer="답변")
        earlier.append(Complaint.objects.get(pk=c.pk))
    third = filed(citizen)
    complaint_assign(complaint=third, actor=road_officer, assignee=road_officer, org_unit=road_unit)
    complaint_close_repeated(
        complaint=third, actor=road_officer, earlier=earlier, reason="같은 내용 반복"
    )
    event = notice_event(third, NoticeKind.REPEATED_CLOSURE)
    ko = rendered(event, "ko")
    assert_all_in(
        ko, "제23조제1항", "다시 제출하시는 민원", *(e.receipt_number or "?" for e in earlier)
    )
    assert_all_in(rendered(event, "en"), "Article 23(1)", "Later complaints")


def test_withdrawal_confirmation_law22(clock: TravellingClock, citizen: User) -> None:
    complaint = filed(citizen)
    complaint_withdraw(complaint=complaint, actor=citizen, reason="해결됨")
    event = notice_event(complaint, NoticeKind.WITHDRAWAL)
    assert_all_in(rendered(event, "ko"), "취하", "2026. 3. 9.(월)", "제25조제3항")
    assert_all_in(rendered(event, "en"), "withdrawn on")


def test_notices_reach_the_citizen_in_their_language_with_nothing_left_unfilled(
    clock: TravellingClock, citizen: User, permit: str, road_officer: User
) -> None:
    citizen.preferred_language = "en"
    citizen.save(update_fields=["preferred_language"])
    complaint = filed(citizen, type_code=permit)
    complaint_assign(complaint=complaint, actor=road_officer, assignee=road_officer)
    complaint_supplement_request(complaint=complaint, actor=road_officer, items=["도면"], days=7)
    complaint_notices_enqueue(events=complaint_notice_source())
    notifications_dispatch(transports={})
    notices = list(InAppNotice.objects.filter(user=citizen))  # dispatched in no set order
    assert sorted(n.event for n in notices) == ["complaint_registered", "supplement_requested"]
    for notice in notices:
        assert "$" not in notice.title + notice.body
        assert "Dear" in notice.body and ": \n" not in notice.body


def test_every_event_has_words_for_the_office_and_both_default_languages() -> None:
    from minwon.notifications.templatetags.notifications_ui import EVENT_LABELS

    assert set(EVENT_LABELS) == {event.value for event in Event}
    assert set(DEFAULT_TEMPLATES) == {(e, lang) for e in Event for lang in ("ko", "en")}


def test_a_complainant_without_an_account_is_addressed_politely(clock: TravellingClock) -> None:
    complaint_filed(
        ComplaintKind.SUGGESTION, title="가로등 고장"
    )  # applicant with e-mail, no account
    complaint_notices_enqueue(events=complaint_notice_source())
    notifications_dispatch(transports={})
    from minwon.notifications.models import Notification

    notification = Notification.objects.get(event="complaint_registered")
    assert notification.context["recipient_name"] == "민원인"
    assert "홍길동" not in str(notification.context)


def test_receipt_notice_of_an_unassigned_complaint_names_who_has_it(
    clock: TravellingClock, citizen: User
) -> None:
    """Issue 11 item 6: no empty '처리 부서:' line and no 'None' before a unit is assigned."""
    complaint = filed(citizen)
    event = notice_event(complaint, NoticeKind.RECEIPT)
    ko = rendered(event, "ko")
    assert "처리 부서: 민원실에서 배정 중" in ko
    en = rendered(event, "en")
    assert "Department: to be assigned by the complaints office" in en
    assert "None" not in ko + en
