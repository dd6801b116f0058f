"""Officers: intake, the complaints of their org units and every step of the lifecycle
(`/office/complaints/...`; session past the second factor, or a personal token)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja.responses import Status

from minwon.accounts.models import OrgUnit, User
from minwon.complaints import services as s
from minwon.complaints.access import access_complaint_for_officer
from minwon.complaints.api.routers import (
    RECEIPT_PDF_OPENAPI,
    complaint_out,
    filing,
    officer_router,
    org_unit_or_none,
    person,
)
from minwon.complaints.domain import CommitteeDecision, TransferKind
from minwon.complaints.downloads import receipt_pdf_response
from minwon.complaints.models import Complaint
from minwon.complaints.schemas import (
    AnswerIn,
    ApplicantOut,
    AssignIn,
    ChildIn,
    CommitteeReviewIn,
    ComplaintOut,
    ComplaintPageOut,
    ExcludedTimeEndIn,
    ExcludedTimeIn,
    ExtendIn,
    HouseholdsIn,
    MergeIn,
    ObjectionDecisionIn,
    OfficerIntakeIn,
    ReasonIn,
    ReceiptOut,
    RegisterIn,
    RepeatIn,
    RoutingDecisionIn,
    RoutingOut,
    SupplementExtensionIn,
    SupplementRequestIn,
    TimelineEntryOut,
    TransferIn,
)
from minwon.complaints.selectors import (
    applicant_masked,
    complaint_list_for_officer,
    complaint_receipt,
    complaint_timeline,
)
from minwon.core import clock
from minwon.core.errors import NotFound, ValidationFailed
from minwon.core.pagination import paginate
from minwon.core.services import audit_record
from minwon.routing import selectors as routing_reads
from minwon.routing.selectors import CaseView, case_view


@officer_router.post(
    "/complaints",
    response={201: ComplaintOut},
    operation_id="minwon_complaints_api_complaint_intake_api",
)
def complaint_intake_api(request: HttpRequest, payload: OfficerIntakeIn) -> Status[dict[str, Any]]:
    """Register on the complainant's behalf: counter, oral/phone (기타민원 only), post, fax, API,
    or an import from 국민신문고 / 정부24 with its external reference."""
    data = filing(
        payload,
        payload.channel,
        arrived_at=payload.arrived_at,
        external_ref=payload.external_ref,
        org_unit=org_unit_or_none(payload.org_unit, "org_unit"),
    )
    complaint = s.complaint_file(
        data=data, filed_by=person(request), register_now=payload.register_now
    )
    return Status(201, complaint_out(complaint))


@officer_router.get(
    "/complaints",
    response=ComplaintPageOut,
    operation_id="minwon_complaints_api_complaint_list_api",
)
def complaint_list_api(
    request: HttpRequest,
    status: str = "",
    overdue: bool = False,
    cursor: str | None = None,
    limit: int = 50,
) -> dict[str, Any]:
    """The complaints of the officer's org units, soonest deadline first (none last)."""
    qs = complaint_list_for_officer(
        officer=person(request),
        status=status or None,
        overdue_at=clock.now() if overdue else None,
    )
    rows, next_cursor = paginate(
        qs, order_field="due_at", descending=False, cursor=cursor, limit=limit
    )
    return {"items": [complaint_out(c) for c in rows], "next_cursor": next_cursor}


@officer_router.get(
    "/complaints/{complaint_id}",
    response=ComplaintOut,
    operation_id="minwon_complaints_api_complaint_get_api",
)
def complaint_get_api(request: HttpRequest, complaint_id: int) -> dict[str, Any]:
    return complaint_out(access_complaint_for_officer(person(request), complaint_id))


@officer_router.get(
    "/complaints/{complaint_id}/applicant",
    response=ApplicantOut,
    operation_id="minwon_complaints_api_complaint_applicant_api",
)
def complaint_applicant_api(request: HttpRequest, complaint_id: int) -> Any:
    """The complainant, masked (주민등록번호 is never shown in clear); the read is logged
    (개인정보 접속기록, as the office page logs it)."""
    officer = person(request)
    complaint = access_complaint_for_officer(officer, complaint_id)
    applicant = applicant_masked(complaint)
    if applicant is None:
        raise NotFound(code="complaint.no_applicant")
    audit_record(
        actor=officer,
        action="complaint.applicant_viewed",
        target=complaint,
        org_unit_id=complaint.org_unit_id,
    )
    return applicant


