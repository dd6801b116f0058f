from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from minwon.accounts.models import OrgUnit
from minwon.accounts.services import org_chart_import_csv
from minwon.catalog import selectors, services
from minwon.catalog.domain import TypeData
from minwon.catalog.models import ComplaintType, HolidayOverride
from minwon.core.errors import Conflict, NotFound, ValidationFailed
from minwon.core.models import AuditEvent
from minwon.lawclock import SEOUL, compute_deadline

pytestmark = pytest.mark.django_db


@pytest.fixture
def paju(db: None) -> None:
    csv = Path(__file__).resolve().parents[2] / "accounts" / "data" / "paju_org_units.csv"
    org_chart_import_csv(
        actor=None,
        path=csv,
        city_code="paju",
        city_name_ko="파주시",
        city_name_en="Paju City",
        city_admin_code="4148000000",
    )


def test_demo_catalogue_imports_every_real_example(paju: None) -> None:
    report = services.catalog_seed_examples()
    assert report.ok, report.problems
    assert report.created == 31  # 26 statutory entries, 5 everyday topics
    food = selectors.complaint_type_get(code="food-business-report")
    assert food.current_version is not None
    assert food.current_version.processing_period == "instant"
    assert food.current_version.fee_krw == 28000
    assert food.current_version.handling_org_unit is not None
    assert food.current_version.handling_org_unit.code == "wisaeng-gwa"
    permit = selectors.complaint_type_get(code="building-permit").current_version
    assert permit is not None
    assert [u.code for u in permit.consulting_org_units.all()] == ["dosi-gyehoek-gwa"]
    assert selectors.complaint_type_get(code="resident-card-new").current_version.requires_rrn  # type: ignore[union-attr]
    # running it again changes nothing
    again = services.catalog_seed_examples()
    assert (again.created, again.updated, again.unchanged) == (0, 0, 31)


def test_import_reports_every_problem_and_writes_nothing(paju: None) -> None:
    text = (
        "code,name_ko,period,handling_unit,fee_krw\n"
        "good-one,좋은 민원,7일,wisaeng-gwa,100\n"
        "bad-period,나쁜 기간,언젠가,wisaeng-gwa,\n"
        "bad-unit,없는 부서,5일,no-such-unit,\n"
        "good-one,중복,7일,,\n"
    )
    report = services.catalog_import_csv(actor=None, text=text)
    assert not report.ok
    assert [(p.line, p.field, p.code) for p in report.problems] == [
        (3, "period", "catalog.invalid_period"),
        (4, "handling_unit", "catalog.unknown_org_unit"),
        (5, "code", "catalog.duplicate_code"),
    ]
    assert all(p.message for p in report.problems)
    assert ComplaintType.objects.count() == 0


def test_import_missing_header() -> None:
    report = services.catalog_import_csv(actor=None, text="code,name_ko\na,b\n")
    assert [p.code for p in report.problems] == ["catalog.missing_header"]


def test_import_dry_run_writes_nothing(db: None) -> None:
    report = services.catalog_import_csv(
        actor=None, text="code,name_ko,period\na-b,가,7일\n", dry_run=True
    )
    assert report.ok
    assert report.created == 1
    assert ComplaintType.objects.count() == 0


def test_update_makes_a_new_version_only_when_something_changed(db: None) -> None:
    data = TypeData(code="x-permit", name_ko="허가", processing_period="7일")
    complaint_type = services.complaint_type_create(actor=None, data=data)
    v1 = complaint_type.current_version
    assert v1 is not None
    assert (v1.version, v1.processing_period) == (1, "7d")
    same = services.complaint_type_update(
        actor=None,
        complaint_type=complaint_type,
        data=TypeData(code="x-permit", name_ko="허가", processing_period="7d"),
    )
    assert same.pk == v1.pk
    v2 = services.complaint_type_update(
        actor=None,
        complaint_type=complaint_type,
        data=TypeData(code="ignored", name_ko="허가", processing_period="10일"),
    )
    assert (v2.version, v2.processing_period) == (2, "10d")
    complaint_type.refresh_from_db()
    assert complaint_type.current_version_id == v2.pk
    assert [
        v.version for v in selectors.complaint_type_version_list(complaint_type=complaint_type)
    ] == [1, 2]
    actions = list(
        AuditEvent.objects.filter(target_type="catalog.complainttype").values_list(
            "action", flat=True
        )
    )
    assert actions == ["catalog.type_created", "catalog.type_updated"]


