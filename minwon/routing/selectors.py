"""Routing's reads: a complaint's stored suggestions, model versions, accuracy per unit."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from minwon.accounts.models import OrgUnit
from minwon.routing.models import Case, Decision, ModelVersion, Suggestion, Target


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


def unit_names(codes: list[str]) -> dict[str, str]:
    return dict(OrgUnit.objects.filter(code__in=codes).values_list("code", "name_ko"))


@dataclass(frozen=True)
class UnitAccuracy:
    unit: str
    suggested: int
    correct: int
    misroutes: int


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
