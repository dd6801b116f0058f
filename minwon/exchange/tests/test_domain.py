from __future__ import annotations

from datetime import UTC, datetime

import pytest

from minwon.exchange.domain import (
    Agency,
    ExchangeFormatError,
    parse_incoming,
    report_for,
    retry_delay_seconds,
)

GOOD = {
    "external_id": "1AA-2603-0000001",
    "agency": "epeople",
    "kind": "suggestion",
    "title": "공원 벤치",
    "body": "벤치를 늘려 주세요",
    "registered_at": "2026-03-09T10:00:00+09:00",
    "due_at": "2026-03-27T18:00:00+09:00",
    "applicant": {"name": "홍길동", "address": "경기도 파주시 시청로 50"},
}


def test_a_good_item_is_parsed() -> None:
    item = parse_incoming(GOOD, agency=Agency.EPEOPLE)
    assert item.external_id == "1AA-2603-0000001" and item.kind == "suggestion"
    assert item.registered_at.utcoffset() is not None and item.due_at is not None
    assert item.applicant.name == "홍길동"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"external_id": ""}, "external_id"),
        ({"kind": "statutory"}, "kind"),  # 법정민원 come through 정부24
        ({"kind": 7}, "kind"),
        ({"agency": "gov24"}, "agency"),
        ({"registered_at": "2026-03-09T10:00:00"}, "registered_at"),
        ({"registered_at": "yesterday"}, "registered_at"),
        ({"applicant": "홍길동"}, "applicant"),
        ({"applicant": {"name": "홍길동"}}, "address"),
        ({"title": "x" * 201}, "title"),
        ({"body": None}, "body"),
    ],
)
def test_bad_items_name_the_field(change: dict[str, object], field: str) -> None:
    with pytest.raises(ExchangeFormatError) as err:
        parse_incoming({**GOOD, **change}, agency=Agency.EPEOPLE)
    assert err.value.field == field


def test_gov24_needs_a_service_code_and_is_statutory() -> None:
    with pytest.raises(ExchangeFormatError) as err:
        parse_incoming({**GOOD, "agency": "gov24", "kind": "statutory"}, agency=Agency.GOV24)
    assert err.value.field == "service_code"
    item = parse_incoming(
        {**GOOD, "agency": "gov24", "kind": "statutory", "service_code": "building-permit"},
        agency=Agency.GOV24,
    )
    assert item.service_code == "building-permit"


def test_not_an_object() -> None:
    with pytest.raises(ExchangeFormatError):
        parse_incoming(["x"], agency=Agency.EPEOPLE)


def test_reports_carry_what_the_status_needs() -> None:
    at = datetime(2026, 3, 10, tzinfo=UTC)
    answered = report_for(
        external_id="E1",
        sequence=3,
        status="answered",
        occurred_at=at,
        answer="설치하겠습니다",
        outcome="granted",
    )
    assert answered["report_id"] == "E1:3" and answered["answer"] == "설치하겠습니다"
    moved = report_for(
        external_id="E1",
        sequence=4,
        status="transferred",
        occurred_at=at,
        transferred_to="경기도청",
    )
    assert moved["transferred_to"] == "경기도청" and "answer" not in moved


@pytest.mark.parametrize(
    ("attempts", "seconds"), [(1, 60), (2, 120), (3, 240), (7, 3600), (30, 3600)]
)
def test_backoff(attempts: int, seconds: int) -> None:
    assert retry_delay_seconds(attempts) == seconds
