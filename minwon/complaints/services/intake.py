"""Intake (도달) and registration (접수): 법 제8조·제9조, 영 제5조·제6조."""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction

from minwon.accounts.models import OrgUnit, User
from minwon.catalog.models import ComplaintType
from minwon.complaints.domain import (
    ELECTRONIC_CHANNELS,
    Action,
    ClockKind,
    ComplaintStatus,
    IntakeChannel,
    NoticeKind,
    check_channel,
    check_cosigners,
    check_identity,
    check_location,
    follow_number,
    is_multi_party,
    name_search_key,
    processing_period,
    receipt_number,
)
from minwon.complaints.domain.addresses import household_key
from minwon.complaints.models import Applicant, Complaint, Cosigner
from minwon.complaints.services.attachments import (
    CheckedFile,
    FileInput,
    attachment_store,
    attachments_check,
)
from minwon.complaints.services.common import (
    Transition,
    error,
    record,
    require_aware,
    rule_errors,
    save_changes,
    snapshot,
    start_clock,
    transition,
)
from minwon.complaints.services.lookup import status_password_problems
from minwon.complaints.services.routing import routing_wake
from minwon.core import clock, crypto
from minwon.core.domain import mask_rrns_in_text, normalize_rrn
from minwon.core.errors import ValidationFailed
from minwon.lawclock.kinds import ComplaintKind

MIN_PASSWORD_LENGTH = 8


@dataclass(frozen=True)
class ApplicantInput:
    """The complainant as given at filing (민원인: 성명·주소, 영 제2조①)."""

    name: str
    address: str = ""  # 도로명주소
    phone: str = ""
    email: str = ""
    rrn: str = ""  # 주민등록번호, only where the type's law requires it


@dataclass(frozen=True)
class CosignerInput:
    name: str
    address: str
    is_representative: bool = False


@dataclass
class FilingInput:
    """What any channel delivers: the portal, the counter, post/fax keyed in, an API, an import."""

    kind: ComplaintKind
    title: str
    body: str
    channel: IntakeChannel
    applicant: ApplicantInput | None = None
    complaint_type_code: str = ""
    arrived_at: datetime | None = None
    status_password: str = ""
    external_ref: str = ""
    org_unit: OrgUnit | None = None
    cosigners: Sequence[CosignerInput] = field(default_factory=tuple)
    location_text: str = ""  # where it happened: 도로명주소 or a landmark
    location_lat: float | None = None  # an optional map pin (WGS84)
    location_lng: float | None = None
    attachments: Sequence[FileInput] = field(default_factory=tuple)


def household_index(address: str) -> str:
    """The blind index of an address's household (법 제2조 제6호 counts 세대): the same flat
    typed any usual way gives the same index (domain.addresses.household_key)."""
    return crypto.blind_index(household_key(address), purpose="household")


def applicant_name_index(name: str) -> str:
    """The blind index officers search a complainant's name by (never reversible)."""
    return crypto.blind_index(name_search_key(name), purpose="applicant-name")


def _applicant_create(complaint: Complaint, applicant: ApplicantInput, rrn: str | None) -> None:
    Applicant.objects.create(
        complaint=complaint,
        name_encrypted=crypto.encrypt(applicant.name.strip()),
        name_index=applicant_name_index(applicant.name),
        phone_encrypted=crypto.encrypt(applicant.phone.strip()) if applicant.phone else "",
        email_encrypted=crypto.encrypt(applicant.email.strip()) if applicant.email else "",
        address_encrypted=crypto.encrypt(applicant.address.strip()) if applicant.address else "",
        address_index=household_index(applicant.address) if applicant.address else "",
        rrn_encrypted=crypto.encrypt(rrn) if rrn else "",
        rrn_index=crypto.blind_index(rrn, purpose="rrn") if rrn else "",
    )


def _unstorable(text: str) -> bool:
    """A NUL or a lone surrogate: no database column keeps it (a JSON client can send both)."""
    return "\x00" in text or any("\ud800" <= ch <= "\udfff" for ch in text)


