"""Korean addresses normalised for counting 다수인 households (법 제2조 제6호): each group is one
household typed the ways people type it; the pairs after it are different households."""

from __future__ import annotations

import pytest

from minwon.complaints.domain.addresses import Address, clean, household_key, parse_address

SAME_HOUSEHOLD = {
    "apartment, road-name address": [
        "경기도 파주시 운정로 123, 101동 1001호",
        "경기 파주 운정로123 101동1001호",
        "파주시 운정로 １２３ (와동동) 101-1001",
        "경기도 파주시 운정로 123 가람마을아파트 제101동 제1001호",
        "파주시  운정로 123,101동 1001호",
        "운정로 123 101 동 1001 호",
        "경기도파주시 운정로 123 101동 1001호",
        "파주 운정로 123 (와동동, 가람마을) 101동 1001호",
    ],
    "번길 road, full-width and spacing": [
        "경기도 파주시 가람로12번길 34",
        "파주시 가람로 12번길 34",
        "파주 가람로 12 번길 34",
        "파주시 가람로12길 34",
        "파주시 가람로１２번길 ３４",
    ],
    "detached house with a sub-number": [
        "경기도 파주시 문산읍 문산로 45-6",
        "경기 파주시 문산로 45 - 6",
        "파주시 문산읍 문산로 45－6",
        "문산로 45-6번지",
    ],
    "lot address (지번) with 산": [
        "경기도 파주시 문산읍 선유리 산 12-3",
        "파주 문산읍 선유리 산12-3번지",
        "경기 파주시 문산읍 선유리 산 12 - 3",
    ],
    "lot address with a flat": [
        "경기도 파주시 와동동 1234-5 101동 1001호",
        "파주시 와동동 1234-5번지 101동1001호",
    ],
    "metropolitan city, gu, letter building": [
        "서울특별시 중구 세종대로 110 B동 201호",
        "서울 중구 세종대로110 b동 201호",
        "서울시 중구 세종대로 110 제B동 제201호",
    ],
    "floor of a 다가구 house": [
        "경기도 고양시 일산동구 중앙로1275번길 12 2층",
        "고양시 일산동구 중앙로 1275번길 12, 2층",
    ],
}

DIFFERENT_HOUSEHOLDS = [
    ("파주시 운정로 123 101동 1001호", "파주시 운정로 123 101동 1002호"),
    ("파주시 운정로 123 101동 1001호", "파주시 운정로 123 102동 1001호"),
    ("파주시 운정로 123", "파주시 운정로 124"),
    ("파주시 운정로 123-1", "파주시 운정로 123"),
    ("파주시 가람로12번길 34", "파주시 가람로 34"),
    ("파주시 선유리 12-3", "파주시 선유리 산 12-3"),
    ("파주시 와동동 123", "파주시 운정로 123"),
    ("파주시 운정로 123 2층", "파주시 운정로 123 3층"),
]


@pytest.mark.parametrize("variants", list(SAME_HOUSEHOLD.values()), ids=list(SAME_HOUSEHOLD.keys()))
def test_one_household_however_it_is_typed(variants: list[str]) -> None:
    keys = {household_key(v) for v in variants}
    assert len(keys) == 1, keys


@pytest.mark.parametrize(("one", "other"), DIFFERENT_HOUSEHOLDS)
def test_different_households_stay_apart(one: str, other: str) -> None:
    assert household_key(one) != household_key(other)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "경기 파주 운정로123 101동1001호",
            Address("경기도", "파주", "운정로", "123", "101", "", "1001", True),
        ),
        (
            "서울특별시 종로구 을지로3가 12-3",
            Address("서울특별시", "종로", "을지로3가", "12-3", is_road=False),
        ),
        (
            "경상남도 창원시 의창구 중앙대로 151",
            Address("경상남도", "창원 의창", "중앙대로", "151", is_road=True),
        ),
        ("제주 제주시 문연로 6", Address("제주특별자치도", "제주", "문연로", "6", is_road=True)),
        (
            "세종시 한누리대로 2130",
            Address("세종특별자치시", "세종", "한누리대로", "2130", is_road=True),
        ),
        ("광주시 행정타운로 50", Address("", "광주", "행정타운로", "50", is_road=True)),
        ("광주광역시 서구 내방로 111", Address("광주광역시", "서", "내방로", "111", is_road=True)),
        (
            "전라북도 전주시 완산구 노송광장로 10",
            Address("전북특별자치도", "전주 완산", "노송광장로", "10", is_road=True),
        ),
        (
            "강원 춘천시 중앙로 1 지하1층",
            Address("강원특별자치도", "춘천", "중앙로", "1", floor="B1", is_road=True),
        ),
    ],
)
def test_parts_of_the_address(text: str, expected: Address) -> None:
    got = parse_address(text)
    assert got == Address(**{**expected.__dict__, "raw": got.raw})


def test_an_address_that_cannot_be_read_keys_by_its_cleaned_text() -> None:
    assert household_key("파주시 운정 마을 ") == household_key("파주시운정마을")
    assert household_key("파주시 운정 마을").startswith("?")


def test_clean_folds_full_width_forms_dashes_and_notes() -> None:
    assert clean("  운정로　１２３－４ （와동동） ,제１０１동 ") == "운정로 123-4 101동"
