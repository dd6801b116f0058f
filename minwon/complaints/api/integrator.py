"""Integrators (API key): read the key's org unit's complaints, file from another system."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.responses import Status

from minwon.accounts.access import ApiPrincipal
from minwon.accounts.domain import ApiScope
from minwon.accounts.models import ApiKey
from minwon.complaints import services as s
from minwon.complaints.access import access_complaint_for_integrator
from minwon.complaints.api.routers import complaint_out, filing, integrator_router
from minwon.complaints.domain import IntakeChannel
from minwon.complaints.models import Complaint
from minwon.complaints.schemas import ComplaintOut, ComplaintPageOut, IntegratorFileIn
from minwon.complaints.selectors import complaint_list_for_integrator
from minwon.core.errors import PermissionDenied
from minwon.core.pagination import paginate
from minwon.core.services import audit_record


def _integrator(request: HttpRequest, scope: ApiScope) -> ApiKey:
    principal = request.auth  # type: ignore[attr-defined]
    assert isinstance(principal, ApiPrincipal)
    if principal.api_key is None or not principal.has_scope(scope):
        raise PermissionDenied()
    return principal.api_key


def _record_read(key: ApiKey, action: str, complaints: list[Complaint]) -> None:
    """개인정보 접속기록 for a system: which key read which complaints, from where (the key is the
    actor; a page of a list is one row naming every complaint on it)."""
    if not complaints:
        return
    one = complaints[0] if len(complaints) == 1 else None
    audit_record(
        actor=None,
        actor_label=f"api-key:{key.prefix} {key.name}"[:200],
        action=action,
        target=one,
        target_type="" if one else "complaints.complaint",
        org_unit_id=key.org_unit_id,
        data={"api_key": key.pk, "complaints": [c.pk for c in complaints]},
    )


@integrator_router.get(
    "/complaints",
    response=ComplaintPageOut,
    operation_id="minwon_complaints_api_complaint_list_integrator_api",
)
def complaint_list_integrator_api(
    request: HttpRequest, status: str = "", cursor: str | None = None, limit: int = 50
) -> dict[str, Any]:
    """Complaints of the key's org unit (scope `api.read`), newest first."""
    key = _integrator(request, ApiScope.API_READ)
    rows, next_cursor = paginate(
        complaint_list_for_integrator(api_key=key, status=status or None),
        order_field="arrived_at",
        descending=True,
        cursor=cursor,
        limit=limit,
    )
    _record_read(key, "complaint.listed_by_integrator", rows)
    return {"items": [complaint_out(c) for c in rows], "next_cursor": next_cursor}


@integrator_router.get(
    "/complaints/{complaint_id}",
    response=ComplaintOut,
    operation_id="minwon_complaints_api_complaint_get_integrator_api",
)
def complaint_get_integrator_api(request: HttpRequest, complaint_id: int) -> dict[str, Any]:
    key = _integrator(request, ApiScope.API_READ)
    complaint = access_complaint_for_integrator(key, complaint_id)
    _record_read(key, "complaint.read_by_integrator", [complaint])
    return complaint_out(complaint)


@integrator_router.post(
    "/complaints",
    response={201: ComplaintOut},
    operation_id="minwon_complaints_api_complaint_file_integrator_api",
)
def complaint_file_integrator_api(
    request: HttpRequest, payload: IntegratorFileIn
) -> Status[dict[str, Any]]:
    """File a complaint from another system (channel `api`, scope `api.write`); it waits for an
    officer's registration like every electronic arrival (영 제6조⑧). Send an Idempotency-Key."""
    key = _integrator(request, ApiScope.API_WRITE)
    data = filing(
        payload,
        IntakeChannel.API,
        arrived_at=payload.arrived_at,
        external_ref=payload.external_ref or f"api:{key.prefix}",
        org_unit=key.org_unit,
    )
    return Status(201, complaint_out(s.complaint_file(data=data)))
