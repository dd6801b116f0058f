"""The evaluation dashboard (민원서비스 종합평가, issue 21) and the complaints behind each figure.

Every officer sees the figures of the org units they may see (``org_units_visible_to``: a unit
head their unit and what is under it; the 민원총괄, administrators and whoever holds a role over the
city unit, such as the mayor's office, the whole city). The figures come from
``evaluation.selectors`` (the pure indicators of ``evaluation.domain``), each chart with its table.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from minwon.accounts.access import officer_required
from minwon.accounts.models import OrgUnit, User
from minwon.accounts.selectors import org_units_visible_to
from minwon.complaints.labels import KIND_LABELS
from minwon.core import clock
from minwon.core.http import download_response
from minwon.core.services import audit_record
from minwon.evaluation.documents import (
    Cell,
    Table,
    case_table,
    csv_bytes,
    indicator_table,
    xlsx_bytes,
)
from minwon.evaluation.domain import Reading
from minwon.evaluation.selectors import (
    CaseRow,
    Dashboard,
    GroupRow,
    evaluation_dashboard,
    evaluation_drilldown,
)
from minwon.office.domain import BarChart, bar_chart
from minwon.office.schemas import (
    EVALUATION_DIMENSION_CHOICES,
    EVALUATION_READING_FIELDS,
    EvaluationDrilldownForm,
    EvaluationFilterForm,
)

FIGURE_LABELS: dict[str, Any] = {
    "answered": _("Answered complaints with a deadline"),
    "late": _("Answered after the deadline"),
    "reduction": _("Applications of 6 days or more (reduction rate)"),
    "transferred": _("Handed on to another unit"),
    "extended": _("Period extended"),
    "supplemented": _("Supplement requested"),
    "rated": _("Rated by the complainant"),
    "flagged": _("Abusive text screened (특이민원)"),
}


def _period(data: dict[str, Any]) -> tuple[date, date]:
    """The period asked for; by default from 1 January of this year to today (Korean time)."""
    today = clock.local_now().date()
    until = data.get("until") or today
    since = data.get("since") or date(until.year, 1, 1)
    return since, until


def _reading(data: dict[str, Any]) -> Reading:
    chosen: dict[str, Any] = {
        name: data.get(name) or choices[0][0]
        for name, (_label, choices) in EVALUATION_READING_FIELDS.items()
    }
    return Reading(**chosen)


def _percent(value: Any) -> float | None:
    return None if value is None else round(float(value), 2)


def _units(request: HttpRequest) -> QuerySet[OrgUnit] | None:
    officer = request.user
    assert isinstance(officer, User)  # officer_required
    return org_units_visible_to(officer)


def _charts(board: Dashboard) -> tuple[BarChart, BarChart]:
    groups = board.groups
    reduction = bar_chart(
        [(g.label or "–", _percent(g.indicators.reduction_rate)) for g in groups],
        max_value=100,
        suffix="%",
    )
    delay = bar_chart(
        [(g.label or "–", _percent(g.indicators.delay_rate)) for g in groups],
        max_value=100,
        suffix="%",
    )
    return reduction, delay


def _row(group: GroupRow) -> dict[str, Any]:
    ind = group.indicators
    return {
        "key": group.key,
        "label": group.label,
        "reduction_cases": ind.reduction_cases,
        "legal": ind.legal_total,
        "actual": ind.actual_total,
        "reduction_rate": _percent(ind.reduction_rate),
        "answered": ind.with_deadline,
        "late": ind.late,
        "delay_rate": _percent(ind.delay_rate),
        "on_time_rate": _percent(ind.on_time_rate),
        "average_days": _percent(ind.average_working_days),
        "average_hours": _percent(ind.average_working_hours),
        "transferred": group.transferred,
        "extended": group.extended,
        "supplemented": group.supplemented,
        "rated": group.rated,
        "satisfaction": group.satisfaction,
        "flagged": group.flagged,
    }


def _query(data: dict[str, Any]) -> str:
    """The dashboard's own filters as a query string (for the drill-down links)."""
    since, until = _period(data)
    params = {
        "since": since.isoformat(),
        "until": until.isoformat(),
        "by": data.get("by") or "org_unit",
    }
    params.update(_reading(data).as_dict())
    return urlencode(params)


def _drilldown(request: HttpRequest, data: dict[str, Any]) -> list[CaseRow]:
    since, until = _period(data)
    return evaluation_drilldown(
        units=_units(request),
        date_from=since,
        date_to=until,
        dimension=data.get("by") or "org_unit",
        key=request.GET.get("group"),
        drilldown=data["figure"],
        reading=_reading(data),
        language=request.LANGUAGE_CODE,
    )


