"""Effective-dated parameters in OpenFisca's shape (``values: {date: value}``).

A parameter has values from dates on; a ``None`` value (YAML ``null``) stops it, as in
openfisca-core. ``Parameter.at(day)`` is the value in force on ``day`` or ``None`` when none is.
``ParameterNode`` is a tree of them addressed by dotted names
(``national.parental_benefit.age_0``).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

__all__ = ["Parameter", "ParameterNode"]


@dataclass(frozen=True)
class Parameter:
    name: str
    values: tuple[tuple[date, int | None], ...]  # ascending by date
    description: str = ""
    reference: str = ""
    unit: str = ""

    def __post_init__(self) -> None:
        days = [d for d, _ in self.values]
        if days != sorted(days) or len(set(days)) != len(days):
            raise ValueError(f"{self.name}: dates must be distinct and ascending")

    def at(self, day: date) -> int | None:
        """The value in force on ``day`` (None before the first date or after a stop)."""
        i = bisect_right([d for d, _ in self.values], day)
        return None if i == 0 else self.values[i - 1][1]

    def first_date(self) -> date | None:
        return self.values[0][0] if self.values else None

    def changes_between(self, start: date, end: date) -> list[tuple[date, int | None]]:
        """The dated values that start after ``start`` and on or before ``end``."""
        return [(d, v) for d, v in self.values if start < d <= end]


@dataclass(frozen=True)
class ParameterNode:
    parameters: Mapping[str, Parameter] = field(default_factory=dict)

    def get(self, name: str) -> Parameter:
        try:
            return self.parameters[name]
        except KeyError:
            raise KeyError(f"no parameter {name!r} in the catalogue") from None

    def __contains__(self, name: object) -> bool:
        return name in self.parameters
