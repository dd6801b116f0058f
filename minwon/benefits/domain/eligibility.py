"""Eligibility and amounts of the birth programmes, from the catalogue's rules (pure).

A programme's rule is data (``data/programmes.yaml``, loaded by ``minwon.benefits.catalogue``
into the dataclasses below); this module evaluates one rule against one family ``Situation`` on
the application date ``as_of`` and for one ``month`` (the month a monthly amount is asked for).
Two kinds of rule cover the cash and voucher programmes of 행복출산:

- ``MonthlyRule`` (부모급여, 아동수당): bands of months of life with an amount parameter each, a
  retroactivity window (apply within N days of the birth, the birth day counted as day 1 → paid
  from the birth month; later → from the application month), optional residence.
- ``OneOffRule`` (첫만남이용권, 파주시 출생축하금, 경기도 산후조리비): an amount by birth order
  read on the birth date (instalments summed), an application window from an anchor date, and a
  residence condition (where, and since when).

Every ``Result`` carries reasons (``domain.reasons.Reason``), the deadlines that matter for
reminders, and the monthly rate changes ahead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from minwon.benefits.domain.dates import Month, add_months, day_of_life, month_of_life
from minwon.benefits.domain.parameters import ParameterNode
from minwon.benefits.domain.reasons import Reason, Text, Won, _

__all__ = [
    "MAX_BIRTH_ORDER",
    "Band",
    "Child",
    "Deadline",
    "MonthlyRule",
    "OneOffRule",
    "OrderAmount",
    "RateChange",
    "Residence",
    "ResidenceRule",
    "Result",
    "Situation",
    "SituationError",
    "Window",
    "evaluate",
]

# More than this is taken for a typing error (the largest Korean families registered have fewer).
MAX_BIRTH_ORDER = 20


class SituationError(ValueError):
    """A family situation that cannot be evaluated: ``field`` names what is wrong."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(f"{field_name}: {message}")
        self.field = field_name
        self.message = message


@dataclass(frozen=True)
class Child:
    birth_date: date
    birth_order: int  # 1 for the first child; twins by birth order (1 and 2)
    birth_registered_on: date | None  # 출생신고 date; None: not registered yet


@dataclass(frozen=True)
class Residence:
    sigungu_code: str  # 행정구역 시군구 code, e.g. 41480 파주시
    since: date  # moved in (주민등록 전입일)


@dataclass(frozen=True)
class Situation:
    as_of: date  # the application date
    month: Month  # the month monthly amounts are asked for
    child: Child
    residence: Residence

    def check(self) -> None:
        """Raise ``SituationError`` for a situation no programme can be evaluated on."""
        child = self.child
        order = child.birth_order
        if (
            isinstance(order, bool)
            or not isinstance(order, int)
            or not (1 <= order <= MAX_BIRTH_ORDER)
        ):
            raise SituationError(
                "child.birth_order",
                f"must be a whole number from 1 to {MAX_BIRTH_ORDER}, not {order!r}",
            )
        if child.birth_date > self.as_of:
            raise SituationError(
                "child.birth_date",
                f"{child.birth_date} is after the application date as_of {self.as_of}",
            )
        registered = child.birth_registered_on
        if registered is not None and registered < child.birth_date:
            raise SituationError(
                "child.birth_registered_on",
                f"{registered} is before the birth date {child.birth_date}",
            )
        if registered is not None and registered > self.as_of:
            raise SituationError(
                "child.birth_registered_on",
                f"{registered} is after the application date as_of {self.as_of}",
            )
        code = self.residence.sigungu_code
        if not (len(code) == 5 and code.isascii() and code.isdigit()):
            raise SituationError(
                "residence.sigungu_code", f"must be a 5-digit 시군구 code, not {code!r}"
            )
        if self.residence.since > self.as_of:
            raise SituationError(
                "residence.since",
                f"{self.residence.since} is after the application date as_of {self.as_of}",
            )


@dataclass(frozen=True)
class ResidenceRule:
    """Where the family must be registered, and since when."""

    label: Text  # "파주시", "경기도"
    sigungu_prefixes: tuple[str, ...]  # "41480" (one 시군구) or "41" (a whole 시도)
    since: Literal["birth_registration", "none"] = "none"

    def matches(self, code: str) -> bool:
        return any(code.startswith(p) for p in self.sigungu_prefixes)


@dataclass(frozen=True)
class Window:
    """Apply by ``anchor`` + ``years`` (or ``months``, or ``days`` counted with the anchor day as
    day 1). ``years_parameter`` reads the years on the birth date instead."""

    anchor: Literal["birth", "birth_registration"]
    years: int = 0
    months: int = 0
    days: int = 0
    years_parameter: str = ""


