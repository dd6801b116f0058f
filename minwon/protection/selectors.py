"""Reads of the protection context: the screenings of a complaint, the worst of many."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Max

from minwon.protection.models import Screening


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