def _check_filing(
    data: FilingInput, *, citizen: User | None
) -> tuple[ComplaintType | None, str | None]:
    if not data.title.strip():
        raise error("complaint.title_required", field="title")
    if not data.body.strip():
        raise error("complaint.body_required", field="body")
    for name in ("title", "body", "location_text", "external_ref"):
        if _unstorable(getattr(data, name) or ""):
            raise error("complaint.text_unreadable", field=name)
    with rule_errors():
        check_location(lat=data.location_lat, lng=data.location_lng)
    complaint_type = None
    if data.complaint_type_code:
        complaint_type = (
            ComplaintType.objects.select_related("current_version")
            .filter(code=data.complaint_type_code)
            .first()
        )
        if complaint_type is None or complaint_type.current_version is None:
            raise error("complaint.statutory_type_required", field="complaint_type")
        if not complaint_type.is_active:
            raise error("complaint.type_inactive", field="complaint_type")
        if complaint_type.kind != data.kind.value:
            raise error("complaint.type_kind_mismatch", field="complaint_type")
    applicant = data.applicant or ApplicantInput(name="")
    rrn: str | None = None
    if applicant.rrn:
        rrn = normalize_rrn(applicant.rrn)
        if rrn is None:
            raise error("complaint.rrn_invalid", field="rrn")
    version = complaint_type.current_version if complaint_type else None
    with rule_errors():
        check_channel(data.kind, data.channel)
        check_identity(
            data.kind,
            name=applicant.name,
            address=applicant.address,
            has_rrn=rrn is not None,
            rrn_required=bool(version and version.requires_rrn),
        )
        check_cosigners(
            signers=1 + len(data.cosigners),
            households=len({household_index(c.address) for c in data.cosigners} | {"self"}),
            representatives=sum(1 for c in data.cosigners if c.is_representative),
        )
        if data.kind == ComplaintKind.STATUTORY and version is None:
            processing_period(data.kind)  # raises statutory_type_required
    # Without an account the portal's only way back to the case is follow-up number + password.
    password_needed = citizen is None and data.channel == IntakeChannel.WEB
    if password_needed and not data.status_password:
        raise error("complaint.password_required", field="status_password")
    if data.status_password and (problems := status_password_problems(data.status_password)):
        raise ValidationFailed(
            " ".join(problems), code="complaint.password_weak", field="status_password"
        )
    return complaint_type, rrn


