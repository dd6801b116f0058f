"""The 종합평가 indicators read from the database: the same pure code as the file command.

Every answered complaint (a registration and an answer) whose answer falls in the period becomes a
domain :class:`~minwon.evaluation.domain.Case` (its stored ``period``, ``registered_at``,
``answered_at``, the ``due_at`` kept as a record at the answer, and its excluded intervals; one
still running at the answer ends there), and :func:`~minwon.evaluation.domain.case_figures` gives
its durations. Rows are grouped by org unit, complaint type, channel or month of the answer. The
complaints' history adds what the pure figures do not hold: transfers inside the city (a
complaint handed on from the unit it was first given to: a misroute), extensions used (영 제21조,
법 제35조②) and supplements requested (법 제22조), each from the history rows, and the latest
answer's satisfaction rating (1–5), and whether a citizen text of it was screened abusive
(특이민원, ``protection.Screening``).

``units`` is the set of org units the reader may see (``accounts.selectors.org_units_visible_to``:
a unit head their unit and what is under it; the 민원총괄, administrators and anyone holding a
role over the city unit, such as the mayor's office, every unit: ``None``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Final

from django.db.models import Count, QuerySet

from minwon.accounts.models import OrgUnit
from minwon.complaints.domain import Action
from minwon.complaints.labels import CHANNEL_LABELS
from minwon.complaints.models import Complaint, ComplaintEvent, SatisfactionRating
from minwon.complaints.selectors import city_calendar
from minwon.core import clock
from minwon.evaluation.domain import (
    DEFAULT_READING,
    Case,
    CaseFigures,
    Indicators,
    Reading,
    case_figures,
)
from minwon.lawclock import WorkingCalendar
from minwon.protection.models import Screening

__all__ = [
    "DIMENSIONS",
    "DRILLDOWNS",
    "CaseRow",
    "Dashboard",
    "GroupRow",
    "evaluation_case_rows",
    "evaluation_dashboard",
    "evaluation_drilldown",
]

DIMENSIONS: Final = ("org_unit", "complaint_type", "channel", "month")
# What a figure of the dashboard counts, and so which complaints a drill-down lists.
DRILLDOWNS: Final = (
    "answered",  # every answered complaint with a deadline (지연율's denominator)
    "late",  # answered after due_at
    "reduction",  # in the 단축률's scope
    "transferred",  # handed on inside the city at least once
    "extended",  # its period extended (영 제21조)
    "supplemented",  # a supplement requested (법 제22조)
    "rated",  # rated by the complainant
    "flagged",  # 특이민원: a citizen text of it screened abusive (protection.Screening)
)
_HISTORY: Final = (
    Action.TRANSFER_INTERNAL.value,
    Action.EXTEND.value,
    Action.REQUEST_SUPPLEMENT.value,
)


@dataclass(frozen=True)
class CaseRow:
    """One answered complaint with its figures and history counts."""

    complaint_id: int
    receipt_number: str
    kind: str
    period: str
    unit_code: str
    unit_name: str
    type_code: str
    type_name: str
    channel: str
    registered_at: datetime
    answered_at: datetime
    due_at: datetime | None
    figures: CaseFigures
    transfers: int
    extended: bool
    supplemented: bool
    score: int | None
    flagged: bool = False

    def key(self, dimension: str) -> str:
        if dimension == "org_unit":
            return self.unit_code
        if dimension == "complaint_type":
            return self.type_code
        if dimension == "channel":
            return self.channel
        return self.answered_at.astimezone(clock.SEOUL).strftime("%Y-%m")

    def label(self, dimension: str) -> str:
        if dimension == "org_unit":
            return self.unit_name
        if dimension == "complaint_type":
            return self.type_name
        if dimension == "channel":
            return str(CHANNEL_LABELS.get(self.channel, self.channel))
        return self.key(dimension)

    def counts_in(self, drilldown: str) -> bool:
        f = self.figures
        return {
            "answered": f.has_deadline,
            "late": f.late,
            "reduction": f.in_scope,
            "transferred": self.transfers > 0,
            "extended": self.extended,
            "supplemented": self.supplemented,
            "rated": self.score is not None,
            "flagged": self.flagged,
        }[drilldown]


@dataclass
class GroupRow:
    """The indicators of one group (or of everything the reader sees) and its history counts."""

    key: str
    label: str
    indicators: Indicators
    transferred: int = 0
    extended: int = 0
    supplemented: int = 0
    rated: int = 0
    score_total: int = 0
    flagged: int = 0

    def add(self, row: CaseRow) -> None:
        self.indicators.add(row.figures)
        self.transferred += row.transfers > 0
        self.extended += row.extended
        self.supplemented += row.supplemented
        self.flagged += row.flagged
        if row.score is not None:
            self.rated += 1
            self.score_total += row.score

    @property
    def satisfaction(self) -> float | None:
        """Mean satisfaction score (1–5) of the rated answers, to 2 decimals."""
        return round(self.score_total / self.rated, 2) if self.rated else None

    def share(self, count: int) -> float | None:
        answered = self.indicators.answered
        return round(count * 100 / answered, 2) if answered else None


@dataclass
class Dashboard:
    dimension: str
    date_from: date
    date_to: date
    reading: Reading
    overall: GroupRow
    groups: list[GroupRow] = field(default_factory=list)


def _answered(
    *, units: QuerySet[OrgUnit] | None, date_from: date, date_to: date
) -> QuerySet[Complaint]:
    qs = Complaint.objects.filter(
        registered_at__isnull=False,
        answered_at__isnull=False,
        answered_at__gte=clock.start_of_day(date_from),
        answered_at__lt=clock.start_of_day(date_to + timedelta(days=1)),
    )
    return qs if units is None else qs.filter(org_unit__in=units)


def _interval(pair: list[Any], answered_at: datetime) -> tuple[datetime, datetime]:
    """A stored excluded interval ``[start, end | None, kind?]``; one still running at the answer
    (or recorded past it) ends at the answer."""
    start = min(datetime.fromisoformat(str(pair[0])), answered_at)
    end = datetime.fromisoformat(str(pair[1])) if len(pair) > 1 and pair[1] else answered_at
    return start, max(start, min(end, answered_at))


_FIELDS: Final = (
    "pk",
    "receipt_number",
    "kind",
    "period",
    "channel",
    "registered_at",
    "answered_at",
    "due_at",
    "excluded_intervals",
    "org_unit__code",
    "org_unit__name_ko",
    "org_unit__name_en",
    "complaint_type__code",
    "type_version__name_ko",
    "type_version__name_en",
)


def evaluation_case_rows(
    *,
    units: QuerySet[OrgUnit] | None,
    date_from: date,
    date_to: date,
    reading: Reading = DEFAULT_READING,
    language: str = "ko",
    calendar: WorkingCalendar | None = None,
) -> list[CaseRow]:
    """Every answered complaint of ``units`` answered in ``[date_from, date_to]`` (Seoul dates),
    with its figures under ``reading``, in the order of the answers."""
    calendar = calendar or city_calendar()
    qs = _answered(units=units, date_from=date_from, date_to=date_to)
    ids = qs.values("pk")
    history: dict[tuple[int, str], int] = {
        (complaint_id, action): n
        for complaint_id, action, n in ComplaintEvent.objects.filter(
            complaint__in=ids, action__in=_HISTORY
        )
        .values("complaint_id", "action")
        .annotate(n=Count("pk"))
        .values_list("complaint_id", "action", "n")
    }
    scores: dict[int, int] = {}
    for complaint_id, score in (
        SatisfactionRating.objects.filter(complaint__in=ids)
        .order_by("complaint_id", "answer_number")
        .values_list("complaint_id", "score")
    ):
        scores[complaint_id] = score  # the latest answer's rating wins
    flagged = set(
        Screening.objects.filter(complaint_id__in=ids, abusive=True)
        .values_list("complaint_id", flat=True)
        .distinct()
    )
    en = language == "en"
    rows = []
    for v in qs.order_by("answered_at", "pk").values(*_FIELDS):
        answered_at = v["answered_at"]
        case = Case(
            id=str(v["pk"]),
            kind=v["kind"],
            org_unit=v["org_unit__code"] or "",
            period=v["period"] or "",
            registered_at=v["registered_at"],
            answered_at=answered_at,
            due_at=v["due_at"],
            excluded=tuple(_interval(p, answered_at) for p in v["excluded_intervals"] or ()),
        )
        unit_name = (en and v["org_unit__name_en"]) or v["org_unit__name_ko"] or ""
        type_name = (en and v["type_version__name_en"]) or v["type_version__name_ko"] or ""
        rows.append(
            CaseRow(
                complaint_id=v["pk"],
                receipt_number=v["receipt_number"] or "",
                kind=v["kind"],
                period=case.period,
                unit_code=case.org_unit,
                unit_name=unit_name,
                type_code=v["complaint_type__code"] or "",
                type_name=type_name,
                channel=v["channel"],
                registered_at=case.registered_at,
                answered_at=answered_at,
                due_at=case.due_at,
                figures=case_figures(case, calendar=calendar, reading=reading),
                transfers=history.get((v["pk"], Action.TRANSFER_INTERNAL.value), 0),
                extended=(v["pk"], Action.EXTEND.value) in history,
                supplemented=(v["pk"], Action.REQUEST_SUPPLEMENT.value) in history,
                score=scores.get(v["pk"]),
                flagged=v["pk"] in flagged,
            )
        )
    return rows


def _grouped(rows: Iterable[CaseRow], dimension: str, reading: Reading) -> list[GroupRow]:
    groups: dict[str, GroupRow] = {}
    for row in rows:
        key = row.key(dimension)
        group = groups.get(key)
        if group is None:
            group = groups[key] = GroupRow(key, row.label(dimension), Indicators(reading=reading))
        group.add(row)
    if dimension == "month":
        return [groups[k] for k in sorted(groups)]
    return sorted(groups.values(), key=lambda g: (g.label, g.key))


def evaluation_dashboard(
    *,
    units: QuerySet[OrgUnit] | None,
    date_from: date,
    date_to: date,
    dimension: str = "org_unit",
    reading: Reading = DEFAULT_READING,
    language: str = "ko",
    calendar: WorkingCalendar | None = None,
) -> Dashboard:
    """The indicators overall and per ``dimension`` (one of :data:`DIMENSIONS`)."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"dimension must be one of {', '.join(DIMENSIONS)}")
    rows = evaluation_case_rows(
        units=units,
        date_from=date_from,
        date_to=date_to,
        reading=reading,
        language=language,
        calendar=calendar,
    )
    overall = GroupRow("", "", Indicators(reading=reading))
    for row in rows:
        overall.add(row)
    return Dashboard(
        dimension=dimension,
        date_from=date_from,
        date_to=date_to,
        reading=reading,
        overall=overall,
        groups=_grouped(rows, dimension, reading),
    )


def evaluation_drilldown(
    *,
    units: QuerySet[OrgUnit] | None,
    date_from: date,
    date_to: date,
    dimension: str,
    key: str | None,
    drilldown: str,
    reading: Reading = DEFAULT_READING,
    language: str = "ko",
    calendar: WorkingCalendar | None = None,
) -> list[CaseRow]:
    """The complaints behind one figure: those of group ``key`` (every group when None) that
    ``drilldown`` (one of :data:`DRILLDOWNS`) counts."""
    if dimension not in DIMENSIONS or drilldown not in DRILLDOWNS:
        raise ValueError("unknown dimension or figure")
    rows = evaluation_case_rows(
        units=units,
        date_from=date_from,
        date_to=date_to,
        reading=reading,
        language=language,
        calendar=calendar,
    )
    return [r for r in rows if (key is None or r.key(dimension) == key) and r.counts_in(drilldown)]