@dataclass(frozen=True)
class Band:
    label: Text | None  # "0세", "1세"; None: the programme has one band
    from_month: int  # first month of life paid at this band's amount
    amount: str  # parameter name
    until_month: int = 0  # first month of life no longer in the band (exclusive) ...
    until_parameter: str = ""  # ... or read from a parameter (아동수당's age limit in months)


@dataclass(frozen=True)
class MonthlyRule:
    bands: tuple[Band, ...]
    # Parameter: apply within this many days of the birth (birth day = day 1) to be paid from the
    # birth month; later, from the application month. Read on the birth date.
    retro_window: str
    requires_registration: bool = True  # the child needs a 주민등록번호 (출생신고 done)
    residence: ResidenceRule | None = None
    kind: Literal["monthly_by_age"] = "monthly_by_age"


@dataclass(frozen=True)
class OrderAmount:
    min_order: int  # this amount applies from this birth order on (until the next entry's)
    label: Text
    instalments: tuple[str, ...]  # parameter names, summed


@dataclass(frozen=True)
class OneOffRule:
    amounts: tuple[OrderAmount, ...]  # ascending by min_order, the first with min_order 1
    window: Window
    requires_registration: bool = True
    residence: ResidenceRule | None = None
    kind: Literal["one_off"] = "one_off"


Rule = MonthlyRule | OneOffRule


@dataclass(frozen=True)
class Deadline:
    kind: Literal["retro_window", "apply_by"]
    last_day: date  # the last day on which applying still counts


@dataclass(frozen=True)
class RateChange:
    month: Month  # the first month at the new amount
    amount: int
    month_of_life: int


@dataclass(frozen=True)
class Result:
    code: str
    eligible: bool
    amount: int  # won; monthly programmes: the amount for the asked month
    reasons: tuple[Reason, ...]
    instalments: tuple[int, ...] = ()
    pays_from: Month | None = None  # monthly programmes: the first month paid
    deadlines: tuple[Deadline, ...] = ()
    rate_changes: tuple[RateChange, ...] = field(default=())


def _window_last_day(window: Window, situation: Situation, params: ParameterNode) -> date | None:
    child = situation.child
    anchor = child.birth_date if window.anchor == "birth" else child.birth_registered_on
    if anchor is None:
        return None
    years = window.years
    if window.years_parameter:
        years = params.get(window.years_parameter).at(child.birth_date) or 0
    if window.days:
        return date.fromordinal(anchor.toordinal() + window.days - 1)
    # 민법 제157조: counted from the day after the anchor, a period of years or months ends on the
    # anchor's date in the last month (제160조; clamped to that month's last day).
    return add_months(anchor, 12 * years + window.months)


def _registration_reason(name: Text) -> Reason:
    return Reason(
        _(
            "%(programme)s: the birth is not registered yet; apply after the birth registration, "
            "when the child has a resident registration number"
        ),
        {"programme": name},
        rule="registration",
    )


def _residence_reasons(
    rule: ResidenceRule, name: Text, situation: Situation
) -> tuple[bool, Reason]:
    residence = situation.residence
    if not rule.matches(residence.sigungu_code):
        return False, Reason(
            _("%(programme)s is for residents of %(place)s; the address is in district %(code)s"),
            {"programme": name, "place": rule.label, "code": residence.sigungu_code},
            rule="residence.place",
        )
    registered = situation.child.birth_registered_on
    if rule.since == "birth_registration" and registered is not None:
        if residence.since > registered:
            return False, Reason(
                _(
                    "%(programme)s: moved to %(place)s on %(since)s, after the birth registration "
                    "on %(registered)s; the guardian must live in %(place)s from the birth "
                    "registration on"
                ),
                {
                    "programme": name,
                    "place": rule.label,
                    "since": residence.since,
                    "registered": registered,
                },
                rule="residence.since",
            )
        return True, Reason(
            _(
                "Living in %(place)s since %(since)s, before the birth registration on "
                "%(registered)s"
            ),
            {"place": rule.label, "since": residence.since, "registered": registered},
            rule="residence.ok",
        )
    return True, Reason(
        _("Living in %(place)s (district %(code)s)"),
        {"place": rule.label, "code": residence.sigungu_code},
        rule="residence.ok",
    )


def _band_for(
    rule: MonthlyRule, params: ParameterNode, month: Month, life_month: int
) -> tuple[Band, int] | None:
    """The band and its amount paid for ``month`` (the child in month ``life_month`` of life)."""
    for band in rule.bands:
        until = band.until_month
        if band.until_parameter:
            until = params.get(band.until_parameter).at(month.first_day) or 0
        if band.from_month <= life_month < until:
            amount = params.get(band.amount).at(month.first_day)
            return (band, amount) if amount else None
    return None