def test_create_refuses_bad_input_and_duplicates(db: None) -> None:
    with pytest.raises(ValidationFailed) as info:
        services.complaint_type_create(
            actor=None, data=TypeData(code="a", name_ko="a", processing_period="0d")
        )
    assert info.value.code == "catalog.invalid_period"
    services.complaint_type_create(
        actor=None, data=TypeData(code="a", name_ko="a", processing_period="1d")
    )
    with pytest.raises(Conflict):
        services.complaint_type_create(
            actor=None, data=TypeData(code="a", name_ko="a", processing_period="1d")
        )
    with pytest.raises(NotFound):
        selectors.complaint_type_get(code="zzz")


def test_deactivate(db: None) -> None:
    t = services.complaint_type_create(
        actor=None, data=TypeData(code="a", name_ko="a", processing_period="1d")
    )
    services.complaint_type_set_active(actor=None, complaint_type=t, is_active=False)
    assert list(selectors.complaint_type_list()) == []
    assert list(selectors.complaint_type_list(active_only=False)) == [t]


def test_declared_holiday_changes_the_calendar_and_its_version(db: None) -> None:
    before = selectors.working_calendar_get()
    assert before.is_working_day(date(2026, 3, 11))
    services.holiday_declare(actor=None, day=date(2026, 3, 11), name="임시공휴일")
    after = selectors.working_calendar_get()
    assert after.version != before.version
    assert not after.is_working_day(date(2026, 3, 11))
    # 7일 from Mon 3/9: 3/9, 3/10, (3/11 off), 3/12, 3/13, 3/16, 3/17, 3/18 → 3/18 18:00
    due = compute_deadline(
        registered_at=datetime(2026, 3, 9, 10, tzinfo=SEOUL), period="7d", calendar=after
    )
    assert due.due_at == datetime(2026, 3, 18, 18, tzinfo=SEOUL)
    assert due.calendar_version == after.version
    with pytest.raises(Conflict):
        services.holiday_declare(actor=None, day=date(2026, 3, 11), name="again")
    override = HolidayOverride.objects.get()
    services.holiday_remove(actor=None, override_id=override.pk)
    assert selectors.working_calendar_get().version == before.version
    with pytest.raises(NotFound):
        services.holiday_remove(actor=None, override_id=override.pk)


def test_removed_holiday_and_bad_input(city: OrgUnit) -> None:
    services.holiday_declare(
        actor=None,
        day=date(2026, 3, 2),
        name="대체공휴일 근무",
        kind=HolidayOverride.REMOVED,
        organisation=city,
    )
    assert selectors.working_calendar_get(organisation=city).is_working_day(date(2026, 3, 2))
    assert not selectors.working_calendar_get().is_working_day(date(2026, 3, 2))
    with pytest.raises(ValidationFailed):
        services.holiday_declare(actor=None, day=date(2026, 3, 3), name="x", kind="maybe")
    with pytest.raises(ValidationFailed):
        services.holiday_declare(actor=None, day=date(2026, 3, 3), name=" ")


# --- XLSX: the same rows as CSV, from the first sheet of a workbook ------------------------------


