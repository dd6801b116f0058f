"""Fixtures of the evaluation tests: a clock in Seoul time and catalogue entries of 6 days or more."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from minwon.accounts.models import OrgUnit
from minwon.catalog.domain import TypeData
from minwon.catalog.models import ComplaintType
from minwon.catalog.services import complaint_type_create
from tests.factories import TravellingClock


@pytest.fixture
def clock() -> Iterator[TravellingClock]:
    c = TravellingClock()
    yield c
    c.stop()


@pytest.fixture
def types(civil_unit: OrgUnit, road_unit: OrgUnit) -> dict[str, ComplaintType]:
    rows = [
        TypeData(
            code="columbarium-report-family",
            name_ko="봉안시설 설치신고(가족·종중)",
            name_en="Columbarium report (family)",
            processing_period="10일",
            legal_basis="장사 등에 관한 법률",
            handling_unit_code="civil",
        ),
        TypeData(
            code="road-excavation-permit",
            name_ko="도로굴착허가",
            processing_period="7일",
            legal_basis="도로법 제61조",
            handling_unit_code="road",
        ),
    ]
    return {row.code: complaint_type_create(actor=None, data=row) for row in rows}