@officer_router.get(
    "/complaints/{complaint_id}/timeline",
    response=list[TimelineEntryOut],
    operation_id="minwon_complaints_api_complaint_timeline_api",
)
def complaint_timeline_api(request: HttpRequest, complaint_id: int) -> Any:
    return complaint_timeline(access_complaint_for_officer(person(request), complaint_id))


@officer_router.get(
    "/complaints/{complaint_id}/receipt",
    response=ReceiptOut,
    operation_id="minwon_complaints_api_complaint_receipt_api",
)
def complaint_receipt_api(request: HttpRequest, complaint_id: int) -> Any:
    """The 접수증's contents; they name the complainant, so the read is logged (접속기록)."""
    officer = person(request)
    complaint = access_complaint_for_officer(officer, complaint_id)
    receipt = complaint_receipt(complaint)
    audit_record(
        actor=officer,
        action="complaint.receipt_viewed",
        target=complaint,
        org_unit_id=complaint.org_unit_id,
    )
    return receipt


@officer_router.get(
    "/complaints/{complaint_id}/receipt.pdf",
    openapi_extra=RECEIPT_PDF_OPENAPI,
    operation_id="minwon_complaints_api_complaint_receipt_pdf_api",
)
def complaint_receipt_pdf_api(request: HttpRequest, complaint_id: int) -> HttpResponse:
    """접수증 as PDF; the download is logged (개인정보 접속기록: it shows the complainant)."""
    officer = person(request)
    complaint = access_complaint_for_officer(officer, complaint_id)
    response = receipt_pdf_response(request, complaint)
    audit_record(
        actor=officer,
        action="complaint.receipt_downloaded",
        target=complaint,
        org_unit_id=complaint.org_unit_id,
    )
    return response


# --- the lifecycle: access (write) → one service → the complaint back -------------------------


def _complaint(request: HttpRequest, complaint_id: int) -> tuple[User, Complaint]:
    officer = person(request)
    return officer, access_complaint_for_officer(officer, complaint_id)


def _many(officer: User, ids: list[int]) -> list[Complaint]:
    return [access_complaint_for_officer(officer, pk) for pk in ids]


def _assignee(pk: int) -> User:
    user = User.objects.filter(pk=pk).select_related("org_unit").first()
    if user is None:
        raise ValidationFailed(code="complaint.assignee_not_officer", field="assignee_id")
    return user


def _required_unit(code: str, field: str) -> OrgUnit:
    unit = org_unit_or_none(code, field)
    if unit is None:
        raise ValidationFailed(code="complaint.unit_required", field=field)
    return unit


@officer_router.post(
    "/complaints/{complaint_id}/register",
    response=ComplaintOut,
    operation_id="complaint_register_api",
)
def complaint_register_api(
    request: HttpRequest, complaint_id: int, payload: RegisterIn
) -> dict[str, Any]:
    """접수 (영 제6조)."""
    officer, complaint = _complaint(request, complaint_id)
    return complaint_out(
        s.complaint_register(
            complaint=complaint,
            actor=officer,
            org_unit=org_unit_or_none(payload.org_unit, "org_unit"),
        )
    )


@officer_router.post(
    "/complaints/{complaint_id}/assign",
    response=ComplaintOut,
    operation_id="complaint_assign_api",
)
def complaint_assign_api(
    request: HttpRequest, complaint_id: int, payload: AssignIn
) -> dict[str, Any]:
    """담당자 지정."""
    officer, complaint = _complaint(request, complaint_id)
    return complaint_out(
        s.complaint_assign(
            complaint=complaint,
            actor=officer,
            assignee=_assignee(payload.assignee_id),
            org_unit=org_unit_or_none(payload.org_unit, "org_unit"),
        )
    )


@officer_router.post(
    "/complaints/{complaint_id}/transfer",
    response=ComplaintOut,
    operation_id="complaint_transfer_api",
)
def complaint_transfer_api(
    request: HttpRequest, complaint_id: int, payload: TransferIn
) -> dict[str, Any]:
    """이송 (영 제13조): within the city or to another agency (with a notice)."""
    officer, complaint = _complaint(request, complaint_id)
    return complaint_out(
        s.complaint_transfer(
            complaint=complaint,
            actor=officer,
            kind=TransferKind(payload.kind),
            reason=payload.reason,
            to_org_unit=org_unit_or_none(payload.to_org_unit, "to_org_unit"),
            to_agency=payload.to_agency,
        )
    )


