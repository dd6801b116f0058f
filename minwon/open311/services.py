"""Writes for Open311: a request becomes a complaint through the complaints services."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from minwon.accounts.models import ApiKey, OrgUnit
from minwon.catalog.models import ComplaintType
from minwon.complaints.domain import IntakeChannel
from minwon.complaints.services import ApplicantInput, FilingInput, complaint_file
from minwon.core import clock, crypto
from minwon.core.domain import mask_rrns_in_text
from minwon.core.errors import ApplicationError, ValidationFailed
from minwon.core.services import audit_record
from minwon.lawclock.kinds import ComplaintKind
from minwon.open311.domain import (
    INBOUND_STATUSES,
    NewRequest,
    Open311Error,
    attribute_specs,
    parse_datetime,
    parse_media_url,
)
from minwon.open311.models import Open311InboundUpdate, Open311Request, Open311Service


@transaction.atomic
def open311_service_define(
    *,
    actor: Any,
    service_code: str,
    name_ko: str,
    complaint_kind: ComplaintKind,
    name_en: str = "",
    description_ko: str = "",
    description_en: str = "",
    group: str = "",
    keywords: str = "",
    complaint_type: ComplaintType | None = None,
    org_unit: OrgUnit | None = None,
    service_type: str = Open311Service.REALTIME,
    is_public: bool = True,
    is_spatial: bool = True,
    publish_description: bool = False,
    attributes: list[dict[str, Any]] | None = None,
) -> Open311Service:
    """Create or replace the Open311 face of a complaint kind or catalogue entry."""
    if not name_ko.strip():
        raise ValidationFailed(_("The Korean name is required."), field="name_ko")
    if service_type not in {Open311Service.REALTIME, Open311Service.BATCH}:
        raise ValidationFailed(
            _("The service type must be realtime or batch."), field="service_type"
        )
    if complaint_type is not None and complaint_type.kind != complaint_kind.value:
        raise ValidationFailed(_("The catalogue entry is of another kind."), field="complaint_type")
    if complaint_kind == ComplaintKind.STATUTORY and complaint_type is None:
        raise ValidationFailed(
            _("A statutory service needs its catalogue entry."), field="complaint_type"
        )
    try:
        attribute_specs(attributes or [])
    except ValueError as exc:
        raise ValidationFailed(str(exc), field="attributes") from exc
    service, created = Open311Service.objects.update_or_create(
        service_code=service_code,
        defaults={
            "name_ko": name_ko.strip(),
            "name_en": name_en.strip(),
            "description_ko": description_ko,
            "description_en": description_en,
            "group": group,
            "keywords": keywords,
            "complaint_kind": complaint_kind.value,
            "complaint_type": complaint_type,
            "org_unit": org_unit,
            "service_type": service_type,
            "is_public": is_public,
            "is_spatial": is_spatial,
            "publish_description": publish_description,
            "attributes": attributes or [],
        },
    )
    service.full_clean()
    audit_record(
        actor=actor,
        action="open311.service_defined",
        target=service,
        data={"created": created, "service_code": service_code},
    )
    return service


def _body(service: Open311Service, new: NewRequest) -> str:
    lines = [new.description.strip() or service.name_ko]
    if new.attributes:
        lines.append("")
        lines += [
            f"[{code}] {', '.join(values)}" for code, values in sorted(new.attributes.items())
        ]
    if new.media_url:
        lines.append(f"[media] {new.media_url}")
    return "\n".join(lines)


@transaction.atomic
def open311_request_create(
    *, api_key: ApiKey, service: Open311Service, new: NewRequest
) -> Open311Request:
    """File the complaint (channel API) and keep what Open311 adds. Realtime services are
    registered at once (so the receipt number is the service_request_id); batch services wait
    for an officer's registration and answer with a token."""
    kind = ComplaintKind(service.complaint_kind)
    name = " ".join(p for p in (new.last_name.strip(), new.first_name.strip()) if p)
    if kind != ComplaintKind.TIP and (not name or not new.address_string):
        raise Open311Error(
            400,
            "first_name or last_name, and address_string, are required for this service: a "
            "complaint's author must be identifiable (민원처리법 시행령 제2조 제1항 제3호); "
            "anonymous reports go to report services",
        )
    applicant = (
        ApplicantInput(
            name=name,
            address=new.address_string if kind != ComplaintKind.TIP else "",
            phone=new.phone,
            email=new.email,
        )
        if name
        else None
    )
    title = (new.description.strip().splitlines() or [service.name_ko])[0][:80] or service.name_ko
    data = FilingInput(
        kind=kind,
        title=f"[{service.name_ko}] {title}"[:200],
        body=_body(service, new),
        channel=IntakeChannel.API,
        applicant=applicant,
        complaint_type_code=service.complaint_type.code if service.complaint_type else "",
        external_ref=f"open311:{api_key.prefix}",
        org_unit=service.org_unit,
        # A report's address_string is the place of the problem; otherwise it is the author's.
        location_text=new.address_string if kind == ComplaintKind.TIP else "",
        location_lat=new.lat,
        location_lng=new.long,
    )
    try:
        complaint = complaint_file(
            data=data, register_now=service.service_type == Open311Service.REALTIME
        )
    except ApplicationError as exc:
        raise Open311Error(400, f"{exc.field or 'request'}: {exc.message}") from exc
    request = Open311Request.objects.create(
        complaint=complaint,
        service=service,
        token=secrets.token_hex(16),
        api_key=api_key,
        lat=new.lat,
        long=new.long,
        address_encrypted=crypto.encrypt(new.address_string) if new.address_string else "",
        address_id=new.address_id[:100],
        media_url=parse_media_url(new.media_url),
        attribute_values=new.attributes,
    )
    audit_record(
        actor=None,
        action="open311.request_created",
        target=complaint,
        data={"service_code": service.service_code, "api_key": api_key.prefix},
    )
    return request


