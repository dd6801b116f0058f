"""Pure rules of the complaint lifecycle (민원처리법, 시행령, 시행규칙). Stdlib only.

The lifecycle is ONE table, `TRANSITIONS`: (status, action) → next status. Every service asks
`ensure_transition` before it writes; every other rule here is a small function that raises
`ComplaintRuleError` with a stable code and the article it enforces. Services translate the code
into a message; this module never speaks to people.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Final

from minwon.lawclock.days import civil_code_last_day
from minwon.lawclock.kinds import DECREE_PERIODS, STATUTORY_PERIOD_BASIS, ComplaintKind

# --- vocabulary ---------------------------------------------------------------------------------


class IntakeChannel(StrEnum):
    WEB = "web"  # 전자민원창구 (포털)
    COUNTER = "counter"  # 방문 (창구 서면)
    ORAL = "oral"  # 구술 (창구)
    PHONE = "phone"  # 전화
    POST = "post"  # 우편
    FAX = "fax"  # 팩스
    API = "api"  # 외부 시스템 API
    EPEOPLE = "epeople"  # 국민신문고 연계
    GOV24 = "gov24"  # 정부24 연계


# 영 제6조⑧: complaints arriving at an electronic window are registered within 8 working hours.
ELECTRONIC_CHANNELS: Final = frozenset(
    {IntakeChannel.WEB, IntakeChannel.API, IntakeChannel.EPEOPLE, IntakeChannel.GOV24}
)
# 법 제8조 단서: only 기타민원 may be made orally or by phone.
ORAL_CHANNELS: Final = frozenset({IntakeChannel.ORAL, IntakeChannel.PHONE})


class ComplaintStatus(StrEnum):
    RECEIVED = "received"  # 도달 (접수 전)
    REGISTERED = "registered"  # 접수 (담당자 지정 전)
    IN_PROGRESS = "in_progress"  # 처리중 (담당자 지정)
    SUPPLEMENT_PENDING = "supplement_pending"  # 보완 요구 중 (처리기간 정지)
    ANSWERED = "answered"  # 처리완료 (결과 통지)
    OBJECTION_PENDING = "objection_pending"  # 이의신청 처리중
    OBJECTION_DECIDED = "objection_decided"  # 이의신청 결정 통지
    TRANSFERRED = "transferred"  # 타 기관 이송
    RETURNED = "returned"  # 반려 (보완 불이행)
    WITHDRAWN = "withdrawn"  # 취하
    CLOSED = "closed"  # 종결 (병합·반복민원 종결)


class Action(StrEnum):
    ARRIVE = "arrive"  # 도달: the first history row, not a transition (nothing comes before it)
    REGISTER = "register"  # 접수
    ASSIGN = "assign"  # 담당 부서·담당자 지정 (재지정 포함)
    TRANSFER_INTERNAL = "transfer_internal"  # 기관 내 이송 (영 제13조①②)
    TRANSFER_EXTERNAL = "transfer_external"  # 타 기관 이송 (영 제13조③)
    REQUEST_SUPPLEMENT = "request_supplement"  # 보완 요구 (법 제22조①, 영 제24조)
    RECEIVE_SUPPLEMENT = "receive_supplement"  # 보완 도착
    EXTEND_SUPPLEMENT = (
        "extend_supplement"  # 보완 기간 연장, at the complainant's request (영 제24조②)
    )
    RETURN = "return"  # 반려 (영 제25조①)
    EXTEND = "extend"  # 처리기간 연장 (영 제21조, 법 제35조②)
    RECORD_PROGRESS_NOTICE = "record_progress_notice"  # 중간통지 (영 제23조)
    ANSWER = "answer"  # 처리 및 결과 통지 (법 제27조)
    WITHDRAW = "withdraw"  # 취하 (법 제22조②)
    REOPEN = "reopen"  # 재민원 (비법정민원)
    FILE_OBJECTION = "file_objection"  # 이의신청 (법 제35조①)
    DECIDE_OBJECTION = "decide_objection"  # 이의신청 결정 (법 제35조②)
    MERGE = "merge"  # 병합 접수 (영 제6조⑦): the merged-away complaint closes
    CLOSE_REPEATED = "close_repeated"  # 반복민원 종결 (법 제23조)
    COMMITTEE_REVIEW = "committee_review"  # 민원조정위원회 심의 (영 제26조, 제36조, 제38조의2)
    EXCLUDE_TIME = "exclude_time"  # 처리기간에 산입하지 않는 기간 (영 제17조④⑤, 제20조)
    END_EXCLUDED_TIME = "end_excluded_time"  # that interval ends: the clock runs again
    CORRECT_HOUSEHOLDS = (
        "correct_households"  # the officer corrects the 세대 count (법 제2조 제6호)
    )
    RATE = "rate"  # 만족도 평가: recorded in the history, not a transition (the status stays)
    # a holiday change moved a legal date (민법 제161조): history, not a transition
    MOVE_DATES = "move_dates"
    # 비회원 민원 가져오기: a complaint filed without an account attached to the complainant's own
    # account (the follow-up number and password proved it); history, not a transition
    CLAIM = "claim"


S, A = ComplaintStatus, Action

# THE lifecycle table: (status, action) → next status. Nothing else changes a status.
TRANSITIONS: Final[dict[tuple[ComplaintStatus, Action], ComplaintStatus]] = {
    (S.RECEIVED, A.REGISTER): S.REGISTERED,
    (S.RECEIVED, A.TRANSFER_EXTERNAL): S.TRANSFERRED,
    (S.RECEIVED, A.WITHDRAW): S.WITHDRAWN,
    (S.RECEIVED, A.MERGE): S.CLOSED,
    (S.RECEIVED, A.CORRECT_HOUSEHOLDS): S.RECEIVED,
    (S.REGISTERED, A.CORRECT_HOUSEHOLDS): S.REGISTERED,
    (S.IN_PROGRESS, A.CORRECT_HOUSEHOLDS): S.IN_PROGRESS,
    (S.REGISTERED, A.ASSIGN): S.IN_PROGRESS,
    (S.REGISTERED, A.TRANSFER_INTERNAL): S.REGISTERED,
    (S.REGISTERED, A.TRANSFER_EXTERNAL): S.TRANSFERRED,
    (S.REGISTERED, A.EXTEND): S.REGISTERED,
    (S.REGISTERED, A.RECORD_PROGRESS_NOTICE): S.REGISTERED,
    (S.REGISTERED, A.ANSWER): S.ANSWERED,  # the counter answers on the spot (기타민원 즉시)
    (S.REGISTERED, A.WITHDRAW): S.WITHDRAWN,
    (S.REGISTERED, A.MERGE): S.CLOSED,
    (S.REGISTERED, A.CLOSE_REPEATED): S.CLOSED,
    (S.REGISTERED, A.COMMITTEE_REVIEW): S.REGISTERED,
    (S.REGISTERED, A.EXCLUDE_TIME): S.REGISTERED,
    (S.REGISTERED, A.END_EXCLUDED_TIME): S.REGISTERED,
    (S.IN_PROGRESS, A.ASSIGN): S.IN_PROGRESS,
    (S.IN_PROGRESS, A.TRANSFER_INTERNAL): S.REGISTERED,
    (S.IN_PROGRESS, A.TRANSFER_EXTERNAL): S.TRANSFERRED,
    (S.IN_PROGRESS, A.REQUEST_SUPPLEMENT): S.SUPPLEMENT_PENDING,
    (S.IN_PROGRESS, A.EXTEND): S.IN_PROGRESS,
    (S.IN_PROGRESS, A.RECORD_PROGRESS_NOTICE): S.IN_PROGRESS,
    (S.IN_PROGRESS, A.ANSWER): S.ANSWERED,
    (S.IN_PROGRESS, A.WITHDRAW): S.WITHDRAWN,
    (S.IN_PROGRESS, A.MERGE): S.CLOSED,
    (S.IN_PROGRESS, A.CLOSE_REPEATED): S.CLOSED,
    (S.IN_PROGRESS, A.COMMITTEE_REVIEW): S.IN_PROGRESS,
    (S.IN_PROGRESS, A.EXCLUDE_TIME): S.IN_PROGRESS,
    (S.IN_PROGRESS, A.END_EXCLUDED_TIME): S.IN_PROGRESS,
    (S.SUPPLEMENT_PENDING, A.REQUEST_SUPPLEMENT): S.SUPPLEMENT_PENDING,  # 2차 보완 요구
    (S.SUPPLEMENT_PENDING, A.RECEIVE_SUPPLEMENT): S.IN_PROGRESS,
    (S.SUPPLEMENT_PENDING, A.EXTEND_SUPPLEMENT): S.SUPPLEMENT_PENDING,
    (S.SUPPLEMENT_PENDING, A.RETURN): S.RETURNED,
    (S.SUPPLEMENT_PENDING, A.RECORD_PROGRESS_NOTICE): S.SUPPLEMENT_PENDING,
    (S.SUPPLEMENT_PENDING, A.WITHDRAW): S.WITHDRAWN,
    (S.ANSWERED, A.REOPEN): S.IN_PROGRESS,
    (S.ANSWERED, A.FILE_OBJECTION): S.OBJECTION_PENDING,
    (S.OBJECTION_PENDING, A.EXTEND): S.OBJECTION_PENDING,
    (S.OBJECTION_PENDING, A.DECIDE_OBJECTION): S.OBJECTION_DECIDED,
    (S.OBJECTION_PENDING, A.WITHDRAW): S.WITHDRAWN,
    (S.OBJECTION_PENDING, A.EXCLUDE_TIME): S.OBJECTION_PENDING,
    (S.OBJECTION_PENDING, A.END_EXCLUDED_TIME): S.OBJECTION_PENDING,
}
del S, A

# Statuses whose legal clock runs (or is paused, for a supplement): deadlines are re-computed.
OPEN_STATUSES: Final = frozenset(
    {
        ComplaintStatus.RECEIVED,
        ComplaintStatus.REGISTERED,
        ComplaintStatus.IN_PROGRESS,
        ComplaintStatus.SUPPLEMENT_PENDING,
        ComplaintStatus.OBJECTION_PENDING,
    }
)
FINAL_STATUSES: Final = frozenset(set(ComplaintStatus) - OPEN_STATUSES)


class ClockKind(StrEnum):
    """Which legal clock the stored deadline belongs to."""

    NONE = ""  # no statutory deadline (제보, or a closed complaint)
    REGISTRATION = "registration"  # 영 제6조⑧: 8 working hours from arrival
    PROCESSING = "processing"  # 처리기간 (법 제17조, 영 제14조~제17조)
    OBJECTION = "objection"  # 이의신청 결정기간 (법 제35조②)


class Outcome(StrEnum):
    GRANTED = "granted"  # 인용·처리
    PARTIALLY_GRANTED = "partially_granted"  # 일부 인용
    REFUSED = "refused"  # 거부
    INFORMED = "informed"  # 설명·안내 (질의·건의·기타)
    NOT_PROCESSED = "not_processed"  # 처리 제외 (법 제21조)


# 법 제27조③: a refusal states its reason and the remedy.
OUTCOMES_NEEDING_REASON: Final = frozenset(
    {Outcome.REFUSED, Outcome.PARTIALLY_GRANTED, Outcome.NOT_PROCESSED}
)
# How long an answer may be, on the office's form and in the API alike (characters).
ANSWER_MAX_LENGTH: Final = 8000
ANSWER_NOTE_MAX_LENGTH: Final = 2000  # the reason of a refusal, the route to appeal


class ObjectionOutcome(StrEnum):
    UPHELD = "upheld"  # 인용
    DISMISSED = "dismissed"  # 기각
    REJECTED = "rejected"  # 각하


class ExtensionReason(StrEnum):
    """영 제21조① (2026.5.6. 개정) allowed grounds, and 제21조② forbidden ones."""

    COOPERATION = "cooperation"  # 관계 기관·부서의 협조가 필요한 경우 (제1호)
    FACT_FINDING = "fact_finding"  # 사실관계 또는 현장 확인이 필요한 경우 (제2호)
    FORCE_MAJEURE = "force_majeure"  # 천재지변이나 그 밖의 불가항력적인 사유 (제3호)
    EQUIVALENT = "equivalent"  # 제1호~제3호에 준하는 사유 (제4호)
    WORKLOAD = "workload"  # 단순 업무과중 (금지, 제21조②)
    ASSIGNMENT_DELAY = "assignment_delay"  # 민원 처리 담당자의 지정 지연 (금지)
    OFFICER_ABSENCE = "officer_absence"  # 담당자 부재 (금지)


ALLOWED_EXTENSION_REASONS: Final = frozenset(
    {
        ExtensionReason.COOPERATION,
        ExtensionReason.FACT_FINDING,
        ExtensionReason.FORCE_MAJEURE,
        ExtensionReason.EQUIVALENT,
    }
)


class TransferKind(StrEnum):
    WITHIN_UNIT = "within_unit"  # 민원실 → 처리주무부서, 1근무시간 (영 제13조①)
    INTERNAL = "internal"  # 기관 내 잘못 접수, 3근무시간 (영 제13조②)
    EXTERNAL = "external"  # 다른 행정기관, 8근무시간 + 통지 (영 제13조③)


class NoticeKind(StrEnum):
    """Notices the law requires; an event carrying one is picked up by the notifications outbox."""

    RECEIPT = "receipt"  # 접수 통지·접수증 (영 제6조④)
    TRANSFER = "transfer"  # 이송 통지 (영 제13조③)
    SUPPLEMENT_REQUEST = "supplement_request"  # 보완 요구 (영 제24조)
    EXTENSION = "extension"  # 연장 통지 (영 제21조③)
    PROGRESS = "progress"  # 중간통지 (영 제23조)
    RESULT = "result"  # 처리결과 통지 (법 제27조)
    RETURN = "return"  # 반려 통지 (영 제25조①)
    OBJECTION_RESULT = "objection_result"  # 이의신청 결정 통지 (법 제35조②)
    REPEATED_CLOSURE = "repeated_closure"  # 반복민원 종결 통지 (법 제23조①)
    WITHDRAWAL = "withdrawal"  # 취하 확인 (법 제22조②)
    DEADLINE_MOVED = "deadline_moved"  # a date the complainant was told moved (a new holiday)


# The 중간통지 (영 제23조①) lists at most this many earlier steps as "done so far", oldest first.
PROGRESS_HISTORY_LIMIT: Final = 8


# --- errors ---------------------------------------------------------------------------------------


@dataclass
class ComplaintRuleError(Exception):
    """A lifecycle rule refuses the operation; `rule` cites the article (in Korean, as written)."""

    code: str
    rule: str
    params: dict[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.code} ({self.rule})"


# --- transitions ----------------------------------------------------------------------------------


def next_status(status: ComplaintStatus, action: Action) -> ComplaintStatus | None:
    return TRANSITIONS.get((status, action))


def ensure_transition(status: ComplaintStatus, action: Action) -> ComplaintStatus:
    """The status after `action`, or ComplaintRuleError('complaint.invalid_transition')."""
    target = TRANSITIONS.get((status, action))
    if target is None:
        raise ComplaintRuleError(
            "complaint.invalid_transition",
            "lifecycle",
            {"status": status.value, "action": action.value},
        )
    return target


def allowed_actions(status: ComplaintStatus) -> list[Action]:
    return [action for (state, action) in TRANSITIONS if state == status]


# --- the stored clock -----------------------------------------------------------------------------

Interval = tuple[datetime, datetime]


def parse_intervals(stored: Sequence[Sequence[str | None]]) -> list[Interval] | None:
    """Stored [[start, end], ...] (보완) or [[start, end, kind], ...] (영 제20조 and the other
    excluded time, lawclock.exclusions) → intervals; None while one is open (the clock is
    stopped)."""
    intervals: list[Interval] = []
    for start, end, *_kind in stored:
        if end is None or start is None:
            return None
        intervals.append((datetime.fromisoformat(start), datetime.fromisoformat(end)))
    return intervals


# --- deadline warnings ----------------------------------------------------------------------------

# The shares of the legal period used at which officers are warned: half gone (keep an eye on it)
# and four fifths gone (act now). The city's policy, not the law's. The office queue's colours and
# its deadline watch, and the notifications' deadline warnings (in Python and in SQL), read these.
DEADLINE_WATCH_SHARE: Final = 0.5
DEADLINE_URGENT_SHARE: Final = 0.8
DEADLINE_WARNING_SHARES: Final = (DEADLINE_WATCH_SHARE, DEADLINE_URGENT_SHARE)


# --- periods --------------------------------------------------------------------------------------


# 영 제16조③: the agency's own period for 기타민원, when it sets one.
OTHER_PERIOD_BASIS: Final = "민원처리법 시행령 제16조 제3항 (기관이 정한 처리기간)"


def processing_period(
    kind: ComplaintKind, *, catalogue_period: str | None = None, other_period: str = ""
) -> tuple[str, str] | None:
    """(period, legal basis) for a complaint of `kind`; None for a tip (no statutory deadline).

    법정민원 take their period from the catalogue entry (법 제17조); 기타민원 the agency's own
    period when it set one (`other_period`, 영 제16조③), else 즉시; the other kinds the Decree's.
    """
    if kind == ComplaintKind.TIP:
        return None
    if kind == ComplaintKind.OTHER and other_period:
        return other_period, OTHER_PERIOD_BASIS
    if kind == ComplaintKind.STATUTORY:
        if not catalogue_period:
            raise ComplaintRuleError("complaint.statutory_type_required", "민원처리법 제17조")
        return catalogue_period, STATUTORY_PERIOD_BASIS
    return DECREE_PERIODS[kind]


# --- intake ---------------------------------------------------------------------------------------


def check_channel(kind: ComplaintKind, channel: IntakeChannel) -> None:
    """법 제8조: complaints are written; only 기타민원 may be oral or by phone."""
    if channel in ORAL_CHANNELS and kind != ComplaintKind.OTHER:
        raise ComplaintRuleError(
            "complaint.oral_not_allowed",
            "민원처리법 제8조",
            {"kind": kind.value, "channel": channel.value},
        )


def check_identity(
    kind: ComplaintKind, *, name: str, address: str, has_rrn: bool, rrn_required: bool
) -> None:
    """영 제2조①3: a 민원인 is identifiable by name and address; a tip is anonymous.

    주민등록번호 is collected only when the type's law requires it (개인정보 보호법 제24조의2).
    """
    if kind == ComplaintKind.TIP:
        if has_rrn:
            raise ComplaintRuleError("complaint.rrn_not_allowed", "개인정보 보호법 제24조의2")
        return
    if not name.strip():
        raise ComplaintRuleError(
            "complaint.name_required", "민원처리법 시행령 제2조 제1항 제3호", {"field": "name"}
        )
    if not address.strip():
        raise ComplaintRuleError(
            "complaint.address_required",
            "민원처리법 시행령 제2조 제1항 제3호",
            {"field": "address"},
        )
    if rrn_required and not has_rrn:
        raise ComplaintRuleError("complaint.rrn_required", "개인정보 보호법 제24조의2")
    if has_rrn and not rrn_required:
        raise ComplaintRuleError("complaint.rrn_not_allowed", "개인정보 보호법 제24조의2")


# 법 제2조 제6호: 다수인관련민원 = 5세대 이상의 공동이해 + 5명 이상 연명.
MULTI_PARTY_MIN_SIGNERS: Final = 5
MULTI_PARTY_MIN_HOUSEHOLDS: Final = 5
MERGE_MIN_COMPLAINANTS: Final = 5  # 영 제6조⑦ 병합 접수
MAX_REPRESENTATIVES: Final = 3  # 영 제8조


def is_multi_party(*, signers: int, households: int) -> bool:
    return signers >= MULTI_PARTY_MIN_SIGNERS and households >= MULTI_PARTY_MIN_HOUSEHOLDS


def check_cosigners(*, signers: int, households: int, representatives: int) -> None:
    if signers < 0 or households < 0 or households > max(signers, 0):
        raise ComplaintRuleError("complaint.invalid_cosigners", "민원처리법 제2조 제6호")
    if representatives > MAX_REPRESENTATIVES:
        raise ComplaintRuleError("complaint.too_many_representatives", "민원처리법 시행령 제8조")


def check_household_correction(*, households: int, signers: int, reason: str) -> None:
    """법 제2조 제6호: the officer corrects how many 세대 the signers live in (one flat typed two
    ways, a road-name and a lot address of one building): at least one, at most one a signer,
    and why."""
    if households < 1 or households > max(signers, 1):
        raise ComplaintRuleError(
            "complaint.household_count_invalid", "민원처리법 제2조 제6호", {"field": "households"}
        )
    if not reason.strip():
        raise ComplaintRuleError(
            "complaint.reason_required", "민원처리법 제2조 제6호", {"field": "reason"}
        )


def check_merge(*, complainants: int, kinds: set[ComplaintKind]) -> None:
    """영 제6조⑦: 5명 이상의 동일 취지 민원은 병합 접수할 수 있다."""
    if complainants < MERGE_MIN_COMPLAINANTS:
        raise ComplaintRuleError(
            "complaint.merge_too_few",
            "민원처리법 시행령 제6조 제7항",
            {"minimum": MERGE_MIN_COMPLAINANTS},
        )
    if len(kinds) != 1 or ComplaintKind.TIP in kinds:
        raise ComplaintRuleError("complaint.merge_kinds_differ", "민원처리법 시행령 제6조 제7항")


def check_location(*, lat: float | None, lng: float | None) -> None:
    """A map pin is optional, but it is a whole point on the earth: both coordinates or none."""
    if (lat is None) != (lng is None):
        raise ComplaintRuleError("complaint.location_invalid", "", {"field": "location"})
    if lat is not None and lng is not None and not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise ComplaintRuleError("complaint.location_invalid", "", {"field": "location"})


# --- supplement, return ---------------------------------------------------------------------------

MAX_SUPPLEMENT_REQUESTS: Final = 2  # 영 제24조③: 2차 보완 요구까지
SECOND_SUPPLEMENT_MAX_DAYS: Final = 10  # 영 제24조③: 10일 이내
FIRST_SUPPLEMENT_MAX_DAYS: Final = 30  # "상당한 기간" (법 제22조①): the system's upper bound


def check_supplement_request(*, requests_made: int, days: int) -> None:
    if requests_made >= MAX_SUPPLEMENT_REQUESTS:
        raise ComplaintRuleError(
            "complaint.supplement_limit_reached",
            "민원처리법 시행령 제24조 제3항",
            {"limit": MAX_SUPPLEMENT_REQUESTS},
        )
    limit = SECOND_SUPPLEMENT_MAX_DAYS if requests_made == 1 else FIRST_SUPPLEMENT_MAX_DAYS
    if not 1 <= days <= limit:
        raise ComplaintRuleError(
            "complaint.supplement_period_invalid", "민원처리법 시행령 제24조", {"maximum": limit}
        )


def supplement_due_on(
    requested_on: date, days: int, *, is_working_day: Callable[[date], bool]
) -> date:
    """Last day to supplement: 민법 제157조 (first day not counted) and 제161조 (영 제24조④).

    Requested 2026-03-09 (Mon) with 7 days → day 1 is 3/10, day 7 is 3/16 (Mon, a working day).
    When the last day is a Saturday or holiday the period ends on the next working day.
    """
    return civil_code_last_day(requested_on, days, is_working_day=is_working_day)


SUPPLEMENT_REQUEST_RULE: Final = "민원처리법 시행규칙 제9조 제1항"
MAX_SUPPLEMENT_EXTENSIONS: Final = (
    2  # 영 제24조②: the complainant asks for more time, twice at most
)


def check_supplement_in_time(
    *, requested_at: datetime, limit_at: datetime, late_reason: str
) -> bool:
    """규칙 제9조①: a 보완 요구 is made within 8 working hours of registration (`limit_at`,
    `lawclock.supplement_request_deadline`). Later, it is flagged late and states why it could not
    be asked earlier (a defect a site check revealed, which is then asked for 즉시). Returns
    whether the request is late."""
    late = requested_at > limit_at
    if late and not late_reason.strip():
        raise ComplaintRuleError(
            "complaint.supplement_late_reason_required",
            SUPPLEMENT_REQUEST_RULE,
            {"limit_at": limit_at.strftime("%Y-%m-%d %H:%M"), "field": "late_reason"},
        )
    return late


def check_supplement_extension(
    *, granted_before: int, today: date, due_on: date | None, days: int, new_due_on: date | None
) -> None:
    """영 제24조②: the complainant who cannot supplement in time asks, within the period, for the
    time they need (`days` from today, ending on `new_due_on`); at most twice, and the new period
    ends later than the one it replaces."""
    rule = "민원처리법 시행령 제24조 제2항"
    if granted_before >= MAX_SUPPLEMENT_EXTENSIONS:
        raise ComplaintRuleError(
            "complaint.supplement_extension_limit", rule, {"limit": MAX_SUPPLEMENT_EXTENSIONS}
        )
    if due_on is None or today > due_on:
        raise ComplaintRuleError("complaint.supplement_extension_too_late", rule)
    if not 1 <= days <= FIRST_SUPPLEMENT_MAX_DAYS or new_due_on is None:
        raise ComplaintRuleError(
            "complaint.supplement_period_invalid",
            rule,
            {"maximum": FIRST_SUPPLEMENT_MAX_DAYS, "field": "days"},
        )
    if new_due_on <= due_on:
        raise ComplaintRuleError(
            "complaint.supplement_extension_not_longer",
            rule,
            {"due_on": due_on.isoformat(), "field": "days"},
        )


def check_return(*, requests_made: int, last_due_on: date | None, today: date) -> None:
    """영 제25조①: return only after the second request went unanswered past its period."""
    if requests_made < MAX_SUPPLEMENT_REQUESTS or last_due_on is None or today <= last_due_on:
        raise ComplaintRuleError("complaint.return_not_allowed", "민원처리법 시행령 제25조 제1항")


def check_supplement_submission(*, text: str, files: int) -> None:
    """The citizen's answer to a 보완 요구 carries words, files, or both; never nothing."""
    if not text.strip() and files == 0:
        raise ComplaintRuleError(
            "complaint.supplement_empty", "민원처리법 제22조 제1항", {"field": "text"}
        )


