"""Reads for Open311: public services, public requests, updates. Never personal data."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet

from minwon.complaints.models import Complaint, ComplaintEvent
from minwon.core.clock import SEOUL
from minwon.lawclock.kinds import ComplaintKind
from minwon.open311.domain import (
    RequestQuery,
    internal_statuses,
    public_coordinate,
    public_media_url,
    public_place,
    public_status,
)
from minwon.open311.models import Open311Request, Open311Service


def open311_service_list(*, public_only: bool = True) -> QuerySet[Open311Service]:
    qs = Open311Service.objects.select_related("complaint_type").order_by("service_code")
    return qs.filter(is_public=True) if public_only else qs


def open311_service_get(code: str) -> Open311Service | None:
    return open311_service_list().filter(service_code=code).first()


def _public_requests() -> QuerySet[Open311Request]:
    return Open311Request.objects.filter(service__is_public=True).select_related(
        "complaint", "complaint__org_unit", "service"
    )


def open311_request_list(query: RequestQuery) -> list[Open311Request]:
    qs = _public_requests()
    if query.ids:
        qs = qs.filter(Q(complaint__receipt_number__in=query.ids) | Q(token__in=query.ids))
    else:
        if query.service_codes:
            qs = qs.filter(service__service_code__in=query.service_codes)
        if query.start is not None:
            qs = qs.filter(complaint__arrived_at__gte=query.start)
        if query.end is not None:
            qs = qs.filter(complaint__arrived_at__lte=query.end)
        qs = qs.filter(complaint__status__in=internal_statuses(query.statuses))
    qs = qs.order_by("-complaint__arrived_at", "-pk")
    offset = (query.page - 1) * query.page_size
    return list(qs[offset : offset + query.page_size])


def open311_request_get_by_token(token: str) -> Open311Request | None:
    return _public_requests().filter(token=token).first()


def _local(value: datetime | None) -> str | None:
    return value.astimezone(SEOUL).isoformat() if value else None


def service_request_id(request: Open311Request) -> str | None:
    """The public id is the receipt number (접수번호), known once the complaint is registered."""
    return request.complaint.receipt_number or None


def request_document(request: Open311Request, *, extensions: bool = False) -> dict[str, Any]:
    """One `request` element. Personal data (name, address, phone, e-mail, account) is never
    included: the place is coarsened to its road or 동·리 and the coordinates to three decimals;
    the description only where the service publishes descriptions (민원처리법 제26조)."""
    complaint: Complaint = request.complaint
    status, stage, _ = public_status(complaint.status)
    service = request.service
    is_report = service.complaint_kind == ComplaintKind.TIP
    updated = complaint.closed_at or complaint.answered_at or complaint.updated_at
    document: dict[str, Any] = {
        "service_request_id": service_request_id(request),
        "status": status,
        "status_notes": stage,
        "service_name": service.name_ko,
        "service_code": service.service_code,
        "description": complaint.body if service.publish_description else None,
        "agency_responsible": complaint.org_unit.name_ko if complaint.org_unit else None,
        "service_notice": None,
        "requested_datetime": _local(complaint.arrived_at),
        "updated_datetime": _local(updated),
        "expected_datetime": _local(complaint.due_at),
        # Only a coarsened place of the problem, never an author's address (docs/open311.md).
        "address": public_place(complaint.location_text),
        "address_id": (request.address_id or None) if is_report else None,
        "zipcode": None,
        "lat": public_coordinate(request.lat),
        "long": public_coordinate(request.long),
        "media_url": public_media_url(request.media_url),
    }
    if extensions:
        document["notes"] = [
            {
                "datetime": _local(e.occurred_at),
                "description": public_status(e.to_status)[1],
                "type": e.action,
            }
            for e in request.complaint.events.order_by("occurred_at", "pk")
        ]
    return document


def open311_update_list(*, start: datetime, end: datetime) -> QuerySet[ComplaintEvent]:
    """History rows of Open311 requests in a window, for GET servicerequestupdates."""
    return (
        ComplaintEvent.objects.filter(
            complaint__open311__service__is_public=True,
            occurred_at__gte=start,
            occurred_at__lte=end,
        )
        .select_related("complaint", "complaint__open311")
        .order_by("occurred_at", "pk")
    )


def update_document(event: ComplaintEvent) -> dict[str, Any]:
    _, stage, extended = public_status(event.to_status)
    return {
        "update_id": str(event.pk),
        "service_request_id": event.complaint.receipt_number,
        "status": extended,
        "updated_datetime": _local(event.occurred_at),
        "description": stage,
        "media_url": None,
        "external_status_code": event.to_status,
    }