@officer_router.post(
    "/complaints/{complaint_id}/supplement-request",
    response=ComplaintOut,
    operation_id="complaint_supplement_request_api",
)
def complaint_supplement_request_api(
    request: HttpRequest, complaint_id: int, payload: SupplementRequestIn
) -> dict[str, Any]:
    """보완 요구 (영 제24조): the clock stops until the supplement arrives. Later than 8 working
    hours after registration the request needs `late_reason` (규칙 제9조①)."""
    officer, complaint = _complaint(request, complaint_id)
    return complaint_out(
        s.complaint_supplement_request(
            complaint=complaint,
            actor=officer,
            items=payload.items,
            days=payload.days,
            late_reason=payload.late_reason,
        )
    )


@officer_router.post(
    "/complaints/{complaint_id}/supplement-extension",
    response=ComplaintOut,
    operation_id="complaint_supplement_extension_api",
)
def complaint_supplement_extension_api(
    request: HttpRequest, complaint_id: int, payload: SupplementExtensionIn
) -> dict[str, Any]:
    """More time to supplement, as the complainant asked (영 제24조②; at most twice)."""
    officer, complaint = _complaint(request, complaint_id)
    return complaint_out(
        s.complaint_supplement_extend(
            complaint=complaint, actor=officer, days=payload.days, note=payload.note
        )
    )


@officer_router.post(
    "/complaints/{complaint_id}/supplement-received",
    response=ComplaintOut,
    operation_id="complaint_supplement_received_api",
)
def complaint_supplement_received_api(
    request: HttpRequest, complaint_id: int, payload: ReasonIn
) -> dict[str, Any]:
    """The supplement arrived: the clock runs again."""
    officer, complaint = _complaint(request, complaint_id)
    return complaint_out(
        s.complaint_supplement_receive(complaint=complaint, actor=officer, note=payload.reason)
    )


@officer_router.post(
    "/complaints/{complaint_id}/return",
    response=ComplaintOut,
    operation_id="complaint_return_api",
)
def complaint_return_api(
    request: HttpRequest, complaint_id: int, payload: ReasonIn
) -> dict[str, Any]:
    """반려 after two unanswered supplement requests (영 제25조①)."""
    officer, complaint = _complaint(request, complaint_id)
    return complaint_out(
        s.complaint_return(complaint=complaint, actor=officer, reason=payload.reason)
    )


@officer_router.post(
    "/complaints/{complaint_id}/extend",
    response=ComplaintOut,
    operation_id="complaint_extend_api",
)
def complaint_extend_api(
    request: HttpRequest, complaint_id: int, payload: ExtendIn
) -> dict[str, Any]:
    """처리기간 연장 (영 제21조): once, a second time with consent."""
    officer, complaint = _complaint(request, complaint_id)
    return complaint_out(
        s.complaint_extend(
            complaint=complaint,
            actor=officer,
            period=payload.period,
            reason=str(payload.reason),
            reason_text=payload.reason_text,
            consent=(
                s.ConsentInput(
                    method=payload.consent.method,
                    given_at=payload.consent.given_at,
                    note=payload.consent.note,
                )
                if payload.consent is not None
                else None
            ),
        )
    )


@officer_router.post(
    "/complaints/{complaint_id}/answer",
    response=ComplaintOut,
    operation_id="complaint_answer_api",
)
def complaint_answer_api(
    request: HttpRequest, complaint_id: int, payload: AnswerIn
) -> dict[str, Any]:
    """처리결과 통지 (법 제27조); a refusal gives reason and remedy."""
    officer, complaint = _complaint(request, complaint_id)
    return complaint_out(
        s.complaint_answer(
            complaint=complaint,
            actor=officer,
            outcome=payload.outcome,
            answer=payload.answer,
            reason=payload.reason,
            appeal_route=payload.appeal_route,
        )
    )


@officer_router.post(
    "/complaints/{complaint_id}/withdraw",
    response=ComplaintOut,
    operation_id="complaint_withdraw_api",
)
def complaint_withdraw_api(
    request: HttpRequest, complaint_id: int, payload: ReasonIn
) -> dict[str, Any]:
    """취하 recorded on the complainant's behalf."""
    officer, complaint = _complaint(request, complaint_id)
    return complaint_out(
        s.complaint_withdraw(complaint=complaint, actor=officer, reason=payload.reason)
    )