# --- extension ------------------------------------------------------------------------------------

MAX_EXTENSIONS: Final = 2  # 영 제21조①: 한 차례 + 동의 받아 한 차례만 다시
MAX_OBJECTION_EXTENSIONS: Final = 1  # 법 제35조②: 10일의 범위에서 (한 번)
OBJECTION_PERIOD: Final = "10d"
OBJECTION_BASIS: Final = "민원처리법 제35조 제2항"


def check_extension(
    *,
    clock: ClockKind,
    previous_extensions: int,
    consent: bool,
    reason: str,
    reason_text: str,
) -> ExtensionReason:
    """The checked reason, or ComplaintRuleError naming 영 제21조 / 법 제35조②."""
    if clock in (ClockKind.NONE, ClockKind.REGISTRATION):
        raise ComplaintRuleError("complaint.no_deadline_to_extend", "민원처리법 시행령 제21조")
    try:
        parsed = ExtensionReason(reason)
    except ValueError:
        parsed = None
    if parsed is None or parsed not in ALLOWED_EXTENSION_REASONS:
        raise ComplaintRuleError(
            "complaint.extension_reason_not_allowed",
            "민원처리법 시행령 제21조 제2항",
            {"reason": reason},
        )
    if parsed == ExtensionReason.EQUIVALENT and not reason_text.strip():
        raise ComplaintRuleError(
            "complaint.extension_reason_text_required", "민원처리법 시행령 제21조 제1항 제4호"
        )
    if clock == ClockKind.OBJECTION:
        if previous_extensions >= MAX_OBJECTION_EXTENSIONS:
            raise ComplaintRuleError("complaint.extension_limit_reached", OBJECTION_BASIS)
        return parsed
    if previous_extensions >= MAX_EXTENSIONS:
        raise ComplaintRuleError(
            "complaint.extension_limit_reached",
            "민원처리법 시행령 제21조 제1항",
            {"limit": MAX_EXTENSIONS},
        )
    if previous_extensions == 1 and not consent:
        raise ComplaintRuleError(
            "complaint.extension_consent_required", "민원처리법 시행령 제21조 제1항 단서"
        )
    return parsed


