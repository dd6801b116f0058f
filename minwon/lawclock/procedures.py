"""Deadlines of the procedures around processing: extension (영 제21조), registration (영 제6조⑧)
and transfer (영 제13조). Same counting rules as ``due.py``; different legal bases.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Final, Literal

from minwon.lawclock.calendar import WorkingCalendar
from minwon.lawclock.deadline import RULE_VERSION, Deadline
from minwon.lawclock.due import Interval, _aware, _hours_rule, _midnight, compute_deadline
from minwon.lawclock.errors import LawclockError
from minwon.lawclock.periods import Period, parse_period

__all__ = [
    "TransferKind",
    "extension_deadline",
    "registration_deadline",
    "supplement_request_deadline",
    "transfer_deadline",
]

TransferKind = Literal["within_unit", "internal", "external"]

# 영 제13조: 민원실 → 처리주무부서 1근무시간(①), 같은 기관 내 소관이 아닌 민원 3근무시간(②),
# 다른 행정기관 소관 8근무시간(③).
_TRANSFER: Final[dict[str, tuple[int, str]]] = {
    "within_unit": (1, "민원처리법 시행령 제13조 제1항"),
    "internal": (3, "민원처리법 시행령 제13조 제2항"),
    "external": (8, "민원처리법 시행령 제13조 제3항"),
}
_REGISTRATION_BASIS: Final = "민원처리법 시행령 제6조 제8항"
_EXTENSION_BASIS: Final = "민원처리법 시행령 제21조 제1항"
_SUPPLEMENT_REQUEST_BASIS: Final = "민원처리법 시행규칙 제9조 제1항"


def extension_deadline(
    *,
    current_due_at: datetime,
    original_period: Period | str,
    extension_period: Period | str,
    previous_extensions: int,
    complainant_consent: bool,
    calendar: WorkingCalendar,
    excluded: Sequence[Interval] = (),
) -> Deadline:
    """The deadline after extending (영 제21조①): once on the agency's own decision, a second time
    only with the complainant's consent, never a third time, each time at most the original period.

    The extension runs on from the current deadline under its own counting rule: hour rules go on
    counting working hours from ``current_due_at``; day and calendar rules count from the day after
    the current due date as day 1. Excluded intervals apply to the extension as to any period.
    """
    due = _aware(current_due_at, "current_due_at")
    original, extension = parse_period(original_period), parse_period(extension_period)
    if (
        isinstance(previous_extensions, bool)
        or not isinstance(previous_extensions, int)
        or previous_extensions < 0
    ):
        raise LawclockError(
            "previous_extensions must be 0 or a positive whole number.",
            field="previous_extensions",
            code="lawclock.bad_extension_count",
        )
    if previous_extensions >= 2:
        raise LawclockError(
            "A processing period may be extended at most twice (영 제21조①); it has been extended "
            f"{previous_extensions} times.",
            field="previous_extensions",
            code="lawclock.extension_limit",
        )
    if previous_extensions == 1 and not complainant_consent:
        raise LawclockError(
            "A second extension needs the complainant's consent (영 제21조① 단서).",
            field="complainant_consent",
            code="lawclock.extension_needs_consent",
        )
    start = due if extension.rule == "hours" else _midnight(due.toordinal() + 1)
    result = compute_deadline(
        registered_at=start, period=extension, calendar=calendar, excluded=excluded
    )
    if _longer(extension, original, start, result, calendar, excluded):
        raise LawclockError(
            f"An extension may not be longer than the original period ({original}); "
            f"got {extension} "
            "(영 제21조①: 그 민원의 처리기간의 범위에서).",
            field="extension_period",
            code="lawclock.extension_too_long",
        )
    number = previous_extensions + 1
    clause = "본문" if number == 1 else "단서"
    basis = f"{_EXTENSION_BASIS} {clause} ({result.legal_basis})"
    explanation = replace(
        result.explanation, legal_basis=basis, extended_from=due, extension_number=number
    )
    return Deadline(
        result.due_at,
        result.rule,
        basis,
        result.period,
        result.calendar_version,
        RULE_VERSION,
        explanation,
    )


def _longer(
    extension: Period,
    original: Period,
    start: datetime,
    result: Deadline,
    calendar: WorkingCalendar,
    excluded: Sequence[Interval],
) -> bool:
    """Whether ``extension`` exceeds ``original``: by amount for one kind, else by where it ends."""
    if extension.kind == original.kind:
        return extension.amount > original.amount
    bound = compute_deadline(
        registered_at=start, period=original, calendar=calendar, excluded=excluded
    )
    return result.due_at > bound.due_at


def registration_deadline(*, arrived_at: datetime, calendar: WorkingCalendar) -> Deadline:
    """Registration (접수) of a complaint arriving at the 전자민원창구: within 8 working hours.

    민원처리법 시행령 제6조 제8항 (numbered 제6조 제7항 before the 2026.5.6 amendment).
    """
    local = _aware(arrived_at, "arrived_at")
    return _hours_rule(calendar, local, 8, [], period="8h", legal_basis=_REGISTRATION_BASIS)


def transfer_deadline(
    *, received_at: datetime, kind: TransferKind, calendar: WorkingCalendar
) -> Deadline:
    """Transfer (이송) of a complaint document (영 제13조).

    * ``within_unit``: from the 민원실 to the 처리주무부서 — 1 working hour (①; the 3-hour allowance
      of ① 단서 for a distant department is a judgement call — use ``internal`` for it);
    * ``internal``: a document received by the wrong department of the same agency, via the 민원실
      to the 처리주무부서 — 3 working hours (②);
    * ``external``: to the competent other agency — 8 working hours, and notify the complainant (③).

    Electronic documents go 지체 없이 (④); these limits are then the outer bound.
    """
    local = _aware(received_at, "received_at")
    if kind not in _TRANSFER:
        raise LawclockError(
            f"Unknown transfer kind {kind!r}; use within_unit, internal or external.",
            field="kind",
            code="lawclock.unknown_transfer_kind",
        )
    hours, basis = _TRANSFER[kind]
    return _hours_rule(calendar, local, hours, [], period=f"{hours}h", legal_basis=basis)


def supplement_request_deadline(*, registered_at: datetime, calendar: WorkingCalendar) -> Deadline:
    """The latest instant for a 보완 요구 of a defect in the application's form or documents:
    8 working hours from registration (접수), 민원처리법 시행규칙 제9조①. A defect found only
    later (a site check, say) is asked for 즉시 (ibid. 단서); the request is then late, with its
    reason.
    """
    local = _aware(registered_at, "registered_at")
    return _hours_rule(calendar, local, 8, [], period="8h", legal_basis=_SUPPLEMENT_REQUEST_BASIS)
