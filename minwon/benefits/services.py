"""Writes of the life-event bundles: submit a bundle application (all-or-nothing fan-out), move
a programme application through its states, check a document (docs/benefits.md "Applications").

Each service is one transaction with its audit row and its notifications in the outbox; bad input
raises a translated ``ValidationFailed`` naming the field and creates nothing.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from minwon.accounts.models import User
from minwon.benefits.catalogue import catalogue_default
from minwon.benefits.domain.applications import (
    PRIORITY_FLAGS,
    Action,
    ApplicationRuleError,
    Status,
    next_status,
)
from minwon.benefits.domain.catalogue import Catalogue, SupportType, Tier, exclusion_conflicts
from minwon.benefits.domain.dates import Month
from minwon.benefits.domain.eligibility import (
    Child,
    Residence,
    Result,
    Situation,
    SituationError,
)
from minwon.benefits.domain.reasons import Reason, Text, Won, render
from minwon.benefits.models import (
    STATUS_CHOICES,
    BundleApplication,
    ProgrammeApplication,
    ProgrammeDocument,
    ProgrammeStatusEvent,
)
from minwon.catalog.selectors import working_calendar_get
from minwon.core import clock
from minwon.core.errors import Conflict, NotFound, ValidationFailed
from minwon.core.services import audit_record
from minwon.lawclock import compute_due_at
from minwon.notifications.services.outbox import notification_enqueue

__all__ = [
    "CONSENTS",
    "bundle_application_submit",
    "programme_application_act",
    "programme_document_verify",
    "reason_dump",
    "reason_load",
]

# What an applicant must agree to (개인정보 수집·이용, 행정정보 공동이용), and what 맘편한 임신 adds
# (임신정보 제공 동의: the clinic-registered pregnancy record instead of a paper 임신확인서).
CONSENTS = ("privacy", "admin_lookup", "pregnancy_info")
_REQUIRED_CONSENTS = {"privacy", "admin_lookup"}
_RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L


def _receipt_no(today: date) -> str:
    """``B2026-7K3M-Q9XT``: not guessable (30 bits random); access is by ownership anyway."""
    tail = "".join(secrets.choice(_RECEIPT_ALPHABET) for _ in range(8))
    return f"B{today.year}-{tail[:4]}-{tail[4:]}"


def reason_dump(reason: Reason) -> dict[str, Any]:
    """A reason as JSON (message id and typed values), re-rendered in the reader's language."""
    values: dict[str, Any] = {}
    for key, value in reason.values.items():
        if isinstance(value, Won):
            values[key] = {"won": value.amount}
        elif isinstance(value, Text):
            values[key] = {"ko": value.ko, "en": value.en}
        elif isinstance(value, Reason):
            values[key] = {"reason": reason_dump(value)}
        elif isinstance(value, date):
            values[key] = {"date": value.isoformat()}
        elif isinstance(value, Month):
            values[key] = {"month": str(value)}
        else:
            values[key] = value
    return {"message": reason.message, "values": values, "rule": reason.rule}


def reason_load(data: Mapping[str, Any]) -> Reason:
    values: dict[str, object] = {}
    for key, value in data.get("values", {}).items():
        if isinstance(value, dict) and "won" in value:
            values[key] = Won(int(value["won"]))
        elif isinstance(value, dict) and "ko" in value:
            values[key] = Text(value["ko"], value["en"])
        elif isinstance(value, dict) and "reason" in value:
            values[key] = reason_load(value["reason"])
        elif isinstance(value, dict) and "date" in value:
            values[key] = date.fromisoformat(value["date"])
        elif isinstance(value, dict) and "month" in value:
            values[key] = Month.parse(value["month"])
        else:
            values[key] = value
    return Reason(str(data["message"]), values, str(data.get("rule", "")))


def _date_fact(facts: Mapping[str, Any], path: str, *, nullable: bool = False) -> date | None:
    node: Any = facts
    for key in path.split("."):
        node = node.get(key) if isinstance(node, Mapping) else None
    if node is None and nullable:
        return None
    if isinstance(node, date):
        return node
    try:
        return date.fromisoformat(str(node)) if isinstance(node, str) and len(node) == 10 else None
    except ValueError:
        return None


