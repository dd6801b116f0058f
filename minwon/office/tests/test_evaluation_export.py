"""The evaluation tables as CSV and XLSX (issue 21): the same figures as the page (the hand-worked
history of evaluation/tests/test_selectors.py), never a cell a spreadsheet runs as a formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from django.test import Client
from openpyxl import load_workbook

from minwon.accounts.models import OrgUnit, User
from minwon.complaints.models import Complaint
from minwon.core.models import AuditEvent
from minwon.evaluation.documents import Table, csv_bytes, xlsx_bytes
from minwon.evaluation.tests.conftest import clock, types  # noqa: F401  (fixtures)
from minwon.evaluation.tests.test_selectors import history  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db
MARCH = "since=2026-03-01&until=2026-03-31"
FORMULAS = ["=1+2", "+SUM(A1:A3)", "-2+3", "@cmd", '=HYPERLINK("http://evil.example","x")']


def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    assert text.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))


def test_the_csv_holds_every_figure_of_the_page(
    history: dict[str, Complaint],  # noqa: F811
    supervisor: User,
    officer_client: Callable[[User], Client],
) -> None:
    client = officer_client(supervisor)
    response = client.get(f"/office/evaluation/export.csv?{MARCH}", HTTP_ACCEPT_LANGUAGE="ko")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _csv(response)
    assert rows[0][:5] == ["부서", "법정민원", "Σ 법정처리기간", "Σ 실제처리기간", "단축률 (%)"]
    by_name = {r[0]: r for r in rows[1:]}
    # civil: 2 applications, 20 legal, 18 actual, 10 %; 4 answered, 1 late, 25 %.
    assert by_name["민원여권과"][:9] == [
        "민원여권과",
        "2",
        "20",
        "18",
        "10.0",
        "4",
        "1",
        "25.0",
        "75.0",
    ]
    assert by_name["도로관리과"][4] == "42.86"
    overall = by_name["볼 수 있는 부서 전체"]
    assert overall[1:5] == ["3", "27", "22", "18.52"]
    assert overall[-3:] == ["2", "3.5", "1"]  # two ratings, mean 3.5; one 특이민원 (C4)
    assert AuditEvent.objects.filter(action="evaluation.exported").count() == 1


def test_the_xlsx_has_the_table_and_the_reading(
    history: dict[str, Complaint],  # noqa: F811
    supervisor: User,
    officer_client: Callable[[User], Client],
) -> None:
    client = officer_client(supervisor)
    response = client.get(
        f"/office/evaluation/export.xlsx?{MARCH}&legal=extended", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet, about = book["Evaluation indicators"], book["Reading"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Org unit"
    last = values[-1]
    # With the extension C3's legal period is 15: (6 + 3 + 1) / 32 = 31.25 %.
    assert last[0] == "All your units"
    assert last[1:5] == [3, 32, 22, 31.25]
    assert isinstance(last[1], int)
    reading = {row[0].value: row[1].value for row in about.iter_rows(min_row=2)}
    assert reading["Reduction rate: legal period"] == "With extensions"
    assert reading["Answered from"] == "2026-03-01"


def test_drilldown_exports_list_the_complaints(
    history: dict[str, Complaint],  # noqa: F811
    supervisor: User,
    officer_client: Callable[[User], Client],
) -> None:
    client = officer_client(supervisor)
    query = f"{MARCH}&by=org_unit&figure=reduction&group=civil"
    rows = _csv(client.get(f"/office/evaluation/cases/export.csv?{query}"))
    numbers = [r[0] for r in rows[1:]]
    assert numbers == [history["C1"].receipt_number, history["C3"].receipt_number]
    book = load_workbook(
        io.BytesIO(client.get(f"/office/evaluation/cases/export.xlsx?{query}").content)
    )
    sheet = book.worksheets[0]
    assert [c.value for c in sheet["A"]][1:] == numbers
    assert [c.value for c in sheet["H"]][1:] == [4, 14]  # working days taken
    bad = client.get("/office/evaluation/cases/export.csv?figure=nothing")
    assert bad.status_code == 302


def test_a_unit_named_like_a_formula_stays_text(
    history: dict[str, Complaint],  # noqa: F811
    supervisor: User,
    officer_client: Callable[[User], Client],
    civil_unit: OrgUnit,
) -> None:
    OrgUnit.objects.filter(pk=civil_unit.pk).update(name_ko=FORMULAS[0])
    client = officer_client(supervisor)
    rows = _csv(client.get(f"/office/evaluation/export.csv?{MARCH}"))
    assert "'=1+2" in [r[0] for r in rows]
    book = load_workbook(io.BytesIO(client.get(f"/office/evaluation/export.xlsx?{MARCH}").content))
    cells = [c for c in book.worksheets[0]["A"] if c.value == "=1+2"]
    assert len(cells) == 1
    assert cells[0].data_type == "s"


def test_every_formula_start_is_neutralised() -> None:
    table: Table = (["name", "n"], [[f, 1] for f in FORMULAS])
    parsed = list(csv.reader(io.StringIO(csv_bytes(table).decode("utf-8-sig"))))
    assert [r[0] for r in parsed[1:]] == ["'" + f for f in FORMULAS]
    assert [r[1] for r in parsed[1:]] == ["1"] * len(FORMULAS)
    book = load_workbook(io.BytesIO(xlsx_bytes([("t", table)])))
    column = list(book.worksheets[0]["A"])[1:]
    assert [c.value for c in column] == FORMULAS
    assert {c.data_type for c in column} == {"s"}
