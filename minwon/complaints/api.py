"""JSON API of complaints (thin: parse → access → one service or selector → render).

Citizens use their session (`/complaints/...`; their own complaints only) or, without an account,
the receipt number and the password chosen at filing. Officers use `/office/complaints/...` with a
session that passed the second factor; they reach the complaints of their org units only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.http import HttpRequest, HttpResponse
from ninja import File, Router
from ninja.constants import NOT_SET
from ninja.files import UploadedFile
from ninja.responses import Status

from minwon.accounts.access import (
    CITIZEN_AUTH,
    OFFICER_AUTH,
    ApiKeyAuth,
    ApiPrincipal,
)
from minwon.accounts.domain import ApiScope
from minwon.accounts.models import ApiKey, OrgUnit, User
from minwon.complaints import services as s
from minwon.complaints.access import (
    access_complaint_by_receipt,
    access_complaint_for_citizen,
    access_complaint_for_integrator,
    access_complaint_for_officer,
)
from minwon.complaints.domain import Channel, TransferKind
from minwon.complaints.downloads import attachment_response, receipt_pdf_response
from minwon.complaints.models import Attachment, Complaint
from minwon.complaints.schemas import (
    AnswerIn,
    ApplicantOut,
    AssignIn,
    AttachmentOut,
    ChildIn,
    ComplaintFileIn,
    ComplaintOut,
    ComplaintPageOut,
    ExtendIn,
    IntegratorFileIn,
    MergeIn,
    ObjectionDecisionIn,
    ObjectionIn,
    OfficerIntakeIn,
    RatingIn,
    ReasonIn,
    ReceiptOut,
    RegisterIn,
    RepeatIn,
    StatusLookupIn,
    StatusOut,
    SupplementIn,
    SupplementRequestIn,
    TimelineEntryOut,
    TransferIn,
)
from minwon.complaints.selectors import (
    applicant_masked,
    attachment_list,
    complaint_list_for_citizen,
    complaint_list_for_integrator,
    complaint_list_for_officer,
    complaint_receipt,
    complaint_timeline,
)
from minwon.complaints.services.attachments import (
    MAX_ATTACHMENT_BYTES,
    attachment_read,
    complaint_attachment_add,
)
from minwon.core import clock
from minwon.core.errors import NotFound, PermissionDenied, ValidationFailed
from minwon.core.pagination import paginate
from minwon.core.services import audit_record
from minwon.lawclock.kinds import ComplaintKind

citizen_router = Router(tags=["complaints (citizen)"])
# People use a personal bearer token (accounts.PersonalToken) or their session.
officer_router = Router(tags=["complaints (officer)"], auth=OFFICER_AUTH)
integrator_router = Router(tags=["complaints (integrator)"], auth=[ApiKeyAuth()])


def _user(request: HttpRequest) -> User:
    return cast(User, request.auth)  # type: ignore[attr-defined]


def _out(complaint: Complaint) -> dict[str, Any]:
    return ComplaintOut.of(complaint)


def _filing(payload: ComplaintFileIn, channel: Channel, **extra: Any) -> s.FilingInput:
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


def _unit(code: str, field: str) -> OrgUnit | None:
    if not code:
        return None
    unit = OrgUnit.objects.filter(code=code, is_active=True).first()
    if unit is None:
        raise ValidationFailed(code="complaint.unknown_org_unit", field=field)
    return unit


# --- citizen -------------------------------------------------------------------------------------


@citizen_router.post("/complaints", response={201: ComplaintOut}, auth=CITIZEN_AUTH)
def complaint_file_api(request: HttpRequest, payload: ComplaintFileIn) -> Status[dict[str, Any]]:
    """File a complaint on the portal. It is registered within 8 working hours (영 제6조⑧)."""
    complaint = s.complaint_file(data=_filing(payload, Channel.WEB), citizen=_user(request))
    return Status(201, _out(complaint))


@citizen_router.post("/complaints/without-account", response={201: ComplaintOut}, auth=None)
def complaint_file_anonymous_api(
    request: HttpRequest, payload: ComplaintFileIn
) -> Status[dict[str, Any]]:
    """File without an account (name and address still required) or send an anonymous tip
    (kind 'tip'); follow it with the receipt number and the password chosen here."""
    complaint = s.complaint_file(data=_filing(payload, Channel.WEB))
    return Status(201, _out(complaint))


@citizen_router.post("/complaints/status", response=StatusOut, auth=None)
def complaint_status_api(request: HttpRequest, payload: StatusLookupIn) -> Complaint:
    """Status by receipt number and password; the same 404 for a wrong number or password."""
    return access_complaint_by_receipt(payload.receipt_number, payload.password)


@citizen_router.get("/complaints", response=ComplaintPageOut, auth=CITIZEN_AUTH)
def complaint_list_mine_api(
    request: HttpRequest, cursor: str | None = None, limit: int = 50
) -> dict[str, Any]:
    """My complaints, newest first, a page at a time."""
    rows, next_cursor = paginate(
        complaint_list_for_citizen(citizen=_user(request)),
        order_field="arrived_at",
        descending=True,
        cursor=cursor,
        limit=limit,
    )
    return {"items": [_out(c) for c in rows], "next_cursor": next_cursor}


@citizen_router.get("/complaints/{complaint_id}", response=ComplaintOut, auth=CITIZEN_AUTH)
def complaint_get_mine_api(request: HttpRequest, complaint_id: int) -> dict[str, Any]:
    return _out(access_complaint_for_citizen(_user(request), complaint_id))


@citizen_router.get("/complaints/{complaint_id}/receipt", response=ReceiptOut, auth=CITIZEN_AUTH)
def complaint_receipt_mine_api(request: HttpRequest, complaint_id: int) -> Any:
    """접수증 data; `receipt.pdf` is the same as a document."""
    return complaint_receipt(access_complaint_for_citizen(_user(request), complaint_id))


# The PDF 접수증: bytes, documented as such; 409 `complaint.not_registered` before registration.
RECEIPT_PDF_OPENAPI: dict[str, Any] = {
    "responses": {
        200: {
            "description": "The 접수증 as PDF (a download)",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        },
    }
}


@citizen_router.get(
    "/complaints/{complaint_id}/receipt.pdf", auth=CITIZEN_AUTH, openapi_extra=RECEIPT_PDF_OPENAPI
)
def complaint_receipt_pdf_mine_api(request: HttpRequest, complaint_id: int) -> HttpResponse:
    """접수증 as PDF (영 제6조④); 409 `complaint.not_registered` before registration."""
    return receipt_pdf_response(request, access_complaint_for_citizen(_user(request), complaint_id))


@citizen_router.get(
    "/complaints/{complaint_id}/timeline", response=list[TimelineEntryOut], auth=CITIZEN_AUTH
)
def complaint_timeline_mine_api(request: HttpRequest, complaint_id: int) -> Any:
    return complaint_timeline(access_complaint_for_citizen(_user(request), complaint_id))


# A complaint action: (complaint, the person acting, the parsed payload) → the complaint.
ActionRun = Callable[[Complaint, User, Any], Complaint]
_CITIZEN_ACTIONS: dict[str, tuple[type, ActionRun, str]] = {
    "withdraw": (
        ReasonIn,
        lambda c, u, p: s.complaint_withdraw(complaint=c, actor=u, reason=p.reason),
        "취하 (법 제22조②).",
    ),
    "reopen": (
        ReasonIn,
        lambda c, u, p: s.complaint_reopen(complaint=c, actor=u, reason=p.reason),
        "Not settled: reopen a non-statutory complaint.",
    ),
    "objection": (
        ObjectionIn,
        lambda c, u, p: s.complaint_objection_file(complaint=c, actor=u, grounds=p.grounds),
        "이의신청 against a refused statutory complaint, within 60 days (법 제35조).",
    ),
    "progress-notice": (
        ReasonIn,
        lambda c, u, p: s.complaint_progress_notice_record(complaint=c, actor=u, requested=True),
        "Ask for a progress notice (영 제23조①).",
    ),
    "supplement": (
        SupplementIn,
        lambda c, u, p: s.complaint_supplement_submit(complaint=c, actor=u, text=p.text),
        "Send what a 보완 요구 asked for (add files first); the processing period runs again.",
    ),
    "rating": (
        RatingIn,
        lambda c, u, p: (
            s.complaint_satisfaction_rate(
                complaint=c, actor=u, score=p.score, comment=p.comment
            ).complaint
        ),
        "만족도 평가 of the answer: 1 to 5, once per answer.",
    ),
}


def _register_action(
    router: Router,
    *,
    name: str,
    schema: type,
    run: ActionRun,
    doc: str,
    access: Callable[..., Complaint],
    suffix: str,
    auth: Any = NOT_SET,
) -> None:
    """POST /complaints/{id}/<name>: access gate, one service, the complaint back."""

    def endpoint(request: HttpRequest, complaint_id: int, payload: Any) -> dict[str, Any]:
        person = _user(request)
        complaint = access(person, complaint_id, write=True)
        return _out(run(complaint, person, payload))

    endpoint.__annotations__ = {
        "request": HttpRequest,
        "complaint_id": int,
        "payload": schema,
        "return": dict,
    }
    endpoint.__doc__ = doc
    endpoint.__name__ = f"complaint_{name.replace('-', '_')}{suffix}_api"
    router.post(
        f"/complaints/{{complaint_id}}/{name}",
        response=ComplaintOut,
        auth=auth,
        operation_id=endpoint.__name__,
    )(endpoint)


for _name, (_schema, _run, _doc) in _CITIZEN_ACTIONS.items():
    _register_action(
        citizen_router,
        name=_name,
        schema=_schema,
        run=_run,
        doc=_doc,
        access=access_complaint_for_citizen,
        suffix="_citizen",
        auth=CITIZEN_AUTH,
    )


# --- officer -------------------------------------------------------------------------------------


@officer_router.post("/complaints", response={201: ComplaintOut})
def complaint_intake_api(request: HttpRequest, payload: OfficerIntakeIn) -> Status[dict[str, Any]]:
    """Register on the complainant's behalf: counter, oral/phone (기타민원 only), post, fax, API,
    or an import from 국민신문고 / 정부24 with its external reference."""
    data = _filing(
        payload,
        payload.channel,
        arrived_at=payload.arrived_at,
        external_ref=payload.external_ref,
        org_unit=_unit(payload.org_unit, "org_unit"),
    )
    complaint = s.complaint_file(
        data=data, filed_by=_user(request), register_now=payload.register_now
    )
    return Status(201, _out(complaint))


@officer_router.get("/complaints", response=ComplaintPageOut)
def complaint_list_api(
    request: HttpRequest,
    status: str = "",
    overdue: bool = False,
    cursor: str | None = None,
    limit: int = 50,
) -> dict[str, Any]:
    """The complaints of the officer's org units, soonest deadline first (none last)."""
    qs = complaint_list_for_officer(
        officer=_user(request), status=status or None, overdue_at=clock.now() if overdue else None
    )
    rows, next_cursor = paginate(
        qs, order_field="due_at", descending=False, cursor=cursor, limit=limit
    )
    return {"items": [_out(c) for c in rows], "next_cursor": next_cursor}


