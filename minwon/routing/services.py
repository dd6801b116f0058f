"""Routing's writes: read a complaint (suggestions stored with their words), record the officer's
decision and the final outcome, train / activate / roll back models. One transaction and one audit
row each.

``complaints`` calls these with a complaint's id and text (routing never imports it). Department
labels are org-unit codes; kind labels are ``ComplaintKind`` values. Without a trained department
model, suggestions come from a cold-start model fitted on the org units' duties (업무분장) and
the catalogue's type names (for their handling unit).
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from minwon.accounts.models import OrgUnit, User
from minwon.catalog.models import ComplaintType
from minwon.core import clock
from minwon.core.errors import NotFound, ValidationFailed
from minwon.core.services import audit_record
from minwon.routing import classifier, duplicates, selectors
from minwon.routing.domain import (
    CAMPAIGN_SIMILARITY,
    NoSuggestionReason,
    RepeatEvidence,
    campaign_detect,
    prepare_text,
    repeat_assess,
)
from minwon.routing.models import (
    Case,
    Cursor,
    Decision,
    Match,
    ModelVersion,
    RepeatFlag,
    Suggestion,
    Target,
)

__all__ = [
    "CaseReading",
    "case_read",
    "cursor_move",
    "cursor_position",
    "decision_record",
    "duplicate_link",
    "model_activate",
    "model_rollback",
    "model_train",
    "outcome_record",
    "repeat_flag_record",
    "suggest_text",
]

MIN_TRAINING_EXAMPLES = 30  # fewer confirmed routings than this: keep the cold start
DUPLICATE_WINDOW = timedelta(days=90)  # "open and recent complaints"


def model_store() -> classifier.ModelStore:
    root = getattr(settings, "ROUTING_MODEL_DIR", None)
    return classifier.ModelStore(root or Path(settings.MINWON_DATA_DIR) / "routing" / "models")


# -- models in this process -----------------------------------------------------------------------

_lock = threading.Lock()
_loaded: dict[tuple[str, str], classifier.RoutingModel] = {}
_cold: dict[str, tuple[str, classifier.RoutingModel | None]] = {}


def _active_model(target: str) -> classifier.RoutingModel | None:
    store = model_store()
    version = store.active_version(target)
    if version is None:
        return None
    key = (str(store.root), f"{target}:{version}")
    with _lock:
        model = _loaded.get(key)
    if model is None:
        try:
            model = store.load(target, version)
        except classifier.ModelStoreError:
            return None
        with _lock:
            if len(_loaded) > 8:
                _loaded.clear()
            _loaded[key] = model
    return model


def _cold_start_descriptions() -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = [
        (code, f"{name} {duties}")
        for code, name, duties in OrgUnit.objects.filter(is_active=True)
        .exclude(duties="")
        .values_list("code", "name_ko", "duties")
    ]
    for ct in ComplaintType.objects.filter(
        is_active=True, current_version__handling_org_unit__isnull=False
    ).select_related("current_version", "current_version__handling_org_unit"):
        v = ct.current_version
        if v is None or v.handling_org_unit is None:
            continue
        rows.append((v.handling_org_unit.code, f"{v.name_ko} {v.category}"))
    return rows


def _cold_start_model() -> classifier.RoutingModel | None:
    """A department model from the duties texts; re-fitted when any of them changes."""
    rows = _cold_start_descriptions()
    digest = hashlib.sha256(repr(sorted(rows)).encode()).hexdigest()
    with _lock:
        cached = _cold.get("department")
    if cached is not None and cached[0] == digest:
        return cached[1]
    texts, labels = classifier.cold_start_examples(rows)
    model = None
    if len(set(labels)) >= 2:
        model = classifier.train(
            classifier.prepare_documents(texts), labels, target="department", source="cold_start"
        )
    with _lock:
        _cold["department"] = (digest, model)
    return model


# -- reading a complaint --------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetSuggestions:
    target: str
    suggestions: tuple[classifier.Suggestion, ...] = ()
    reason: str = ""
    model_version: str = ""  # "" with suggestions = cold start


@dataclass(frozen=True)
class CaseReading:
    complaint_id: int | None
    targets: dict[str, TargetSuggestions]
    catalogue_types: tuple[str, ...] = ()
    duplicates: tuple[tuple[int, float], ...] = ()
    campaign: tuple[int, ...] = ()
    reason: str = ""
    words_masked: dict[str, int] = field(default_factory=dict)


def _suggest_target(target: str, doc: str) -> TargetSuggestions:
    model = _active_model(target)
    version = model.version if model is not None else ""
    if model is None and target == Target.DEPARTMENT:
        model = _cold_start_model()
    if model is None:
        return TargetSuggestions(target, reason=NoSuggestionReason.NO_MODEL.value)
    result = model.suggest_document(doc)
    if result.reason is not None:
        return TargetSuggestions(target, reason=result.reason.value, model_version=version)
    return TargetSuggestions(target, suggestions=result.suggestions, model_version=version)


def _read(text: str) -> tuple[Any, str, dict[str, TargetSuggestions]]:
    prepared = prepare_text(text)
    if not prepared.usable:
        assert prepared.reason is not None
        return prepared, "", {}
    morph = classifier.morpheme_text(prepared.text)
    doc = classifier.document(prepared.text, morph)
    return prepared, morph, {t: _suggest_target(t, doc) for t in (Target.DEPARTMENT, Target.KIND)}


def suggest_text(text: str) -> CaseReading:
    """Suggestions for a text not yet a complaint (the counter's registration form); no write."""
    prepared, _morph, targets = _read(text)
    return CaseReading(
        complaint_id=None,
        targets=targets,
        catalogue_types=selectors.catalogue_types(prepared.text) if prepared.usable else (),
        reason=prepared.reason.value if prepared.reason else "",
        words_masked=dict(prepared.masked),
    )


_index_lock = threading.Lock()
_index: duplicates.DuplicateIndex | None = None


def _duplicate_index() -> duplicates.DuplicateIndex:
    """The process's LSH index, topped up from the database with cases newer than it knows."""
    global _index
    with _index_lock:
        if _index is None:
            _index = duplicates.DuplicateIndex()
        index = _index
    since = clock.now() - DUPLICATE_WINDOW
    rows = (
        Case.objects.filter(pk__gt=index.last_id, created_at__gte=since, minhash__isnull=False)
        .order_by("pk")
        .values_list("pk", "complaint_id", "minhash")
    )
    for pk, complaint_id, blob in rows.iterator(chunk_size=2000):
        if blob is not None:
            index.add(complaint_id, bytes(blob))
        index.last_id = max(index.last_id, pk)
    return index


def duplicate_index_reset() -> None:
    """Forget the in-process index (tests; after a restore)."""
    global _index
    with _index_lock:
        _index = None


def case_read(
    *, complaint_id: int, text: str, complainant_key: str = "", now: datetime | None = None
) -> CaseReading:
    """Read a new or changed complaint: store its masked text, suggestions and near-duplicates.

    The reading (tokenisation, the models) runs before the transaction, so the database is
    held only for the writes (SQLite's one writer is not kept waiting by kiwipiepy).
    """
    now = now or clock.now()
    prepared, morph, targets = _read(text)
    return _case_store(
        complaint_id=complaint_id,
        complainant_key=complainant_key,
        now=now,
        prepared=prepared,
        morph=morph,
        targets=targets,
    )


@transaction.atomic
def _case_store(
    *,
    complaint_id: int,
    complainant_key: str,
    now: datetime,
    prepared: Any,
    morph: str,
    targets: dict[str, TargetSuggestions],
) -> CaseReading:
    case, _created = Case.objects.select_for_update().get_or_create(complaint_id=complaint_id)
    case.text = prepared.text
    case.morphemes = morph
    case.reason = prepared.reason.value if prepared.reason else ""
    case.complainant_key = complainant_key[:64]
    case.target_reasons = {t: v.reason for t, v in targets.items() if v.reason}
    case.minhash = duplicates.signature_bytes(prepared.text) if prepared.usable else None
    case.save()
    case.suggestions.all().delete()
    Suggestion.objects.bulk_create(
        Suggestion(
            case=case,
            target=t.target,
            rank=rank,
            label=s.label,
            confidence=s.confidence,
            words=list(s.words),
            model_version=t.model_version,
        )
        for t in targets.values()
        for rank, s in enumerate(t.suggestions, start=1)
    )
    found: list[tuple[int, float]] = []
    campaign: tuple[int, ...] = ()
    if prepared.usable:
        ids = _duplicate_index().candidates(prepared.text, exclude=complaint_id)
        others = Case.objects.filter(
            complaint_id__in=ids, created_at__gte=now - DUPLICATE_WINDOW
        ).values_list("complaint_id", "text", "complainant_key", "created_at")
        members = [(complaint_id, complainant_key or f"#{complaint_id}", now)]
        for other_id, other_text, other_key, at in others:
            sim = duplicates.similarity(prepared.text, other_text)
            if sim >= duplicates.THRESHOLD:
                found.append((other_id, round(sim, 3)))
            if sim >= CAMPAIGN_SIMILARITY:
                members.append((other_id, other_key or f"#{other_id}", at))
        finding = campaign_detect(now=now, members=members)
        if finding.suggested:
            campaign = finding.complaint_ids
        _duplicate_index().add(complaint_id, case.minhash or b"")
    found.sort(key=lambda f: -f[1])
    for other_id, sim in found:
        for a, b in ((complaint_id, other_id), (other_id, complaint_id)):
            Match.objects.update_or_create(complaint_id=a, other_id=b, defaults={"similarity": sim})
    audit_record(
        actor=None,
        action="routing.case_read",
        target=case,
        data={
            "complaint_id": complaint_id,
            "reason": case.reason,
            "suggested": {t: [s.label for s in v.suggestions] for t, v in targets.items()},
            "duplicates": len(found),
        },
    )
    return CaseReading(
        complaint_id=complaint_id,
        targets=targets,
        catalogue_types=selectors.catalogue_types(prepared.text) if prepared.usable else (),
        duplicates=tuple(found[:10]),
        campaign=campaign,
        reason=case.reason,
        words_masked=dict(prepared.masked),
    )


def _case(complaint_id: int, *, lock: bool = False) -> Case:
    qs = Case.objects.select_for_update() if lock else Case.objects
    case = qs.filter(complaint_id=complaint_id).first()
    if case is None:
        raise NotFound(_("This complaint has not been read by routing."), code="routing.no_case")
    return case


def _check_target(target: str) -> Target:
    try:
        return Target(target)
    except ValueError:
        raise ValidationFailed(_("Unknown routing target."), field="target") from None


@transaction.atomic
def decision_record(
    *, actor: User | None, complaint_id: int, target: str, chosen_label: str
) -> Decision:
    """The officer kept the top suggestion (accepted) or chose another (overridden)."""
    kind = _check_target(target)
    if not chosen_label.strip():
        raise ValidationFailed(_("Choose a label."), field="label")
    case = _case(complaint_id, lock=True)
    top = case.suggestions.filter(target=kind.value, rank=1).first()
    outcome = (
        Decision.ACCEPTED if top is not None and top.label == chosen_label else Decision.OVERRIDDEN
    )
    decision = Decision.objects.create(
        case=case,
        target=kind.value,
        outcome=outcome,
        suggested_label=top.label if top else "",
        chosen_label=chosen_label,
        officer=actor,
    )
    if kind is Target.DEPARTMENT:
        case.final_department = chosen_label
    else:
        case.final_kind = chosen_label
    case.save(update_fields=["final_department", "final_kind", "updated_at"])
    audit_record(
        actor=actor,
        action=f"routing.suggestion_{outcome}",
        target=case,
        data={"complaint_id": complaint_id, "target": kind.value, "chosen": chosen_label},
    )
    return decision


@transaction.atomic
def duplicate_link(*, actor: User, complaint_id: int, other_id: int) -> Match:
    """The officer confirms two near-duplicates are one matter (both directions linked). The
    caller has checked the officer may act on both complaints."""
    rows = list(
        Match.objects.select_for_update().filter(
            complaint_id__in=[complaint_id, other_id], other_id__in=[complaint_id, other_id]
        )
    )
    mine = next((m for m in rows if m.complaint_id == complaint_id), None)
    if mine is None or complaint_id == other_id:
        raise NotFound(
            _("These complaints were not read as near-duplicates."), code="routing.no_match"
        )
    now = clock.now()
    for m in rows:
        if m.linked_at is None:
            m.linked_at, m.linked_by = now, actor
            m.save(update_fields=["linked_at", "linked_by", "updated_at"])
    audit_record(
        actor=actor,
        action="routing.duplicate_linked",
        target=mine,
        data={"complaint_id": complaint_id, "other_id": other_id, "similarity": mine.similarity},
    )
    return mine


@transaction.atomic
def repeat_flag_record(
    *, complaint_id: int, statutory: bool, earlier: list[RepeatEvidence]
) -> RepeatFlag | None:
    """법 제23조①: flag the complaint when it repeats earlier ones of the same complainant that
    were answered twice or more (``domain.repeat_assess``), with the evidence; clear a flag that
    no longer holds. A suggestion for an officer: nothing is closed here (제23조③)."""
    case = _case(complaint_id, lock=True)
    finding = repeat_assess(statutory=statutory, earlier=earlier)
    current = RepeatFlag.objects.filter(case=case).first()
    if not finding.flagged:
        if current is not None:
            current.delete()
            audit_record(
                actor=None,
                action="routing.repeat_flag_cleared",
                target=case,
                data={"complaint_id": complaint_id},
            )
        return None
    evidence = [
        {
            "complaint_id": e.complaint_id,
            "similarity": e.similarity,
            "result_notified": e.result_notified,
        }
        for e in finding.similar
    ]
    flag, _created = RepeatFlag.objects.update_or_create(
        case=case,
        defaults={
            "evidence": evidence,
            "notified_count": finding.notified_count,
            "legal_basis": finding.legal_basis,
        },
    )
    audit_record(
        actor=None,
        action="routing.repeat_flagged",
        target=case,
        data={
            "complaint_id": complaint_id,
            "earlier": [e["complaint_id"] for e in evidence],
            "notified": finding.notified_count,
        },
    )
    return flag


@transaction.atomic
def outcome_record(
    *,
    complaint_id: int,
    department: str = "",
    kind: str = "",
    transferred: bool = False,
    transferred_to: str = "",
) -> Case | None:
    """Where the complaint was finally handled (the training label); a transfer after a
    suggestion counts as a miss, unless it is the transfer an officer made by accepting the
    suggestion (to ``transferred_to``, the unit chosen). Unknown complaints (never read) are
    ignored."""
    case = Case.objects.select_for_update().filter(complaint_id=complaint_id).first()
    if case is None:
        return None
    if department:
        case.final_department = department
    if kind:
        case.final_kind = kind
    if transferred and case.suggestions.filter(target=Target.DEPARTMENT).exists():
        latest = case.decisions.filter(target=Target.DEPARTMENT).first()
        accepted_here = (
            latest is not None
            and latest.outcome == Decision.ACCEPTED
            and bool(transferred_to)
            and latest.chosen_label == transferred_to
        )
        if not accepted_here:
            case.transferred_after_suggestion = True
    case.save()
    audit_record(
        actor=None,
        action="routing.outcome_recorded",
        target=case,
        data={"complaint_id": complaint_id, "department": department, "kind": kind},
    )
    return case


# -- the caller's event stream --------------------------------------------------------------------


def cursor_position(name: str) -> int:
    """The last event id of stream ``name`` routing has read (0 before the first)."""
    row = Cursor.objects.filter(name=name).values_list("last_event_id", flat=True).first()
    return int(row or 0)


@transaction.atomic
def cursor_move(*, name: str, from_id: int, to_id: int) -> bool:
    """Move stream ``name`` from ``from_id`` to ``to_id``; False (nothing changed) when another
    reader moved it first. No audit row: the position is bookkeeping, the readings are audited."""
    Cursor.objects.get_or_create(name=name)
    return bool(
        Cursor.objects.filter(name=name, last_event_id=from_id).update(
            last_event_id=to_id, updated_at=clock.now()
        )
    )


# -- models ---------------------------------------------------------------------------------------


def training_examples(target: str) -> tuple[list[str], list[str]]:
    """The city's own confirmed routings: cases with a final label and usable text."""
    column = "final_department" if target == Target.DEPARTMENT else "final_kind"
    rows = (
        Case.objects.filter(reason="")
        .exclude(**{column: ""})
        .order_by("pk")
        .values_list("text", "morphemes", column)
    )
    docs, labels = [], []
    for text, morph, label in rows.iterator(chunk_size=2000):
        docs.append(classifier.document(text, morph))
        labels.append(label)
    return docs, labels


def model_train(
    *,
    actor: User | None,
    target: str,
    docs: list[str] | None = None,
    labels: list[str] | None = None,
    source: str = "history",
) -> ModelVersion:
    """Fit on the given prepared documents or the city's history, store, and activate.

    Fitting runs outside the transaction (it takes seconds); the version row, the switch of the
    active one and the audit row are one transaction, and the store's pointer follows on commit.
    """
    kind = _check_target(target)
    if docs is None or labels is None:
        docs, labels = training_examples(kind.value)
    if len(docs) < MIN_TRAINING_EXAMPLES or len(set(labels)) < 2:
        raise ValidationFailed(
            _(
                "Too little confirmed history to train (%(n)s examples, %(labels)s labels; "
                "at least %(min)s examples and 2 labels are needed)."
            )
            % {"n": len(docs), "labels": len(set(labels)), "min": MIN_TRAINING_EXAMPLES},
            code="routing.too_little_history",
        )
    model = classifier.train(docs, labels, target=kind.value, source=source)
    store = model_store()
    version = store.save(model, activate=False)
    meta = next(v for v in store.versions(kind.value) if v["version"] == version)
    return _version_record(actor=actor, target=kind, model=model, meta=meta)


@transaction.atomic
def _version_record(
    *, actor: User | None, target: Target, model: classifier.RoutingModel, meta: dict[str, Any]
) -> ModelVersion:
    row = ModelVersion.objects.create(
        target=target.value,
        version=model.version,
        trained_at=datetime.fromisoformat(model.trained_at),
        n=model.n,
        labels=list(model.labels),
        source=model.source[:200],
        features=model.config.to_dict(),
        sha256=meta["sha256"],
    )
    audit_record(
        actor=actor,
        action="routing.model_trained",
        target=row,
        data={"target": target.value, "version": row.version, "n": row.n},
    )
    return _activate(actor=actor, row=row)


def _activate(*, actor: User | None, row: ModelVersion) -> ModelVersion:
    previous = ModelVersion.objects.select_for_update().filter(target=row.target, is_active=True)
    was = [v.version for v in previous]
    previous.update(is_active=False)
    row.is_active = True
    row.activated_at = clock.now()
    row.save(update_fields=["is_active", "activated_at", "updated_at"])
    audit_record(
        actor=actor,
        action="routing.model_activated",
        target=row,
        data={"target": row.target, "version": row.version, "was": was},
    )
    target, version = row.target, row.version
    transaction.on_commit(lambda: model_store().activate(target, version))
    return row


@transaction.atomic
def model_activate(*, actor: User | None, target: str, version: str) -> ModelVersion:
    kind = _check_target(target)
    row = ModelVersion.objects.filter(target=kind.value, version=version).first()
    if row is None:
        raise NotFound(_("No such model version."), code="routing.no_model_version")
    try:
        model_store().load(kind.value, version)  # refuse a missing or changed artefact
    except classifier.ModelStoreError as exc:
        raise ValidationFailed(
            _("The stored model cannot be used: %(error)s") % {"error": str(exc)},
            code="routing.model_unusable",
        ) from exc
    return _activate(actor=actor, row=row)


@transaction.atomic
def model_rollback(*, actor: User | None, target: str) -> ModelVersion:
    """Make the version trained before the active one active again."""
    kind = _check_target(target)
    active = ModelVersion.objects.filter(target=kind.value, is_active=True).first()
    earlier = ModelVersion.objects.filter(target=kind.value, is_active=False)
    if active is not None:
        earlier = earlier.filter(trained_at__lte=active.trained_at).exclude(pk=active.pk)
    row = earlier.order_by("-trained_at", "-pk").first()
    if row is None:
        raise NotFound(_("There is no earlier model to roll back to."), code="routing.no_earlier")
    return model_activate(actor=actor, target=kind.value, version=row.version)


def retrain_all(*, actor: User | None = None) -> dict[str, str]:
    """Retrain each target that has enough new confirmed history (the scheduled job)."""
    done: dict[str, str] = {}
    for kind in Target:
        docs, labels = training_examples(kind.value)
        active = ModelVersion.objects.filter(target=kind.value, is_active=True).first()
        if active is not None and active.n == len(docs):
            done[kind.value] = "unchanged"
            continue
        try:
            done[kind.value] = model_train(
                actor=actor, target=kind.value, docs=docs, labels=labels
            ).version
        except ValidationFailed:
            done[kind.value] = "too_little_history"
    return done
