"""Routing's JSON API (officers): suggestions for a text or a complaint, the officer's decision,
model versions. No personal data leaves here: suggestions carry labels, confidences and the
(masked) words that drove them."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from minwon.accounts.access import OfficerSessionAuth, OfficerTokenAuth
from minwon.accounts.models import User
from minwon.accounts.selectors import org_units_visible_to
from minwon.core.errors import NotFound
from minwon.routing import selectors, services
from minwon.routing.models import Suggestion, Target
from minwon.routing.schemas import (
    DecisionIn,
    DecisionOut,
    DuplicateOut,
    ModelVersionOut,
    ReadingOut,
    SuggestIn,
    SuggestionOut,
    TargetOut,
)

router = Router(tags=["routing"])
officers = [OfficerTokenAuth(), OfficerSessionAuth()]


def _officer(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


def _citywide_officer(request: HttpRequest) -> User:
    """A complaint's stored suggestions carry words of its text, and routing (below complaints)
    cannot tell which unit a complaint id belongs to: until the lifecycle hands routing the unit,
    only citywide officers (민원총괄, administrators) reach them; to others they do not exist."""
    officer = _officer(request)
    if org_units_visible_to(officer) is not None:
        raise NotFound(code="routing.no_case")
    return officer


def _target_out(t: services.TargetSuggestions | None, names: dict[str, str]) -> TargetOut:
    if t is None:
        return TargetOut(suggestions=[], reason="no_model", model_version="")
    return TargetOut(
        suggestions=[
            SuggestionOut(
                label=s.label,
                name=names.get(s.label, ""),
                confidence=s.confidence,
                words=list(s.words),
            )
            for s in t.suggestions
        ],
        reason=t.reason,
        model_version=t.model_version,
    )


def _reading_out(reading: services.CaseReading, language: str = "ko") -> ReadingOut:
    dept = reading.targets.get(Target.DEPARTMENT)
    names = selectors.unit_names([s.label for s in dept.suggestions], language) if dept else {}
    return ReadingOut(
        complaint_id=reading.complaint_id,
        department=_target_out(dept, names),
        kind=_target_out(reading.targets.get(Target.KIND), {}),
        catalogue_types=list(reading.catalogue_types),
        duplicates=[DuplicateOut(complaint_id=c, similarity=s) for c, s in reading.duplicates],
        campaign=list(reading.campaign),
        reason=reading.reason,
    )


@router.post("/suggest", auth=officers, response=ReadingOut)
def suggest(request: HttpRequest, body: SuggestIn) -> ReadingOut:
    """Top-3 departments and kinds for a text (the counter's registration form); nothing stored.
    Unit names in the request's language."""
    _officer(request)
    return _reading_out(services.suggest_text(body.text), request.LANGUAGE_CODE)


def _stored(rows: list[Suggestion], names: dict[str, str], reason: str) -> TargetOut:
    return TargetOut(
        suggestions=[
            SuggestionOut(
                label=s.label, name=names.get(s.label, ""), confidence=s.confidence, words=s.words
            )
            for s in rows
        ],
        reason=reason if not rows else "",
        model_version=rows[0].model_version if rows else "",
    )


@router.get("/complaints/{complaint_id}", auth=officers, response=ReadingOut)
def complaint_suggestions(request: HttpRequest, complaint_id: int) -> ReadingOut:
    """The suggestions stored when the complaint was read, its near-duplicates (most similar
    first), the campaign it belongs to if any, and the catalogue types its text names. Citywide
    officers only (see ``_citywide_officer``), who may see every complaint the ids name."""
    _citywide_officer(request)
    case = selectors.case_get(complaint_id=complaint_id)
    if case is None:
        raise NotFound(code="routing.no_case")
    by_target = selectors.case_suggestions(case)
    campaign = selectors.campaign_for(complaint_id=complaint_id)
    dept = by_target.get(Target.DEPARTMENT, [])
    names = selectors.unit_names([s.label for s in dept])
    return ReadingOut(
        complaint_id=complaint_id,
        department=_stored(
            dept, names, case.reason or case.target_reasons.get(Target.DEPARTMENT) or "no_model"
        ),
        kind=_stored(by_target.get(Target.KIND, []), {}, case.reason or "no_model"),
        catalogue_types=list(selectors.catalogue_types(case.text)) if not case.reason else [],
        duplicates=[
            DuplicateOut(complaint_id=d.other_id, similarity=d.similarity)
            for d in selectors.duplicate_list(complaint_id=complaint_id, passages=False)
        ],
        campaign=list(campaign.complaint_ids) if campaign.suggested else [],
        reason=case.reason,
    )


@router.post("/complaints/{complaint_id}/decision", auth=officers, response=DecisionOut)
def complaint_decision(request: HttpRequest, complaint_id: int, body: DecisionIn) -> DecisionOut:
    """Record that the officer accepted the top suggestion or chose another label."""
    d = services.decision_record(
        actor=_citywide_officer(request),
        complaint_id=complaint_id,
        target=body.target,
        chosen_label=body.label,
    )
    return DecisionOut(
        outcome=d.outcome, suggested_label=d.suggested_label, chosen_label=d.chosen_label
    )


@router.get("/models", auth=officers, response=list[ModelVersionOut])
def models(request: HttpRequest, target: str | None = None) -> list[ModelVersionOut]:
    _officer(request)
    return [
        ModelVersionOut.model_validate(v, from_attributes=True)
        for v in selectors.model_version_list(target=target)
    ]