@transaction.atomic
def open311_update_receive(
    *,
    api_key: ApiKey,
    request: Open311Request,
    update_id: str,
    status: str,
    description: str,
    updated_datetime: str,
    media_url: str = "",
) -> Open311InboundUpdate:
    """Keep an update a client pushed (mySociety's POST servicerequestupdates) for officers."""
    if not update_id:
        raise Open311Error(400, "update_id is required")
    if status.upper() not in INBOUND_STATUSES:
        raise Open311Error(400, f"status {status!r} is not a known update status")
    at = (
        parse_datetime(updated_datetime, name="updated_datetime")
        if updated_datetime
        else clock.now()
    )
    if Open311InboundUpdate.objects.filter(api_key=api_key, update_id=update_id).exists():
        raise Open311Error(400, f"update {update_id} already exists")
    if len(description) > 4000:
        raise Open311Error(400, "description may be at most 4000 characters")
    masked, found = mask_rrns_in_text(description)
    update = Open311InboundUpdate.objects.create(
        request=request,
        api_key=api_key,
        update_id=update_id[:100],
        status=status.upper(),
        description=masked,
        description_original_encrypted=crypto.encrypt(description) if found else "",
        updated_at=at,
        media_url=parse_media_url(media_url),
    )
    audit_record(
        actor=None,
        action="open311.update_received",
        target=request.complaint,
        data={"update_id": update_id, "status": status.upper()},
    )
    return update


DEMO_SERVICES: list[dict[str, Any]] = [
    {
        "service_code": "road-damage",
        "name_ko": "도로 파손 신고",
        "name_en": "Damaged road",
        "description_ko": "도로 파임(포트홀), 균열, 표지판 파손을 알려 주세요.",
        "description_en": "Potholes, cracks and broken road signs.",
        "group": "도로",
        "keywords": "포트홀,도로,pothole",
        "complaint_kind": ComplaintKind.TIP,
        "org_unit": "doro-gwalli-gwa",
        "publish_description": True,
        "attributes": [
            {
                "code": "damage_type",
                "datatype": "singlevaluelist",
                "required": True,
                "description": "파손 종류",
                "order": 1,
                "values": [
                    {"key": "pothole", "name": "도로 파임"},
                    {"key": "crack", "name": "균열"},
                    {"key": "sign", "name": "표지판 파손"},
                ],
            }
        ],
    },
    {
        "service_code": "streetlight",
        "name_ko": "가로등 고장 신고",
        "name_en": "Streetlight out",
        "description_ko": "꺼지거나 깜박이는 가로등",
        "group": "도로",
        "keywords": "가로등,streetlight",
        "complaint_kind": ComplaintKind.TIP,
        "org_unit": "doro-gwalli-gwa",
        "publish_description": True,
        "service_type": Open311Service.BATCH,
    },
    {
        "service_code": "suggestion",
        "name_ko": "시정 건의",
        "name_en": "Suggestion to the city",
        "description_ko": "시정에 대한 제안과 건의 (처리기간 14일)",
        "group": "일반",
        "keywords": "건의,제안",
        "complaint_kind": ComplaintKind.SUGGESTION,
        "org_unit": "minwon-yeokwon-gwa",
        "is_spatial": False,
    },
]


def open311_demo_services_seed() -> int:
    """Define the demo's Open311 services (idempotent); returns how many were new."""
    created = 0
    for spec in DEMO_SERVICES:
        values = dict(spec)
        unit = OrgUnit.objects.filter(code=values.pop("org_unit")).first()
        if Open311Service.objects.filter(service_code=values["service_code"]).exists():
            continue
        open311_service_define(actor=None, org_unit=unit, **values)
        created += 1
    return created
