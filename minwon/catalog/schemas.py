"""JSON API shapes of the catalogue and the working calendar."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema

from minwon.catalog.domain import TypeData
from minwon.catalog.models import CalendarChange, ComplaintType, ComplaintTypeVersion
from minwon.lawclock.kinds import ComplaintKind


class TypeIn(Schema):
    code: str = ""
    kind: ComplaintKind = ComplaintKind.STATUTORY
    name_ko: str
    name_en: str = ""
    category: str = ""
    processing_period: str = Field(description="즉시, 5일, 7d, 1m …")
    stage_periods: dict[str, str] = Field({}, description="receipt, transit, consult, decision")
    required_documents: list[str] = []
    fee_krw: int | None = None
    fee_note: str = ""
    legal_basis: str = ""
    handling_unit: str = Field("", description="Org unit code")
    consulting_units: list[str] = []
    form_name: str = ""
    form_url: str = ""
    requires_rrn: bool = False
    application_channels: list[str] = []
    source: str = ""
    aliases: list[str] = Field([], description="Everyday words people search with (등본, 포트홀)")

    def to_data(self) -> TypeData:
        fields = self.dict()
        handling = fields.pop("handling_unit")
        consulting = fields.pop("consulting_units")
        return TypeData(**fields, handling_unit_code=handling, consulting_unit_codes=consulting)


class TypeVersionOut(Schema):
    version: int
    name_ko: str
    name_en: str
    category: str
    processing_period: str
    stage_periods: dict[str, str]
    required_documents: list[str]
    fee_krw: int | None
    fee_note: str
    legal_basis: str
    handling_unit: str | None
    form_name: str
    form_url: str
    requires_rrn: bool
    application_channels: list[str]
    source: str
    aliases: list[str]

    @staticmethod
    def of(v: ComplaintTypeVersion) -> dict[str, Any]:
        data = {name: getattr(v, name) for name in TypeVersionOut.model_fields if hasattr(v, name)}
        data["handling_unit"] = v.handling_org_unit.code if v.handling_org_unit else None
        return data


class TypeOut(Schema):
    code: str
    kind: str
    is_active: bool
    current: TypeVersionOut | None

    @staticmethod
    def of(t: ComplaintType) -> dict[str, Any]:
        current = t.current_version
        return {
            "code": t.code,
            "kind": t.kind,
            "is_active": t.is_active,
            "current": TypeVersionOut.of(current) if current else None,
        }


class ImportIn(Schema):
    csv: str = Field(description="UTF-8 CSV text with English or Korean (편람) headers")
    dry_run: bool = False


class RowProblemOut(Schema):
    line: int
    field: str
    code: str
    message: str
    value: str


class ImportReportOut(Schema):
    ok: bool
    dry_run: bool
    rows: int
    created: int
    updated: int
    unchanged: int
    problems: list[RowProblemOut]


class HolidayIn(Schema):
    day: date
    name: str
    kind: str = Field("extra", description="extra (임시공휴일 …) or removed")
    source: str = ""


class HolidayOut(Schema):
    id: int
    day: date
    kind: str
    name: str
    source: str


class RecomputeOut(Schema):
    """The newest calendar change and the re-computation of open deadlines it asked for."""

    status: str = Field(description="pending, running or done")
    reason: str
    requested_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    total: int = Field(description="open complaints when the run started")
    scanned: int
    changed: int
    failed: int
    attempts: int

    @staticmethod
    def resolve_requested_at(obj: CalendarChange) -> datetime:
        return obj.created_at


class CalendarOverrideOut(Schema):
    day: date
    kind: str = Field(description="extra (a day off added) or removed (a holiday taken out)")
    name: str


class CalendarVersionOut(Schema):
    """Which holiday list a stored calendar version was (every deadline names its version)."""

    version: str
    holidays_version: str = Field(
        description="the `holidays` package release: 관공서의 공휴일에 관한 규정's holidays"
    )
    overrides: list[CalendarOverrideOut]


class CalendarOut(Schema):
    version: str
    holidays: list[HolidayOut]
    recompute: RecomputeOut | None = Field(
        description="the newest holiday change's deadline re-computation (a background job)"
    )
    recompute_waiting: int = Field(description="changes the open deadlines have not caught up with")
