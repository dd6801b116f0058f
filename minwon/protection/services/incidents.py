"""The incident register (특이민원 발생기록, issue 16) and the measures of 영 제4조 taken for it.

Every write is one transaction with an audit row, and nothing is ever changed or removed: a
correction of an incident is a new entry of it (``root`` = its first entry) with the reason, and
a correction of a measure is a new entry naming the entry it ``corrects`` (the tables refuse
UPDATE and DELETE, migration protection/0002_incidents). Evidence files pass the same checks as
complaint attachments (``core.filetypes.check``) and are stored under MEDIA_ROOT/protection/.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from minwon.accounts.models import User
from minwon.core import clock, filetypes
from minwon.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from minwon.core.services import audit_record
from minwon.protection.access import may_record_incident
from minwon.protection.measures import (
    MAX_DESCRIPTION_CHARS,
    MAX_EVIDENCE_FILES,
    ContactChannel,
    IncidentKind,
    IncidentSource,
    Measure,
)
from minwon.protection.models import (
    Incident,
    IncidentEvidence,
    IncidentMeasure,
    PanicAcknowledgement,
)
from minwon.protection.services.screening import alerts_wake

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024  # as complaint attachments
# A clock a little ahead on the officer's device is not a future incident.
FUTURE_TOLERANCE = timedelta(minutes=5)

MESSAGES: dict[str, str | Promise] = {
    "protection.kind": _("Choose what happened."),
    "protection.channel": _("Choose how the complainant reached you."),
    "protection.measure": _("Choose the measure."),
    "protection.description_required": _("Describe what was said or done."),
    "protection.description_too_long": _("The description may have at most %(limit)s characters."),
    "protection.occurred_in_future": _("The time of the incident cannot be in the future."),
    "protection.taken_in_future": _("The time of the measure cannot be in the future."),
    "protection.taken_before_incident": _("A measure cannot be taken before the incident."),
    "protection.reason_required": _("Say why the record is corrected."),
    "protection.no_org_unit": _("Your account has no department; ask an administrator."),
    "protection.not_latest": _(
        "This entry has already been corrected; correct its newest entry instead."
    ),
    "protection.evidence_limit": _("An incident can have at most %(limit)s evidence files."),
    "protection.evidence_too_large": _("The file is larger than %(limit)s bytes."),
    "protection.evidence_empty": _("The file is empty."),
    "protection.evidence_executable": _("Programs and scripts cannot be attached."),
    "protection.evidence_macro": _(
        "Documents with macros or active content cannot be attached. Save the document without "
        "macros (or as PDF) and try again."
    ),
    "protection.evidence_type_not_allowed": _(
        "Only photos (JPEG, PNG) and documents (PDF, HWP, HWPX, DOCX, XLSX, PPTX) can be attached."
    ),
    "protection.evidence_unreadable": _("The image cannot be read."),
    "protection.evidence_image_too_large": _("The image has too many pixels."),
}


def error(code: str, *, field: str | None = None, **params: object) -> ValidationFailed:
    message = MESSAGES[code]
    text: str | Promise = _Formatted(message, params) if params else message
    return ValidationFailed(text, code=code, field=field, params=dict(params))


class _Formatted(Promise):
    """A lazily translated message with %-parameters."""

    def __init__(self, message: str | Promise, params: dict[str, object]) -> None:
        self.message, self.params = message, params

    def __str__(self) -> str:
        return str(self.message) % self.params


@dataclass(frozen=True)
class EvidenceInput:
    """An uploaded file as a form delivers it: the name the sender gave and the bytes."""

    name: str
    data: bytes


def storage_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "protection"


def _officer_gate(actor: User) -> None:
    if not may_record_incident(actor):
        raise PermissionDenied(code="protection.forbidden")


def _choice(value: str, enum: type[IncidentKind | ContactChannel | Measure], code: str) -> str:
    try:
        return enum(value).value
    except ValueError:
        raise error(code, field=code.split(".")[1]) from None


def _description(text: str) -> str:
    text = (text or "").replace("\x00", "").strip()
    if not text:
        raise error("protection.description_required", field="description")
    if len(text) > MAX_DESCRIPTION_CHARS:
        raise error(
            "protection.description_too_long", field="description", limit=MAX_DESCRIPTION_CHARS
        )
    return text


def _not_future(when: datetime, code: str, field: str) -> datetime:
    if when > clock.now() + FUTURE_TOLERANCE:
        raise error(code, field=field)
    return when


_REFUSALS = {
    "too_large": "protection.evidence_too_large",
    "empty": "protection.evidence_empty",
    "executable": "protection.evidence_executable",
    "macro": "protection.evidence_macro",
    "type": "protection.evidence_type_not_allowed",
    "unreadable": "protection.evidence_unreadable",
    "image_too_large": "protection.evidence_image_too_large",
}


def evidence_check(
    files: Sequence[EvidenceInput], *, already: int = 0
) -> list[filetypes.CheckedFile]:
    """Every file checked (size, type by content, images cleaned) before any is stored."""
    if already + len(files) > MAX_EVIDENCE_FILES:
        raise error("protection.evidence_limit", field="evidence_files", limit=MAX_EVIDENCE_FILES)
    checked = []
    for f in files:
        try:
            checked.append(filetypes.check(name=f.name, data=f.data, max_bytes=MAX_EVIDENCE_BYTES))
        except filetypes.Refusal as refusal:
            code = _REFUSALS[refusal.reason]
            if refusal.reason == "too_large":
                raise error(code, field="evidence_files", limit=MAX_EVIDENCE_BYTES) from None
            raise error(code, field="evidence_files") from None
    return checked


def _store_evidence(
    *, incident: Incident, actor: User, files: Sequence[filetypes.CheckedFile], written: list[Path]
) -> list[IncidentEvidence]:
    root = storage_root()
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    stored = []
    for file in files:
        storage_name = uuid.uuid4().hex
        path = root / storage_name
        path.write_bytes(file.data)
        written.append(path)
        stored.append(
            IncidentEvidence.objects.create(
                incident=incident,
                original_name=file.name,
                content_type=file.content_type,
                size=len(file.data),
                sha256=hashlib.sha256(file.data).hexdigest(),
                storage_name=storage_name,
                uploaded_by=actor,
            )
        )
    return stored


def _unlink(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def incident_record(
    *,
    actor: User,
    kind: str,
    channel: str,
    occurred_at: datetime,
    description: str,
    complainant: str = "",
    complaint_reference: str = "",
    location: str = "",
    files: Sequence[EvidenceInput] = (),
    source: IncidentSource = IncidentSource.OFFICER,
) -> Incident:
    """Record an incident that happened to ``actor`` (who records it), with its evidence files.
    Bad input raises the translated error and stores nothing (no row, no file)."""
    _officer_gate(actor)
    values = {
        "kind": _choice(kind, IncidentKind, "protection.kind"),
        "channel": _choice(channel, ContactChannel, "protection.channel"),
        "occurred_at": _not_future(occurred_at, "protection.occurred_in_future", "occurred_at"),
    }
    text = _description(description)
    if actor.org_unit_id is None:
        raise error("protection.no_org_unit")
    checked = evidence_check(files)
    written: list[Path] = []
    try:
        with transaction.atomic():
            incident = Incident(
                **values,
                source=source.value,
                org_unit_id=actor.org_unit_id,
                officer=actor,
                recorded_by=actor,
                complaint_reference=complaint_reference.strip()[:40],
                location=location.strip()[:200],
            )
            incident.description = text
            incident.complainant = complainant.strip()[:500]
            incident.save()
            evidence = _store_evidence(
                incident=incident, actor=actor, files=checked, written=written
            )
            audit_record(
                actor=actor,
                action="protection.incident_recorded",
                target=incident,
                org_unit_id=incident.org_unit_id,
                data={
                    "kind": incident.kind,
                    "channel": incident.channel,
                    "source": incident.source,
                    "evidence": [e.pk for e in evidence],
                },
            )
    except Exception:
        _unlink(written)
        raise
    return incident


@transaction.atomic
def incident_correct(
    *,
    actor: User,
    incident: Incident,
    reason: str,
    kind: str,
    channel: str,
    occurred_at: datetime,
    description: str,
    complainant: str = "",
    complaint_reference: str = "",
    location: str = "",
) -> Incident:
    """A new entry of ``incident`` (its first entry; the caller has passed the access gate) with
    the corrected values and why. The earlier entries stay as they were."""
    _officer_gate(actor)
    if incident.root_id is not None:
        raise NotFound(code="protection.incident_not_found")
    reason = (reason or "").strip()
    if not reason:
        raise error("protection.reason_required", field="reason")
    values = {
        "kind": _choice(kind, IncidentKind, "protection.kind"),
        "channel": _choice(channel, ContactChannel, "protection.channel"),
        "occurred_at": _not_future(occurred_at, "protection.occurred_in_future", "occurred_at"),
    }
    text = _description(description)
    Incident.objects.select_for_update().filter(pk=incident.pk).first()  # one correction at a time
    previous = Incident.objects.filter(root=incident).order_by("-id").first() or incident
    entry = Incident(
        **values,
        root=incident,
        reason=reason[:500],
        source=incident.source,
        org_unit_id=previous.org_unit_id,
        officer_id=previous.officer_id,
        recorded_by=actor,
        complaint_reference=complaint_reference.strip()[:40],
        location=location.strip()[:200],
    )
    entry.description = text
    entry.complainant = complainant.strip()[:500]
    entry.save()
    changed = [
        name
        for name in ("kind", "channel", "occurred_at", "complaint_reference", "location")
        if getattr(entry, name) != getattr(previous, name)
    ]
    if entry.description != previous.description:
        changed.append("description")
    if entry.complainant != previous.complainant:
        changed.append("complainant")
    audit_record(
        actor=actor,
        action="protection.incident_corrected",
        target=incident,
        org_unit_id=incident.org_unit_id,
        data={"entry": entry.pk, "changed": changed},
    )
    return entry


def _measure_values(
    *, incident: Incident, measure: str, detail: str, performed_by: str, taken_at: datetime
) -> dict[str, object]:
    taken_at = _not_future(taken_at, "protection.taken_in_future", "taken_at")
    if taken_at < incident.occurred_at - FUTURE_TOLERANCE:
        raise error("protection.taken_before_incident", field="taken_at")
    return {
        "measure": _choice(measure, Measure, "protection.measure"),
        "detail": (detail or "").replace("\x00", "").strip()[:1000],
        "performed_by": (performed_by or "").strip()[:200],
        "taken_at": taken_at,
    }


@transaction.atomic
def incident_measure_record(
    *,
    actor: User,
    incident: Incident,
    measure: str,
    taken_at: datetime,
    detail: str = "",
    performed_by: str = "",
) -> IncidentMeasure:
    """A measure of 영 제4조 taken for ``incident`` (its first entry; access already checked)."""
    _officer_gate(actor)
    if incident.root_id is not None:
        raise NotFound(code="protection.incident_not_found")
    values = _measure_values(
        incident=incident,
        measure=measure,
        detail=detail,
        performed_by=performed_by,
        taken_at=taken_at,
    )
    row = IncidentMeasure.objects.create(incident=incident, recorded_by=actor, **values)
    audit_record(
        actor=actor,
        action="protection.measure_recorded",
        target=incident,
        org_unit_id=incident.org_unit_id,
        data={"entry": row.pk, "measure": row.measure, "taken_at": row.taken_at.isoformat()},
    )
    return row


@transaction.atomic
def incident_measure_correct(
    *,
    actor: User,
    incident: Incident,
    entry_id: int,
    withdrawn: bool = False,
    measure: str = "",
    taken_at: datetime | None = None,
    detail: str = "",
    performed_by: str = "",
) -> IncidentMeasure:
    """A new entry for measure entry ``entry_id`` of ``incident``: corrected values, or
    ``withdrawn`` (it was recorded by mistake). Only the newest entry of a measure is corrected."""
    _officer_gate(actor)
    list(IncidentMeasure.objects.select_for_update().filter(incident=incident))
    previous = IncidentMeasure.objects.filter(pk=entry_id, incident=incident).first()
    if previous is None or incident.root_id is not None:
        raise NotFound(code="protection.measure_not_found")
    if previous.withdrawn or IncidentMeasure.objects.filter(corrects=previous).exists():
        raise Conflict(MESSAGES["protection.not_latest"], code="protection.not_latest")
    if withdrawn:
        values: dict[str, object] = {
            "measure": previous.measure,
            "detail": (detail or "").strip()[:1000],
            "performed_by": previous.performed_by,
            "taken_at": previous.taken_at,
        }
    else:
        values = _measure_values(
            incident=incident,
            measure=measure,
            detail=detail,
            performed_by=performed_by,
            taken_at=taken_at or previous.taken_at,
        )
    row = IncidentMeasure.objects.create(
        incident=incident, corrects=previous, withdrawn=withdrawn, recorded_by=actor, **values
    )
    audit_record(
        actor=actor,
        action="protection.measure_withdrawn" if withdrawn else "protection.measure_corrected",
        target=incident,
        org_unit_id=incident.org_unit_id,
        data={"entry": row.pk, "corrects": previous.pk, "measure": row.measure},
    )
    return row


def incident_evidence_add(
    *, actor: User, incident: Incident, files: Sequence[EvidenceInput]
) -> list[IncidentEvidence]:
    """More evidence files for ``incident`` (access already checked); all or none are stored."""
    _officer_gate(actor)
    if incident.root_id is not None:
        raise NotFound(code="protection.incident_not_found")
    checked = evidence_check(files, already=incident.evidence.count())
    written: list[Path] = []
    try:
        with transaction.atomic():
            stored = _store_evidence(incident=incident, actor=actor, files=checked, written=written)
            audit_record(
                actor=actor,
                action="protection.evidence_added",
                target=incident,
                org_unit_id=incident.org_unit_id,
                data={
                    "evidence": [e.pk for e in stored],
                    "types": [e.content_type for e in stored],
                },
            )
    except Exception:
        _unlink(written)
        raise
    return stored


@transaction.atomic
def incident_evidence_read(
    *, actor: User, incident: Incident, evidence_id: int
) -> tuple[IncidentEvidence, bytes]:
    """The bytes of one evidence file (access already checked); every read is audited."""
    evidence = IncidentEvidence.objects.filter(pk=evidence_id, incident=incident).first()
    if evidence is None:
        raise NotFound(code="protection.evidence_not_found")
    data = (storage_root() / evidence.storage_name).read_bytes()
    audit_record(
        actor=actor,
        action="protection.evidence_downloaded",
        target=incident,
        org_unit_id=incident.org_unit_id,
        data={"evidence": evidence.pk},
    )
    return evidence, data


# A second press within this time adds nothing: the alarm is already sounding.
PANIC_REPEAT_WINDOW = timedelta(minutes=2)
PANIC_DESCRIPTION = _(
    "The panic button was pressed on the office screen. Correct this record with what happened."
)


@transaction.atomic
def panic_raise(*, actor: User, page: str = "") -> tuple[Incident, bool]:
    """The panic button (비상벨, 영 제4조제1항제1호) was pressed by ``actor`` on an office page:
    an incident of the officer's unit is recorded at once, with the 비상벨 measure, and after the
    commit the alerts job is woken (the security desk and the head are told through the outbox;
    their open office pages show the alarm, ``selectors.panic_alarms_for``). Returns the incident
    and whether it is new: a second press within PANIC_REPEAT_WINDOW returns the first one."""
    _officer_gate(actor)
    if actor.org_unit_id is None:
        raise error("protection.no_org_unit")
    now = clock.now()
    User.objects.select_for_update().filter(pk=actor.pk).first()  # one press at a time
    recent = (
        Incident.objects.filter(
            officer=actor,
            source=IncidentSource.PANIC.value,
            root__isnull=True,
            created_at__gte=now - PANIC_REPEAT_WINDOW,
        )
        .order_by("-id")
        .first()
    )
    if recent is not None:
        return recent, False
    incident = Incident(
        kind=IncidentKind.OTHER.value,
        channel=ContactChannel.OTHER.value,
        occurred_at=now,
        source=IncidentSource.PANIC.value,
        org_unit_id=actor.org_unit_id,
        officer=actor,
        recorded_by=actor,
        location=(page or "").strip()[:200],
    )
    incident.description = str(PANIC_DESCRIPTION)
    incident.save()
    IncidentMeasure.objects.create(
        incident=incident,
        measure=Measure.PANIC_BELL.value,
        taken_at=now,
        recorded_by=actor,
        detail=str(_("Panic button on the office screen")),
    )
    audit_record(
        actor=actor,
        action="protection.panic_raised",
        target=incident,
        org_unit_id=incident.org_unit_id,
        data={"page": incident.location},
    )
    transaction.on_commit(alerts_wake)
    return incident, True


@transaction.atomic
def panic_acknowledge(*, actor: User, incident: Incident) -> PanicAcknowledgement:
    """``actor`` (who was alarmed; the caller checked it) has seen the alarm and takes it on.
    Acknowledging twice keeps the first."""
    found: PanicAcknowledgement | None = PanicAcknowledgement.objects.filter(
        incident=incident, user=actor
    ).first()
    if found is not None:
        return found
    row: PanicAcknowledgement = PanicAcknowledgement.objects.create(incident=incident, user=actor)
    audit_record(
        actor=actor,
        action="protection.panic_acknowledged",
        target=incident,
        org_unit_id=incident.org_unit_id,
    )
    return row


def evidence_download_name(evidence: IncidentEvidence) -> str:
    return f"evidence-{evidence.pk}.{filetypes.EXTENSIONS.get(evidence.content_type, 'bin')}"


__all__ = [
    "MAX_EVIDENCE_BYTES",
    "EvidenceInput",
    "evidence_check",
    "evidence_download_name",
    "incident_correct",
    "incident_evidence_add",
    "incident_evidence_read",
    "incident_measure_correct",
    "incident_measure_record",
    "incident_record",
    "panic_acknowledge",
    "panic_raise",
]