class ConsentMethod(StrEnum):
    """How the complainant agreed to a second extension (영 제21조① 단서)."""

    WRITTEN = "written"  # 서면 (signed paper, kept in the file)
    PHONE = "phone"  # 전화 (the officer notes who agreed, and what was said)
    ELECTRONIC = "electronic"  # 전자 (portal, e-mail, 전자문서)


def check_consent(*, method: str, given_at: datetime | None, note: str, now: datetime) -> None:
    """영 제21조① 단서: the consent to a second extension is a fact with its way and its moment,
    never a bare flag; agreed by phone, the officer's note says who agreed and what was said."""
    rule = "민원처리법 시행령 제21조 제1항 단서"
    try:
        parsed = ConsentMethod(method)
    except ValueError:
        raise ComplaintRuleError(
            "complaint.consent_method_invalid", rule, {"field": "consent_method"}
        ) from None
    if given_at is None:
        raise ComplaintRuleError("complaint.consent_time_required", rule, {"field": "consent_at"})
    if given_at > now:
        raise ComplaintRuleError("complaint.consent_in_future", rule, {"field": "consent_at"})
    if parsed == ConsentMethod.PHONE and not note.strip():
        raise ComplaintRuleError("complaint.consent_note_required", rule, {"field": "consent_note"})