def _situation(facts: Mapping[str, Any], today: date) -> Situation:
    """The family situation of a child-based bundle, checked; a ``ValidationFailed`` names the
    field. Dates in the future (after today, the application date) are refused."""
    child = facts.get("child") if isinstance(facts.get("child"), Mapping) else {}
    residence = facts.get("residence") if isinstance(facts.get("residence"), Mapping) else {}
    birth = _date_fact(facts, "child.birth_date")
    since = _date_fact(facts, "residence.since")
    registered = _date_fact(facts, "child.birth_registered_on", nullable=True)
    if birth is None:
        raise ValidationFailed(_("Enter the child's date of birth."), field="child.birth_date")
    if since is None:
        raise ValidationFailed(
            _("Enter the date you moved to your address."), field="residence.since"
        )
    raw_registered = child.get("birth_registered_on") if isinstance(child, Mapping) else None
    if registered is None and raw_registered not in (None, ""):
        raise ValidationFailed(
            _("Enter the date of the birth registration."), field="child.birth_registered_on"
        )
    order = child.get("birth_order") if isinstance(child, Mapping) else None
    if isinstance(order, str) and order.isdigit():
        order = int(order)
    code = residence.get("sigungu_code") if isinstance(residence, Mapping) else None
    situation = Situation(
        as_of=today,
        month=Month.of(today),
        child=Child(birth, order if isinstance(order, int) else 0, registered),
        residence=Residence(str(code or ""), since),
    )
    try:
        situation.check()
    except SituationError as exc:
        messages = {
            "child.birth_order": _("The birth order must be a whole number from 1 to 20."),
            "child.birth_date": _("The date of birth cannot be in the future."),
            "child.birth_registered_on": _(
                "The birth registration must be on or after the birth and not in the future."
            ),
            "residence.sigungu_code": _("Choose the district (시군구) of your address."),
            "residence.since": _("The move-in date cannot be in the future."),
        }
        raise ValidationFailed(messages[exc.field], field=exc.field) from None
    return situation


def _deadline(programme_days: int, now: datetime) -> datetime | None:
    if programme_days <= 0:
        return None
    return compute_due_at(
        registered_at=now, period=f"{programme_days}d", calendar=working_calendar_get()
    )


def _names(catalogue: Catalogue) -> dict[str, Text]:
    return {code: p.name for code, p in catalogue.programmes.items()}


def _check_selection(
    catalogue: Catalogue, bundle_code: str, selected: Sequence[str]
) -> list[tuple[str, Tier]]:
    bundle = catalogue.bundles.get(bundle_code)
    if bundle is None:
        raise ValidationFailed(_("Choose one of the bundles offered."), field="bundle")
    members = {m.programme: m.tier for m in bundle.members}
    chosen = list(dict.fromkeys(selected))
    if not chosen:
        raise ValidationFailed(_("Choose at least one programme."), field="programmes")
    unknown = [c for c in chosen if c not in members]
    if unknown:
        raise ValidationFailed(
            _("This bundle has no programme %(code)s.") % {"code": unknown[0]},
            field="programmes",
        )
    return [(c, members[c]) for c in chosen]