def _last_paid_month(rule: MonthlyRule, params: ParameterNode, on: Month) -> int:
    last = -1
    for band in rule.bands:
        until = band.until_month
        if band.until_parameter:
            until = params.get(band.until_parameter).at(on.first_day) or 0
        last = max(last, until - 1)
    return last


def _evaluate_monthly(
    code: str, name: Text, rule: MonthlyRule, situation: Situation, params: ParameterNode
) -> Result:
    child = situation.child
    birth_month = Month.of(child.birth_date)
    reasons: list[Reason] = []
    if rule.requires_registration and child.birth_registered_on is None:
        return Result(code, False, 0, (_registration_reason(name),))
    if rule.residence is not None:
        ok, why = _residence_reasons(rule.residence, name, situation)
        if not ok:
            return Result(code, False, 0, (why,))
        reasons.append(why)
    applied_month = Month.of(situation.as_of)
    age_at_application = month_of_life(child.birth_date, applied_month)
    last_paid = _last_paid_month(rule, params, applied_month)
    if age_at_application > last_paid:
        return Result(
            code,
            False,
            0,
            (
                Reason(
                    _(
                        "%(programme)s is paid up to month %(last)s of life; on the application "
                        "date the child is in month %(age)s (born %(birth_month)s)"
                    ),
                    {
                        "programme": name,
                        "last": last_paid,
                        "age": age_at_application,
                        "birth_month": birth_month,
                    },
                    rule="age.limit",
                ),
            ),
        )
    day = day_of_life(child.birth_date, situation.as_of)
    retro_days = params.get(rule.retro_window).at(child.birth_date) or 0
    retro_last_day = date.fromordinal(child.birth_date.toordinal() + max(retro_days, 1) - 1)
    within = day <= retro_days
    pays_from = birth_month if within else applied_month
    if within:
        timing = Reason(
            _(
                "%(birth_month)s birth, application within %(window)s days of the birth "
                "(day %(day)s, the birth day counted as day 1): paid from the birth month"
            ),
            {"birth_month": birth_month, "window": retro_days, "day": day},
            rule="retro.within",
        )
    else:
        timing = Reason(
            _(
                "%(birth_month)s birth, application on day %(day)s after the birth, later than "
                "%(window)s days (last day %(last_day)s): paid from the application month "
                "%(from)s, not from the birth month"
            ),
            {
                "birth_month": birth_month,
                "day": day,
                "window": retro_days,
                "last_day": retro_last_day,
                "from": applied_month,
            },
            rule="retro.late",
        )
    month = situation.month
    life_month = month_of_life(child.birth_date, month)
    paid = _band_for(rule, params, month, life_month)
    if month < pays_from:
        amount = 0
        headline = Reason(
            _("%(programme)s: nothing for %(month)s; payments start in %(from)s"),
            {"programme": name, "month": month, "from": pays_from},
            rule="month.before_start",
        )
    elif paid is None:
        amount = 0
        headline = Reason(
            _("%(programme)s: nothing for %(month)s (month %(age)s of life)"),
            {"programme": name, "month": month, "age": life_month},
            rule="month.outside_bands",
        )
    else:
        band, amount = paid
        if band.label is None:
            headline = Reason(
                _("%(programme)s %(amount)s a month: %(timing)s"),
                {"programme": name, "amount": Won(amount), "timing": timing},
                rule="month.paid",
            )
        else:
            headline = Reason(
                _("%(programme)s %(band)s %(amount)s a month: %(timing)s"),
                {"programme": name, "band": band.label, "amount": Won(amount), "timing": timing},
                rule="month.paid",
            )
    reasons.insert(0, headline)
    if paid is None or month < pays_from:
        reasons.append(timing)
    changes = _rate_changes(rule, params, child.birth_date, max(month, pays_from))
    for change in changes[:1]:
        if change.amount:
            reasons.append(
                Reason(
                    _("From %(month)s (month %(age)s of life) %(programme)s is %(amount)s a month"),
                    {
                        "month": change.month,
                        "age": change.month_of_life,
                        "programme": name,
                        "amount": Won(change.amount),
                    },
                    rule="rate_change",
                )
            )
        else:
            reasons.append(
                Reason(
                    _("%(programme)s ends with %(last)s; nothing from %(month)s (month %(age)s)"),
                    {
                        "programme": name,
                        "last": change.month.plus(-1),
                        "month": change.month,
                        "age": change.month_of_life,
                    },
                    rule="rate_change.end",
                )
            )
    deadlines = (Deadline("retro_window", retro_last_day),) if within else ()
    return Result(
        code,
        True,
        amount,
        tuple(reasons),
        pays_from=pays_from,
        deadlines=deadlines,
        rate_changes=tuple(changes),
    )