@officer_router.get("/complaints/{complaint_id}", response=ComplaintOut)
def complaint_get_api(request: HttpRequest, complaint_id: int) -> dict[str, Any]:
    return _out(access_complaint_for_officer(_user(request), complaint_id))


@officer_router.get("/complaints/{complaint_id}/applicant", response=ApplicantOut)
def complaint_applicant_api(request: HttpRequest, complaint_id: int) -> Any:
    """The complainant, masked (주민등록번호 is never shown in clear)."""
    applicant = applicant_masked(access_complaint_for_officer(_user(request), complaint_id))
    if applicant is None:
        raise NotFound(code="complaint.no_applicant")
    return applicant


@officer_router.get("/complaints/{complaint_id}/timeline", response=list[TimelineEntryOut])
def complaint_timeline_api(request: HttpRequest, complaint_id: int) -> Any:
    return complaint_timeline(access_complaint_for_officer(_user(request), complaint_id))


@officer_router.get("/complaints/{complaint_id}/receipt", response=ReceiptOut)
def complaint_receipt_api(request: HttpRequest, complaint_id: int) -> Any:
    return complaint_receipt(access_complaint_for_officer(_user(request), complaint_id))


@officer_router.get("/complaints/{complaint_id}/receipt.pdf", openapi_extra=RECEIPT_PDF_OPENAPI)
def complaint_receipt_pdf_api(request: HttpRequest, complaint_id: int) -> HttpResponse:
    """접수증 as PDF; the download is logged (개인정보 접속기록: it shows the complainant)."""
    officer = _user(request)
    complaint = access_complaint_for_officer(officer, complaint_id)
    response = receipt_pdf_response(request, complaint)
    audit_record(
        actor=officer,
        action="complaint.receipt_downloaded",
        target=complaint,
        org_unit_id=complaint.org_unit_id,
    )
    return response