@transaction.atomic
def bundle_application_submit(
    *,
    applicant: User,
    bundle_code: str,
    facts: Mapping[str, Any],
    programmes: Sequence[str],
    consents: Sequence[str],
    channel: str = BundleApplication.Channel.PORTAL,
    entered_by: User | None = None,
    priority_flags: Sequence[str] = (),
) -> BundleApplication:
    """One bundle application and one programme application per chosen programme, or nothing.

    Refused as a whole (``ValidationFailed``, nothing written) when a consent is missing, a fact
    is missing or impossible (dates in the future, a birth order outside 1–20), a chosen
    programme is not in the bundle, two chosen programmes exclude each other, or a chosen
    programme Minwon computes is not available to the family (its reason is the message).
    """
    catalogue = catalogue_default()
    now = clock.now()
    today = now.astimezone(clock.SEOUL).date()
    given = set(consents)
    if not set(consents) <= set(CONSENTS):
        raise ValidationFailed(_("Unknown consent."), field="consents")
    missing = _REQUIRED_CONSENTS - given
    if bundle_code == "MOM_PREGNANCY":
        missing |= {"pregnancy_info"} - given
    if missing:
        raise ValidationFailed(
            _(
                "Agree to the collection of personal data and to the look-up of administrative "
                "information (and, for a pregnancy, to the use of the pregnancy record)."
            ),
            field="consents",
        )
    if channel not in BundleApplication.Channel.values:
        raise ValidationFailed(_("Unknown channel."), field="channel")
    chosen = _check_selection(catalogue, bundle_code, programmes)
    names = _names(catalogue)
    conflicts = exclusion_conflicts([c for c, _ in chosen], catalogue.exclusions, names)
    if conflicts:
        raise ValidationFailed(render(conflicts[0], gettext, _language()), field="programmes")
    flags = list(dict.fromkeys(priority_flags))
    if any(f not in PRIORITY_FLAGS for f in flags):
        raise ValidationFailed(_("Unknown care priority."), field="priority_flags")
    stored_facts: dict[str, Any] = {}
    situation: Situation | None = None
    if bundle_code == "MOM_PREGNANCY":
        due = _date_fact(facts, "pregnancy.due_date")
        if due is None or due < today:
            raise ValidationFailed(
                _("Enter the expected date of delivery (today or later)."),
                field="pregnancy.due_date",
            )
        stored_facts["pregnancy"] = {"due_date": due.isoformat()}
    else:
        situation = _situation(facts, today)
        stored_facts = {
            "child": {
                "birth_date": situation.child.birth_date.isoformat(),
                "birth_order": situation.child.birth_order,
                "birth_registered_on": (
                    situation.child.birth_registered_on.isoformat()
                    if situation.child.birth_registered_on
                    else None
                ),
            },
            "residence": {
                "sigungu_code": situation.residence.sigungu_code,
                "since": situation.residence.since.isoformat(),
            },
        }
    results: dict[str, Result] = {}
    for code, _tier in chosen:
        programme = catalogue.programmes[code]
        if programme.rule is None or situation is None:
            continue
        result = catalogue.evaluate(code, situation)
        if not result.eligible:
            raise ValidationFailed(render(result.reasons[0], gettext, _language()), field=code)
        results[code] = result
    bundle = catalogue.bundles[bundle_code]
    for _attempt in range(5):
        try:
            with transaction.atomic():
                application = BundleApplication.objects.create(
                    receipt_no=_receipt_no(today),
                    applicant=applicant,
                    entered_by=entered_by,
                    bundle_code=bundle_code,
                    bundle_version=bundle.version,
                    catalogue_version=catalogue.version,
                    channel=channel,
                    submitted_at=now,
                    facts=stored_facts,
                    consents=sorted(given),
                )
            break
        except IntegrityError:  # a receipt number drawn twice: draw again
            continue
    else:  # pragma: no cover - 30 bits, five draws
        raise Conflict(_("Please try again."))
    for code, tier in chosen:
        programme = catalogue.programmes[code]
        outcome = results.get(code)
        status = Status.REFERRED if tier is Tier.GUIDANCE_ONLY else Status.SUBMITTED
        row = ProgrammeApplication.objects.create(
            bundle=application,
            programme_code=code,
            tier=tier.value,
            status=status,
            eligible=bool(outcome and outcome.eligible),
            amount_estimate=outcome.amount if outcome else None,
            reasons=[reason_dump(r) for r in outcome.reasons] if outcome else [],
            pays_from=str(outcome.pays_from) if outcome and outcome.pays_from else "",
            due_at=None if status is Status.REFERRED else _deadline(programme.processing_days, now),
            priority_flags=flags if programme.support_type is SupportType.CARE_SLOT else [],
        )
        for doc_code in programme.documents:
            requirement = catalogue.documents[doc_code]
            substitute = requirement.substitutable_by
            looked_up = (substitute == "admin_lookup" and "admin_lookup" in given) or (
                substitute == "consent:pregnancy_info" and "pregnancy_info" in given
            )
            ProgrammeDocument.objects.create(
                application=row,
                code=doc_code,
                state=(
                    ProgrammeDocument.State.LOOKED_UP
                    if looked_up
                    else ProgrammeDocument.State.REQUIRED
                ),
            )
        ProgrammeStatusEvent.objects.create(
            application=row,
            action="submit",
            from_status="",
            to_status=status,
            actor=entered_by or applicant,
            occurred_at=now,
        )
    audit_record(
        actor=entered_by or applicant,
        action="benefits.bundle_submitted",
        target=application,
        data={"bundle": bundle_code, "programmes": [c for c, _ in chosen], "channel": channel},
    )
    notification_enqueue(
        event="benefit_application_received",
        idempotency_key=f"benefits:{application.pk}:received",
        recipient=applicant,
        context={
            "receipt_no": application.receipt_no,
            "bundle": bundle.name.in_language(_language_of(applicant)),
            "programmes": ", ".join(
                catalogue.programmes[c].name.in_language(_language_of(applicant)) for c, _ in chosen
            ),
        },
    )
    return application


