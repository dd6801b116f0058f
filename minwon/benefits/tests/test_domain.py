"""The pure pieces: month arithmetic, dated parameters, amounts as Koreans write them, exclusions."""

from __future__ import annotations

from datetime import date

import pytest

from minwon.benefits.catalogue import catalogue_default
from minwon.benefits.domain.catalogue import exclusion_conflicts
from minwon.benefits.domain.dates import (
    Month,
    add_months,
    completed_months,
    day_of_life,
    month_of_life,
)
from minwon.benefits.domain.eligibility import Child, Residence, Situation, SituationError
from minwon.benefits.domain.parameters import Parameter
from minwon.benefits.domain.reasons import Reason, Won, format_won, render


def test_add_months_clamps_to_the_end_of_the_month() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2025, 11, 15), 3) == date(2026, 2, 15)


def test_month_of_life_counts_the_birth_month_as_zero() -> None:
    birth = date(2025, 3, 31)
    assert month_of_life(birth, Month(2025, 3)) == 0
    assert month_of_life(birth, Month(2026, 2)) == 11
    assert month_of_life(birth, Month(2026, 3)) == 12
    assert month_of_life(birth, Month(2025, 2)) == -1


def test_completed_months_and_day_of_life() -> None:
    birth = date(2026, 1, 31)
    assert completed_months(birth, date(2026, 2, 27)) == 0
    assert completed_months(birth, date(2026, 2, 28)) == 1  # 1개월째 날: clamped to 02-28
    assert completed_months(birth, date(2027, 1, 30)) == 11
    assert completed_months(birth, date(2027, 1, 31)) == 12
    assert day_of_life(date(2026, 3, 10), date(2026, 3, 10)) == 1
    assert day_of_life(date(2026, 3, 10), date(2026, 5, 8)) == 60


@pytest.mark.parametrize("text", ["2026-3", "2026-13", "26-03", "2026-03-01", "２０２６-03", ""])
def test_month_parse_refuses_other_shapes(text: str) -> None:
    with pytest.raises(ValueError, match="month"):
        Month.parse(text)


def test_parameter_values_are_dated_and_may_stop() -> None:
    p = Parameter(
        "x", ((date(2023, 1, 1), 700_000), (date(2024, 1, 1), 1_000_000), (date(2027, 7, 1), None))
    )
    assert p.at(date(2022, 12, 31)) is None
    assert p.at(date(2023, 12, 31)) == 700_000
    assert p.at(date(2024, 1, 1)) == 1_000_000
    assert p.at(date(2027, 7, 1)) is None
    with pytest.raises(ValueError, match="ascending"):
        Parameter("y", ((date(2024, 1, 1), 1), (date(2023, 1, 1), 2)))


@pytest.mark.parametrize(
    ("amount", "ko"),
    [
        (1_000_000, "100만원"),
        (416_000, "41만 6천원"),
        (5_000, "5천원"),
        (1_234, "1,234원"),
        (0, "0원"),
        (12_345_678, "1,234만 5,678원"),
    ],
)
def test_amounts_are_written_as_in_korean(amount: int, ko: str) -> None:
    assert format_won(amount, "ko") == ko
    assert format_won(amount, "en") == f"KRW {amount:,}"


def test_render_formats_values_in_the_language() -> None:
    reason = Reason("%(a)s for %(m)s", {"a": Won(500_000), "m": Month(2026, 3)})
    assert render(reason, lambda m: m, "en") == "KRW 500,000 for 2026-03"
    assert render(reason, lambda m: "%(m)s: %(a)s", "ko") == "2026-03: 50만원"


def _situation(**child: object) -> Situation:
    values: dict[str, object] = {
        "birth_date": date(2026, 3, 10),
        "birth_order": 1,
        "birth_registered_on": date(2026, 3, 11),
    }
    values.update(child)
    return Situation(
        as_of=date(2026, 4, 1),
        month=Month(2026, 4),
        child=Child(**values),  # type: ignore[arg-type]
        residence=Residence("41480", date(2020, 1, 1)),
    )


@pytest.mark.parametrize(
    ("child", "field"),
    [
        ({"birth_order": 0}, "child.birth_order"),
        ({"birth_order": 21}, "child.birth_order"),
        ({"birth_order": True}, "child.birth_order"),
        ({"birth_date": date(2026, 4, 2)}, "child.birth_date"),
        ({"birth_registered_on": date(2026, 3, 9)}, "child.birth_registered_on"),
        ({"birth_registered_on": date(2026, 4, 2)}, "child.birth_registered_on"),
    ],
)
def test_impossible_situations_are_refused(child: dict[str, object], field: str) -> None:
    with pytest.raises(SituationError) as caught:
        _situation(**child).check()
    assert caught.value.field == field


def test_mutual_exclusions_come_from_the_catalogue() -> None:
    catalogue = catalogue_default()
    names = {code: p.name for code, p in catalogue.programmes.items()}
    assert (
        exclusion_conflicts(["parental_benefit", "child_allowance"], catalogue.exclusions, names)
        == []
    )
    [conflict] = exclusion_conflicts(
        ["parental_benefit", "home_care_allowance", "child_allowance"], catalogue.exclusions, names
    )
    text = render(conflict, lambda m: m, "en")
    assert "Parental benefit" in text and "Home-care allowance" in text
