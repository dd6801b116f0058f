"""The 민원서비스 종합평가 indicators of answered complaints (issue 21; stdlib + lawclock).

One pure function, :func:`compute_indicators`, takes answered cases (:class:`Case`) and returns
exact figures (:class:`Indicators`: fractions, never rounded here) overall and per group (org unit,
complaint type, channel, month …). The ``minwon evaluation compute`` command and the dashboards both
call it, so a file and the database give the same numbers for the same complaints.

**처리기간 단축률** (``korean-complaint-law.md`` §13.3), over 법정민원 (``statutory``) whose legal
period is 6 days or more (``Nd`` with N ≥ 6, and every ``Nw``/``Nm``/``Ny``):

    단축률 = Σ(법정처리기간 − 실제처리기간) ÷ Σ법정처리기간 × 100

The default reading (:data:`DEFAULT_READING`), as the issue fixes it:

* ``aggregate="sum"``: a ratio of sums over every case (not a mean of per-case ratios);
* ``unit="days"``: durations in working days as 법 제19조② counts them: the registration day is
  day 1 (the next working day when it is not one), the answer day is included, Saturdays and
  holidays are not counted. A ``Nd`` period is N days; a calendar period (``Nw``/``Nm``/``Ny``) is
  the working days from day 1 to the end day 민법 제159조–제161조 give it;
* ``excluded="subtract"``: every working day whose date lies in an excluded interval (보완,
  현장조사 …, both end dates included, overlaps once) is taken off the actual duration, as the
  deadline contract's day rule takes it off the clock;
* ``legal="catalogue"``: the legal period is the catalogue period, never an extended one;
* ``negative="keep"``: a late case counts negative (legal − actual < 0), not capped.

The other readings the reference lists as uncertain are selectable (:class:`Reading`):
``aggregate="mean"`` (mean of per-case rates), ``legal="extended"`` (the period plus the working
days, or hours, an extension added: the days from the period's own deadline with its excluded time
to ``due_at``), ``negative="zero"`` (a late case counts 0), ``unit="hours"`` (working hours: the
legal period is N × 8 working hours, 법 제19조①'s measure, and the actual duration the working
time from registration to answer) and ``excluded="count"`` (excluded time left in the actual
duration).

**지연율** = answered after ``due_at`` ÷ answered, over every case with a deadline (a ``due_at``;
제보 has none); the **on-time rate** is its complement; the **average processing time** is the mean
actual duration of those cases in working days (day-rule counting, excluded days off) and in
working hours (excluded working time off).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import Final, Literal

from minwon.lawclock import (
    SEOUL,
    LawclockError,
    WorkingCalendar,
    compute_deadline,
    parse_period,
    working_time_between,
)
from minwon.lawclock.kinds import ComplaintKind
from minwon.lawclock.periods import HOURS_PER_DAY

__all__ = [
    "DEFAULT_READING",
    "REDUCTION_MIN_DAYS",
    "Case",
    "CaseFigures",
    "Indicators",
    "Reading",
    "Result",
    "case_figures",
    "compute_indicators",
    "in_reduction_scope",
]

Interval = tuple[datetime, datetime]
# The historical definitions cover 법정민원 with a legal period of 6 days or more (유기한 민원).
REDUCTION_MIN_DAYS: Final = 6
_US_PER_HOUR: Final = 3_600_000_000


@dataclass(frozen=True, slots=True)
class Reading:
    """How the 단축률 is read where the handbook is not public (§13.3 [UNCERTAIN])."""

    aggregate: Literal["sum", "mean"] = "sum"
    unit: Literal["days", "hours"] = "days"
    legal: Literal["catalogue", "extended"] = "catalogue"
    negative: Literal["keep", "zero"] = "keep"
    excluded: Literal["subtract", "count"] = "subtract"

    def __post_init__(self) -> None:
        allowed = {
            "aggregate": ("sum", "mean"),
            "unit": ("days", "hours"),
            "legal": ("catalogue", "extended"),
            "negative": ("keep", "zero"),
            "excluded": ("subtract", "count"),
        }
        for name, values in allowed.items():
            if getattr(self, name) not in values:
                raise ValueError(
                    f"reading {name} must be one of {', '.join(values)}; "
                    f"not {getattr(self, name)!r}."
                )

    def as_dict(self) -> dict[str, str]:
        return {
            "aggregate": self.aggregate,
            "unit": self.unit,
            "legal": self.legal,
            "negative": self.negative,
            "excluded": self.excluded,
        }


DEFAULT_READING: Final = Reading()


@dataclass(frozen=True, slots=True)
class Case:
    """One answered complaint, as the indicators need it.

    ``period``: the catalogue (or Decree) processing period as lawclock writes it (``"10d"``),
    ``""`` for a kind without one (제보). ``due_at``: the deadline as it stood at the answer
    (extensions and excluded time included), ``None`` when the complaint had none. ``excluded``:
    the excluded intervals (영 제20조). Times must carry an offset.
    """

    id: str
    kind: str
    org_unit: str
    period: str
    registered_at: datetime
    answered_at: datetime
    due_at: datetime | None
    excluded: tuple[Interval, ...] = ()
    complaint_type: str = ""
    channel: str = ""


@dataclass(frozen=True, slots=True)
class CaseFigures:
    """One case's durations; ``legal`` and ``actual`` in the reading's unit (None: not in scope)."""

    in_scope: bool
    legal: Fraction | None
    actual: Fraction | None
    has_deadline: bool
    late: bool
    working_days: int
    working_hours: Fraction


def in_reduction_scope(kind: str, period: str) -> bool:
    """법정민원 whose legal period is 6 days or more: ``Nd`` (N ≥ 6), ``Nw``, ``Nm``, ``Ny``."""
    if kind != ComplaintKind.STATUTORY or not period:
        return False
    p = parse_period(period)
    if p.kind == "days":
        return p.amount >= REDUCTION_MIN_DAYS
    return p.kind in ("weeks", "months", "years")


def _seoul_date(value: datetime) -> date:
    return value.astimezone(SEOUL).date()


def _excluded_working_days(
    cal: WorkingCalendar, excluded: Iterable[Interval], first: date, last: date
) -> int:
    """Working days in ``[first, last]`` whose date lies in an excluded interval (once each)."""
    ranges = sorted((max(_seoul_date(a), first), min(_seoul_date(b), last)) for a, b in excluded)
    total, reach = 0, first - timedelta(days=1)
    for a, b in ranges:
        a = max(a, reach + timedelta(days=1))
        if b < a:
            continue
        total += cal.working_days_between(a, b)
        reach = b
    return total


def _hours(delta: timedelta) -> Fraction:
    return Fraction(delta // timedelta(microseconds=1), _US_PER_HOUR)


def _check(case: Case) -> None:
    for name in ("registered_at", "answered_at", "due_at"):
        value = getattr(case, name)
        if value is not None and (value.tzinfo is None or value.utcoffset() is None):
            raise LawclockError(
                f"{name} has no UTC offset ({value.isoformat()}).",
                field=name,
                code="lawclock.naive_datetime",
            )
    if case.answered_at < case.registered_at:
        raise LawclockError(
            f"answered_at ({case.answered_at.isoformat()}) is before registered_at "
            f"({case.registered_at.isoformat()}).",
            field="answered_at",
            code="evaluation.answered_before_registered",
        )


def case_figures(
    case: Case, *, calendar: WorkingCalendar, reading: Reading = DEFAULT_READING
) -> CaseFigures:
    """The durations of one case under ``reading`` (raises :class:`LawclockError` on bad data)."""
    _check(case)
    reg_day, ans_day = _seoul_date(case.registered_at), _seoul_date(case.answered_at)
    excluded = case.excluded
    days = calendar.working_days_between(reg_day, ans_day) - _excluded_working_days(
        calendar, excluded, reg_day, ans_day
    )
    hours = _hours(
        working_time_between(
            case.registered_at, case.answered_at, calendar=calendar, excluded=excluded
        )
    )
    scope = in_reduction_scope(case.kind, case.period)
    legal: Fraction | None = None
    actual: Fraction | None = None
    if scope:
        p = parse_period(case.period)
        own = compute_deadline(registered_at=case.registered_at, period=p, calendar=calendar)
        if reading.unit == "days":
            legal = Fraction(
                p.amount
                if p.rule == "days"
                else calendar.working_days_between(reg_day, _seoul_date(own.due_at))
            )
            if reading.excluded == "subtract":
                actual = Fraction(days)
            else:
                actual = Fraction(calendar.working_days_between(reg_day, ans_day))
        else:
            legal = (
                Fraction(p.amount * HOURS_PER_DAY)
                if p.rule == "days"
                else _hours(working_time_between(case.registered_at, own.due_at, calendar=calendar))
            )
            if reading.excluded == "subtract":
                actual = hours
            else:
                actual = _hours(
                    working_time_between(case.registered_at, case.answered_at, calendar=calendar)
                )
        if reading.legal == "extended" and case.due_at is not None:
            legal += _extension(
                case,
                p_due=compute_deadline(
                    registered_at=case.registered_at, period=p, calendar=calendar, excluded=excluded
                ).due_at,
                calendar=calendar,
                unit=reading.unit,
            )
    late = case.due_at is not None and case.answered_at > case.due_at
    return CaseFigures(
        in_scope=scope,
        legal=legal,
        actual=actual,
        has_deadline=case.due_at is not None,
        late=late,
        working_days=days,
        working_hours=hours,
    )


def _extension(case: Case, *, p_due: datetime, calendar: WorkingCalendar, unit: str) -> Fraction:
    """What an extension added: from the period's own deadline (with its excluded time) to
    ``due_at``, in working days (dates after the own deadline's date) or working hours."""
    assert case.due_at is not None
    if case.due_at <= p_due:
        return Fraction(0)
    if unit == "days":
        return Fraction(
            calendar.working_days_between(
                _seoul_date(p_due) + timedelta(days=1), _seoul_date(case.due_at)
            )
        )
    return _hours(working_time_between(p_due, case.due_at, calendar=calendar))


@dataclass
class Indicators:
    """Exact totals of one group; the rates are properties (``None`` when nothing to divide)."""

    reading: Reading = DEFAULT_READING
    answered: int = 0  # every case given
    with_deadline: int = 0  # cases with a due_at (the 지연율's denominator)
    late: int = 0
    reduction_cases: int = 0
    legal_total: Fraction = field(default_factory=Fraction)
    actual_total: Fraction = field(default_factory=Fraction)
    reduced_total: Fraction = field(default_factory=Fraction)  # Σ(legal − actual), after capping
    rate_sum: Fraction = field(default_factory=Fraction)  # Σ per-case rates (the mean reading)
    days_total: int = 0  # working days of the cases with a deadline
    hours_total: Fraction = field(default_factory=Fraction)

    def add(self, figures: CaseFigures) -> None:
        self.answered += 1
        if figures.has_deadline:
            self.with_deadline += 1
            self.late += figures.late
            self.days_total += figures.working_days
            self.hours_total += figures.working_hours
        if figures.in_scope and figures.legal is not None and figures.actual is not None:
            reduced = figures.legal - figures.actual
            if self.reading.negative == "zero" and reduced < 0:
                reduced = Fraction(0)
            self.reduction_cases += 1
            self.legal_total += figures.legal
            self.actual_total += figures.actual
            self.reduced_total += reduced
            if figures.legal:
                self.rate_sum += reduced / figures.legal * 100

    @property
    def reduction_rate(self) -> Fraction | None:
        """처리기간 단축률 in percent under the reading (None: no case in scope)."""
        if not self.reduction_cases:
            return None
        if self.reading.aggregate == "mean":
            return self.rate_sum / self.reduction_cases
        if not self.legal_total:
            return None
        return self.reduced_total / self.legal_total * 100

    @property
    def delay_rate(self) -> Fraction | None:
        """지연율 in percent: answered after due_at ÷ answered with a deadline."""
        return Fraction(self.late * 100, self.with_deadline) if self.with_deadline else None

    @property
    def on_time_rate(self) -> Fraction | None:
        """처리기간 준수율 in percent: answered by due_at ÷ answered with a deadline."""
        rate = self.delay_rate
        return None if rate is None else 100 - rate

    @property
    def average_working_days(self) -> Fraction | None:
        return Fraction(self.days_total, self.with_deadline) if self.with_deadline else None

    @property
    def average_working_hours(self) -> Fraction | None:
        return self.hours_total / self.with_deadline if self.with_deadline else None


@dataclass
class Result:
    overall: Indicators
    groups: dict[Hashable, Indicators]


def compute_indicators(
    cases: Iterable[Case],
    *,
    calendar: WorkingCalendar,
    reading: Reading = DEFAULT_READING,
    group: Callable[[Case], Hashable] | None = None,
) -> Result:
    """The indicators of ``cases`` overall and, with ``group``, per group key (e.g. org unit)."""
    overall = Indicators(reading=reading)
    groups: dict[Hashable, Indicators] = {}
    for case in cases:
        figures = case_figures(case, calendar=calendar, reading=reading)
        overall.add(figures)
        if group is not None:
            key = group(case)
            bucket = groups.get(key)
            if bucket is None:
                bucket = groups[key] = Indicators(reading=reading)
            bucket.add(figures)
    return Result(overall=overall, groups=groups)
