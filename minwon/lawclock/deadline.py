"""The result of the legal clock: a deadline with its provenance and a structured explanation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final, Literal

from minwon.lawclock.calendar import SkippedDay
from minwon.lawclock.periods import Rule, parse_period

__all__ = ["RULE_VERSION", "Deadline", "Explanation"]

# Bump when a counting rule changes, so stored deadlines can be told apart and recomputed.
RULE_VERSION: Final = "lawclock-2026.1"


@dataclass(frozen=True, slots=True)
class Explanation:
    """How a deadline was counted, in language-neutral form (a UI renders it in Korean or English).

    * ``start_at``: the instant counting actually starts — the registration instant moved to the
      next working-hour boundary (hour rules), or day 1 (day and calendar rules);
    * ``working_hours`` / ``working_days`` / ``calendar_days``: what was counted under the rule;
    * ``skipped``: non-working days between the registration date and the due date that were not
      counted (hour and day rules; under the calendar rule interior days count, so it is empty);
    * ``excluded``: the excluded intervals (merged, clipped to the period) that moved the deadline,
      and ``excluded_working_time`` (hour rules) or ``excluded_days`` (working days for the day
      rule, calendar days for the calendar rule) they removed;
    * ``period_end`` and ``civil_code_161_shift``: calendar rule only — the end day by 민법 제160조
      (after exclusions) and the Saturdays/holidays it moved over under 민법 제161조;
    * ``extended_from`` and ``extension_number``: set on extensions (영 제21조).
    """

    rule: Rule
    legal_basis: str
    period: str
    registered_at: datetime
    start_at: datetime
    first_day: date
    working_hours: int | None = None
    working_days: int | None = None
    calendar_days: int | None = None
    skipped: tuple[SkippedDay, ...] = ()
    excluded: tuple[tuple[datetime, datetime], ...] = ()
    excluded_working_time: timedelta = timedelta(0)
    excluded_days: int = 0
    period_end: date | None = None
    civil_code_161_shift: tuple[SkippedDay, ...] = ()
    extended_from: datetime | None = None
    extension_number: int = 0


@dataclass(frozen=True, slots=True)
class Deadline:
    """A processing deadline (처리기한) with the provenance an auditor needs to re-derive it."""

    due_at: datetime
    rule: Rule
    legal_basis: str
    period: str
    calendar_version: str
    rule_version: str
    explanation: Explanation

    def summary(self, lang: Literal["ko", "en"] = "ko") -> str:
        """A short sentence, e.g. ``처리기한 3월 17일 18시: 처리기간 7일, 토요일·공휴일 제외``."""
        return _summary_en(self) if lang == "en" else _summary_ko(self)

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready mapping (ISO 8601 instants with +09:00, ISO dates)."""
        e = self.explanation
        return {
            "due_at": self.due_at.isoformat(),
            "rule": self.rule,
            "legal_basis": self.legal_basis,
            "period": self.period,
            "calendar_version": self.calendar_version,
            "rule_version": self.rule_version,
            "registered_at": e.registered_at.isoformat(),
            "start_at": e.start_at.isoformat(),
            "first_day": e.first_day.isoformat(),
            "working_hours": e.working_hours,
            "working_days": e.working_days,
            "calendar_days": e.calendar_days,
            "skipped": [_skipped_dict(s) for s in e.skipped],
            "excluded": [[a.isoformat(), b.isoformat()] for a, b in e.excluded],
            "excluded_working_hours": e.excluded_working_time / timedelta(hours=1),
            "excluded_days": e.excluded_days,
            "period_end": e.period_end.isoformat() if e.period_end else None,
            "civil_code_161_shift": [_skipped_dict(s) for s in e.civil_code_161_shift],
            "extended_from": e.extended_from.isoformat() if e.extended_from else None,
            "extension_number": e.extension_number,
            "summary_ko": self.summary("ko"),
            "summary_en": self.summary("en"),
        }


def _skipped_dict(s: SkippedDay) -> dict[str, str]:
    return {
        "date": s.day.isoformat(),
        "reason": s.reason,
        "name_ko": s.name_ko,
        "name_en": s.name_en,
    }


_KO_UNIT: Final = {
    "hours": "근무시간",
    "days": "일",
    "weeks": "주",
    "months": "개월",
    "years": "년",
}
_EN_UNIT: Final = {
    "hours": "working-hour",
    "days": "day",
    "weeks": "week",
    "months": "month",
    "years": "year",
}
_EN_MONTH: Final = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def _hours_text(delta: timedelta) -> str:
    hours = delta / timedelta(hours=1)
    return f"{hours:g}"


def _summary_ko(d: Deadline) -> str:
    e, due = d.explanation, d.due_at
    when = f"{due.year}년 " if due.year != e.registered_at.year else ""
    when += f"{due.month}월 {due.day}일 {due.hour}시" + (f" {due.minute}분" if due.minute else "")
    p = parse_period(d.period)
    length = "즉시(3근무시간)" if p.kind == "instant" else f"{p.amount}{_KO_UNIT[p.kind]}"
    notes = ["첫날 산입"] if d.rule == "calendar" else ["토요일·공휴일 제외"]
    if d.rule == "hours" and p.kind == "days":
        notes.append("1일 8근무시간")
    if e.civil_code_161_shift:
        notes.append("말일이 토요일·공휴일이어서 다음 근무일로(민법 제161조)")
    if e.excluded_working_time:
        notes.append(f"불산입 {_hours_text(e.excluded_working_time)}근무시간")
    if e.excluded_days:
        notes.append(f"불산입 {e.excluded_days}일")
    prefix = f"{e.extension_number}차 연장 " if e.extension_number else ""
    return f"{prefix}처리기한 {when}: 처리기간 {length}, {', '.join(notes)}"


def _summary_en(d: Deadline) -> str:
    e, due = d.explanation, d.due_at
    when = f"{due.day} {_EN_MONTH[due.month - 1]}"
    when += f" {due.year}" if due.year != e.registered_at.year else ""
    when += f" {due:%H:%M}"
    p = parse_period(d.period)
    if p.kind == "instant":
        length = "immediate (3 working hours)"
    else:
        length = f"{p.amount}-{_EN_UNIT[p.kind]} period"
    notes = (
        ["first day counted"] if d.rule == "calendar" else ["Saturdays and holidays not counted"]
    )
    if d.rule == "hours" and p.kind == "days":
        notes.append("8 working hours a day")
    if e.civil_code_161_shift:
        notes.append("last day moved past a Saturday/holiday (Civil Act art. 161)")
    if e.excluded_working_time:
        notes.append(f"{_hours_text(e.excluded_working_time)} working hours excluded")
    if e.excluded_days:
        notes.append(f"{e.excluded_days} day{'s' if e.excluded_days > 1 else ''} excluded")
    prefix = f"Extension {e.extension_number}: " if e.extension_number else ""
    return f"{prefix}Due {when}: {length}, {', '.join(notes)}"