def _rate_changes(
    rule: MonthlyRule, params: ParameterNode, birth: date, after: Month
) -> list[RateChange]:
    """The months after ``after`` whose amount differs from the month before (up to 13 years)."""
    changes: list[RateChange] = []

    def amount_in(m: Month) -> int:
        paid = _band_for(rule, params, m, month_of_life(birth, m))
        return paid[1] if paid else 0

    previous = amount_in(after)
    for step in range(1, 13 * 12):
        m = after.plus(step)
        amount = amount_in(m)
        if amount != previous:
            changes.append(RateChange(m, amount, month_of_life(birth, m)))
            previous = amount
            if amount == 0:
                break
    return changes


def _amount_for_order(rule: OneOffRule, order: int) -> OrderAmount:
    chosen = rule.amounts[0]
    for entry in rule.amounts:
        if order >= entry.min_order:
            chosen = entry
    return chosen


def _evaluate_one_off(
    code: str, name: Text, rule: OneOffRule, situation: Situation, params: ParameterNode
) -> Result:
    child = situation.child
    reasons: list[Reason] = []
    if rule.requires_registration and child.birth_registered_on is None:
        return Result(code, False, 0, (_registration_reason(name),))
    if rule.residence is not None:
        ok, why = _residence_reasons(rule.residence, name, situation)
        if not ok:
            return Result(code, False, 0, (why,))
        reasons.append(why)
    entry = _amount_for_order(rule, child.birth_order)
    values = [params.get(p).at(child.birth_date) for p in entry.instalments]
    if any(v is None for v in values):
        first = min(
            (d for p in entry.instalments if (d := params.get(p).first_date()) is not None),
            default=None,
        )
        return Result(
            code,
            False,
            0,
            (
                Reason(
                    _("%(programme)s has no amount for a child born on %(birth_date)s"),
                    {"programme": name, "birth_date": child.birth_date},
                    rule="not_in_force",
                ),
                *(
                    [
                        Reason(
                            _("The catalogue's amounts start with births on %(first)s"),
                            {"first": first},
                            rule="not_in_force.first",
                        )
                    ]
                    if first
                    else []
                ),
            ),
        )
    instalments = tuple(v for v in values if v is not None)
    total = sum(instalments)
    last_day = _window_last_day(rule.window, situation, params)
    if last_day is not None and situation.as_of > last_day:
        return Result(
            code,
            False,
            0,
            (
                Reason(
                    _(
                        "%(programme)s: applied on %(as_of)s, after the last day %(last_day)s "
                        "of the application window"
                    ),
                    {"programme": name, "as_of": situation.as_of, "last_day": last_day},
                    rule="window.closed",
                ),
            ),
            deadlines=(Deadline("apply_by", last_day),),
        )
    headline = Reason(
        _("%(programme)s %(amount)s: %(order)s (birth order %(n)s), born %(birth_date)s"),
        {
            "programme": name,
            "amount": Won(total),
            "order": entry.label,
            "n": child.birth_order,
            "birth_date": child.birth_date,
        },
        rule="amount",
    )
    reasons.insert(0, headline)
    paid = [v for v in instalments if v]
    if len(paid) > 1:
        reasons.append(
            Reason(
                _(
                    "Paid in two instalments: %(first)s on application, %(second)s one year "
                    "later if still living in %(place)s then"
                ),
                {
                    "first": Won(paid[0]),
                    "second": Won(sum(paid[1:])),
                    "place": rule.residence.label if rule.residence else Text("", ""),
                },
                rule="instalments",
            )
        )
    if last_day is not None:
        reasons.append(
            Reason(_("Apply by %(last_day)s"), {"last_day": last_day}, rule="window.open")
        )
    return Result(
        code,
        True,
        total,
        tuple(reasons),
        instalments=instalments,
        deadlines=(Deadline("apply_by", last_day),) if last_day else (),
    )


def evaluate(
    code: str, name: Text, rule: Rule, situation: Situation, params: ParameterNode
) -> Result:
    """One programme's result for a checked situation (``Situation.check`` first)."""
    if isinstance(rule, MonthlyRule):
        return _evaluate_monthly(code, name, rule, situation, params)
    return _evaluate_one_off(code, name, rule, situation, params)
