"""The routers of the complaints API and what their endpoints share."""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest
from ninja import Router

from minwon.accounts.access import CITIZEN_AUTH, OFFICER_AUTH, ApiKeyAuth
from minwon.accounts.models import OrgUnit, User
from minwon.complaints import services as s
from minwon.complaints.domain import IntakeChannel
from minwon.complaints.models import Complaint
from minwon.complaints.schemas import ComplaintFileIn, ComplaintOut
from minwon.core.errors import ValidationFailed

# Every router authenticates by default: an endpoint that names no `auth=` is never public. The
# public ones say so with `auth=None` (filing without an account, the status lookup).
# People use a personal bearer token (accounts.PersonalToken) or their session.
citizen_router = Router(tags=["complaints (citizen)"], auth=CITIZEN_AUTH)
officer_router = Router(tags=["complaints (officer)"], auth=OFFICER_AUTH)
integrator_router = Router(tags=["complaints (integrator)"], auth=[ApiKeyAuth()])

# The PDF 접수증: bytes, documented as such; 409 `complaint.not_registered` before registration.
RECEIPT_PDF_OPENAPI: dict[str, Any] = {
    "responses": {
        200: {
            "description": "The 접수증 as PDF (a download)",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        },
    }
}


def person(request: HttpRequest) -> User:
    """The citizen or officer the router's authentication found."""
    return cast(User, request.auth)  # type: ignore[attr-defined]


def complaint_out(complaint: Complaint) -> dict[str, Any]:
    return ComplaintOut.of(complaint)


def filing(payload: ComplaintFileIn, channel: IntakeChannel, **extra: Any) -> s.FilingInput:
    applicant = payload.applicant
    return s.FilingInput(
        kind=payload.kind,
        title=payload.title,
        body=payload.body,
        channel=channel,
        applicant=s.ApplicantInput(**applicant.dict()) if applicant else None,
        complaint_type_code=payload.complaint_type,
        status_password=payload.status_password,
        cosigners=[s.CosignerInput(**c.dict()) for c in payload.cosigners],
        location_text=payload.location_text,
        location_lat=payload.location_lat,
        location_lng=payload.location_lng,
        **extra,
    )


def org_unit_or_none(code: str, field: str) -> OrgUnit | None:
    """The active org unit of `code` (none for an empty code); an unknown code is an error."""
    if not code:
        return None
    unit = OrgUnit.objects.filter(code=code, is_active=True).first()
    if unit is None:
        raise ValidationFailed(code="complaint.unknown_org_unit", field=field)
    return unit
