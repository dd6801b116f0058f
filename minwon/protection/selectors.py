"""Reads of the protection context: the screenings of a complaint, the worst of many; the incident
register as officers see it (the newest entry of each incident, its corrections, its measures with
corrections applied, its evidence)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Max

from minwon.protection.models import Incident, IncidentEvidence, IncidentMeasure, Screening


def screenings_of_complaint(complaint_id: int) -> list[Screening]:
    """Every stored screening of one complaint's texts, oldest first."""
    return list(Screening.objects.filter(complaint_id=complaint_id).order_by("pk"))


def screening_latest(*, source: str, source_id: int, text_sha256: str) -> Screening | None:
    """The newest screening of exactly this text of that row (None when not screened yet)."""
    return (
        Screening.objects.filter(source=source, source_id=source_id, text_sha256=text_sha256)
        .order_by("-pk")
        .first()
    )


def worst_severity_by_complaint(complaint_ids: Iterable[int]) -> dict[int, int]:
    """complaint id → the highest severity rank among its flagged screenings (only those with
    one); one query, for a page of the office queue."""
    ids = list(complaint_ids)
    if not ids:
        return {}
    rows = (
        Screening.objects.filter(complaint_id__in=ids, abusive=True)
        .values("complaint_id")
        .annotate(worst=Max("severity_rank"))
    )
    return {row["complaint_id"]: row["worst"] for row in rows}


# --- the incident register ---------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureView:
    entry: IncidentMeasure  # the newest entry of this measure
    history: tuple[IncidentMeasure, ...]  # every entry, oldest first

    @property
    def corrected(self) -> bool:
        return len(self.history) > 1


@dataclass(frozen=True)
class IncidentView:
    first: Incident  # the incident's first entry (its number, who first recorded it)
    current: Incident  # the newest entry: the record
    revisions: tuple[Incident, ...]  # every entry, oldest first
    measures: tuple[MeasureView, ...]
    evidence: tuple[IncidentEvidence, ...]

    @property
    def number(self) -> int:
        return self.first.pk


def _newest_by_root(roots: Sequence[Incident]) -> dict[int, Incident]:
    newest = {r.pk: r for r in roots}
    for entry in Incident.objects.filter(root_id__in=list(newest)).order_by("id"):
        assert entry.root_id is not None
        newest[entry.root_id] = entry
    return newest


def incident_rows(roots: Iterable[Incident]) -> list[tuple[Incident, Incident]]:
    """(first entry, newest entry) of each incident, in the order given (two queries)."""
    firsts = list(roots)
    newest = _newest_by_root(firsts)
    return [(first, newest[first.pk]) for first in firsts]


def measure_views(incident: Incident) -> tuple[MeasureView, ...]:
    """The measures of an incident, each with its corrections folded into one line."""
    rows = list(incident.measures.select_related("recorded_by").order_by("id"))
    chain_of: dict[int, int] = {}  # entry id -> the first entry of its chain
    chains: dict[int, list[IncidentMeasure]] = {}
    for row in rows:
        start = chain_of.get(row.corrects_id, row.pk) if row.corrects_id else row.pk
        chain_of[row.pk] = start
        chains.setdefault(start, []).append(row)
    views = [MeasureView(entry=chain[-1], history=tuple(chain)) for chain in chains.values()]
    return tuple(sorted(views, key=lambda v: (v.entry.taken_at, v.history[0].pk)))


def incident_view(incident: Incident) -> IncidentView:
    first = incident if incident.root_id is None else incident.root
    assert first is not None
    revisions = (
        first,
        *Incident.objects.filter(root=first)
        .select_related("officer", "recorded_by", "org_unit")
        .order_by("id"),
    )
    return IncidentView(
        first=first,
        current=revisions[-1],
        revisions=revisions,
        measures=measure_views(first),
        evidence=tuple(first.evidence.select_related("uploaded_by").order_by("id")),
    )
