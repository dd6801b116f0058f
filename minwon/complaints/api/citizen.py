"""Citizens: file, follow and act on their own complaints (`/complaints/...`)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja.responses import Status

from minwon.complaints import services as s
from minwon.complaints.access import access_complaint_for_citizen
from minwon.complaints.api.routers import (
    RECEIPT_PDF_OPENAPI,
    citizen_router,
    complaint_out,
    filing,
    person,
)
from minwon.complaints.domain import IntakeChannel
from minwon.complaints.downloads import receipt_pdf_response
from minwon.complaints.models import Complaint
from minwon.complaints.schemas import (
    ComplaintFiledOut,
    ComplaintFileIn,
    ComplaintOut,
    ComplaintPageOut,
    ObjectionIn,
    RatingIn,
    ReasonIn,
    ReceiptOut,
    StatusLookupIn,
    StatusOut,
    SupplementIn,
    TimelineEntryOut,
)
from minwon.complaints.selectors import (
    complaint_list_for_citizen,
    complaint_receipt,
    complaint_timeline_for_citizen,
)
from minwon.core.pagination import paginate


@citizen_router.post(
    "/complaints",
    response={201: ComplaintOut},
    operation_id="minwon_complaints_api_complaint_file_api",
)
def complaint_file_api(request: HttpRequest, payload: ComplaintFileIn) -> Status[dict[str, Any]]:
    """File a complaint on the portal. It is registered within 8 working hours (영 제6조⑧).
    Filings from one client are limited: 429 complaint.filing_throttled with Retry-After."""
    complaint = s.complaint_file_limited(
        data=filing(payload, IntakeChannel.WEB),
        citizen=person(request),
        ip=request.META.get("REMOTE_ADDR"),
    )
    return Status(201, complaint_out(complaint))


@citizen_router.post(
    "/complaints/without-account",
    response={201: ComplaintFiledOut},
    auth=None,  # public: opts out of the router's authentication
    operation_id="minwon_complaints_api_complaint_file_anonymous_api",
)
def complaint_file_anonymous_api(
    request: HttpRequest, payload: ComplaintFileIn
) -> Status[dict[str, Any]]:
    """File without an account (name and address still required) or send an anonymous tip
    (kind 'tip'); follow it with the follow-up number in the answer and the password chosen
    here (at least 8 characters, not a common password: complaint.password_weak). Filings
    from one client are limited: 429 complaint.filing_throttled with Retry-After."""
    complaint = s.complaint_file_limited(
        data=filing(payload, IntakeChannel.WEB), ip=request.META.get("REMOTE_ADDR")
    )
    return Status(201, complaint_out(complaint) | {"follow_number": complaint.follow_number})


@citizen_router.post(
    "/complaints/status",
    response=StatusOut,
    auth=None,  # public: opts out of the router's authentication
    operation_id="minwon_complaints_api_complaint_status_api",
)
def complaint_status_api(request: HttpRequest, payload: StatusLookupIn) -> Complaint:
    """Status by follow-up number and password; the same 404 for a wrong number or password.
    Repeated failures for a number or from a client answer 429 complaint.lookup_throttled with
    Retry-After, and nothing is checked until then (the same throttle as the portal's page)."""
    return s.complaint_lookup(
        follow_number=payload.follow_number or payload.receipt_number,
        password=payload.password,
        ip=request.META.get("REMOTE_ADDR"),
    )


@citizen_router.get(
    "/complaints",
    response=ComplaintPageOut,
    operation_id="minwon_complaints_api_complaint_list_mine_api",
)
def complaint_list_mine_api(
    request: HttpRequest, cursor: str | None = None, limit: int = 50
) -> dict[str, Any]:
    """My complaints, newest first, a page at a time."""
    rows, next_cursor = paginate(
        complaint_list_for_citizen(citizen=person(request)),
        order_field="arrived_at",
        descending=True,
        cursor=cursor,
        limit=limit,
    )
    return {"items": [complaint_out(c) for c in rows], "next_cursor": next_cursor}


@citizen_router.get(
    "/complaints/{complaint_id}",
    response=ComplaintOut,
    operation_id="minwon_complaints_api_complaint_get_mine_api",
)
def complaint_get_mine_api(request: HttpRequest, complaint_id: int) -> dict[str, Any]:
    return complaint_out(access_complaint_for_citizen(person(request), complaint_id))


@citizen_router.get(
    "/complaints/{complaint_id}/receipt",
    response=ReceiptOut,
    operation_id="minwon_complaints_api_complaint_receipt_mine_api",
)
def complaint_receipt_mine_api(request: HttpRequest, complaint_id: int) -> Any:
    """접수증 data; `receipt.pdf` is the same as a document."""
    return complaint_receipt(access_complaint_for_citizen(person(request), complaint_id))


@citizen_router.get(
    "/complaints/{complaint_id}/receipt.pdf",
    openapi_extra=RECEIPT_PDF_OPENAPI,
    operation_id="minwon_complaints_api_complaint_receipt_pdf_mine_api",
)
def complaint_receipt_pdf_mine_api(request: HttpRequest, complaint_id: int) -> HttpResponse:
    """접수증 as PDF (영 제6조④); 409 `complaint.not_registered` before registration."""
    complaint = access_complaint_for_citizen(person(request), complaint_id)
    return receipt_pdf_response(request, complaint)


@citizen_router.get(
    "/complaints/{complaint_id}/timeline",
    response=list[TimelineEntryOut],
    operation_id="minwon_complaints_api_complaint_timeline_mine_api",
)
def complaint_timeline_mine_api(request: HttpRequest, complaint_id: int) -> Any:
    return complaint_timeline_for_citizen(
        access_complaint_for_citizen(person(request), complaint_id)
    )


# --- actions on one's own complaint: access (write) → one service → the complaint back --------


@citizen_router.post(
    "/complaints/{complaint_id}/withdraw",
    response=ComplaintOut,
    operation_id="complaint_withdraw_citizen_api",
)
def complaint_withdraw_citizen_api(
    request: HttpRequest, complaint_id: int, payload: ReasonIn
) -> dict[str, Any]:
    """취하 (법 제22조②)."""
    citizen = person(request)
    complaint = access_complaint_for_citizen(citizen, complaint_id)
    return complaint_out(
        s.complaint_withdraw(complaint=complaint, actor=citizen, reason=payload.reason)
    )


@citizen_router.post(
    "/complaints/{complaint_id}/reopen",
    response=ComplaintOut,
    operation_id="complaint_reopen_citizen_api",
)
def complaint_reopen_citizen_api(
    request: HttpRequest, complaint_id: int, payload: ReasonIn
) -> dict[str, Any]:
    """Not settled: reopen a non-statutory complaint."""
    citizen = person(request)
    complaint = access_complaint_for_citizen(citizen, complaint_id)
    return complaint_out(
        s.complaint_reopen(complaint=complaint, actor=citizen, reason=payload.reason)
    )


@citizen_router.post(
    "/complaints/{complaint_id}/objection",
    response=ComplaintOut,
    operation_id="complaint_objection_citizen_api",
)
def complaint_objection_citizen_api(
    request: HttpRequest, complaint_id: int, payload: ObjectionIn
) -> dict[str, Any]:
    """이의신청 against a refused statutory complaint, within 60 days (법 제35조)."""
    citizen = person(request)
    complaint = access_complaint_for_citizen(citizen, complaint_id)
    return complaint_out(
        s.complaint_objection_file(complaint=complaint, actor=citizen, grounds=payload.grounds)
    )


@citizen_router.post(
    "/complaints/{complaint_id}/progress-notice",
    response=ComplaintOut,
    operation_id="complaint_progress_notice_citizen_api",
)
def complaint_progress_notice_citizen_api(
    request: HttpRequest, complaint_id: int, payload: ReasonIn
) -> dict[str, Any]:
    """Ask for a progress notice (영 제23조①)."""
    citizen = person(request)
    complaint = access_complaint_for_citizen(citizen, complaint_id)
    return complaint_out(
        s.complaint_progress_notice_record(complaint=complaint, actor=citizen, requested=True)
    )


@citizen_router.post(
    "/complaints/{complaint_id}/supplement",
    response=ComplaintOut,
    operation_id="complaint_supplement_citizen_api",
)
def complaint_supplement_citizen_api(
    request: HttpRequest, complaint_id: int, payload: SupplementIn
) -> dict[str, Any]:
    """Send what a 보완 요구 asked for (add files first); the processing period runs again."""
    citizen = person(request)
    complaint = access_complaint_for_citizen(citizen, complaint_id)
    return complaint_out(
        s.complaint_supplement_submit(complaint=complaint, actor=citizen, text=payload.text)
    )


@citizen_router.post(
    "/complaints/{complaint_id}/rating",
    response=ComplaintOut,
    operation_id="complaint_rating_citizen_api",
)
def complaint_rating_citizen_api(
    request: HttpRequest, complaint_id: int, payload: RatingIn
) -> dict[str, Any]:
    """만족도 평가 of the answer: 1 to 5, once per answer."""
    citizen = person(request)
    complaint = access_complaint_for_citizen(citizen, complaint_id)
    rating = s.complaint_satisfaction_rate(
        complaint=complaint, actor=citizen, score=payload.score, comment=payload.comment
    )
    return complaint_out(rating.complaint)
