"""Fixtures of the complaints tests: catalogue entries, a clock in Seoul time, filing helpers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest
import time_machine

from minwon.accounts.models import OrgUnit, User
from minwon.catalog.domain import TypeData
from minwon.catalog.models import ComplaintType
from minwon.catalog.services import complaint_type_create
from minwon.complaints.domain import Channel, ComplaintKind
from minwon.complaints.models import Complaint
from minwon.complaints.services import ApplicantInput, FilingInput, complaint_file
from minwon.lawclock import SEOUL


def seoul(*args: int) -> datetime:
    return datetime(*args, tzinfo=SEOUL)  # type: ignore[misc]


class Clock:
    """Moves the application's clock (time-machine) to an instant in Seoul time."""

    def __init__(self) -> None:
        self._traveller: Any = None

    def at(self, *args: int) -> datetime:
        if self._traveller is not None:
            self._traveller.stop()
        moment = seoul(*args)
        self._traveller = time_machine.travel(moment, tick=False)
        self._traveller.start()
        return moment

    def stop(self) -> None:
        if self._traveller is not None:
            self._traveller.stop()


@pytest.fixture
def clock() -> Iterator[Clock]:
    c = Clock()
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


APPLICANT = ApplicantInput(
    name="홍길동", address="경기도 파주시 시청로 50", phone="010-1234-5678", email="hong@example.kr"
)


@pytest.fixture
def file(db: None) -> Callable[..., Complaint]:
    def make(
        kind: ComplaintKind,
        *,
        channel: Channel = Channel.COUNTER,
        type_code: str = "",
        applicant: ApplicantInput | None = APPLICANT,
        citizen: User | None = None,
        filed_by: User | None = None,
        register_now: bool | None = None,
        **extra: Any,
    ) -> Complaint:
        data = FilingInput(
            kind=kind,
            title=extra.pop("title", "제목"),
            body=extra.pop("body", "내용"),
            channel=channel,
            applicant=applicant,
            complaint_type_code=type_code,
            **extra,
        )
        return complaint_file(
            data=data, citizen=citizen, filed_by=filed_by, register_now=register_now
        )

    return make
