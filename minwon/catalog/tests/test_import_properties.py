"""Property tests (hypothesis) for the 편람 import, CSV and XLSX (issue 13 item 11): whatever a
file holds (formulas such as =cmd|..., huge cells, NUL, digits that are not ASCII, broken
workbooks, other encodings) the import either writes every row or nothing, and tells why in a
translated message; it never fails with an unexpected exception (a 500 through the API)."""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
import pytest
from django.utils import translation
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from minwon.catalog import services
from minwon.catalog.models import ComplaintType, ComplaintTypeVersion
from minwon.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db

HEADERS = ["code", "name_ko", "period", "fee_krw", "legal_basis", "source", "form_name"]
FILE_ERRORS = {"catalog.invalid_file", "catalog.invalid_xlsx", "catalog.file_too_large"}

nasty = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "=cmd|' /C calc'!A0",
            '=HYPERLINK("http://evil.example","click")',
            "+1+cmd|' /C calc'!A0",
            "-2+3+cmd|' /C calc'!A0",
            "@SUM(1+1)*cmd|' /C calc'!A0",
            "\t=1+1",
            "a\x00b",
            "١٢",
            "²",
            "99999999999999999999",
            "x" * 300,
            "가" * 5000,
            "y" * 200_000,
        ]
    ),
)
codes = st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True) | nasty
rows = st.lists(
    st.fixed_dictionaries(
        {
            "code": codes,
            "name_ko": st.just("민원") | nasty,
            "period": st.sampled_from(["7일", "즉시", "1m"]) | nasty,
            "fee_krw": st.sampled_from(["", "0", "1,000원"]) | nasty,
            "legal_basis": nasty,
            "source": nasty,
            "form_name": nasty,
        }
    ),
    min_size=1,
    max_size=4,
)


def _csv(table: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADERS)
    writer.writeheader()
    writer.writerows(table)
    return out.getvalue()


def _xlsx(table: list[dict[str, str]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADERS)
    for row in table:
        # openpyxl refuses control characters in cells; what a real workbook cannot hold is
        # not a case to test.
        sheet.append([openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE.sub("", row[h]) for h in HEADERS])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _snapshot() -> tuple[int, int]:
    return ComplaintType.objects.count(), ComplaintTypeVersion.objects.count()


def _check(run, written_rows: int | None = None) -> None:
    """Run one import; all or nothing, and every problem explained in Korean."""
    before = _snapshot()
    with translation.override("ko"):
        failure: ValidationFailed | None = None
        try:
            report = run()
        except ValidationFailed as exc:
            failure = exc
        if failure is not None:
            assert failure.code in FILE_ERRORS, failure.code
            assert not str(failure.message).isascii()  # in Korean
            assert _snapshot() == before
            return
        problems = [(p.code, p.message) for p in report.problems]
    if problems:
        assert _snapshot() == before, problems  # never a partial import
        for code, message in problems:
            assert message and not message.isascii(), (code, message)  # translated
    else:
        created, versions = _snapshot()
        assert created - before[0] == report.created
        assert versions - before[1] == report.created + report.updated


SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(table=rows)
@example(table=[dict.fromkeys(HEADERS, "=cmd|' /C calc'!A0") | {"period": "7일"}])
@example(table=[{**dict.fromkeys(HEADERS, ""), "code": "huge", "name_ko": "y" * 200_000}])
@example(
    table=[
        {**dict.fromkeys(HEADERS, ""), "code": "a", "name_ko": "a", "period": "7일", "fee_krw": "²"}
    ]
)
def test_any_csv_imports_whole_or_not_at_all_with_a_reason(table: list[dict[str, str]]) -> None:
    _check(lambda: services.catalog_import_csv(actor=None, text=_csv(table)))
    _check(lambda: services.catalog_import_file(actor=None, data=_csv(table).encode("utf-8")))


@SETTINGS
@given(table=rows)
def test_any_xlsx_imports_whole_or_not_at_all_with_a_reason(table: list[dict[str, str]]) -> None:
    _check(lambda: services.catalog_import_file(actor=None, data=_xlsx(table)))


GOOD = [{**dict.fromkeys(HEADERS, ""), "code": "ok", "name_ko": "민원", "period": "7일"}]


@SETTINGS
@given(cut=st.integers(min_value=0), flips=st.lists(st.integers(min_value=0), max_size=8))
def test_a_broken_workbook_is_a_clear_error(cut: int, flips: list[int]) -> None:
    data = bytearray(_xlsx(GOOD))
    data = data[: max(4, cut % (len(data) + 1))]
    for flip in flips:
        data[flip % len(data)] ^= 0xFF
    _check(lambda: services.catalog_import_file(actor=None, data=bytes(data)))


@SETTINGS
@given(data=st.binary(max_size=2000))
def test_any_bytes_are_a_clear_error_or_an_import(data: bytes) -> None:
    _check(lambda: services.catalog_import_file(actor=None, data=data))


@pytest.mark.parametrize("encoding", ["cp949", "utf-16", "utf-32"])
def test_another_encoding_is_a_clear_error(encoding: str) -> None:
    text = _csv([{**GOOD[0], "name_ko": "주민등록증 발급"}])
    with pytest.raises(ValidationFailed) as err:
        services.catalog_import_file(actor=None, data=text.encode(encoding))
    assert err.value.code == "catalog.invalid_file"


def test_a_zip_that_is_no_workbook_is_a_clear_error() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    with pytest.raises(ValidationFailed) as err:
        services.catalog_import_file(actor=None, data=out.getvalue())
    assert err.value.code == "catalog.invalid_xlsx"


@pytest.mark.parametrize(
    "cell",
    ["=cmd|' /C calc'!A0", "+cmd|' /C calc'!A0", "-cmd|' /C calc'!A0", "@SUM(A1)", "\t=1+1"],
)
def test_a_formula_looking_cell_is_refused_with_its_line(cell: str) -> None:
    """No cell a spreadsheet would run as a formula enters the catalogue (from which it could be
    copied into a sheet again)."""
    for field in ("name_ko", "legal_basis", "source"):
        table = [{**GOOD[0], field: cell}]
        report = services.catalog_import_csv(actor=None, text=_csv(table))
        assert [(p.line, p.field, p.code) for p in report.problems] == [
            (2, field, "catalog.formula")
        ]
        assert not ComplaintType.objects.exists()


def test_ordinary_signs_are_not_formulas() -> None:
    table = [{**GOOD[0], "fee_krw": "-", "legal_basis": "- 건축법 제11조", "source": "+82 31"}]
    report = services.catalog_import_csv(actor=None, text=_csv(table))
    assert report.ok and report.created == 1, report.problems
