"""GeoReport v2 rules, one row per spec clause (pure; no database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from minwon.open311.domain import (
    AttributeSpec,
    Open311Error,
    clean,
    parse_attributes,
    parse_datetime,
    parse_new_request,
    parse_request_query,
)
from minwon.open311.schemas import to_xml

NOW = datetime(2026, 3, 9, 1, 0, tzinfo=UTC)


def test_empty_parameters_behave_like_absent_ones() -> None:
    assert clean([("jurisdiction_id", ""), ("status", " open "), ("x", "  ")]) == [
        ("status", "open")
    ]


def test_attribute_keys_single_and_multi_value() -> None:
    params = [
        ("attribute[CAR]", "1"),
        ("attribute[SIDE][]", "L"),
        ("attribute[SIDE][]", "R"),
        ("attributes", "x"),
        ("attribute[]", "y"),
    ]
    assert parse_attributes(params) == {"CAR": ["1"], "SIDE": ["L", "R"]}


@pytest.mark.parametrize(
    "value",
    [
        "2026-03-09T10:00:00+09:00",
        "2026-03-09T01:00:00Z",
        "2026-03-09T10:00+09:00",
        "2026-03-09T10:00:00.5-05:00",
    ],
)
def test_w3c_datetimes_with_a_zone_are_accepted(value: str) -> None:
    assert parse_datetime(value, name="start_date").tzinfo is not None


@pytest.mark.parametrize(
    "value", ["2026-03-09T10:00:00", "2026-03-09", "yesterday", "2026-13-09T10:00:00Z"]
)
def test_naive_or_malformed_datetimes_are_400(value: str) -> None:
    with pytest.raises(Open311Error) as err:
        parse_datetime(value, name="start_date")
    assert err.value.status == 400 and "start_date" in err.value.description


def test_request_query_defaults_to_the_last_90_days() -> None:
    query = parse_request_query([], now=NOW)
    assert query.start == NOW - timedelta(days=90) and query.end is None
    assert (query.page, query.page_size) == (1, 1000)


def test_service_request_id_overrides_other_filters() -> None:
    query = parse_request_query(
        [("service_request_id", "2026-1,2026-2"), ("status", "bogus"), ("start_date", "nonsense")],
        now=NOW,
    )
    assert query.ids == ("2026-1", "2026-2") and query.start is None


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ([("start_date", "2025-01-01T00:00:00Z"), ("end_date", "2025-06-01T00:00:00Z")], "90 days"),
        ([("start_date", "2025-02-01T00:00:00Z"), ("end_date", "2025-01-01T00:00:00Z")], "before"),
        ([("status", "pending")], "status"),
        ([("page", "0")], "page"),
        ([("page_size", "5000")], "page_size"),
        ([("start_date", "2025-01-01")], "start_date"),
    ],
)
def test_bad_queries_are_400(params: list[tuple[str, str]], fragment: str) -> None:
    with pytest.raises(Open311Error) as err:
        parse_request_query(params, now=NOW)
    assert err.value.status == 400 and fragment in err.value.description


def test_only_end_date_gives_the_90_days_before_it() -> None:
    query = parse_request_query([("end_date", "2026-03-01T00:00:00+09:00")], now=NOW)
    assert query.end is not None and query.start == query.end - timedelta(days=90)


SPECS = [
    AttributeSpec("CAR", "singlevaluelist", True, ("1", "2")),
    AttributeSpec("COUNT", "number", False),
    AttributeSpec("WHEN", "datetime", False),
    AttributeSpec("NOTE", "text", True, variable=False),
]


def test_a_valid_request_is_parsed() -> None:
    new = parse_new_request(
        [
            ("service_code", "pothole"),
            ("lat", "37.76"),
            ("long", "126.78"),
            ("attribute[CAR]", "1"),
            ("description", "도로 파임\n위험"),
            ("email", "a@b.kr"),
        ],
        spatial=True,
        attributes=SPECS,
    )
    assert (new.lat, new.long, new.attributes, new.email) == (
        37.76,
        126.78,
        {"CAR": ["1"]},
        "a@b.kr",
    )


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ([("attribute[CAR]", "1")], "location"),
        ([("lat", "37.7"), ("attribute[CAR]", "1")], "together"),
        ([("lat", "north"), ("long", "east"), ("attribute[CAR]", "1")], "decimal"),
        ([("lat", "137"), ("long", "126"), ("attribute[CAR]", "1")], "ranges"),
        ([("address_string", "시청로 50")], "CAR is required"),
        ([("address_string", "시청로 50"), ("attribute[CAR]", "9")], "no value"),
        (
            [("address_string", "시청로 50"), ("attribute[CAR][]", "1"), ("attribute[CAR][]", "2")],
            "one value",
        ),
        (
            [("address_string", "x"), ("attribute[CAR]", "1"), ("attribute[COUNT]", "many")],
            "number",
        ),
        ([("address_string", "x"), ("attribute[CAR]", "1"), ("attribute[WHEN]", "soon")], "WHEN"),
        ([("address_string", "x"), ("attribute[CAR]", "1"), ("description", "x" * 4001)], "4000"),
        ([("address_string", "x"), ("attribute[CAR]", "1"), ("description", "<b>hi</b>")], "HTML"),
    ],
)
def test_bad_requests_are_400_in_the_spec_order(
    params: list[tuple[str, str]], fragment: str
) -> None:
    with pytest.raises(Open311Error) as err:
        parse_new_request([("service_code", "pothole"), *params], spatial=True, attributes=SPECS)
    assert err.value.status == 400 and fragment in err.value.description


def test_non_spatial_services_need_no_location() -> None:
    new = parse_new_request(
        [("service_code", "inquiry"), ("description", "질문 1 < 2")], spatial=False, attributes=[]
    )
    assert new.lat is None and new.address_string == ""


def test_xml_follows_the_spark_convention() -> None:
    body = to_xml(
        "services",
        "service",
        [
            {
                "service_code": "001",
                "metadata": True,
                "keywords": None,
                "attributes": [{"code": "A", "values": [{"key": "1", "name": "하나"}]}],
            }
        ],
    )
    text = body.decode("utf-8")
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?>\n<services><service>')
    assert "<metadata>true</metadata><keywords />" in text
    assert (
        "<attributes><attribute><code>A</code><values><value><key>1</key><name>하나</name>" in text
    )
