from __future__ import annotations

import pytest

from minwon.catalog import domain as d
from minwon.lawclock.kinds import ComplaintKind


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("즉시", "instant"),
        ("instant", "instant"),
        ("7일", "7d"),
        ("5 일", "5d"),
        ("3시간", "3h"),
        ("2주", "2w"),
        ("1개월", "1m"),
        ("1년", "1y"),
        ("7d", "7d"),
        ("", None),
        ("0일", None),
        ("2~70일", None),
        ("soon", None),
    ],
)
def test_normalize_period(text: str, expected: str | None) -> None:
    assert d.normalize_period(text) == expected


def test_row_with_korean_values() -> None:
    row = {
        d.canonical_header(k): v
        for k, v in {
            "\ufeff코드": "road-occupancy",
            "민원사무명": "도로점용허가",
            "처리기간": "5일",
            "수수료": "1,000원",
            "구비서류": "신청서; 위치도",
            "주민등록번호필요": "n",
            "신청방법": "visit;internet",
            "협의기간": "3일",
        }.items()
    }
    data, problems = d.type_data_from_row(row)
    assert problems == []
    assert data is not None
    assert data.processing_period == "5d"
    assert data.fee_krw == 1000
    assert data.required_documents == ["신청서", "위치도"]
    assert data.stage_periods == {"consult": "3d"}
    assert data.kind == ComplaintKind.STATUTORY


def test_row_problems_are_all_reported() -> None:
    data, problems = d.type_data_from_row(
        {
            "code": "Bad Code",
            "name_ko": "",
            "period": "곧",
            "fee_krw": "many",
            "kind": "nope",
            "requires_rrn": "maybe",
            "channels": "pigeon",
            "form_url": "ftp://x",
            "period_consult": "x",
        }
    )
    assert data is None
    assert {p.code for p in problems} == {
        "catalog.invalid_code",
        "catalog.name_required",
        "catalog.invalid_period",
        "catalog.invalid_fee",
        "catalog.invalid_kind",
        "catalog.invalid_boolean",
        "catalog.invalid_channel",
        "catalog.invalid_url",
    }


def test_tip_is_not_a_catalogue_kind() -> None:
    data = d.TypeData(code="x", name_ko="x", processing_period="7d", kind=ComplaintKind.TIP)
    assert [p.code for p in d.validate_type_data(data)] == ["catalog.invalid_kind"]


def test_free_fee_words() -> None:
    data, _ = d.type_data_from_row({"code": "a", "name_ko": "a", "period": "1d", "fee_krw": "무료"})
    assert data is not None
    assert data.fee_krw == 0


def test_calendar_version() -> None:
    assert d.calendar_version(holidays_version="0.109", overrides=[]) == "kr-holidays-0.109"
    one = d.calendar_version(holidays_version="0.109", overrides=[("2026-03-10", "+")])
    two = d.calendar_version(holidays_version="0.109", overrides=[("2026-03-10", "-")])
    assert one.startswith("kr-holidays-0.109+")
    assert one != two
