"""Fixtures of the complaints tests: catalogue entries, a clock in Seoul time, filing (tests/factories.py has the typed factories)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from minwon.accounts.models import OrgUnit
from minwon.catalog.domain import TypeData
from minwon.catalog.models import ComplaintType
from minwon.catalog.services import complaint_type_create
from minwon.complaints.models import Complaint
from minwon.lawclock.kinds import ComplaintKind
from tests.factories import TravellingClock, complaint_filed


@pytest.fixture
def clock() -> Iterator[TravellingClock]:
    c = TravellingClock()
    yield c
    c.stop()


@pytest.fixture
def types(civil_unit: OrgUnit, road_unit: OrgUnit) -> dict[str, ComplaintType]:
    """A few real entries of the catalogue (reference §14.2), handled by the test units."""
    rows = [
        TypeData(
            code="road-occupancy-permit",
            name_ko="도로점용허가",
            processing_period="5일",
            fee_krw=1000,
            legal_basis="도로법 제61조",
            handling_unit_code="road",
        ),
        TypeData(
            code="columbarium-report-family",
            name_ko="봉안시설 설치신고(가족·종중)",
            processing_period="10일",
            legal_basis="장사 등에 관한 법률",
            handling_unit_code="civil",
        ),
        TypeData(
            code="resident-card-new",
            name_ko="주민등록증 신규 발급",
            processing_period="즉시",
            requires_rrn=True,
            legal_basis="주민등록법 제24조",
            handling_unit_code="civil",
        ),
        TypeData(
            code="building-permit",
            name_ko="건축허가",
            processing_period="70일",
            stage_periods={"consult": "10일"},
            handling_unit_code="civil",
            consulting_unit_codes=["road"],
        ),
        TypeData(
            code="pothole",
            name_ko="도로 파손 신고",
            kind=ComplaintKind.OTHER,
            processing_period="즉시",
            handling_unit_code="road",
        ),
    ]
    return {row.code: complaint_type_create(actor=None, data=row) for row in rows}


@pytest.fixture
def file(db: None) -> Callable[..., Complaint]:
    return complaint_filed