@officer_router.post(
    "/complaints/{complaint_id}/progress-notice",
    response=ComplaintOut,
    operation_id="complaint_progress_notice_api",
)
def complaint_progress_notice_api(
    request: HttpRequest, complaint_id: int, payload: ReasonIn
) -> dict[str, Any]:
    """Record a progress notice (영 제23조)."""
    officer, complaint = _complaint(request, complaint_id)
    return complaint_out(s.complaint_progress_notice_record(complaint=complaint, actor=officer))


@officer_router.post(
    "/complaints/{complaint_id}/objection-decision",
    response=ComplaintOut,
    operation_id="complaint_objection_decision_api",
)
def complaint_objection_decision_api(
    request: HttpRequest, complaint_id: int, payload: ObjectionDecisionIn
) -> dict[str, Any]:
    """이의신청 결정 (법 제35조②)."""
    officer, complaint = _complaint(request, complaint_id)
    return complaint_out(
        s.complaint_objection_decide(
            complaint=complaint, actor=officer, outcome=payload.outcome, decision=payload.decision
        )
    )


@officer_router.post(
    "/complaints/{complaint_id}/merge",
    response=ComplaintOut,
    operation_id="complaint_merge_api",
)
def complaint_merge_api(
    request: HttpRequest, complaint_id: int, payload: MergeIn
) -> dict[str, Any]:
    """병합 접수 (영 제6조⑦)."""
    officer, complaint = _complaint(request, complaint_id)
    return complaint_out(
        s.complaint_merge(
            primary=complaint, others=_many(officer, payload.other_ids), actor=officer
        )
    )


@officer_router.post(
    "/complaints/{complaint_id}/close-repeated",
    response=ComplaintOut,
    operation_id="complaint_close_repeated_api",
)
def complaint_close_repeated_api(
    request: HttpRequest, complaint_id: int, payload: RepeatIn
) -> dict[str, Any]:
    """반복민원 종결 (법 제23조)."""
    officer, complaint = _complaint(request, complaint_id)
    return complaint_out(
        s.complaint_close_repeated(
            complaint=complaint,
            actor=officer,
            earlier=_many(officer, payload.earlier_ids),
            reason=payload.reason,
        )
    )


@officer_router.post(
    "/complaints/{complaint_id}/excluded-time",
    response=ComplaintOut,
    operation_id="complaint_excluded_time_record_api",
)
def complaint_excluded_time_record_api(
    request: HttpRequest, complaint_id: int, payload: ExcludedTimeIn
) -> dict[str, Any]:
    """처리기간에 산입하지 않는 기간 (영 제17조④⑤, 제20조), with its kind and legal basis."""
    officer, complaint = _complaint(request, complaint_id)
    return complaint_out(
        s.complaint_excluded_time_record(
            complaint=complaint,
            actor=officer,
            kind=payload.kind,
            start=payload.start,
            end=payload.end,
            note=payload.note,
        )
    )


@officer_router.post(
    "/complaints/{complaint_id}/excluded-time/end",
    response=ComplaintOut,
    operation_id="complaint_excluded_time_end_api",
)
def complaint_excluded_time_end_api(
    request: HttpRequest, complaint_id: int, payload: ExcludedTimeEndIn
) -> dict[str, Any]:
    """The running excluded interval ends; the clock runs again."""
    officer, complaint = _complaint(request, complaint_id)
    return complaint_out(
        s.complaint_excluded_time_end(
            complaint=complaint, actor=officer, end=payload.end, note=payload.note
        )
    )


@officer_router.post(
    "/complaints/{complaint_id}/committee-review",
    response=ComplaintOut,
    operation_id="complaint_committee_review_api",
)
def complaint_committee_review_api(
    request: HttpRequest, complaint_id: int, payload: CommitteeReviewIn
) -> dict[str, Any]:
    """민원조정위원회 심의 (영 제26조, 제38조의2), recorded before a 다수인 repeat is closed."""
    officer, complaint = _complaint(request, complaint_id)
    return complaint_out(
        s.complaint_committee_review(
            complaint=complaint,
            actor=officer,
            held_on=payload.held_on,
            decision=CommitteeDecision(payload.decision),
            summary=payload.summary,
        )
    )


@officer_router.post(
    "/complaints/{complaint_id}/households",
    response=ComplaintOut,
    operation_id="complaint_households_correct_api",
)
def complaint_households_correct_api(
    request: HttpRequest, complaint_id: int, payload: HouseholdsIn
) -> dict[str, Any]:
    """The officer corrects the 세대 count of a 다수인 filing (법 제2조 제6호), with the reason."""
    officer, complaint = _complaint(request, complaint_id)
    return complaint_out(
        s.complaint_households_correct(
            complaint=complaint,
            actor=officer,
            households=payload.households,
            reason=payload.reason,
        )
    )


