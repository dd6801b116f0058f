"""Issue 19, "Done when": scenarios through ``minwon benefits evaluate``, amounts worked by hand.

The expected amounts below are not read from the catalogue: each is worked out from the tables of
../shared/reference/life-events.md, quoted next to it, so a wrong value in data/ fails here.

§2.3  부모급여 0세 (0–11개월): 2023 700,000 · 2024–2026 1,000,000
      부모급여 1세 (12–23개월): 2023 350,000 · 2024–2026 500,000
      첫만남이용권: 1st child 2,000,000; 2nd+ child 2,000,000 (born before 2024) / 3,000,000 (2024-)
      아동수당: 100,000 a month (Paju, 수도권), under 8 years; under 9 from 2026 (January arrears)
§2.4  부모급여·아동수당 within 60 days of birth (birth day counted) → from the birth month,
      else from the application month
§2.5  파주시 출생축하금, births from 2024-01-01: 1st 100만 (10 + 90), 2nd 200만 (30 + 170),
      3rd+ 300만 (100 + 200); before: 10/30/100만원; guardian in Paju from 출생신고 on;
      apply within 1 year of 출생신고.  경기도 산후조리비 50만원 per baby, within 12 months.
"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from minwon.benefits.cli import main

PAJU = "41480"
SEOUL_JONGNO = "11110"


def family(
    ident: str,
    *,
    as_of: str,
    month: str,
    birth: str,
    order: int = 1,
    registered: str | None = None,
    code: str = PAJU,
    since: str = "2015-05-01",
) -> dict[str, Any]:
    return {
        "id": ident,
        "as_of": as_of,
        "month": month,
        "child": {
            "birth_date": birth,
            "birth_order": order,
            "birth_registered_on": registered if registered is not None else birth,
        },
        "residence": {"sigungu_code": code, "since": since},
    }


def run(*families: dict[str, Any], language: str = "ko") -> tuple[int, list[dict[str, Any]], str]:
    stdin = io.StringIO("".join(json.dumps(f, ensure_ascii=False) + "\n" for f in families))
    out, err = io.StringIO(), io.StringIO()
    code = main(["evaluate", "-", "--language", language], stdin=stdin, stdout=out, stderr=err)
    return code, [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue()


def amounts(result: dict[str, Any]) -> dict[str, int]:
    return {code: p["amount"] for code, p in result["programmes"].items()}


def test_first_child_in_paju_applying_on_day_42() -> None:
    # Born 2026-03-10, 출생신고 2026-03-20, applied 2026-04-20: day 42 (22 days of March with the
    # birth day, 20 of April), inside the 60 days, so paid from March.
    code, [r], _ = run(
        family(
            "first",
            as_of="2026-04-20",
            month="2026-03",
            birth="2026-03-10",
            registered="2026-03-20",
        )
    )
    assert code == 0
    assert r["id"] == "first"
    assert amounts(r) == {
        "first_meeting_voucher": 2_000_000,  # 1st child
        "parental_benefit": 1_000_000,  # 0세, 2026, birth month paid (within 60 days)
        "child_allowance": 100_000,  # 수도권 base
        "paju_birth_grant": 1_000_000,  # 2024+ 1st child: 100,000 + 900,000
        "gyeonggi_postpartum_care": 500_000,  # one baby
    }
    assert all(p["eligible"] for p in r["programmes"].values())
    # The example of a reason a citizen can read.
    [headline, *_] = r["programmes"]["parental_benefit"]["reasons"]
    assert headline.startswith("부모급여 0세 월 100만원: 2026-03 출생, 신청일이 출생 후 60일 이내")
    assert "42일째" in headline
    paju = r["programmes"]["paju_birth_grant"]["reasons"]
    assert any("1차 10만원" in reason and "2차 90만원" in reason for reason in paju)


def test_second_child_born_after_2024_and_one_born_before() -> None:
    after = family(
        "second-2024",
        as_of="2024-02-20",
        month="2024-03",
        birth="2024-02-05",
        order=2,
        registered="2024-02-10",
    )
    before = family(
        "second-2023",
        as_of="2024-01-10",
        month="2023-12",
        birth="2023-12-20",
        order=2,
        registered="2023-12-28",
    )
    code, [a, b], _ = run(after, before)
    assert code == 0
    assert amounts(a) == {
        "first_meeting_voucher": 3_000_000,  # 2nd child born from 2024-01-01
        "parental_benefit": 1_000_000,  # 0세 in 2024
        "child_allowance": 100_000,
        "paju_birth_grant": 2_000_000,  # 2024+ 2nd child: 300,000 + 1,700,000
        "gyeonggi_postpartum_care": 500_000,
    }
    assert amounts(b) == {
        "first_meeting_voucher": 2_000_000,  # born 2023-12-20: before the 2024 increase
        "parental_benefit": 700_000,  # December 2023 paid at the 2023 rate
        "child_allowance": 100_000,
        "paju_birth_grant": 300_000,  # before 2024: 2nd child 30만원, one payment
        "gyeonggi_postpartum_care": 500_000,
    }
    # The same 2023 baby's January 2024 is paid at the 2024 rate (dated by the month paid).
    _, [january], _ = run({**before, "month": "2024-01"})
    assert january["programmes"]["parental_benefit"]["amount"] == 1_000_000


def test_twins_are_counted_by_birth_order() -> None:
    twin = {
        "as_of": "2025-07-20",
        "month": "2025-07",
        "birth": "2025-07-01",
        "registered": "2025-07-08",
    }
    code, [elder, younger], _ = run(
        family("twin-1", order=1, **twin), family("twin-2", order=2, **twin)
    )
    assert code == 0
    assert elder["programmes"]["first_meeting_voucher"]["amount"] == 2_000_000
    assert younger["programmes"]["first_meeting_voucher"]["amount"] == 3_000_000
    # 첫만남이용권 for the twins: 200만 + 300만 = 500만원; Paju: 100만 + 200만 = 300만원.
    total_fmv = sum(t["programmes"]["first_meeting_voucher"]["amount"] for t in (elder, younger))
    total_paju = sum(t["programmes"]["paju_birth_grant"]["amount"] for t in (elder, younger))
    assert (total_fmv, total_paju) == (5_000_000, 3_000_000)
    for t in (elder, younger):
        assert t["programmes"]["parental_benefit"]["amount"] == 1_000_000  # each child
        assert t["programmes"]["gyeonggi_postpartum_care"]["amount"] == 500_000  # per baby


def test_moving_into_paju_after_the_birth_registration() -> None:
    # Registered the birth in Seoul on 2026-01-15, moved to Paju on 2026-02-01.
    code, [r], _ = run(
        family(
            "moved",
            as_of="2026-02-10",
            month="2026-02",
            birth="2026-01-05",
            registered="2026-01-15",
            since="2026-02-01",
        )
    )
    assert code == 0
    paju = r["programmes"]["paju_birth_grant"]
    assert (paju["eligible"], paju["amount"]) == (False, 0)
    assert "2026-02-01" in paju["reasons"][0] and "2026-01-15" in paju["reasons"][0]
    # National programmes do not depend on where in Korea the family lives.
    assert r["programmes"]["first_meeting_voucher"]["amount"] == 2_000_000
    assert r["programmes"]["parental_benefit"]["amount"] == 1_000_000
    assert r["programmes"]["child_allowance"]["amount"] == 100_000
    # The same family registered in Paju before the birth registration gets it.
    _, [stayed], _ = run(
        family(
            "stayed",
            as_of="2026-02-10",
            month="2026-02",
            birth="2026-01-05",
            registered="2026-01-15",
            since="2026-01-15",
        )
    )
    assert stayed["programmes"]["paju_birth_grant"]["amount"] == 1_000_000
    # Outside Paju and Gyeonggi: neither local programme.
    _, [seoul], _ = run(
        family("seoul", as_of="2026-02-10", month="2026-02", birth="2026-01-05", code=SEOUL_JONGNO)
    )
    assert seoul["programmes"]["paju_birth_grant"]["eligible"] is False
    assert seoul["programmes"]["gyeonggi_postpartum_care"]["eligible"] is False


@pytest.mark.parametrize(
    ("as_of", "day", "march", "april", "may"),
    [
        # Born 2026-03-10: day 1 = 03-10, day 22 = 03-31, day 52 = 04-30, day 60 = 05-08.
        ("2026-05-08", 60, 1_000_000, 1_000_000, 1_000_000),  # day 60: still from March
        ("2026-05-09", 61, 0, 0, 1_000_000),  # day 61: from the application month, May
    ],
)
def test_late_applicant_on_day_61(as_of: str, day: int, march: int, april: int, may: int) -> None:
    base = family("late", as_of=as_of, month="2026-03", birth="2026-03-10", registered="2026-03-12")
    code, results, _ = run(*({**base, "month": m} for m in ("2026-03", "2026-04", "2026-05")))
    assert code == 0
    got = [r["programmes"]["parental_benefit"]["amount"] for r in results]
    assert got == [march, april, may]
    allowance = [r["programmes"]["child_allowance"]["amount"] for r in results]
    assert allowance == [m // 10 for m in (march, april, may)]  # 100,000 whenever paid
    assert all(r["programmes"]["parental_benefit"]["eligible"] for r in results)
    assert f"{day}일째" in " ".join(results[0]["programmes"]["parental_benefit"]["reasons"])


def test_a_child_crossing_12_months() -> None:
    # Born 2025-03-15 (applied in time): 2025-03 is month 0 of life, 2026-02 month 11 (0세),
    # 2026-03 month 12 (1세), 2027-02 month 23 (last), 2027-03 month 24: nothing.
    base = family(
        "cross", as_of="2025-04-01", month="2026-02", birth="2025-03-15", registered="2025-03-20"
    )
    months = ("2026-02", "2026-03", "2027-02", "2027-03")
    code, results, _ = run(*({**base, "month": m} for m in months))
    assert code == 0
    assert [r["programmes"]["parental_benefit"]["amount"] for r in results] == [
        1_000_000,
        500_000,
        500_000,
        0,
    ]
    # The reminder-worthy change is in the reasons: drops to 50만원 from 2026-03.
    reasons = " ".join(results[0]["programmes"]["parental_benefit"]["reasons"])
    assert "2026-03" in reasons and "50만원" in reasons
    # 아동수당 goes on (under 9 in 2026).
    assert [r["programmes"]["child_allowance"]["amount"] for r in results] == [100_000] * 4


def test_the_2023_parental_benefit_rates_and_the_start_of_the_programme() -> None:
    # Born 2022-12-10, applied 2023-01-15 (day 37): 부모급여 began in 2023-01, so December 2022
    # pays nothing; 2023-01 700,000 (0세 2023); 2023-12 (month 12) 350,000; 2024-01 (1세) 500,000.
    base = family(
        "2023", as_of="2023-01-15", month="2022-12", birth="2022-12-10", registered="2022-12-20"
    )
    months = ("2022-12", "2023-01", "2023-12", "2024-01")
    _, results, _ = run(*({**base, "month": m} for m in months))
    assert [r["programmes"]["parental_benefit"]["amount"] for r in results] == [
        0,
        700_000,
        350_000,
        500_000,
    ]
    # Born before 2023: the Paju grant's dated values in the catalogue start with 2023 births.
    assert results[0]["programmes"]["paju_birth_grant"]["eligible"] is False


def test_child_allowance_age_limit_rises_in_2026() -> None:
    # Born 2018-01-20: month 96 of life is 2026-01. Under 8 (96 months) it would stop in 2026-01;
    # the 2026 amendment (under 9, January arrears) pays it until 2026-12 (month 107).
    # Applied in 2023 (day 60 long past: paid from the application month, 2023-06).
    base = family(
        "older", as_of="2023-06-01", month="2025-12", birth="2018-01-20", registered="2018-01-25"
    )
    _, results, _ = run(*({**base, "month": m} for m in ("2025-12", "2026-01", "2026-12")))
    assert [r["programmes"]["child_allowance"]["amount"] for r in results] == [100_000] * 3
    # 2027-01 is month 108: under 10 from 2027 (the amendment's schedule), still paid.
    _, [later], _ = run({**base, "month": "2027-01"})
    assert later["programmes"]["child_allowance"]["amount"] == 100_000
    # Applying in 2026 for that 8-year-old: eligible, from the application month only.
    _, [late, april], _ = run(
        {**base, "as_of": "2026-05-04", "month": "2026-05"},
        {**base, "as_of": "2026-05-04", "month": "2026-04"},
    )
    assert late["programmes"]["child_allowance"]["eligible"] is True
    assert late["programmes"]["child_allowance"]["amount"] == 100_000
    assert april["programmes"]["child_allowance"]["amount"] == 0
    # Applying in 2025 for a child in month 96 (born 2017-04-10): over the limit then (under 8).
    _, [over], _ = run(
        {
            **base,
            "as_of": "2025-04-15",
            "month": "2025-04",
            "child": {
                "birth_date": "2017-04-10",
                "birth_order": 1,
                "birth_registered_on": "2017-04-20",
            },
        }
    )
    assert over["programmes"]["child_allowance"]["eligible"] is False


def test_windows_close() -> None:
    # 첫만남이용권 for a 2024 birth: apply within 2 years (by 2026-02-05 for a 2024-02-05 birth).
    base = family(
        "window", as_of="2026-02-05", month="2026-02", birth="2024-02-05", registered="2024-02-10"
    )
    _, [last_day, too_late], _ = run(base, {**base, "as_of": "2026-02-06"})
    assert last_day["programmes"]["first_meeting_voucher"]["amount"] == 2_000_000
    assert too_late["programmes"]["first_meeting_voucher"] == {
        "eligible": False,
        "amount": 0,
        "reasons": too_late["programmes"]["first_meeting_voucher"]["reasons"],
    }
    # 파주시 출생축하금: within one year of the birth registration (2024-02-10 → 2025-02-10).
    _, [paju_last, paju_late], _ = run(
        {**base, "as_of": "2025-02-10"}, {**base, "as_of": "2025-02-11"}
    )
    assert paju_last["programmes"]["paju_birth_grant"]["amount"] == 1_000_000
    assert paju_late["programmes"]["paju_birth_grant"]["eligible"] is False
    # 부모급여 stops being applied for at 24 months (month 24 of life, 2026-02).
    assert last_day["programmes"]["parental_benefit"]["eligible"] is False


def test_unregistered_birth_gets_nothing_yet() -> None:
    f = family("unregistered", as_of="2026-03-12", month="2026-03", birth="2026-03-10")
    f["child"]["birth_registered_on"] = None
    code, [r], _ = run(f)
    assert code == 0
    assert {p["eligible"] for p in r["programmes"].values()} == {False}
    assert "출생신고" in r["programmes"]["parental_benefit"]["reasons"][0]


def test_reasons_in_english() -> None:
    _, [r], _ = run(
        family("en", as_of="2026-04-20", month="2026-03", birth="2026-03-10"), language="en"
    )
    headline = r["programmes"]["parental_benefit"]["reasons"][0]
    assert headline.startswith("Parental benefit age 0 KRW 1,000,000 a month: 2026-03 birth")
