"""Bundle applications: the all-or-nothing fan-out, per-programme states, documents, deadlines,
notifications through the outbox, and the 온종일돌봄 wait-list (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from minwon.accounts.models import User
from minwon.benefits.access import access_bundle_application_for_citizen
from minwon.benefits.models import BundleApplication, ProgrammeApplication, ProgrammeStatusEvent
from minwon.benefits.selectors import (
    bundle_application_status,
    care_waitlist,
    programme_queue,
)
from minwon.benefits.services import (
    bundle_application_submit,
    programme_application_act,
    programme_document_verify,
)
from minwon.core import clock
from minwon.core.errors import Conflict, NotFound, ValidationFailed
from minwon.core.models import AuditEvent
from minwon.notifications.models import Notification
from tests.factories import citizen_make

pytestmark = pytest.mark.django_db

# Friday 2026-04-17 10:00 in Seoul: the application date is day 39 for a child born 2026-03-10.
NOW = dt.datetime(2026, 4, 17, 10, 0, tzinfo=clock.SEOUL)
FACTS: dict[str, Any] = {
    "child": {"birth_date": "2026-03-10", "birth_order": 2, "birth_registered_on": "2026-03-20"},
    "residence": {"sigungu_code": "41480", "since": "2019-06-01"},
}
BIRTH = ["first_meeting_voucher", "parental_benefit", "child_allowance", "paju_birth_grant"]
ALL = ["privacy", "admin_lookup"]


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def _submit(applicant: User, **kwargs: Any) -> BundleApplication:
    values: dict[str, Any] = {
        "bundle_code": "HAPPY_BIRTH",
        "facts": FACTS,
        "programmes": [*BIRTH, "diapers_formula"],
        "consents": ALL,
    }
    values.update(kwargs)
    return bundle_application_submit(applicant=applicant, **values)


def test_one_application_fans_out_to_one_programme_application_each(citizen: User) -> None:
    application = _submit(citizen)
    rows = {p.programme_code: p for p in application.programmes.all()}
    assert list(rows) == [*BIRTH, "diapers_formula"]
    assert {c: r.status for c, r in rows.items()} == {
        **dict.fromkeys(BIRTH, "submitted"),
        "diapers_formula": "referred",  # guidance only: applied for at the 보건소
    }
    # Estimates from the reference's tables: 2nd child born 2026 → 첫만남 300만원; 부모급여 0세
    # 100만원 for April; 아동수당 10만원; 파주 2nd child 200만원 (30 + 170).
    assert {c: r.amount_estimate for c, r in rows.items()} == {
        "first_meeting_voucher": 3_000_000,
        "parental_benefit": 1_000_000,
        "child_allowance": 100_000,
        "paju_birth_grant": 2_000_000,
        "diapers_formula": None,
    }
    assert rows["parental_benefit"].pays_from == "2026-03"  # day 39: from the birth month
    assert rows["parental_benefit"].reasons[0]["rule"] == "month.paid"
    # 처리기한 by the legal clock (법 제19조②: 6 days or more counted in working days, the day
    # of application being day 1): Fri 04-17 (1), 04-20 … 04-24 (2–6), Mon 04-27 (7), at 18:00.
    due = rows["first_meeting_voucher"].due_at
    assert due is not None
    assert due.astimezone(clock.SEOUL) == dt.datetime(2026, 4, 27, 18, 0, tzinfo=clock.SEOUL)
    assert rows["diapers_formula"].due_at is None
    # Documents: the birth registration is looked up (consent), the ID card must be shown.
    documents = {d.code: d.state for d in rows["parental_benefit"].documents.all()}
    assert documents == {
        "ID_CARD": "required",
        "BANK_ACCOUNT": "required",
        "BIRTH_REGISTRATION": "looked_up",
    }
    assert application.receipt_no.startswith("B2026-") and len(application.receipt_no) == 15
    assert ProgrammeStatusEvent.objects.filter(application__bundle=application).count() == 5
    assert AuditEvent.objects.filter(action="benefits.bundle_submitted").count() == 1
    [notice] = Notification.objects.filter(recipient=citizen)
    assert notice.event == "benefit_application_received"
    assert notice.context["receipt_no"] == application.receipt_no
    assert "부모급여" in notice.context["programmes"]
    assert bundle_application_status(application) == "in_progress"


def _nothing_written() -> None:
    assert BundleApplication.objects.count() == 0
    assert ProgrammeApplication.objects.count() == 0
    assert Notification.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="benefits.").exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"consents": ["privacy"]}, "consents"),
        ({"consents": ["privacy", "admin_lookup", "marketing"]}, "consents"),
        ({"bundle_code": "NEW_HOUSE"}, "bundle"),
        ({"programmes": []}, "programmes"),
        ({"programmes": ["parental_benefit", "together_care_centre"]}, "programmes"),
        ({"programmes": ["parental_benefit", "home_care_allowance"]}, "programmes"),
        (
            {"facts": {**FACTS, "child": {**FACTS["child"], "birth_date": "2026-04-18"}}},
            "child.birth_date",
        ),
        ({"facts": {**FACTS, "child": {**FACTS["child"], "birth_order": 0}}}, "child.birth_order"),
        (
            {"facts": {**FACTS, "child": {**FACTS["child"], "birth_order": "둘째"}}},
            "child.birth_order",
        ),
        (
            {"facts": {**FACTS, "child": {**FACTS["child"], "birth_registered_on": "2026-03-01"}}},
            "child.birth_registered_on",
        ),
        (
            {"facts": {**FACTS, "child": {**FACTS["child"], "birth_registered_on": "어제"}}},
            "child.birth_registered_on",
        ),
        (
            {"facts": {**FACTS, "residence": {"sigungu_code": "41480", "since": "2026-05-01"}}},
            "residence.since",
        ),
        ({"facts": {"residence": FACTS["residence"]}}, "child.birth_date"),
        # A chosen programme the family cannot get: Paju's grant after moving in from Seoul.
        (
            {"facts": {**FACTS, "residence": {"sigungu_code": "41480", "since": "2026-04-01"}}},
            "paju_birth_grant",
        ),
        (
            {
                "bundle_code": "MOM_PREGNANCY",
                "programmes": ["folic_acid"],
                "facts": {"pregnancy": {"due_date": "2026-10-01"}},
            },
            "consents",
        ),
        (
            {
                "bundle_code": "MOM_PREGNANCY",
                "programmes": ["folic_acid"],
                "consents": [*ALL, "pregnancy_info"],
                "facts": {"pregnancy": {"due_date": "2026-04-01"}},
            },
            "pregnancy.due_date",
        ),
        (
            {
                "bundle_code": "ALLDAY_CARE",
                "programmes": ["together_care_centre"],
                "priority_flags": ["rich"],
            },
            "priority_flags",
        ),
    ],
)
def test_bad_input_is_refused_whole_and_writes_nothing(
    citizen: User, changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        _submit(citizen, **changes)
    assert caught.value.field == field
    assert str(caught.value.message)
    _nothing_written()


def test_an_ineligible_programme_says_why(citizen: User) -> None:
    moved = {**FACTS, "residence": {"sigungu_code": "41480", "since": "2026-04-01"}}
    with pytest.raises(ValidationFailed) as caught:
        _submit(citizen, facts=moved, programmes=["paju_birth_grant"])
    assert "2026-04-01" in str(caught.value.message) and "2026-03-20" in str(caught.value.message)


def test_an_exclusion_names_both_programmes(citizen: User) -> None:
    with pytest.raises(ValidationFailed) as caught:
        _submit(citizen, programmes=["parental_benefit", "home_care_allowance"])
    message = str(caught.value.message)
    assert "부모급여" in message and "양육수당" in message


def test_a_programme_moves_to_paid_and_the_citizen_is_told(
    citizen: User, road_officer: User
) -> None:
    application = _submit(citizen, programmes=["parental_benefit", "child_allowance"])
    row = application.programmes.get(programme_code="parental_benefit")
    for action in ("review", "approve", "pay"):
        row = programme_application_act(actor=road_officer, application_id=row.pk, action=action)
    assert row.status == "paid" and row.decided_at is not None and row.paid_at is not None
    events = list(row.events.values_list("from_status", "to_status"))
    assert events == [
        ("", "submitted"),
        ("submitted", "under_review"),
        ("under_review", "approved"),
        ("approved", "paid"),
    ]
    notices = Notification.objects.filter(event="benefit_status_changed").order_by("id")
    assert [n.context["status"] for n in notices] == ["심사 중", "승인", "지급 완료"]
    assert bundle_application_status(application) == "partially_decided"
    other = application.programmes.get(programme_code="child_allowance")
    programme_application_act(actor=road_officer, application_id=other.pk, action="review")
    programme_application_act(actor=road_officer, application_id=other.pk, action="approve")
    application.refresh_from_db()
    assert bundle_application_status(application) == "all_decided"


def test_moves_that_are_not_allowed(citizen: User, road_officer: User) -> None:
    application = _submit(citizen, programmes=["parental_benefit"])
    row = application.programmes.get()
    with pytest.raises(Conflict):  # not yet under review
        programme_application_act(actor=road_officer, application_id=row.pk, action="approve")
    programme_application_act(actor=road_officer, application_id=row.pk, action="review")
    with pytest.raises(ValidationFailed) as caught:  # a rejection needs its reason
        programme_application_act(actor=road_officer, application_id=row.pk, action="reject")
    assert caught.value.field == "note"
    with pytest.raises(Conflict):  # money is not wait-listed
        programme_application_act(actor=road_officer, application_id=row.pk, action="waitlist")
    with pytest.raises(NotFound):  # a citizen cannot decide
        programme_application_act(actor=citizen, application_id=row.pk, action="approve")
    stranger = citizen_make("kim", email="kim@example.kr", phone="010-2222-3333")
    with pytest.raises(NotFound):  # nor withdraw another's
        programme_application_act(actor=stranger, application_id=row.pk, action="withdraw")
    with pytest.raises(ValidationFailed):
        programme_application_act(actor=road_officer, application_id=row.pk, action="delete")
    row.refresh_from_db()
    assert row.status == "under_review"
    done = programme_application_act(
        actor=road_officer, application_id=row.pk, action="reject", note="  타 시도 전출  "
    )
    assert (done.status, done.decision_note) == ("rejected", "타 시도 전출")
    with pytest.raises(Conflict):  # rejected is final
        programme_application_act(actor=citizen, application_id=row.pk, action="withdraw")


def test_the_applicant_may_withdraw_before_a_decision(citizen: User) -> None:
    application = _submit(citizen, programmes=["parental_benefit"])
    row = programme_application_act(
        actor=citizen, application_id=application.programmes.get().pk, action="withdraw"
    )
    assert row.status == "withdrawn"
    application.refresh_from_db()
    assert bundle_application_status(application) == "closed"


def test_documents_are_checked_by_code(citizen: User, road_officer: User) -> None:
    row = _submit(citizen, programmes=["parental_benefit"]).programmes.get()
    document = programme_document_verify(
        officer=road_officer, application_id=row.pk, code="ID_CARD"
    )
    assert document.state == "verified" and document.verified_by == road_officer
    with pytest.raises(ValidationFailed) as caught:  # the wrong type of document for it
        programme_document_verify(
            officer=road_officer, application_id=row.pk, code="KORAIL_MEMBERSHIP"
        )
    assert caught.value.field == "code"
    with pytest.raises(NotFound):
        programme_document_verify(officer=citizen, application_id=row.pk, code="ID_CARD")


def test_only_the_applicant_sees_the_application(citizen: User) -> None:
    application = _submit(citizen, programmes=["child_allowance"])
    assert (
        access_bundle_application_for_citizen(
            user=citizen, receipt_no=application.receipt_no.lower()
        )
        == application
    )
    stranger = citizen_make("kim", email="kim@example.kr", phone="010-2222-3333")
    with pytest.raises(NotFound):
        access_bundle_application_for_citizen(user=stranger, receipt_no=application.receipt_no)


def test_the_office_queue_puts_the_nearest_deadline_first(
    citizen: User, road_officer: User
) -> None:
    application = _submit(
        citizen, programmes=["parental_benefit", "first_meeting_voucher", "paju_birth_grant"]
    )
    queue = list(programme_queue())
    # 첫만남 7 working days, 파주 14, 부모급여 30.
    assert [r.programme_code for r in queue] == [
        "first_meeting_voucher",
        "paju_birth_grant",
        "parental_benefit",
    ]
    paid = application.programmes.get(programme_code="first_meeting_voucher")
    for action in ("review", "approve"):
        programme_application_act(actor=road_officer, application_id=paid.pk, action=action)
    assert [r.programme_code for r in programme_queue()] == ["paju_birth_grant", "parental_benefit"]


def test_the_care_wait_list_ranks_by_priority_then_time(citizen: User, road_officer: User) -> None:
    school_child = {
        "child": {
            "birth_date": "2018-05-02",
            "birth_order": 1,
            "birth_registered_on": "2018-05-10",
        },
        "residence": {"sigungu_code": "41480", "since": "2018-05-10"},
    }
    families = [
        ("early-none", [], 0),
        ("dual", ["dual_income"], 1),
        ("single-multi", ["single_parent", "multi_child"], 2),
        ("single", ["single_parent"], 3),
    ]
    rows = {}
    for i, (name, flags, minutes) in enumerate(families):
        parent = citizen_make(f"parent{i}", email=f"p{i}@example.kr", phone=f"010-3000-000{i}")
        with time_machine.travel(NOW + dt.timedelta(minutes=minutes), tick=False):
            application = bundle_application_submit(
                applicant=parent,
                bundle_code="ALLDAY_CARE",
                facts=school_child,
                programmes=["together_care_centre"],
                consents=ALL,
                priority_flags=flags,
            )
        rows[name] = application.programmes.get()
    ranked = care_waitlist(programme_code="together_care_centre")
    assert [(e.application.pk, e.rank, e.tier) for e in ranked] == [
        (rows["single-multi"].pk, 1, 1),  # tier 1, two flags
        (rows["single"].pk, 2, 1),  # tier 1, one flag
        (rows["dual"].pk, 3, 2),  # 맞벌이
        (rows["early-none"].pk, 4, 3),  # first to apply, no priority
    ]
    # No place free: the official puts it on the wait-list; a place is given, never paid.
    row = rows["early-none"]
    programme_application_act(actor=road_officer, application_id=row.pk, action="review")
    programme_application_act(actor=road_officer, application_id=row.pk, action="waitlist")
    placed = programme_application_act(actor=road_officer, application_id=row.pk, action="approve")
    assert placed.status == "approved"
    with pytest.raises(Conflict):
        programme_application_act(actor=road_officer, application_id=row.pk, action="pay")
    assert len(care_waitlist(programme_code="together_care_centre")) == 3