def _many(officer: User, ids: list[int]) -> list[Complaint]:
    return [access_complaint_for_officer(officer, pk) for pk in ids]


def _assignee(pk: int) -> User:
    user = User.objects.filter(pk=pk).select_related("org_unit").first()
    if user is None:
        raise ValidationFailed(code="complaint.assignee_not_officer", field="assignee_id")
    return user


def _required_unit(code: str, field: str) -> OrgUnit:
    unit = _unit(code, field)
    if unit is None:
        raise ValidationFailed(code="complaint.unit_required", field=field)
    return unit


_OFFICER_ACTIONS: dict[str, tuple[type, ActionRun, str]] = {
    "register": (
        RegisterIn,
        lambda c, u, p: s.complaint_register(
            complaint=c, actor=u, org_unit=_unit(p.org_unit, "org_unit")
        ),
        "접수 (영 제6조).",
    ),
    "assign": (
        AssignIn,
        lambda c, u, p: s.complaint_assign(
            complaint=c,
            actor=u,
            assignee=_assignee(p.assignee_id),
            org_unit=_unit(p.org_unit, "org_unit"),
        ),
        "담당자 지정.",
    ),
    "transfer": (
        TransferIn,
        lambda c, u, p: s.complaint_transfer(
            complaint=c,
            actor=u,
            kind=TransferKind(p.kind),
            reason=p.reason,
            to_org_unit=_unit(p.to_org_unit, "to_org_unit"),
            to_agency=p.to_agency,
        ),
        "이송 (영 제13조): within the city or to another agency (with a notice).",
    ),
    "supplement-request": (
        SupplementRequestIn,
        lambda c, u, p: s.complaint_supplement_request(
            complaint=c, actor=u, items=p.items, days=p.days
        ),
        "보완 요구 (영 제24조): the clock stops until the supplement arrives.",
    ),
    "supplement-received": (
        ReasonIn,
        lambda c, u, p: s.complaint_supplement_receive(complaint=c, actor=u, note=p.reason),
        "The supplement arrived: the clock runs again.",
    ),
    "return": (
        ReasonIn,
        lambda c, u, p: s.complaint_return(complaint=c, actor=u, reason=p.reason),
        "반려 after two unanswered supplement requests (영 제25조①).",
    ),
    "extend": (
        ExtendIn,
        lambda c, u, p: s.complaint_extend(
            complaint=c,
            actor=u,
            period=p.period,
            reason=str(p.reason),
            reason_text=p.reason_text,
            consent=p.consent,
        ),
        "처리기간 연장 (영 제21조): once, a second time with consent.",
    ),
    "answer": (
        AnswerIn,
        lambda c, u, p: s.complaint_answer(
            complaint=c,
            actor=u,
            outcome=p.outcome,
            answer=p.answer,
            reason=p.reason,
            appeal_route=p.appeal_route,
        ),
        "처리결과 통지 (법 제27조); a refusal gives reason and remedy.",
    ),
    "withdraw": (
        ReasonIn,
        lambda c, u, p: s.complaint_withdraw(complaint=c, actor=u, reason=p.reason),
        "취하 recorded on the complainant's behalf.",
    ),
    "progress-notice": (
        ReasonIn,
        lambda c, u, p: s.complaint_progress_notice_record(complaint=c, actor=u),
        "Record a progress notice (영 제23조).",
    ),
    "objection-decision": (
        ObjectionDecisionIn,
        lambda c, u, p: s.complaint_objection_decide(
            complaint=c, actor=u, outcome=p.outcome, decision=p.decision
        ),
        "이의신청 결정 (법 제35조②).",
    ),
    "merge": (
        MergeIn,
        lambda c, u, p: s.complaint_merge(primary=c, others=_many(u, p.other_ids), actor=u),
        "병합 접수 (영 제6조⑦).",
    ),
    "close-repeated": (
        RepeatIn,
        lambda c, u, p: s.complaint_close_repeated(
            complaint=c, actor=u, earlier=_many(u, p.earlier_ids), reason=p.reason
        ),
        "반복민원 종결 (법 제23조).",
    ),
    "children": (
        ChildIn,
        lambda c, u, p: s.complaint_child_create(
            parent=c,
            actor=u,
            org_unit=_required_unit(p.org_unit, "org_unit"),
            title=p.title,
            period=p.period,
        ),
        "복합민원: a linked part for a consulting unit (returns the child).",
    ),
}


