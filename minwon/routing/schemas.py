"""API shapes of routing's suggestions."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import Field


class SuggestIn(Schema):
    text: str = Field(max_length=200_000)


class SuggestionOut(Schema):
    label: str
    name: str = ""
    confidence: float
    words: list[str]


class TargetOut(Schema):
    suggestions: list[SuggestionOut]
    reason: str = Field("", description="why there is no suggestion (empty when there is one)")
    model_version: str = Field("", description='"" = cold start from the duties texts')


class DuplicateOut(Schema):
    complaint_id: int
    similarity: float


class ReadingOut(Schema):
    complaint_id: int | None
    department: TargetOut
    kind: TargetOut
    catalogue_types: list[str]
    duplicates: list[DuplicateOut] = []
    campaign: list[int] = Field([], description="complaint ids to handle as one 다수인관련민원")
    reason: str = ""


class DecisionIn(Schema):
    target: str = Field(description="department or kind")
    label: str = Field(min_length=1, max_length=60)


class DecisionOut(Schema):
    outcome: str
    suggested_label: str
    chosen_label: str


class ModelVersionOut(Schema):
    target: str
    version: str
    trained_at: datetime
    n: int
    labels: list[str]
    is_active: bool