def workbook(*rows: tuple[object, ...], sheets: int = 1) -> bytes:
    """An XLSX file made here with openpyxl: `rows` on the first sheet (row 1 = headers)."""
    import io

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    for n in range(1, sheets):
        book.create_sheet(f"other {n}").append(["code", "name_ko", "period"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_imports_like_csv(paju: None) -> None:
    data = workbook(
        ("code", "name_ko", "period", "handling_unit", "fee_krw", "requires_rrn", "channels"),
        ("food-report", "식품영업 신고", "3일", "wisaeng-gwa", 28000, True, "visit;internet"),
        (None, None, None, None, None, None, None),  # an empty row is skipped
        ("parking-permit", "거주자 우선주차 신청", "7일", "", 1500.0, "n", "internet"),
        sheets=2,
    )
    report = services.catalog_import_xlsx(actor=None, data=data)
    assert report.ok, report.problems
    assert (report.rows, report.created) == (2, 2)
    food = selectors.complaint_type_get(code="food-report").current_version
    assert food is not None
    assert (food.processing_period, food.fee_krw, food.requires_rrn) == ("3d", 28000, True)
    assert food.application_channels == ["visit", "internet"]
    parking = selectors.complaint_type_get(code="parking-permit").current_version
    assert parking is not None
    assert (parking.fee_krw, parking.requires_rrn) == (1500, False)
    assert AuditEvent.objects.filter(action="catalog.imported").count() == 1


def test_xlsx_with_korean_headers(paju: None) -> None:
    data = workbook(
        ("코드", "민원사무명", "처리기간", "처리부서", "수수료", "구비서류"),
        ("food-report", "식품영업 신고", "3일", "wisaeng-gwa", "28,000원", "신분증;건강진단결과서"),
    )
    report = services.catalog_import_xlsx(actor=None, data=data)
    assert report.ok, report.problems
    version = selectors.complaint_type_get(code="food-report").current_version
    assert version is not None
    assert version.name_ko == "식품영업 신고"
    assert version.required_documents == ["신분증", "건강진단결과서"]


def test_xlsx_bad_row_names_line_and_field_and_writes_nothing(paju: None) -> None:
    data = workbook(
        ("code", "name_ko", "period", "handling_unit", "fee_krw"),
        ("good-one", "좋은 민원", "7일", "wisaeng-gwa", 100),
        ("bad-period", "나쁜 기간", "언젠가", "wisaeng-gwa", None),
        ("bad-fee", "나쁜 수수료", "5일", "", "많이"),
    )
    report = services.catalog_import_xlsx(actor=None, data=data)
    assert not report.ok
    assert [(p.line, p.field, p.code) for p in report.problems] == [
        (3, "period", "catalog.invalid_period"),
        (4, "fee_krw", "catalog.invalid_fee"),
    ]
    assert ComplaintType.objects.count() == 0
    assert not AuditEvent.objects.filter(action="catalog.imported").exists()


def test_xlsx_dry_run_writes_nothing(db: None) -> None:
    data = workbook(("code", "name_ko", "period"), ("a-b", "가", "7일"))
    report = services.catalog_import_xlsx(actor=None, data=data, dry_run=True)
    assert (report.ok, report.dry_run, report.created) == (True, True, 1)
    assert ComplaintType.objects.count() == 0


def test_xlsx_empty_sheet_reports_the_missing_headers(db: None) -> None:
    report = services.catalog_import_xlsx(actor=None, data=workbook())
    assert [(p.line, p.code, p.value) for p in report.problems] == [
        (1, "catalog.missing_header", "code"),
        (1, "catalog.missing_header", "name_ko"),
        (1, "catalog.missing_header", "period"),
    ]


@pytest.mark.parametrize(
    "data",
    [
        b"code,name_ko,period\n",  # not a ZIP archive at all
        b"PK\x03\x04 truncated",  # looks like one, is not
        b"",
    ],
)
def test_not_an_xlsx_is_a_clear_error(db: None, data: bytes) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.catalog_import_xlsx(actor=None, data=data)
    assert (caught.value.code, caught.value.field) == ("catalog.invalid_xlsx", "file")


def test_a_zip_that_is_no_workbook_is_a_clear_error(db: None) -> None:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    with pytest.raises(ValidationFailed) as caught:
        services.catalog_import_file(actor=None, data=out.getvalue())
    assert caught.value.code == "catalog.invalid_xlsx"


def test_file_import_recognises_csv_and_xlsx_by_content(db: None) -> None:
    csv_report = services.catalog_import_file(
        actor=None, data="\ufeffcode,name_ko,period\na-b,가,7일\n".encode(), dry_run=True
    )
    assert (csv_report.ok, csv_report.created) == (True, 1)
    xlsx = workbook(("code", "name_ko", "period"), ("a-b", "가", "7일"))
    assert services.catalog_import_file(actor=None, data=xlsx, dry_run=True).created == 1
    with pytest.raises(ValidationFailed) as caught:
        services.catalog_import_file(actor=None, data=b"\xff\xfe\x00binary")
    assert caught.value.code == "catalog.invalid_file"
