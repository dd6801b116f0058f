"""The dashboard's tables as files: CSV (UTF-8 with BOM, for Excel) and XLSX (openpyxl).

Both are made from the same rows the page shows (``indicator_table``, ``case_table``), headers in
the reader's language. Neither lets a cell run as a formula: a CSV cell that a spreadsheet would
read as one (=, +, -, @, a tab or a carriage return first) gets a leading apostrophe
(``core.domain.csv_safe``, OWASP "CSV injection"); an XLSX text cell is always stored as text
(openpyxl would otherwise store a string that starts with ``=`` as a formula), numbers as numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import datetime
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _

from minwon.complaints.labels import KIND_LABELS
from minwon.core import clock
from minwon.core.domain import csv_safe
from minwon.evaluation.selectors import CaseRow, Dashboard, GroupRow

__all__ = ["Cell", "Table", "case_table", "csv_bytes", "indicator_table", "xlsx_bytes"]

Cell = str | int | float | None
Table = tuple[list[str], list[list[Cell]]]


def _number(value: Fraction | float | int | None) -> int | float | None:
    if value is None:
        return None
    if isinstance(value, Fraction):
        return int(value) if value.denominator == 1 else round(float(value), 4)
    return value


def _rate(value: Fraction | None) -> float | None:
    return None if value is None else round(float(value), 2)


def _group_cells(label: str, group: GroupRow) -> list[Cell]:
    ind = group.indicators
    return [
        label,
        ind.reduction_cases,
        _number(ind.legal_total),
        _number(ind.actual_total),
        _rate(ind.reduction_rate),
        ind.with_deadline,
        ind.late,
        _rate(ind.delay_rate),
        _rate(ind.on_time_rate),
        _number(ind.average_working_days),
        _number(ind.average_working_hours),
        group.transferred,
        group.extended,
        group.supplemented,
        group.rated,
        group.satisfaction,
        group.flagged,
    ]


def indicator_table(board: Dashboard, *, dimension_label: str) -> Table:
    """Every figure of the dashboard per group, then the row of all the reader's units."""
    header = [
        dimension_label,
        _("Applications"),
        _("Σ legal period"),
        _("Σ actual"),
        _("Reduction rate (%)"),
        _("Answered"),
        _("Late"),
        _("Delay rate (%)"),
        _("On-time rate (%)"),
        _("Average working days"),
        _("Average working hours"),
        _("Handed on to another unit"),
        _("Period extended"),
        _("Supplement requested"),
        _("Ratings"),
        _("Satisfaction (1–5)"),
        _("Abusive text screened (특이민원)"),
    ]
    rows = [_group_cells(g.label, g) for g in board.groups]
    rows.append(_group_cells(_("All your units"), board.overall))
    return header, rows


def _when(value: datetime | None) -> str:
    return "" if value is None else value.astimezone(clock.SEOUL).isoformat(timespec="minutes")


def case_table(rows: Sequence[CaseRow]) -> Table:
    """The complaints behind a figure, as the drill-down page lists them."""
    header = [
        _("Receipt number"),
        _("Kind"),
        _("Unit"),
        _("Period"),
        _("Registered"),
        _("Due"),
        _("Answered"),
        _("Working days taken"),
        _("On time"),
    ]
    body: list[list[Cell]] = []
    for r in rows:
        f = r.figures
        on_time = "" if not f.has_deadline else (_("Late") if f.late else _("On time"))
        body.append(
            [
                r.receipt_number or str(r.complaint_id),
                str(KIND_LABELS.get(r.kind, r.kind)),
                r.unit_name,
                r.period,
                _when(r.registered_at),
                _when(r.due_at),
                _when(r.answered_at),
                f.working_days,
                on_time,
            ]
        )
    return header, body


def csv_bytes(table: Table) -> bytes:
    """UTF-8 with a byte-order mark (Excel reads Korean), formula-like cells quoted."""
    header, rows = table
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(csv_safe(h) for h in header)
    for row in rows:
        writer.writerow("" if v is None else csv_safe(v) for v in row)
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(sheets: Sequence[tuple[str, Table]]) -> bytes:
    """One worksheet per (title, table); text cells stored as text, never as formulas."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for title, (header, rows) in sheets:
        sheet = book.create_sheet(title=title[:31])
        lines: list[list[Cell]] = [list(header), *rows]
        for r, values in enumerate(lines, start=1):
            for c, value in enumerate(values, start=1):
                _put(sheet.cell(row=r, column=c), value)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _put(cell: Any, value: Cell) -> None:
    if value is None:
        return
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"  # openpyxl makes "=…" a formula; this keeps it the text it is
        return
    cell.value = value
