"""Routing's reads: a complaint's stored suggestions, model versions, accuracy per unit."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import QuerySet

from minwon.accounts.models import OrgUnit
from minwon.catalog.models import ComplaintType
from minwon.routing.domain import (
    CAMPAIGN_SIMILARITY,
    CampaignFinding,
    Passage,
    campaign_detect,
    matching_passages,
)
from minwon.routing.duplicates import similarity
from minwon.routing.models import (
    Case,
    Decision,
    Match,
    ModelVersion,
    RepeatFlag,
    Suggestion,
    Target,
)


def catalogue_types(text: str) -> tuple[str, ...]:
    """Catalogue (statutory) types whose name the text contains, spacing ignored."""
    compact = "".join(text.split())
    found = []
    for code, name in ComplaintType.objects.filter(
        is_active=True, current_version__isnull=False
    ).values_list("code", "current_version__name_ko"):
        key = "".join((name or "").split())
        if len(key) >= 3 and key in compact:
            found.append(code)
    return tuple(sorted(found))


def case_get(*, complaint_id: int) -> Case | None:
    return Case.objects.filter(complaint_id=complaint_id).prefetch_related("suggestions").first()


def case_suggestions(case: Case) -> dict[str, list[Suggestion]]:
    out: dict[str, list[Suggestion]] = defaultdict(list)
    for s in case.suggestions.all():
        out[s.target].append(s)
    return dict(out)


def model_version_list(*, target: str | None = None) -> QuerySet[ModelVersion]:
    qs = ModelVersion.objects.all()
    return qs.filter(target=target) if target else qs


def unit_names(codes: list[str], language: str = "ko") -> dict[str, str]:
    return {u.code: u.display_name(language) for u in OrgUnit.objects.filter(code__in=codes)}


@dataclass(frozen=True)
class UnitAccuracy:
    unit: str
    suggested: int
    correct: int
    misroutes: int

    @property
    def accuracy_percent(self) -> int | None:
        return round(100 * self.correct / self.suggested) if self.suggested else None


def accuracy_per_unit() -> list[UnitAccuracy]:
    """Per final unit: cases with a department suggestion, top-1 hits, transfers after one."""
    rows: dict[str, dict[str, Any]] = defaultdict(lambda: {"n": 0, "ok": 0, "miss": 0})
    tops = dict(
        Suggestion.objects.filter(target=Target.DEPARTMENT, rank=1).values_list("case_id", "label")
    )
    for pk, final, moved in (
        Case.objects.exclude(final_department="")
        .filter(pk__in=list(tops))
        .values_list("pk", "final_department", "transferred_after_suggestion")
    ):
        r = rows[final]
        r["n"] += 1
        r["ok"] += int(tops[pk] == final and not moved)
        r["miss"] += int(moved)
    return [UnitAccuracy(u, r["n"], r["ok"], r["miss"]) for u, r in sorted(rows.items())]


@dataclass(frozen=True)
class ShownSuggestion:
    rank: int
    label: str
    name: str
    confidence: float
    words: tuple[str, ...]

    @property
    def percent(self) -> int:
        return round(self.confidence * 100)


@dataclass(frozen=True)
class CaseView:
    """What the office shows of routing's reading of one complaint's department."""

    read: bool  # False: routing has not read the complaint (yet)
    suggestions: tuple[ShownSuggestion, ...]
    reason: str  # why there is no suggestion ("" when there is one)
    model_version: str  # "" with suggestions = cold start
    decision: Decision | None  # the officer's latest department decision
    decision_unit: str = ""  # the name of the unit it chose


def case_view(*, complaint_id: int, language: str = "ko") -> CaseView:
    """The department suggestion of a complaint, with unit names in ``language``."""
    case = case_get(complaint_id=complaint_id)
    if case is None:
        return CaseView(False, (), "not_read", "", None)
    rows = case_suggestions(case).get(Target.DEPARTMENT, [])
    decision = case.decisions.filter(target=Target.DEPARTMENT).select_related("officer").first()
    codes = [s.label for s in rows] + ([decision.chosen_label] if decision else [])
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=codes)}
    shown = tuple(
        ShownSuggestion(
            rank=s.rank,
            label=s.label,
            name=units[s.label].display_name(language) if s.label in units else s.label,
            confidence=s.confidence,
            words=tuple(s.words),
        )
        for s in rows
    )
    return CaseView(
        read=True,
        suggestions=shown,
        reason=""
        if shown
        else (case.reason or case.target_reasons.get(Target.DEPARTMENT) or "no_model"),
        model_version=rows[0].model_version if rows else "",
        decision=decision,
        decision_unit=(
            units[decision.chosen_label].display_name(language)
            if decision and decision.chosen_label in units
            else (decision.chosen_label if decision else "")
        ),
    )


@dataclass(frozen=True)
class DuplicateView:
    other_id: int
    similarity: float
    linked: bool
    mine: tuple[Passage, ...]  # this complaint's (masked) text, the shared stretches marked
    theirs: tuple[Passage, ...]

    @property
    def percent(self) -> int:
        return round(self.similarity * 100)


def duplicate_list(
    *, complaint_id: int, among: set[int] | None = None, passages: bool = True
) -> list[DuplicateView]:
    """The complaint's near-duplicates, most similar first, with the matching passages of the
    two masked texts (unless ``passages`` is false); ``among`` limits them to the complaints the
    reader may see."""
    matches = list(Match.objects.filter(complaint_id=complaint_id))
    if among is not None:
        matches = [m for m in matches if m.other_id in among]
    texts = (
        dict(
            Case.objects.filter(
                complaint_id__in=[complaint_id, *(m.other_id for m in matches)]
            ).values_list("complaint_id", "text")
        )
        if passages
        else {}
    )
    out = []
    for m in sorted(matches, key=lambda m: (-m.similarity, m.other_id)):
        mine, theirs = (
            matching_passages(texts.get(complaint_id, ""), texts.get(m.other_id, ""))
            if passages
            else ([], [])
        )
        out.append(
            DuplicateView(
                m.other_id, m.similarity, m.linked_at is not None, tuple(mine), tuple(theirs)
            )
        )
    return out


def match_ids(*, complaint_id: int) -> list[int]:
    return list(Match.objects.filter(complaint_id=complaint_id).values_list("other_id", flat=True))


def campaign_for(*, complaint_id: int) -> CampaignFinding:
    """Whether the complaint is one of many near-identical ones (Jaccard at or above the campaign
    similarity) from different people in the campaign window before the latest of them: a
    suggestion to handle them as one 다수인관련민원."""
    ids = list(
        Match.objects.filter(
            complaint_id=complaint_id, similarity__gte=CAMPAIGN_SIMILARITY
        ).values_list("other_id", flat=True)
    )
    members = [
        (cid, key or f"#{cid}", at)
        for cid, key, at in Case.objects.filter(complaint_id__in=[complaint_id, *ids]).values_list(
            "complaint_id", "complainant_key", "created_at"
        )
    ]
    if not members:
        return CampaignFinding((), 0, False)
    return campaign_detect(now=max(at for _c, _k, at in members), members=members)


SEOUL = ZoneInfo("Asia/Seoul")
REPEAT_LOOKBACK = 200  # earlier cases of one complainant compared (the most recent)


def same_complainant_similar(*, complaint_id: int) -> list[tuple[int, float]]:
    """Earlier cases of the complaint's complainant (the same blind-index key), with the shingle
    similarity of their masked texts, most similar first. Empty without a key or a usable text."""
    case = Case.objects.filter(complaint_id=complaint_id).first()
    if case is None or not case.complainant_key or not case.text:
        return []
    rows = (
        Case.objects.filter(complainant_key=case.complainant_key, complaint_id__lt=complaint_id)
        .exclude(text="")
        .order_by("-complaint_id")
        .values_list("complaint_id", "text")[:REPEAT_LOOKBACK]
    )
    found = [(other, round(similarity(case.text, text), 3)) for other, text in rows]
    return sorted(found, key=lambda f: (-f[1], f[0]))


@dataclass(frozen=True)
class RepeatView:
    evidence: tuple[dict[str, Any], ...]  # {"complaint_id", "similarity", "result_notified"}
    notified_count: int
    legal_basis: str


def repeat_flag_get(*, complaint_id: int) -> RepeatView | None:
    flag = RepeatFlag.objects.filter(case__complaint_id=complaint_id).first()
    if flag is None:
        return None
    return RepeatView(tuple(flag.evidence), flag.notified_count, flag.legal_basis)


@dataclass(frozen=True)
class WeekAccuracy:
    week: date  # the Monday (Seoul) of the week the complaints were read
    suggested: int  # cases with a department suggestion
    labelled: int  # of those, with a final unit (answered or decided by an officer)
    correct: int  # top-1 suggestion = the final unit, never transferred after it
    misroutes: int  # transferred after a suggestion (not by accepting it)

    @property
    def accuracy_percent(self) -> int | None:
        return round(100 * self.correct / self.labelled) if self.labelled else None


def accuracy_by_week(*, today: date, weeks: int = 12) -> list[WeekAccuracy]:
    """Department suggestions per week of reading, oldest first, the last ``weeks`` weeks (the
    current one included), every week present even when empty."""
    first = today - timedelta(days=today.weekday(), weeks=weeks - 1)
    since = datetime.combine(first, time(0, 0), tzinfo=SEOUL)
    tops = dict(
        Suggestion.objects.filter(
            target=Target.DEPARTMENT, rank=1, case__created_at__gte=since
        ).values_list("case_id", "label")
    )
    rows: dict[date, list[int]] = {first + timedelta(weeks=i): [0, 0, 0, 0] for i in range(weeks)}
    for pk, at, final, moved in (
        Case.objects.filter(pk__in=list(tops))
        .values_list("pk", "created_at", "final_department", "transferred_after_suggestion")
        .iterator(chunk_size=2000)
    ):
        day = at.astimezone(SEOUL).date()
        r = rows.get(day - timedelta(days=day.weekday()))
        if r is None:
            continue
        r[0] += 1
        r[1] += int(bool(final))
        r[2] += int(bool(final) and tops[pk] == final and not moved)
        r[3] += int(moved)
    return [WeekAccuracy(week, *r) for week, r in sorted(rows.items())]