def check_extension_in_time(*, due_at: datetime, now: datetime) -> None:
    """영 제21조①: "처리기간 내에 처리하기 어렵다고 인정되는 경우" — an extension is decided while
    the period runs; once the due instant has passed the complaint is late and stays late."""
    if now > due_at:
        raise ComplaintRuleError(
            "complaint.extension_after_deadline",
            "민원처리법 시행령 제21조 제1항",
            {"due_at": due_at.strftime("%Y-%m-%d %H:%M")},
        )


# --- 복합민원 (법 제20조, 제31조) --------------------------------------------------------------


def check_within_parent(*, due_at: datetime | None, parent_due_at: datetime | None) -> None:
    """법 제20조: a consulted unit's reply period lies within the complaint's processing period,
    so a linked part never outlasts its parent (a stopped parent clock bounds nothing yet)."""
    if due_at is not None and parent_due_at is not None and due_at > parent_due_at:
        raise ComplaintRuleError(
            "complaint.child_outlasts_parent",
            "민원처리법 제20조",
            {"due_at": parent_due_at.strftime("%Y-%m-%d %H:%M"), "field": "period"},
        )


def check_children_answered(*, open_children: int) -> None:
    """법 제31조: the lead unit answers a 복합민원 once every linked part has been answered."""
    if open_children:
        raise ComplaintRuleError(
            "complaint.children_open", "민원처리법 제31조", {"count": open_children}
        )


