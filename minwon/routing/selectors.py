"""Routing's reads: a complaint's stored suggestions, model versions, accuracy per unit."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from minwon.accounts.models import OrgUnit
from minwon.routing.models import Case, ModelVersion, Suggestion, Target


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
