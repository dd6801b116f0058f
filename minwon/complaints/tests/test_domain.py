"""Pure lifecycle rules: no database, no settings."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import TypeAlias

import pytest

from minwon.complaints import domain as d
from minwon.complaints.domain import Action, ComplaintStatus
from minwon.lawclock.kinds import ComplaintKind

A: TypeAlias = Action
K: TypeAlias = ComplaintKind
S: TypeAlias = ComplaintStatus

# The expected table, written out again by hand: a change to TRANSITIONS must change this too.
EXPECTED = {
    S.RECEIVED: {
        A.REGISTER: S.REGISTERED,
        A.TRANSFER_EXTERNAL: S.TRANSFERRED,
        A.WITHDRAW: S.WITHDRAWN,
        A.MERGE: S.CLOSED,
        A.CORRECT_HOUSEHOLDS: S.RECEIVED,
    },
    S.REGISTERED: {
        A.ASSIGN: S.IN_PROGRESS,
        A.TRANSFER_INTERNAL: S.REGISTERED,
        A.TRANSFER_EXTERNAL: S.TRANSFERRED,
        A.EXTEND: S.REGISTERED,
        A.RECORD_PROGRESS_NOTICE: S.REGISTERED,
        A.ANSWER: S.ANSWERED,
        A.WITHDRAW: S.WITHDRAWN,
        A.MERGE: S.CLOSED,
        A.CLOSE_REPEATED: S.CLOSED,
        A.COMMITTEE_REVIEW: S.REGISTERED,
        A.EXCLUDE_TIME: S.REGISTERED,
        A.END_EXCLUDED_TIME: S.REGISTERED,
        A.CORRECT_HOUSEHOLDS: S.REGISTERED,
    },
    S.IN_PROGRESS: {
        A.ASSIGN: S.IN_PROGRESS,
        A.TRANSFER_INTERNAL: S.REGISTERED,
        A.TRANSFER_EXTERNAL: S.TRANSFERRED,
        A.REQUEST_SUPPLEMENT: S.SUPPLEMENT_PENDING,
        A.EXTEND: S.IN_PROGRESS,
        A.RECORD_PROGRESS_NOTICE: S.IN_PROGRESS,
        A.ANSWER: S.ANSWERED,
        A.WITHDRAW: S.WITHDRAWN,
        A.MERGE: S.CLOSED,
        A.CLOSE_REPEATED: S.CLOSED,
        A.COMMITTEE_REVIEW: S.IN_PROGRESS,
        A.EXCLUDE_TIME: S.IN_PROGRESS,
        A.END_EXCLUDED_TIME: S.IN_PROGRESS,
        A.CORRECT_HOUSEHOLDS: S.IN_PROGRESS,
    },
    S.SUPPLEMENT_PENDING: {
        A.REQUEST_SUPPLEMENT: S.SUPPLEMENT_PENDING,
        A.RECEIVE_SUPPLEMENT: S.IN_PROGRESS,
        A.EXTEND_SUPPLEMENT: S.SUPPLEMENT_PENDING,
        A.RETURN: S.RETURNED,
        A.RECORD_PROGRESS_NOTICE: S.SUPPLEMENT_PENDING,
        A.WITHDRAW: S.WITHDRAWN,
    },
    S.ANSWERED: {A.REOPEN: S.IN_PROGRESS, A.FILE_OBJECTION: S.OBJECTION_PENDING},
    S.OBJECTION_PENDING: {
        A.EXTEND: S.OBJECTION_PENDING,
        A.DECIDE_OBJECTION: S.OBJECTION_DECIDED,
        A.WITHDRAW: S.WITHDRAWN,
        A.EXCLUDE_TIME: S.OBJECTION_PENDING,
        A.END_EXCLUDED_TIME: S.OBJECTION_PENDING,
    },
    S.OBJECTION_DECIDED: {},
    S.TRANSFERRED: {},
    S.RETURNED: {},
    S.WITHDRAWN: {},
    S.CLOSED: {},
}


@pytest.mark.parametrize(("status", "action"), list(itertools.product(S, A)))
def test_every_status_and_action_pair(status: S, action: A) -> None:
    expected = EXPECTED[status].get(action)
    if expected is None:
        with pytest.raises(d.ComplaintRuleError) as info:
            d.ensure_transition(status, action)
        assert info.value.code == "complaint.invalid_transition"
        assert info.value.params == {"status": status.value, "action": action.value}
        assert d.next_status(status, action) is None
    else:
        assert d.ensure_transition(status, action) == expected


def test_table_has_no_entries_beyond_the_expected() -> None:
    flat = {(s, a): t for s, row in EXPECTED.items() for a, t in row.items()}
    assert flat == d.TRANSITIONS


def test_final_statuses_allow_nothing_and_open_ones_allow_withdrawal() -> None:
    for status in d.FINAL_STATUSES - {S.ANSWERED}:  # an answer may be reopened or objected to
        assert d.allowed_actions(status) == []
    for status in d.OPEN_STATUSES:
        assert A.WITHDRAW in d.allowed_actions(status)


def test_every_status_is_reachable_from_arrival() -> None:
    seen, frontier = {S.RECEIVED}, [S.RECEIVED]
    while frontier:
        current = frontier.pop()
        for action in d.allowed_actions(current):
            target = d.TRANSITIONS[(current, action)]
            if target not in seen:
                seen.add(target)
                frontier.append(target)
    assert seen == set(S)


def test_answering_a_withdrawn_complaint_is_refused() -> None:
    with pytest.raises(d.ComplaintRuleError, match="invalid_transition"):
        d.ensure_transition(S.WITHDRAWN, A.ANSWER)


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (K.INQUIRY_LAW, ("14d", "민원처리법 시행령 제14조 제1호")),
        (K.INQUIRY_PROCEDURE, ("7d", "민원처리법 시행령 제14조 제2호")),
        (K.SUGGESTION, ("14d", "민원처리법 시행령 제15조")),
        (K.OTHER, ("instant", "민원처리법 시행령 제16조 제1항")),
        (K.GRIEVANCE, ("7d", "민원처리법 시행령 제17조 제1항")),
        (K.TIP, None),
    ],
)
def test_periods_by_kind(kind: K, expected: tuple[str, str] | None) -> None:
    assert d.processing_period(kind) == expected


def test_statutory_period_comes_from_the_catalogue() -> None:
    assert d.processing_period(K.STATUTORY, catalogue_period="20d") == (
        "20d",
        "민원처리법 제17조 (민원처리기준표)",
    )
    with pytest.raises(d.ComplaintRuleError, match="statutory_type_required"):
        d.processing_period(K.STATUTORY)


def test_other_complaints_take_the_agencys_own_period_when_it_set_one() -> None:
    """영 제16조: 기타민원 즉시 (①) unless the agency set another period (③); no other kind moves."""
    assert d.processing_period(K.OTHER) == ("instant", "민원처리법 시행령 제16조 제1항")
    assert d.processing_period(K.OTHER, other_period="3d") == (
        "3d",
        "민원처리법 시행령 제16조 제3항 (기관이 정한 처리기간)",
    )
    assert d.processing_period(K.GRIEVANCE, other_period="3d") == (
        "7d",
        "민원처리법 시행령 제17조 제1항",
    )


@pytest.mark.parametrize(
    ("kind", "channel", "ok"),
    [
        (K.OTHER, d.IntakeChannel.PHONE, True),
        (K.OTHER, d.IntakeChannel.ORAL, True),
        (K.SUGGESTION, d.IntakeChannel.PHONE, False),
        (K.STATUTORY, d.IntakeChannel.ORAL, False),
        (K.STATUTORY, d.IntakeChannel.POST, True),
        (K.GRIEVANCE, d.IntakeChannel.EPEOPLE, True),
    ],
)
def test_only_other_complaints_may_be_oral(kind: K, channel: d.IntakeChannel, ok: bool) -> None:
    if ok:
        d.check_channel(kind, channel)
    else:
        with pytest.raises(d.ComplaintRuleError, match="oral_not_allowed"):
            d.check_channel(kind, channel)


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        (
            {"name": "", "address": "a", "has_rrn": False, "rrn_required": False},
            "complaint.name_required",
        ),
        (
            {"name": "n", "address": " ", "has_rrn": False, "rrn_required": False},
            "complaint.address_required",
        ),
        (
            {"name": "n", "address": "a", "has_rrn": False, "rrn_required": True},
            "complaint.rrn_required",
        ),
        (
            {"name": "n", "address": "a", "has_rrn": True, "rrn_required": False},
            "complaint.rrn_not_allowed",
        ),
        ({"name": "n", "address": "a", "has_rrn": True, "rrn_required": True}, None),
        ({"name": "n", "address": "a", "has_rrn": False, "rrn_required": False}, None),
    ],
)
def test_identity(kwargs: dict[str, object], code: str | None) -> None:
    if code is None:
        d.check_identity(K.STATUTORY, **kwargs)  # type: ignore[arg-type]
    else:
        with pytest.raises(d.ComplaintRuleError) as info:
            d.check_identity(K.STATUTORY, **kwargs)  # type: ignore[arg-type]
        assert info.value.code == code


def test_tip_is_anonymous_and_never_takes_an_rrn() -> None:
    d.check_identity(K.TIP, name="", address="", has_rrn=False, rrn_required=False)
    with pytest.raises(d.ComplaintRuleError, match="rrn_not_allowed"):
        d.check_identity(K.TIP, name="", address="", has_rrn=True, rrn_required=False)


@pytest.mark.parametrize(
    ("signers", "households", "expected"),
    [
        (5, 5, True),
        (4, 5, False),
        (5, 4, False),
        (30, 12, True),
        (0, 0, False),
    ],
)
def test_multi_party_needs_five_signers_and_five_households(
    signers: int, households: int, expected: bool
) -> None:
    assert d.is_multi_party(signers=signers, households=households) is expected


def test_cosigner_checks() -> None:
    d.check_cosigners(signers=6, households=5, representatives=3)
    with pytest.raises(d.ComplaintRuleError, match="too_many_representatives"):
        d.check_cosigners(signers=6, households=5, representatives=4)
    with pytest.raises(d.ComplaintRuleError, match="invalid_cosigners"):
        d.check_cosigners(signers=3, households=5, representatives=0)
    with pytest.raises(d.ComplaintRuleError, match="invalid_cosigners"):
        d.check_cosigners(signers=-1, households=0, representatives=0)


def test_merge_needs_five_same_kind() -> None:
    d.check_merge(complainants=5, kinds={K.SUGGESTION})
    with pytest.raises(d.ComplaintRuleError, match="merge_too_few"):
        d.check_merge(complainants=4, kinds={K.SUGGESTION})
    with pytest.raises(d.ComplaintRuleError, match="merge_kinds_differ"):
        d.check_merge(complainants=5, kinds={K.SUGGESTION, K.OTHER})
    with pytest.raises(d.ComplaintRuleError, match="merge_kinds_differ"):
        d.check_merge(complainants=5, kinds={K.TIP})


def weekdays(day: date) -> bool:
    return day.weekday() < 5 and day != date(2026, 3, 2)  # 삼일절 대체공휴일


def test_supplement_rules() -> None:
    d.check_supplement_request(requests_made=0, days=30)
    d.check_supplement_request(requests_made=1, days=10)
    with pytest.raises(d.ComplaintRuleError, match="supplement_period_invalid"):
        d.check_supplement_request(requests_made=1, days=11)  # 2차는 10일 이내
    with pytest.raises(d.ComplaintRuleError, match="supplement_period_invalid"):
        d.check_supplement_request(requests_made=0, days=0)
    with pytest.raises(d.ComplaintRuleError, match="supplement_limit_reached"):
        d.check_supplement_request(requests_made=2, days=5)


@pytest.mark.parametrize(
    ("requested", "days", "due"),
    [
        (date(2026, 3, 9), 7, date(2026, 3, 16)),  # 월 요구, 초일 불산입 3/10~3/16(월)
        (date(2026, 3, 9), 5, date(2026, 3, 16)),  # 말일 3/14(토) → 민법 제161조 3/16(월)
        (date(2026, 2, 24), 5, date(2026, 3, 3)),  # 말일 3/1(일, 삼일절) → 3/2 대체공휴일 → 3/3(화)
    ],
)
def test_supplement_due_on_counts_by_the_civil_code(requested: date, days: int, due: date) -> None:
    assert d.supplement_due_on(requested, days, is_working_day=weekdays) == due


def test_return_only_after_two_ignored_requests() -> None:
    due = date(2026, 3, 20)
    with pytest.raises(d.ComplaintRuleError, match="return_not_allowed"):
        d.check_return(requests_made=1, last_due_on=due, today=due + timedelta(days=5))
    with pytest.raises(d.ComplaintRuleError, match="return_not_allowed"):
        d.check_return(requests_made=2, last_due_on=due, today=due)
    with pytest.raises(d.ComplaintRuleError, match="return_not_allowed"):
        d.check_return(requests_made=2, last_due_on=None, today=due)
    d.check_return(requests_made=2, last_due_on=due, today=due + timedelta(days=1))


P, OBJ = d.ClockKind.PROCESSING, d.ClockKind.OBJECTION


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"clock": P, "previous_extensions": 0, "consent": False, "reason": "cooperation"}, None),
        ({"clock": P, "previous_extensions": 1, "consent": True, "reason": "fact_finding"}, None),
        (
            {"clock": P, "previous_extensions": 1, "consent": False, "reason": "fact_finding"},
            "complaint.extension_consent_required",
        ),
        (
            {"clock": P, "previous_extensions": 2, "consent": True, "reason": "cooperation"},
            "complaint.extension_limit_reached",
        ),
        (
            {"clock": P, "previous_extensions": 0, "consent": False, "reason": "workload"},
            "complaint.extension_reason_not_allowed",
        ),
        (
            {"clock": P, "previous_extensions": 0, "consent": False, "reason": "assignment_delay"},
            "complaint.extension_reason_not_allowed",
        ),
        (
            {"clock": P, "previous_extensions": 0, "consent": False, "reason": "officer_absence"},
            "complaint.extension_reason_not_allowed",
        ),
        (
            {"clock": P, "previous_extensions": 0, "consent": False, "reason": "bored"},
            "complaint.extension_reason_not_allowed",
        ),
        (
            {"clock": P, "previous_extensions": 0, "consent": False, "reason": "equivalent"},
            "complaint.extension_reason_text_required",
        ),
        (
            {"clock": OBJ, "previous_extensions": 0, "consent": False, "reason": "force_majeure"},
            None,
        ),
        (
            {"clock": OBJ, "previous_extensions": 1, "consent": True, "reason": "force_majeure"},
            "complaint.extension_limit_reached",
        ),
        (
            {
                "clock": d.ClockKind.NONE,
                "previous_extensions": 0,
                "consent": False,
                "reason": "cooperation",
            },
            "complaint.no_deadline_to_extend",
        ),
        (
            {
                "clock": d.ClockKind.REGISTRATION,
                "previous_extensions": 0,
                "consent": False,
                "reason": "cooperation",
            },
            "complaint.no_deadline_to_extend",
        ),
    ],
)
def test_extension_rules(kwargs: dict[str, object], code: str | None) -> None:
    if code is None:
        assert d.check_extension(reason_text="", **kwargs) in d.ALLOWED_EXTENSION_REASONS  # type: ignore[arg-type]
    else:
        with pytest.raises(d.ComplaintRuleError) as info:
            d.check_extension(reason_text="", **kwargs)  # type: ignore[arg-type]
        assert info.value.code == code
        assert info.value.rule


def test_equivalent_reason_with_text_is_allowed() -> None:
    reason = d.check_extension(
        clock=P,
        previous_extensions=0,
        consent=False,
        reason="equivalent",
        reason_text="감정 의뢰 회신 대기",
    )
    assert reason == d.ExtensionReason.EQUIVALENT


@pytest.mark.parametrize(
    ("kind", "outcome", "reason", "route", "code"),
    [
        (K.STATUTORY, d.Outcome.GRANTED, "", "", None),
        (K.STATUTORY, d.Outcome.REFUSED, "", "이의신청", "complaint.refusal_reason_required"),
        (K.STATUTORY, d.Outcome.REFUSED, "요건 미비", "", "complaint.appeal_route_required"),
        (K.STATUTORY, d.Outcome.REFUSED, "요건 미비", "이의신청 60일", None),
        (
            K.STATUTORY,
            d.Outcome.NOT_PROCESSED,
            "소송 계속 중",
            "",
            "complaint.not_processed_statutory",
        ),
        (K.SUGGESTION, d.Outcome.NOT_PROCESSED, "소송 계속 중", "", None),
        (K.INQUIRY_LAW, d.Outcome.INFORMED, "", "", None),
    ],
)
def test_answer_rules(
    kind: K, outcome: d.Outcome, reason: str, route: str, code: str | None
) -> None:
    if code is None:
        d.check_answer(kind=kind, outcome=outcome, reason=reason, appeal_route=route)
    else:
        with pytest.raises(d.ComplaintRuleError) as info:
            d.check_answer(kind=kind, outcome=outcome, reason=reason, appeal_route=route)
        assert info.value.code == code


def test_reopen_is_not_for_statutory() -> None:
    d.check_reopen(kind=K.OTHER)
    with pytest.raises(d.ComplaintRuleError, match="reopen_statutory"):
        d.check_reopen(kind=K.STATUTORY)


def test_objection_last_day() -> None:
    # 2026-03-10(화) 통지 → 초일 불산입, 60일째 5/9(토) → 5/11(월)
    assert d.objection_last_day(date(2026, 3, 10), is_working_day=weekdays) == date(2026, 5, 11)


def test_objection_rules() -> None:
    last = date(2026, 5, 11)
    ok = {
        "kind": K.STATUTORY,
        "outcome": d.Outcome.REFUSED,
        "already_filed": False,
        "last_day": last,
    }
    d.check_objection(today=last, **ok)  # type: ignore[arg-type]
    with pytest.raises(d.ComplaintRuleError, match="objection_too_late"):
        d.check_objection(today=last + timedelta(days=1), **ok)  # type: ignore[arg-type]
    with pytest.raises(d.ComplaintRuleError, match="objection_already_filed"):
        d.check_objection(today=last, **{**ok, "already_filed": True})  # type: ignore[arg-type]
    with pytest.raises(d.ComplaintRuleError, match="objection_not_refused"):
        d.check_objection(today=last, **{**ok, "outcome": d.Outcome.GRANTED})  # type: ignore[arg-type]
    with pytest.raises(d.ComplaintRuleError, match="objection_not_refused"):
        d.check_objection(today=last, **{**ok, "kind": K.GRIEVANCE})  # type: ignore[arg-type]


def test_repeat_closure() -> None:
    ok: dict[str, object] = {
        "kind": K.OTHER,
        "same_complainant": True,
        "filings": 3,
        "answered_filings": 2,
        "is_multi_party": False,
        "committee_decided_close": False,
    }
    d.check_repeat_closure(**ok)  # type: ignore[arg-type]
    refused: list[tuple[dict[str, object], str]] = [
        ({"kind": K.STATUTORY}, "repeat_closure_statutory"),
        ({"same_complainant": False}, "repeat_closure_other_complainant"),
        ({"filings": 2}, "repeat_closure_too_few_filings"),
        ({"answered_filings": 1}, "repeat_closure_too_early"),
        ({"is_multi_party": True}, "needs_committee"),
    ]
    for change, code in refused:
        with pytest.raises(d.ComplaintRuleError, match=code):
            d.check_repeat_closure(**{**ok, **change})  # type: ignore[arg-type]
    d.check_repeat_closure(**{**ok, "is_multi_party": True, "committee_decided_close": True})  # type: ignore[arg-type]


def test_committee_review() -> None:
    d.check_committee_review(held_on=date(2026, 3, 9), today=date(2026, 3, 9), summary="종결 의결")
    with pytest.raises(d.ComplaintRuleError, match="committee_in_future"):
        d.check_committee_review(held_on=date(2026, 3, 10), today=date(2026, 3, 9), summary="x")
    with pytest.raises(d.ComplaintRuleError, match="committee_summary_required"):
        d.check_committee_review(held_on=date(2026, 3, 9), today=date(2026, 3, 9), summary=" ")


@pytest.mark.parametrize(
    ("today", "recorded", "due"),
    [
        (date(2026, 4, 7), 0, 0),  # 29일 경과
        (date(2026, 4, 8), 0, 1),  # 30일 경과: 첫 중간통지
        (date(2026, 4, 8), 1, 0),
        (date(2026, 5, 8), 1, 1),  # 60일: 두 번째
        (date(2026, 5, 8), 0, 2),
    ],
)
def test_progress_notices_every_thirty_days(today: date, recorded: int, due: int) -> None:
    assert (
        d.progress_notices_due(registered_on=date(2026, 3, 9), today=today, recorded=recorded)
        == due
    )


def test_receipt() -> None:
    assert d.receipt_number(year=2026, sequence=42) == "2026-0000042"
    assert d.receipt_required(kind=K.STATUTORY, channel=d.IntakeChannel.COUNTER, period="5d")
    assert not d.receipt_required(kind=K.STATUTORY, channel=d.IntakeChannel.WEB, period="5d")
    assert not d.receipt_required(
        kind=K.STATUTORY, channel=d.IntakeChannel.COUNTER, period="instant"
    )
    assert not d.receipt_required(kind=K.OTHER, channel=d.IntakeChannel.COUNTER, period="3d")


def test_rule_violation_text() -> None:
    assert str(d.ComplaintRuleError("x.y", "법 제1조")) == "x.y (법 제1조)"
