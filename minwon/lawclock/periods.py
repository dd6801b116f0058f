"""Processing periods as written in the 민원처리기준표 and their legal rule (민원처리법 제19조).

| written      | kind      | rule       | legal basis                                   |
|--------------|-----------|------------|-----------------------------------------------|
| ``instant``  | instant   | hours (3h) | 민원처리법 시행령 제19조                        |
| ``Nh``       | hours     | hours (Nh) | 민원처리법 제19조 제1항                         |
| ``Nd``, N≤5  | days      | hours (8N) | 민원처리법 제19조 제1항                         |
| ``Nd``, N≥6  | days      | days       | 민원처리법 제19조 제2항                         |
| ``Nw``/``Nm``/``Ny`` | calendar | 민원처리법 제19조 제3항, 민법 제159조~제161조 |
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal

from minwon.lawclock.errors import LawclockError

__all__ = [
    "HOURS_PER_DAY",
    "INSTANT_HOURS",
    "Period",
    "PeriodKind",
    "Rule",
    "parse_period",
]

PeriodKind = Literal["instant", "hours", "days", "weeks", "months", "years"]
Rule = Literal["hours", "days", "calendar"]

HOURS_PER_DAY: Final = 8  # 법 제19조 제1항 후단: 1일은 8시간의 근무시간
INSTANT_HOURS: Final = 3  # 영 제19조: '즉시'는 3근무시간 이내
LAST_HOUR_RULE_DAY: Final = 5  # 법 제19조 제1항: 5일 이하는 시간 단위

# Upper bounds keep every result inside the years `datetime` can represent (about a century).
_MAX_AMOUNT: Final[dict[str, int]] = {
    "hours": 8 * 366 * 100,
    "days": 366 * 100,
    "weeks": 53 * 100,
    "months": 12 * 100,
    "years": 100,
}
_UNITS: Final[dict[str, PeriodKind]] = {
    "h": "hours",
    "d": "days",
    "w": "weeks",
    "m": "months",
    "y": "years",
}
_SUFFIX: Final[dict[str, str]] = {kind: suffix for suffix, kind in _UNITS.items()}
_PATTERN: Final = re.compile(r"([+-]?\d+)([hdwmy])")

_BASIS_INSTANT: Final = "민원처리법 시행령 제19조"
_BASIS_HOURS: Final = "민원처리법 제19조 제1항"
_BASIS_DAYS: Final = "민원처리법 제19조 제2항"
_BASIS_CALENDAR: Final = "민원처리법 제19조 제3항, 민법 제159조~제161조"


@dataclass(frozen=True, slots=True)
class Period:
    """A processing period: ``Period("days", 7)`` is written ``"7d"``.

    ``Period("instant", 1)`` is ``"instant"`` (즉시).
    """

    kind: PeriodKind
    amount: int

    def __post_init__(self) -> None:
        if self.kind == "instant":
            if self.amount != 1:
                raise LawclockError(
                    "An 'instant' period has no amount (use amount=1).",
                    field="period",
                    code="lawclock.unknown_period",
                )
            return
        if self.kind not in _MAX_AMOUNT:
            raise LawclockError(
                f"Unknown period kind {self.kind!r}.",
                field="period",
                code="lawclock.unknown_period",
            )
        if self.amount <= 0:
            raise LawclockError(
                f"A period must be positive; got {self.amount} {self.kind}.",
                field="period",
                code="lawclock.nonpositive_period",
            )
        if self.amount > _MAX_AMOUNT[self.kind]:
            raise LawclockError(
                f"A period of {self.amount} {self.kind} is longer than the clock supports "
                f"(at most {_MAX_AMOUNT[self.kind]}).",
                field="period",
                code="lawclock.period_too_long",
            )

    def __str__(self) -> str:
        return "instant" if self.kind == "instant" else f"{self.amount}{_SUFFIX[self.kind]}"

    @property
    def rule(self) -> Rule:
        """Which counting rule of 법 제19조 applies."""
        if self.kind in ("weeks", "months", "years"):
            return "calendar"
        if self.kind == "days" and self.amount > LAST_HOUR_RULE_DAY:
            return "days"
        return "hours"

    @property
    def legal_basis(self) -> str:
        """The statute that fixes how this period is counted."""
        if self.kind == "instant":
            return _BASIS_INSTANT
        rule = self.rule
        if rule == "hours":
            return _BASIS_HOURS
        return _BASIS_DAYS if rule == "days" else _BASIS_CALENDAR

    @property
    def working_hours(self) -> int:
        """The working hours counted under the hour rules (0 for day and calendar rules)."""
        if self.kind == "instant":
            return INSTANT_HOURS
        if self.kind == "hours":
            return self.amount
        if self.rule == "hours":
            return self.amount * HOURS_PER_DAY
        return 0


def parse_period(text: str | Period) -> Period:
    """Parse ``"instant"``, ``"Nh"``, ``"Nd"``, ``"Nw"``, ``"Nm"`` or ``"Ny"`` (N ≥ 1, whole)."""
    if isinstance(text, Period):
        return text
    if not isinstance(text, str):
        raise LawclockError(
            f"A period must be text such as '7d'; got {type(text).__name__}.",
            field="period",
            code="lawclock.unknown_period",
        )
    written = text.strip().lower()
    if written in ("instant", "즉시"):
        return Period("instant", 1)
    match = _PATTERN.fullmatch(written)
    if match is None:
        raise LawclockError(
            f"Unknown period {text!r}: write 'instant' or a whole number followed by "
            "h (working hours), d (days), w (weeks), m (months) or y (years), e.g. '7d'.",
            field="period",
            code="lawclock.unknown_period",
        )
    return Period(_UNITS[match.group(2)], int(match.group(1)))