# --- answer, reopen, objection, repeated -----------------------------------------------------


def answer_problems(
    *, kind: ComplaintKind, outcome: Outcome, reason: str, appeal_route: str
) -> list[ComplaintRuleError]:
    """Every rule an answer breaks, all at once (so a form can show them together):
    법 제27조③ a refusal gives the reason and the remedy; 법 제21조 only for non-statutory."""
    found = []
    if outcome in OUTCOMES_NEEDING_REASON and not reason.strip():
        found.append(
            ComplaintRuleError("complaint.refusal_reason_required", "민원처리법 제27조 제3항")
        )
    if outcome in (Outcome.REFUSED, Outcome.PARTIALLY_GRANTED) and not appeal_route.strip():
        found.append(
            ComplaintRuleError("complaint.appeal_route_required", "민원처리법 제27조 제3항")
        )
    if outcome == Outcome.NOT_PROCESSED and kind == ComplaintKind.STATUTORY:
        found.append(ComplaintRuleError("complaint.not_processed_statutory", "민원처리법 제21조"))
    return found


def check_answer(*, kind: ComplaintKind, outcome: Outcome, reason: str, appeal_route: str) -> None:
    """Raise the first rule the answer breaks (`answer_problems`)."""
    problems = answer_problems(kind=kind, outcome=outcome, reason=reason, appeal_route=appeal_route)
    if problems:
        raise problems[0]


