"""D-10 / D-3 before a window closes for what the family has not applied for; D-10 before a
monthly amount changes for what it has (docs/benefits.md "Reminders")."""

from __future__ import annotations

from datetime import date

from minwon.benefits.catalogue import catalogue_default
from minwon.benefits.domain.dates import Month
from minwon.benefits.domain.eligibility import Child, Residence, Situation
from minwon.benefits.domain.reasons import render
from minwon.benefits.domain.reminders import reminders_plan


def _plan(applied: set[str], today: date) -> list[tuple[str, str, date, date]]:
    catalogue = catalogue_default()
    # Born 2026-03-10 (60th day 2026-05-08), registered 03-20, Paju since 2020, asked on 04-01.
    situation = Situation(
        as_of=today,
        month=Month.of(today),
        child=Child(date(2026, 3, 10), 1, date(2026, 3, 20)),
        residence=Residence("41480", date(2020, 1, 1)),
    )
    results = {code: catalogue.evaluate(code, situation) for code in catalogue.computed_codes()}
    names = {code: p.name for code, p in catalogue.programmes.items()}
    plan = reminders_plan(results, names, applied=applied, today=today)
    assert all(render(r.reason, lambda m: m, "en") for r in plan)
    return [(r.programme, r.kind, r.send_on, r.due) for r in plan]


def test_the_60_day_window_is_reminded_at_d10_and_d3() -> None:
    plan = _plan(
        applied={"first_meeting_voucher", "paju_birth_grant", "gyeonggi_postpartum_care"},
        today=date(2026, 4, 1),
    )
    closing = [p for p in plan if p[1] == "window_closing"]
    # 60th day (birth day = day 1) is 2026-05-08: D-10 = 04-28, D-3 = 05-05.
    assert closing == [
        ("child_allowance", "window_closing", date(2026, 4, 28), date(2026, 5, 8)),
        ("parental_benefit", "window_closing", date(2026, 4, 28), date(2026, 5, 8)),
        ("child_allowance", "window_closing", date(2026, 5, 5), date(2026, 5, 8)),
        ("parental_benefit", "window_closing", date(2026, 5, 5), date(2026, 5, 8)),
    ]
    # A day after D-10, only D-3 is left; after the window, nothing.
    assert (
        len(
            _plan(
                applied={"first_meeting_voucher", "paju_birth_grant", "gyeonggi_postpartum_care"},
                today=date(2026, 4, 29),
            )
        )
        == 2
    )


def test_an_applied_programme_is_reminded_before_its_rate_changes() -> None:
    plan = _plan(
        applied={
            "parental_benefit",
            "child_allowance",
            "first_meeting_voucher",
            "paju_birth_grant",
            "gyeonggi_postpartum_care",
        },
        today=date(2026, 4, 1),
    )
    # 부모급여 drops to 50만원 in 2027-03 (month 12): reminded on 2027-02-19.
    assert ("parental_benefit", "rate_change", date(2027, 2, 19), date(2027, 3, 1)) in plan
    assert not [p for p in plan if p[1] == "window_closing"]


def test_local_windows_are_reminded_when_not_applied() -> None:
    plan = _plan(applied={"parental_benefit", "child_allowance"}, today=date(2026, 4, 1))
    # 파주시 출생축하금: within 1 year of the registration (2026-03-20 → 2027-03-20).
    assert ("paju_birth_grant", "window_closing", date(2027, 3, 10), date(2027, 3, 20)) in plan
    assert ("paju_birth_grant", "window_closing", date(2027, 3, 17), date(2027, 3, 20)) in plan
    # 첫만남이용권: 2 years from the birth (2028-03-10).
    assert ("first_meeting_voucher", "window_closing", date(2028, 2, 29), date(2028, 3, 10)) in plan
