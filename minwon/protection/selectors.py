"""Reads of the protection context: the screenings of complaints and citizens' texts masked with
them for an officer's page (the pages show the masked text by default); the incident register as
officers see it (the newest entry of each incident, its corrections, its measures with corrections
applied, its evidence)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from minwon.protection.domain import (
    Category,
    Severity,
    Source,
    mask_spans,
    screen,
    text_digest,
)
from minwon.protection.models import Incident, IncidentEvidence, IncidentMeasure, Screening


@dataclass(frozen=True)
class MaskedText:
    """One citizen text as an officer's page shows it by default."""

    text: str  # the text with what the screen found masked in place (same length)
    abusive: bool
    severity: str = Severity.NONE.value
    categories: tuple[str, ...] = ()
    screening_id: int | None = None  # the stored result; None: not stored yet (read on the fly)

    @property
    def urgent(self) -> bool:
        return self.severity == Severity.URGENT.value


@dataclass(frozen=True)
class ComplaintFlag:
    """The worst of a complaint's flagged screenings (the queue's badge)."""

    severity: str
    categories: tuple[str, ...] = field(default_factory=tuple)

    @property
    def urgent(self) -> bool:
        return self.severity == Severity.URGENT.value


_RANKED = [s.value for s in sorted(Severity, key=lambda v: v.rank)]


def _categories(found: Iterable[str]) -> tuple[str, ...]:
    present = set(found)
    return tuple(c.value for c in Category if c.value in present)


def texts_masked(
    items: Iterable[tuple[int, Source, str]],
) -> dict[tuple[int, str, str], MaskedText]:
    """``(complaint id, source, text)`` → the text masked with its stored screening (the newest
    of exactly this text); a text not screened yet (the job has not run) is screened here, on the
    fly, for the mask only. Keyed by ``(complaint id, source, text)``. One query."""
    wanted = list(items)
    if not wanted:
        return {}
    stored: dict[tuple[int, str, str], Screening] = {}
    digests = {text_digest(text) for _c, _s, text in wanted}
    for found in Screening.objects.filter(
        complaint_id__in={c for c, _s, _t in wanted}, text_sha256__in=digests
    ).order_by("pk"):
        stored[(found.complaint_id, found.source, found.text_sha256)] = found  # the newest wins
    out: dict[tuple[int, str, str], MaskedText] = {}
    for complaint_id, source, text in wanted:
        row = stored.get((complaint_id, source.value, text_digest(text)))
        if row is not None and not row.reason:
            spans = [(int(s["start"]), int(s["end"])) for s in row.spans]
            out[(complaint_id, source.value, text)] = MaskedText(
                text=mask_spans(text, spans),
                abusive=row.abusive,
                severity=row.severity,
                categories=_categories(row.categories),
                screening_id=row.pk,
            )
            continue
        live = screen(text)  # pure and bounded (MAX_SCREEN_CHARS); never raises
        out[(complaint_id, source.value, text)] = MaskedText(
            text=mask_spans(text, [(s.start, s.end) for s in live.spans]),
            abusive=live.abusive,
            severity=live.severity.value,
            categories=tuple(c.value for c in live.categories),
            screening_id=row.pk if row is not None else None,
        )
    return out


def complaint_flags(complaint_ids: Iterable[int]) -> dict[int, ComplaintFlag]:
    """complaint id → the worst severity and every category of its flagged screenings (only the
    complaints that have one); one query, for a page of the office queue."""
    ids = list(complaint_ids)
    if not ids:
        return {}
    worst: dict[int, int] = {}
    found: dict[int, set[str]] = {}
    for complaint_id, rank, categories in Screening.objects.filter(
        complaint_id__in=ids, abusive=True
    ).values_list("complaint_id", "severity_rank", "categories"):
        worst[complaint_id] = max(worst.get(complaint_id, 0), rank)
        found.setdefault(complaint_id, set()).update(categories or [])
    return {
        complaint_id: ComplaintFlag(
            severity=_RANKED[min(rank, len(_RANKED) - 1)],
            categories=_categories(found[complaint_id]),
        )
        for complaint_id, rank in worst.items()
    }


def screenings_of_complaint(complaint_id: int) -> list[Screening]:
    """Every stored screening of one complaint's texts, oldest first."""
    return list(Screening.objects.filter(complaint_id=complaint_id).order_by("pk"))


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