def check_reopen(*, kind: ComplaintKind) -> None:
    """A refused 법정민원 goes to 이의신청 (법 제35조), not a reopening."""
    if kind == ComplaintKind.STATUTORY:
        raise ComplaintRuleError("complaint.reopen_statutory", "민원처리법 제35조")


OBJECTION_FILING_DAYS: Final = 60  # 법 제35조①


def objection_last_day(notified_on: date, *, is_working_day: Callable[[date], bool]) -> date:
    """법 제35조①: 60일 이내 — 민법 제157조 (first day not counted), 제161조.

    Refusal notified 2026-03-10 (Tue) → day 1 is 3/11, day 60 is 2026-05-09 (Sat) → next working
    day 2026-05-11 (Mon).
    """
    return civil_code_last_day(notified_on, OBJECTION_FILING_DAYS, is_working_day=is_working_day)


def check_objection(
    *,
    kind: ComplaintKind,
    outcome: Outcome | None,
    already_filed: bool,
    last_day: date,
    today: date,
) -> None:
    if kind != ComplaintKind.STATUTORY or outcome not in (
        Outcome.REFUSED,
        Outcome.PARTIALLY_GRANTED,
    ):
        raise ComplaintRuleError("complaint.objection_not_refused", "민원처리법 제35조 제1항")
    if already_filed:
        raise ComplaintRuleError("complaint.objection_already_filed", "민원처리법 제35조 제1항")
    if today > last_day:
        raise ComplaintRuleError(
            "complaint.objection_too_late",
            "민원처리법 제35조 제1항",
            {"last_day": last_day.isoformat()},
        )