@officer_required
@require_GET
def evaluation_page(request: HttpRequest) -> HttpResponse:
    """The indicators of the period, overall and per group, each chart with its table."""
    form = EvaluationFilterForm(request.GET or None)
    context: dict[str, Any] = {"form": form}
    if not form.is_bound or form.is_valid():
        data = form.cleaned_data if form.is_bound else {}
        since, until = _period(data)
        dimension = data.get("by") or "org_unit"
        board = evaluation_dashboard(
            units=_units(request),
            date_from=since,
            date_to=until,
            dimension=dimension,
            reading=_reading(data),
            language=request.LANGUAGE_CODE,
        )
        reduction_chart, delay_chart = _charts(board)
        context.update(
            board=board,
            since=since,
            until=until,
            dimension_label=dict(EVALUATION_DIMENSION_CHOICES)[dimension],
            overall=_row(board.overall),
            rows=[_row(g) for g in board.groups],
            reduction_chart=reduction_chart,
            delay_chart=delay_chart,
            query=_query(data),
            reading_default=_reading(data) == Reading(),
        )
    return render(request, "office/evaluation.html", context)


@officer_required
@require_GET
def evaluation_cases(request: HttpRequest) -> HttpResponse:
    """The complaints one figure of the dashboard counts (those the officer may see)."""
    form = EvaluationDrilldownForm(request.GET)
    if not form.is_valid():  # not an address the dashboard makes: the dashboard says what is wrong
        return HttpResponseRedirect(reverse("office:evaluation") + "?" + request.GET.urlencode())
    data = form.cleaned_data
    since, until = _period(data)
    dimension = data.get("by") or "org_unit"
    group = request.GET.get("group")
    rows = _drilldown(request, data)
    group_label = (rows[0].label(dimension) if rows else group) if group is not None else ""
    return render(
        request,
        "office/evaluation_cases.html",
        {
            "form": form,
            "items": [(r, KIND_LABELS.get(r.kind, r.kind)) for r in rows],
            "figure_label": FIGURE_LABELS[data["figure"]],
            "group_label": group_label,
            "grouped": group is not None,
            "since": since,
            "until": until,
            "query": _query(data),
        },
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _file(
    request: HttpRequest, name: str, sheets: list[tuple[str, Table]], fmt: str
) -> HttpResponse:
    """The table(s) as a download; the export is recorded (who, which filters)."""
    officer = request.user
    assert isinstance(officer, User)
    audit_record(
        actor=officer,
        action="evaluation.exported",
        data={"file": name, "format": fmt, **dict(request.GET.items())},
    )
    stamp = clock.local_now().strftime("%Y%m%d")
    if fmt == "xlsx":
        return download_response(
            xlsx_bytes(sheets), content_type=XLSX, filename=f"minwon-{name}-{stamp}.xlsx"
        )
    return download_response(
        csv_bytes(sheets[0][1]),
        content_type="text/csv; charset=utf-8",
        filename=f"minwon-{name}-{stamp}.csv",
    )


@officer_required
@require_GET
def evaluation_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """Every table of the dashboard as CSV or XLSX (the same filters, the same figures)."""
    form = EvaluationFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return HttpResponseRedirect(reverse("office:evaluation") + "?" + request.GET.urlencode())
    data = form.cleaned_data if form.is_bound else {}
    since, until = _period(data)
    dimension = data.get("by") or "org_unit"
    board = evaluation_dashboard(
        units=_units(request),
        date_from=since,
        date_to=until,
        dimension=dimension,
        reading=_reading(data),
        language=request.LANGUAGE_CODE,
    )
    table = indicator_table(
        board, dimension_label=str(dict(EVALUATION_DIMENSION_CHOICES)[dimension])
    )
    reading: list[list[Cell]] = [
        [str(EVALUATION_READING_FIELDS[k][0]), str(dict(EVALUATION_READING_FIELDS[k][1])[v])]
        for k, v in board.reading.as_dict().items()
    ]
    about: Table = (
        [str(_("Setting")), str(_("Value"))],
        [
            [str(_("Answered from")), since.isoformat()],
            [str(_("Answered until")), until.isoformat()],
            *reading,
        ],
    )
    return _file(
        request,
        "evaluation",
        [(str(_("Evaluation indicators")), table), (str(_("Reading")), about)],
        fmt,
    )


@officer_required
@require_GET
def evaluation_cases_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The complaints behind one figure as CSV or XLSX."""
    form = EvaluationDrilldownForm(request.GET)
    if not form.is_valid():
        return HttpResponseRedirect(reverse("office:evaluation") + "?" + request.GET.urlencode())
    rows = _drilldown(request, form.cleaned_data)
    return _file(request, "evaluation-cases", [(str(_("Complaints")), case_table(rows))], fmt)