@officer_router.post(
    "/complaints/{complaint_id}/children",
    response=ComplaintOut,
    operation_id="complaint_children_api",
)
def complaint_children_api(
    request: HttpRequest, complaint_id: int, payload: ChildIn
) -> dict[str, Any]:
    """복합민원: a linked part for a consulting unit (returns the child)."""
    officer, complaint = _complaint(request, complaint_id)
    return complaint_out(
        s.complaint_child_create(
            parent=complaint,
            actor=officer,
            org_unit=_required_unit(payload.org_unit, "org_unit"),
            title=payload.title,
            period=payload.period,
        )
    )


def _routing_related(officer: User, complaint_id: int) -> dict[str, Any]:
    """Routing's near-duplicates, campaign and repeat flag, limited to what the officer may see."""
    dups = routing_reads.duplicate_list(complaint_id=complaint_id)
    finding = routing_reads.campaign_for(complaint_id=complaint_id)
    flag = routing_reads.repeat_flag_get(complaint_id=complaint_id)
    evidence = [int(e["complaint_id"]) for e in flag.evidence] if flag else []
    ids = {d.other_id for d in dups} | set(finding.complaint_ids) | set(evidence)
    visible = set(
        complaint_list_for_officer(officer=officer).filter(pk__in=ids).values_list("pk", flat=True)
    )
    others = [i for i in finding.complaint_ids if i != complaint_id]
    return {
        "duplicates": [
            {"complaint_id": d.other_id, "similarity": d.similarity, "linked": d.linked}
            for d in dups
            if d.other_id in visible
        ],
        "campaign": (
            {
                "people": finding.people,
                "complaint_ids": [i for i in others if i in visible],
                "hidden": sum(1 for i in others if i not in visible),
            }
            if finding.suggested
            else None
        ),
        "repeat": (
            {
                "legal_basis": flag.legal_basis,
                "notified_count": flag.notified_count,
                "evidence": [
                    {
                        "complaint_id": pk if pk in visible else None,
                        "similarity": float(e["similarity"]),
                        "result_notified": bool(e["result_notified"]),
                    }
                    for pk, e in zip(evidence, flag.evidence, strict=True)
                ],
            }
            if flag
            else None
        ),
    }


def _routing_out(view: CaseView, related: dict[str, Any] | None = None) -> dict[str, Any]:
    d = view.decision
    return {
        **(related or {}),
        "read": view.read,
        "suggestions": [
            {
                "rank": x.rank,
                "org_unit": x.label,
                "name": x.name,
                "confidence": x.confidence,
                "words": list(x.words),
            }
            for x in view.suggestions
        ],
        "reason": view.reason,
        "model_version": view.model_version,
        "decision": (
            {"outcome": d.outcome, "org_unit": d.chosen_label, "decided_at": d.created_at}
            if d is not None
            else None
        ),
    }


@officer_router.get(
    "/complaints/{complaint_id}/routing",
    response=RoutingOut,
    operation_id="complaint_routing_api",
)
def complaint_routing_api(request: HttpRequest, complaint_id: int) -> dict[str, Any]:
    """Routing's department suggestion (top 3 with confidence and words) or why there is none,
    the officer's decision on it, the near-duplicates and a campaign, and a 법 제23조 repeat
    flag with its evidence (only complaints the caller may see are named)."""
    officer = person(request)
    complaint = access_complaint_for_officer(officer, complaint_id)
    return _routing_out(
        case_view(complaint_id=complaint.pk, language=request.LANGUAGE_CODE),
        _routing_related(officer, complaint.pk),
    )


@officer_router.post(
    "/complaints/{complaint_id}/routing-decision",
    response=RoutingOut,
    operation_id="complaint_routing_decision_api",
)
def complaint_routing_decision_api(
    request: HttpRequest, complaint_id: int, payload: RoutingDecisionIn
) -> dict[str, Any]:
    """Accept the suggestion or choose another unit; another unit than the complaint's own
    receives it (이송). Recorded for the next training."""
    officer, complaint = _complaint(request, complaint_id)
    s.complaint_routing_decide(
        complaint=complaint,
        actor=officer,
        unit=_required_unit(payload.org_unit, "org_unit"),
        reason=payload.reason,
    )
    return _routing_out(case_view(complaint_id=complaint.pk, language=request.LANGUAGE_CODE))