def _language() -> str:
    return "en" if (get_language() or "ko").startswith("en") else "ko"


def _language_of(user: User) -> str:
    return "en" if (user.preferred_language or "ko").startswith("en") else "ko"


_OFFICER_ACTIONS = {Action.REVIEW, Action.APPROVE, Action.REJECT, Action.PAY, Action.WAITLIST}


@transaction.atomic
def programme_application_act(
    *, actor: User, application_id: int, action: str, note: str = ""
) -> ProgrammeApplication:
    """Move one programme application (an official's decision, or the citizen's withdrawal).

    A rejection needs a reason. The citizen is told of every change (outbox)."""
    try:
        act = Action(action)
    except ValueError:
        raise ValidationFailed(_("Unknown action."), field="action") from None
    row = (
        ProgrammeApplication.objects.select_for_update()
        .select_related("bundle", "bundle__applicant")
        .filter(pk=application_id)
        .first()
    )
    if row is None:
        raise NotFound
    if act in _OFFICER_ACTIONS and not actor.is_officer:
        raise NotFound
    if act is Action.WITHDRAW and row.bundle.applicant_id != actor.pk:
        raise NotFound
    note = note.strip()
    if act is Action.REJECT and not note:
        raise ValidationFailed(_("Give the reason for the rejection."), field="note")
    catalogue = catalogue_default()
    programme = catalogue.programmes[row.programme_code]
    try:
        target = next_status(
            Status(row.status), act, care_place=programme.support_type is SupportType.CARE_SLOT
        )
    except ApplicationRuleError as exc:
        raise Conflict(
            _("This programme application cannot be moved that way now."), code=exc.code
        ) from None
    now = clock.now()
    previous = row.status
    row.status = target
    fields = ["status", "updated_at"]
    if target in (Status.APPROVED, Status.REJECTED):
        row.decided_at, row.decision_note = now, note
        fields += ["decided_at", "decision_note"]
    if target is Status.PAID:
        row.paid_at = now
        fields.append("paid_at")
    row.save(update_fields=fields)
    ProgrammeStatusEvent.objects.create(
        application=row,
        action=act.value,
        from_status=previous,
        to_status=target,
        actor=actor,
        occurred_at=now,
        note=note,
    )
    audit_record(
        actor=actor,
        action=f"benefits.programme_{act.value}",
        target=row,
        data={"programme": row.programme_code, "from": previous, "to": target.value},
    )
    applicant = row.bundle.applicant
    language = _language_of(applicant)
    notification_enqueue(
        event="benefit_status_changed",
        idempotency_key=f"benefits:{row.pk}:{target.value}:{now.isoformat()}",
        recipient=applicant,
        context={
            "receipt_no": row.bundle.receipt_no,
            "programme": programme.name.in_language(language),
            "status": _status_label(target, language),
            "note": note,
        },
    )
    return row


def _status_label(status: Status, language: str) -> str:
    with translation.override(language):
        return str(dict(STATUS_CHOICES)[status.value])


@transaction.atomic
def programme_document_verify(
    *, officer: User, application_id: int, code: str
) -> ProgrammeDocument:
    """An official has checked a document the programme needs (a code it does not need is
    refused: the wrong type of document)."""
    if not officer.is_officer:
        raise NotFound
    row = ProgrammeApplication.objects.filter(pk=application_id).first()
    if row is None:
        raise NotFound
    document = (
        ProgrammeDocument.objects.select_for_update().filter(application=row, code=code).first()
    )
    if document is None:
        raise ValidationFailed(_("This programme does not ask for that document."), field="code")
    if document.state == ProgrammeDocument.State.VERIFIED:
        return document
    document.state = ProgrammeDocument.State.VERIFIED
    document.verified_by, document.verified_at = officer, clock.now()
    document.save(update_fields=["state", "verified_by", "verified_at", "updated_at"])
    audit_record(
        actor=officer,
        action="benefits.document_verified",
        target=row,
        data={"document": code},
    )
    return document