REPEAT_MIN_FILINGS: Final = 3  # 법 제23조①: 3회 이상 반복하여 제출 (this filing included)
REPEAT_MIN_RESULT_NOTICES: Final = 2  # 법 제23조①: 2회 이상 그 처리결과를 통지


class CommitteeDecision(StrEnum):
    """What the 민원조정위원회 decided about a repeated 다수인관련민원 (영 제26조, 제38조의2)."""

    CLOSE = "close"  # 종결처리 may follow
    CONTINUE = "continue"  # handle it again


def check_repeat_closure(
    *,
    kind: ComplaintKind,
    same_complainant: bool,
    filings: int,
    answered_filings: int,
    is_multi_party: bool,
    committee_decided_close: bool,
) -> None:
    """법 제23조①: the same complainant (or the same 다수인 representative) filed the same content
    at least three times (`filings`, this one included), two or more of those filings ended with
    a result notice (`answered_filings`: distinct complaints, so one inquiry answered twice after
    a reopening counts once); never a 법정민원. 영 제26조: a 다수인관련민원 is closed only after
    the 민원조정위원회 deliberated and decided so."""
    rule = "민원처리법 제23조 제1항"
    if kind == ComplaintKind.STATUTORY:
        raise ComplaintRuleError("complaint.repeat_closure_statutory", rule)
    if not same_complainant:
        raise ComplaintRuleError(
            "complaint.repeat_closure_other_complainant", rule, {"field": "earlier"}
        )
    if filings < REPEAT_MIN_FILINGS:
        raise ComplaintRuleError(
            "complaint.repeat_closure_too_few_filings",
            rule,
            {"minimum": REPEAT_MIN_FILINGS, "field": "earlier"},
        )
    if answered_filings < REPEAT_MIN_RESULT_NOTICES:
        raise ComplaintRuleError(
            "complaint.repeat_closure_too_early", rule, {"minimum": REPEAT_MIN_RESULT_NOTICES}
        )
    if is_multi_party and not committee_decided_close:
        raise ComplaintRuleError(
            "complaint.repeat_closure_needs_committee", "민원처리법 시행령 제26조"
        )


def check_committee_review(*, held_on: date, today: date, summary: str) -> None:
    """민원조정위원회 심의 (영 제26조, 제36조, 제38조의2): a meeting that took place, and what
    it decided."""
    if held_on > today:
        raise ComplaintRuleError(
            "complaint.committee_in_future", "민원처리법 시행령 제26조", {"field": "held_on"}
        )
    if not summary.strip():
        raise ComplaintRuleError(
            "complaint.committee_summary_required", "민원처리법 시행령 제26조", {"field": "summary"}
        )


# --- satisfaction ---------------------------------------------------------------------------------

SATISFACTION_SCORES: Final = range(1, 6)  # 1 (very dissatisfied) … 5 (very satisfied)
# The answer can be rated once it is given; a decided objection is an answer too.
RATEABLE_STATUSES: Final = frozenset({ComplaintStatus.ANSWERED, ComplaintStatus.OBJECTION_DECIDED})