@transaction.atomic
def complaint_file(
    *,
    data: FilingInput,
    citizen: User | None = None,
    filed_by: User | None = None,
    register_now: bool | None = None,
) -> Complaint:
    """Take in a complaint from any channel. It arrives (도달) now or at `data.arrived_at`.

    Complaints arriving at an electronic window (web, API, 국민신문고, 정부24) wait for registration
    within 8 working hours (영 제6조⑧) unless `register_now`; complaints an officer takes at the
    counter, by phone or from post and fax are registered at once (접수).
    """
    complaint_type, rrn = _check_filing(data, citizen=citizen)
    files: list[CheckedFile] = attachments_check(data.attachments)
    now = clock.now()
    arrived_at = require_aware(data.arrived_at, "arrived_at") if data.arrived_at else now
    if arrived_at > now:
        raise error("complaint.arrival_in_future", field="arrived_at")
    version = complaint_type.current_version if complaint_type else None
    unit = data.org_unit or (version.handling_org_unit if version else None)
    applicant = data.applicant
    households = {household_index(c.address) for c in data.cosigners}
    if applicant is not None and applicant.address:
        households.add(household_index(applicant.address))
    signers = 1 + len(data.cosigners)
    title, body = data.title.strip(), data.body.strip()
    # A 주민등록번호 typed into the text is never shown: masked here, the original kept encrypted.
    masked_title, in_title = mask_rrns_in_text(title)
    masked_body, in_body = mask_rrns_in_text(body)
    masked_rrns = in_title + in_body
    original = json.dumps({"title": title, "body": body}, ensure_ascii=False)
    complaint = Complaint(
        follow_number=_new_follow_number(),
        kind=data.kind.value,
        complaint_type=complaint_type,
        type_version=version,
        title=masked_title[: max(200, len(title))],  # a masked number is one character longer
        body=masked_body,
        original_text_encrypted=crypto.encrypt(original) if masked_rrns else "",
        location_text=data.location_text.strip()[:200],
        location_lat=data.location_lat,
        location_lng=data.location_lng,
        channel=data.channel.value,
        external_ref=data.external_ref.strip(),
        status=ComplaintStatus.RECEIVED.value,
        citizen=citizen,
        filed_by=filed_by,
        status_password=make_password(data.status_password) if data.status_password else "",
        arrived_at=arrived_at,
        org_unit=unit,
        signer_count=signers,
        household_count=max(len(households), 1),
        is_multi_party=is_multi_party(signers=signers, households=len(households)),
    )
    complaint.save()
    if applicant is not None and applicant.name.strip():
        _applicant_create(complaint, applicant, rrn)
    for cosigner in data.cosigners:
        Cosigner.objects.create(
            complaint=complaint,
            name_encrypted=crypto.encrypt(cosigner.name.strip()),
            address_encrypted=crypto.encrypt(cosigner.address.strip()) if cosigner.address else "",
            household_index=household_index(cosigner.address) if cosigner.address else "",
            is_representative=cosigner.is_representative,
        )
    electronic = data.channel in ELECTRONIC_CHANNELS
    if register_now is None:
        register_now = not electronic or data.kind == ComplaintKind.TIP
    if electronic and not register_now:
        stored = snapshot(complaint)
        start_clock(
            complaint,
            kind=ClockKind.REGISTRATION,
            at=arrived_at,
            basis="민원처리법 시행령 제6조 제8항",
        )
        save_changes(complaint, stored)
    record(
        complaint,
        Action.ARRIVE,
        actor=filed_by or citizen,
        from_status="",
        data={
            "kind": data.kind.value,
            "channel": data.channel.value,
            "external_ref": complaint.external_ref,
            "type_version": version.pk if version else None,
            "multi_party": complaint.is_multi_party,
            "located": bool(complaint.location_text) or complaint.location_lat is not None,
            "masked_rrns": masked_rrns,
        },
    )
    for checked in files:
        attachment_store(complaint=complaint, actor=filed_by or citizen, file=checked)
    if register_now:  # the row is this transaction's own: nobody else can hold it
        _register(transition(complaint, Action.REGISTER, locked=True), actor=filed_by, at=now)
    transaction.on_commit(routing_wake)  # routing reads it after the commit, never in the way
    return complaint


def _new_follow_number() -> str:
    """A follow-up number no other complaint has (60 random bits: a repeat is astronomically
    rare, and the unique column would refuse one)."""
    while True:
        number = follow_number(secrets.randbits(64))
        if not Complaint.objects.filter(follow_number=number).exists():
            return number


def _register(step: Transition, *, actor: User | None, at: datetime) -> Complaint:
    complaint = step.complaint
    complaint.registered_at = at
    complaint.unit_received_at = at
    complaint.receipt_number = receipt_number(year=at.year, sequence=complaint.pk)
    on_time = complaint.due_at is None or at <= complaint.due_at
    kind = ComplaintKind(complaint.kind)
    version = complaint.type_version
    with rule_errors():
        period = processing_period(
            kind,
            catalogue_period=version.processing_period if version else None,
            other_period=settings.OTHER_COMPLAINT_PERIOD,
        )
    if period is None:
        start_clock(complaint, kind=ClockKind.NONE, at=at)
    else:
        start_clock(complaint, kind=ClockKind.PROCESSING, at=at, period=period[0], basis=period[1])
    return step.done(
        actor=actor,
        data={
            "receipt_number": complaint.receipt_number,
            "registered_on_time": on_time,
            "period": complaint.period,
            "period_basis": complaint.period_legal_basis,
        },
        notice=NoticeKind.RECEIPT if kind != ComplaintKind.TIP else None,
    )


@transaction.atomic
def complaint_register(
    *, complaint: Complaint, actor: User | None, org_unit: OrgUnit | None = None
) -> Complaint:
    """접수: the processing period starts now (법 제19조: 접수시각부터)."""
    step = transition(complaint, Action.REGISTER)
    if org_unit is not None:
        step.complaint.org_unit = org_unit
    return _register(step, actor=actor, at=clock.now())