for _name, (_schema, _run, _doc) in _OFFICER_ACTIONS.items():
    _register_action(
        officer_router,
        name=_name,
        schema=_schema,
        run=_run,
        doc=_doc,
        access=access_complaint_for_officer,
        suffix="",
    )


# --- attachments (both audiences) ----------------------------------------------------------------


def _upload(complaint: Complaint, actor: User, file: UploadedFile) -> Attachment:
    data = file.read(MAX_ATTACHMENT_BYTES + 1)
    return complaint_attachment_add(
        complaint=complaint, actor=actor, name=file.name or "", data=data
    )


def _download(complaint: Complaint, attachment_id: int) -> HttpResponse:
    attachment, data = attachment_read(complaint=complaint, attachment_id=attachment_id)
    return attachment_response(attachment, data)


@citizen_router.post(
    "/complaints/{complaint_id}/attachments", response={201: AttachmentOut}, auth=CITIZEN_AUTH
)
def attachment_add_mine_api(
    request: HttpRequest, complaint_id: int, file: File[UploadedFile]
) -> Status[Attachment]:
    """Add a file (JPEG, PNG, PDF, HWP/HWPX; at most 10 MB; photos lose their EXIF/GPS data)."""
    complaint = access_complaint_for_citizen(_user(request), complaint_id, write=True)
    return Status(201, _upload(complaint, _user(request), file))