def check_rating(*, status: ComplaintStatus, score: int, already_rated: bool) -> None:
    """만족도 평가: one rating per answer, 1 to 5, only after the answer."""
    if status not in RATEABLE_STATUSES:
        raise ComplaintRuleError("complaint.rating_not_answered", "lifecycle")
    if score not in SATISFACTION_SCORES:
        raise ComplaintRuleError("complaint.rating_score_invalid", "", {"field": "score"})
    if already_rated:
        raise ComplaintRuleError("complaint.rating_already_given", "lifecycle")


# --- progress notices -----------------------------------------------------------------------------

PROGRESS_NOTICE_INTERVAL_DAYS: Final = 30  # 영 제23조①②: 30일이 지난 경우, 30일마다


def progress_notices_due(*, registered_on: date, today: date, recorded: int) -> int:
    """How many 중간통지 are due but not yet recorded (calendar days; law note §8.1 [UNCERTAIN]).

    Registered 2026-03-09: the first is due on 2026-04-08 (30 days later), the second on 2026-05-08.
    """
    elapsed = (today - registered_on).days
    return max(elapsed // PROGRESS_NOTICE_INTERVAL_DAYS - recorded, 0)


# --- receipt --------------------------------------------------------------------------------------


def receipt_number(*, year: int, sequence: int) -> str:
    """접수번호: year and a zero-padded sequence, e.g. 2026-0000042."""
    return f"{year}-{sequence:07d}"


# 조회번호: every filing's own follow-up number, given the moment it is sent (the legal 접수번호
# may come only at registration). Random, never derived from the year or the row id: 12 symbols
# of Crockford's base 32 (60 bits; no I, L, O or U, so it reads aloud and types without doubt),
# shown in three groups of four.
FOLLOW_ALPHABET: Final = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
FOLLOW_SYMBOLS: Final = 12
_FOLLOW_LOOKALIKES: Final = str.maketrans({"O": "0", "I": "1", "L": "1"})
_TYPED_SEPARATORS: Final = str.maketrans("", "", " -‐‑‒–—_.\u00a0\u3000")


def follow_number(entropy: int) -> str:
    """`entropy` (a random integer of at least 60 bits) as "K7QF-3MXA-9RTB"."""
    symbols = []
    for _ in range(FOLLOW_SYMBOLS):
        entropy, index = divmod(entropy, len(FOLLOW_ALPHABET))
        symbols.append(FOLLOW_ALPHABET[index])
    raw = "".join(symbols)
    return "-".join(raw[i : i + 4] for i in range(0, FOLLOW_SYMBOLS, 4))


def typed_follow_number(text: str) -> str | None:
    """What a person typed ("k7qf 3mxa 9rtb", "K7QF3MXA9RTB", an O for a 0) as the stored form,
    or None when it cannot be a follow-up number."""
    raw = text.upper().translate(_TYPED_SEPARATORS).translate(_FOLLOW_LOOKALIKES)
    if len(raw) != FOLLOW_SYMBOLS or any(c not in FOLLOW_ALPHABET for c in raw):
        return None
    return "-".join(raw[i : i + 4] for i in range(0, FOLLOW_SYMBOLS, 4))


def name_search_key(name: str) -> str:
    """A name as it is compared when officers search by it: no spaces, case folded ("홍 길동" and
    "홍길동" are the same person's name; so are "Kim Minsu" and "kim minsu")."""
    return "".join(name.split()).casefold()


def typed_receipt_number(text: str) -> str | None:
    """A 접수번호 as people type it ("2026-0000042", "20260000042", "2026 0000042", "2026-42")
    in its stored form, or None when it is not one."""
    raw = text.strip().translate(str.maketrans("", "", " ‐‑‒–—_.\u00a0\u3000"))
    year, dash, rest = raw.partition("-")
    if not dash:
        year, rest = raw[:4], raw[4:]
    if not (len(year) == 4 and year.isdigit() and rest.isdigit() and 0 < len(rest) <= 7):
        return None
    return receipt_number(year=int(year), sequence=int(rest))


def receipt_required(*, kind: ComplaintKind, channel: IntakeChannel, period: str | None) -> bool:
    """영 제6조③: no 접수증 for 기타민원, complaints not filed in person, or '즉시' complaints.

    The system still shows the receipt data on screen for every complaint; this says whether the
    formal 접수증 must be issued.
    """
    if kind in (ComplaintKind.OTHER, ComplaintKind.TIP) or period in (None, "instant"):
        return False
    return channel == IntakeChannel.COUNTER


def deadline_citation(*, clock: str, period_basis: str, deadline_basis: str) -> str:
    """The one citation of the deadline a complaint is held to, shown alike on the office page,
    the citizen's page and the receipt PDF. A processing deadline cites the article that sets
    the period and the one that says how it is counted ("민원처리법 시행령 제17조 제1항 ·
    민원처리법 제19조 제2항"); the registration and objection clocks and an extended deadline
    cite their own rule (`deadline_basis` as lawclock gave it)."""
    parts = [period_basis, deadline_basis] if clock == ClockKind.PROCESSING else [deadline_basis]
    unique: list[str] = []
    for part in parts:
        if part and part not in unique and not (unique and part in unique[0]):
            unique.append(part)
    return " · ".join(unique)


def period_citation(*, period_basis: str, counting_basis: str, clock: str) -> str:
    """The processing period's citation (the receipt's period row): the same words as
    `deadline_citation` for a processing deadline; before registration, the period's article."""
    return deadline_citation(
        clock=ClockKind.PROCESSING,
        period_basis=period_basis,
        deadline_basis=counting_basis if clock == ClockKind.PROCESSING else "",
    )
