"""JSON API shapes of the complaints context (interface layer; services never import this)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema

from minwon.complaints.domain import (
    ANSWER_MAX_LENGTH,
    ANSWER_NOTE_MAX_LENGTH,
    CommitteeDecision,
    ExtensionReason,
    IntakeChannel,
    ObjectionOutcome,
    Outcome,
    TransferKind,
)
from minwon.complaints.models import Complaint
from minwon.lawclock.kinds import ComplaintKind


class ApplicantIn(Schema):
    name: str = Field("", description="성명 (required for every complaint except a tip)")
    address: str = Field("", description="도로명주소")
    phone: str = ""
    email: str = ""
    rrn: str = Field("", description="주민등록번호, only when the complaint type requires it")


class CosignerIn(Schema):
    name: str
    address: str
    is_representative: bool = False


class ComplaintFileIn(Schema):
    kind: ComplaintKind
    title: str
    body: str
    complaint_type: str = Field("", description="Catalogue code (required for statutory)")
    applicant: ApplicantIn | None = None
    status_password: str = Field(
        "", description="Password for status lookup by receipt number (without an account)"
    )
    cosigners: list[CosignerIn] = []
    location_text: str = Field("", max_length=200, description="Where: 도로명주소 or a landmark")
    location_lat: float | None = Field(None, ge=-90, le=90, description="Map pin latitude (WGS84)")
    location_lng: float | None = Field(
        None, ge=-180, le=180, description="Map pin longitude (WGS84); with location_lat"
    )


class OfficerIntakeIn(ComplaintFileIn):
    channel: IntakeChannel
    arrived_at: datetime | None = None
    external_ref: str = Field("", description="Reference in 국민신문고 / 정부24 / the sender")
    org_unit: str = Field("", description="Org unit code (default: the type's handling unit)")
    register_now: bool | None = None


class ComplaintOut(Schema):
    id: int
    receipt_number: str | None
    kind: str
    status: str
    channel: str
    title: str
    body: str
    location_text: str
    location_lat: float | None
    location_lng: float | None
    complaint_type: str | None
    type_version: int | None
    org_unit: str | None
    arrived_at: datetime
    registered_at: datetime | None
    due_at: datetime | None
    original_due_at: datetime | None = Field(
        None, description="Due instant before the first extension (영 제21조①), for indicators"
    )
    period: str
    period_legal_basis: str
    deadline_rule: str
    deadline_legal_basis: str
    calendar_version: str
    extensions: int
    supplement_due_on: date | None
    supplement_requested_late: bool = Field(
        False, description="The first 보완 요구 came after 8 working hours (규칙 제9조①)"
    )
    supplement_extensions: int = Field(0, description="More time given to supplement (영 제24조②)")
    outcome: str
    answer: str
    refusal_reason: str
    appeal_route: str
    answered_at: datetime | None
    objection_last_day: date | None
    objection_outcome: str
    signer_count: int
    household_count: int
    is_multi_party: bool
    parent_id: int | None
    transferred_to: str

    @staticmethod
    def of(c: Complaint) -> dict[str, Any]:
        return {
            **{name: getattr(c, name) for name in ComplaintOut.model_fields if hasattr(c, name)},
            "complaint_type": c.complaint_type.code if c.complaint_type else None,
            "type_version": c.type_version.version if c.type_version else None,
            "org_unit": c.org_unit.code if c.org_unit else None,
            "extensions": len(c.extensions),
        }


class ComplaintFiledOut(ComplaintOut):
    """The answer to filing without an account: the complaint and its follow-up number, shown
    this once (with the password it opens POST /complaints/status)."""

    follow_number: str = Field(description="The follow-up number: keep it, it is the lookup key")


class ApplicantOut(Schema):
    name: str
    phone: str
    email: str
    address: str
    rrn: str


class ReceiptOut(Schema):
    receipt_number: str
    registered_at: datetime | None
    kind: str
    type_name: str
    title: str
    channel: str
    org_unit: str
    due_at: datetime | None
    legal_basis: str
    required_documents: list[str]
    formal_receipt_required: bool
    applicant_name: str


class TimelineEntryOut(Schema):
    at: datetime
    action: str
    actor: str
    from_status: str
    to_status: str
    details: dict[str, Any]


class StatusLookupIn(Schema):
    follow_number: str = Field(
        "", description="The follow-up number given when the complaint was sent (K7QF-3MXA-9RTB)"
    )
    receipt_number: str = Field(
        "",
        description=(
            "Deprecated name of follow_number. A receipt number (접수번호) is public and "
            "sequential, so it opens nothing: 400 complaint.lookup_needs_follow_number"
        ),
    )
    password: str


class StatusOut(Schema):
    receipt_number: str | None
    kind: str
    status: str
    title: str
    registered_at: datetime | None
    due_at: datetime | None
    outcome: str
    answer: str


class RegisterIn(Schema):
    org_unit: str = ""


class AssignIn(Schema):
    assignee_id: int
    org_unit: str = ""


class TransferIn(Schema):
    kind: TransferKind
    reason: str
    to_org_unit: str = ""
    to_agency: str = ""


class SupplementRequestIn(Schema):
    items: list[str]
    days: int
    late_reason: str = Field(
        "",
        description="Why it could not be asked earlier; required more than 8 working hours "
        "after registration (규칙 제9조①)",
    )


class SupplementExtensionIn(Schema):
    days: int = Field(description="Days the complainant needs, counted from today (영 제24조②)")
    note: str = Field("", description="How and why the complainant asked")


class ConsentIn(Schema):
    method: str = Field(description="How the complainant agreed: written, phone or electronic")
    given_at: datetime | None = Field(None, description="When they agreed (with time zone)")
    note: str = Field("", description="The officer's note (required for consent by phone)")


class ExtendIn(Schema):
    period: str = Field(description="e.g. '7d'; at most the original period")
    reason: ExtensionReason | str
    reason_text: str = ""
    consent: ConsentIn | None = Field(
        None, description="The complainant's consent, how and when (영 제21조① 단서; 2nd extension)"
    )


class AnswerIn(Schema):
    outcome: Outcome
    answer: str = Field(max_length=ANSWER_MAX_LENGTH)
    reason: str = Field("", max_length=ANSWER_NOTE_MAX_LENGTH)
    appeal_route: str = Field("", max_length=ANSWER_NOTE_MAX_LENGTH)


class ReasonIn(Schema):
    reason: str = ""


class SupplementIn(Schema):
    text: str = Field(description="What the complainant sends; files go to /attachments first")


class RatingIn(Schema):
    score: int = Field(ge=1, le=5, description="1 very dissatisfied … 5 very satisfied")
    comment: str = ""


class ObjectionIn(Schema):
    grounds: str


class ObjectionDecisionIn(Schema):
    outcome: ObjectionOutcome
    decision: str


class MergeIn(Schema):
    other_ids: list[int]


class ChildIn(Schema):
    org_unit: str
    title: str
    period: str = ""


class ExcludedTimeIn(Schema):
    kind: str = Field(
        description="document_transit, representative, hearing, testing, prior_matter, "
        "site_investigation (고충민원) or system_outage (영 제20조 제2호)"
    )
    start: datetime
    end: datetime | None = Field(None, description="None: still running (the clock stops)")
    note: str = ""


class ExcludedTimeEndIn(Schema):
    end: datetime
    note: str = ""


class CommitteeReviewIn(Schema):
    held_on: date = Field(description="The day the 민원조정위원회 met")
    decision: CommitteeDecision = Field(description="close: 종결 may follow; continue")
    summary: str = Field(description="What it decided and why")


class HouseholdsIn(Schema):
    households: int = Field(description="The corrected number of 세대 (법 제2조 제6호)")
    reason: str = Field(description="Why the count the addresses gave is wrong")


class RoutingSuggestionOut(Schema):
    rank: int
    org_unit: str = Field(description="the org unit's code")
    name: str
    confidence: float
    words: list[str] = Field(description="the (masked) words that drove the suggestion")


class RoutingDecisionOut(Schema):
    outcome: str = Field(description="accepted or overridden")
    org_unit: str
    decided_at: datetime


class RoutingDuplicateOut(Schema):
    complaint_id: int
    similarity: float
    linked: bool


class RoutingCampaignOut(Schema):
    people: int = Field(description="different complainants of the near-identical complaints")
    complaint_ids: list[int] = Field(description="the other members the caller may see")
    hidden: int = Field(description="members in other units' queues")


class RoutingRepeatEvidenceOut(Schema):
    complaint_id: int | None = Field(description="null: in another unit's queue")
    similarity: float
    result_notified: bool


class RoutingRepeatOut(Schema):
    legal_basis: str
    notified_count: int
    evidence: list[RoutingRepeatEvidenceOut]


class RoutingOut(Schema):
    read: bool = Field(description="false until routing has read the complaint")
    suggestions: list[RoutingSuggestionOut] = Field(description="top 3 departments")
    reason: str = Field("", description="why there is no suggestion (empty when there is one)")
    model_version: str = Field("", description='"" = cold start from the duties texts')
    decision: RoutingDecisionOut | None = None
    duplicates: list[RoutingDuplicateOut] = Field(
        [], description="near-duplicates the caller may see, most similar first"
    )
    campaign: RoutingCampaignOut | None = Field(
        None, description="a suggestion to handle them as one 다수인관련민원 (merge)"
    )
    repeat: RoutingRepeatOut | None = Field(
        None, description="법 제23조 flag with its evidence (an officer decides)"
    )


class RoutingDecisionIn(Schema):
    org_unit: str = Field(description="the unit that should handle it (a suggestion or another)")
    reason: str = Field("", max_length=1000, description="for the transfer, when it moves")


class RepeatIn(Schema):
    earlier_ids: list[int]
    reason: str


class AttachmentOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int
    sha256: str
    created_at: datetime


class ComplaintPageOut(Schema):
    items: list[ComplaintOut]
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next page")


class IntegratorFileIn(ComplaintFileIn):
    external_ref: str = Field("", max_length=100, description="The sending system's reference")
    arrived_at: datetime | None = None