@citizen_router.get(
    "/complaints/{complaint_id}/attachments", response=list[AttachmentOut], auth=CITIZEN_AUTH
)
def attachment_list_mine_api(request: HttpRequest, complaint_id: int) -> Any:
    return attachment_list(access_complaint_for_citizen(_user(request), complaint_id))


@citizen_router.get("/complaints/{complaint_id}/attachments/{attachment_id}", auth=CITIZEN_AUTH)
def attachment_get_mine_api(
    request: HttpRequest, complaint_id: int, attachment_id: int
) -> HttpResponse:
    complaint = access_complaint_for_citizen(_user(request), complaint_id)
    return _download(complaint, attachment_id)


@officer_router.post("/complaints/{complaint_id}/attachments", response={201: AttachmentOut})
def attachment_add_api(
    request: HttpRequest, complaint_id: int, file: File[UploadedFile]
) -> Status[Attachment]:
    complaint = access_complaint_for_officer(_user(request), complaint_id, write=True)
    return Status(201, _upload(complaint, _user(request), file))


@officer_router.get("/complaints/{complaint_id}/attachments", response=list[AttachmentOut])
def attachment_list_api(request: HttpRequest, complaint_id: int) -> Any:
    return attachment_list(access_complaint_for_officer(_user(request), complaint_id))


@officer_router.get("/complaints/{complaint_id}/attachments/{attachment_id}")
def attachment_get_api(request: HttpRequest, complaint_id: int, attachment_id: int) -> HttpResponse:
    complaint = access_complaint_for_officer(_user(request), complaint_id)
    return _download(complaint, attachment_id)


__all__ = ["ComplaintKind", "citizen_router", "officer_router"]


# --- integrators (API key) ----------------------------------------------------------------------


def _integrator(request: HttpRequest, scope: ApiScope) -> ApiKey:
    principal = request.auth  # type: ignore[attr-defined]
    assert isinstance(principal, ApiPrincipal)
    if principal.api_key is None or not principal.has_scope(scope):
        raise PermissionDenied()
    return principal.api_key


@integrator_router.get("/complaints", response=ComplaintPageOut)
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
    return {"items": [_out(c) for c in rows], "next_cursor": next_cursor}


@integrator_router.get("/complaints/{complaint_id}", response=ComplaintOut)
def complaint_get_integrator_api(request: HttpRequest, complaint_id: int) -> dict[str, Any]:
    key = _integrator(request, ApiScope.API_READ)
    return _out(access_complaint_for_integrator(key, complaint_id))


@integrator_router.post("/complaints", response={201: ComplaintOut})
def complaint_file_integrator_api(
    request: HttpRequest, payload: IntegratorFileIn
) -> Status[dict[str, Any]]:
    """File a complaint from another system (channel `api`, scope `api.write`); it waits for an
    officer's registration like every electronic arrival (영 제6조⑧). Send an Idempotency-Key."""
    key = _integrator(request, ApiScope.API_WRITE)
    data = _filing(
        payload,
        Channel.API,
        arrived_at=payload.arrived_at,
        external_ref=payload.external_ref or f"api:{key.prefix}",
        org_unit=key.org_unit,
    )
    return Status(201, _out(s.complaint_file(data=data)))
