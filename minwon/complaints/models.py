from __future__ import annotations

from enum import StrEnum

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from minwon.accounts.models import OrgUnit
from minwon.catalog.models import ComplaintType, ComplaintTypeVersion
from minwon.complaints.domain import (
    Action,
    ClockKind,
    ComplaintStatus,
    IntakeChannel,
    NoticeKind,
    ObjectionOutcome,
    Outcome,
)
from minwon.core.models import BaseModel
from minwon.lawclock.kinds import ComplaintKind


def _choices(enum: type[StrEnum]) -> list[tuple[str, str]]:
    return [(member.value, member.value) for member in enum]


class Complaint(BaseModel):
    """One complaint (민원) or anonymous tip (제보) and the state of its legal clock.

    The deadline columns are derived data: `clock`, `clock_started_at`, `period`,
    `excluded_intervals` and `extensions` are the inputs, and `due_at` with its provenance
    (`deadline_rule`, `deadline_legal_basis`, `calendar_version`, `rule_version`) is what lawclock
    computed from them; `complaint_deadlines_recompute` recomputes it when the calendar changes.
    """

    receipt_number = models.CharField(
        _("receipt number"), max_length=20, unique=True, null=True, blank=True
    )
    # 조회번호: given the moment the complaint is sent, random (domain.follow_number)
    follow_number = models.CharField(
        _("follow-up number"), max_length=14, unique=True, null=True, blank=True, editable=False
    )
    kind = models.CharField(_("kind"), max_length=20, choices=_choices(ComplaintKind))
    complaint_type = models.ForeignKey(
        ComplaintType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    type_version = models.ForeignKey(
        ComplaintTypeVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("content"))
    # The title and content as sent, encrypted, when intake masked a 주민등록번호 typed into them
    # (title and body then hold the masked text everyone is shown); empty otherwise.
    original_text_encrypted = models.TextField(blank=True, editable=False)
    # where it happened (optional): 도로명주소 or a landmark as typed, and a map pin (WGS84)
    location_text = models.CharField(_("place"), max_length=200, blank=True)
    location_lat = models.FloatField(_("latitude"), null=True, blank=True)
    location_lng = models.FloatField(_("longitude"), null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=_choices(IntakeChannel))
    external_ref = models.CharField(_("external reference"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=_choices(ComplaintStatus), db_index=True
    )
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status_password = models.CharField(max_length=128, blank=True, editable=False)
    arrived_at = models.DateTimeField(_("arrived at"))
    registered_at = models.DateTimeField(_("registered at"), null=True, blank=True)
    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="complaints"
    )
    unit_received_at = models.DateTimeField(null=True, blank=True)  # for the transfer limits
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # the legal clock
    clock = models.CharField(max_length=20, choices=_choices(ClockKind), blank=True, default="")
    clock_started_at = models.DateTimeField(null=True, blank=True)
    period = models.CharField(_("processing period"), max_length=20, blank=True)
    period_legal_basis = models.CharField(max_length=200, blank=True)
    excluded_intervals = models.JSONField(default=list, blank=True)
    extensions = models.JSONField(default=list, blank=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True, db_index=True)
    # 영 제21조①: the due instant before the first extension (decided before it), kept for the
    # delay indicators whatever happens later; None while the period was never extended
    original_due_at = models.DateTimeField(_("original due at"), null=True, blank=True)
    deadline_rule = models.CharField(max_length=20, blank=True)
    deadline_legal_basis = models.CharField(max_length=200, blank=True)
    calendar_version = models.CharField(max_length=80, blank=True)
    rule_version = models.CharField(max_length=40, blank=True)
    # supplement (보완)
    supplement_requests = models.PositiveSmallIntegerField(default=0)
    supplement_due_on = models.DateField(null=True, blank=True)
    # what supplement_due_on is counted from (민법 제157조) and how many days, so a holiday change
    # re-derives it (민법 제161조): the request's day, or the day more time was given
    supplement_period_from = models.DateField(null=True, blank=True)
    supplement_period_days = models.PositiveSmallIntegerField(null=True, blank=True)
    # 규칙 제9조①: the first 보완 요구 came later than 8 working hours after registration (for the
    # indicators; the request's history row keeps the limit and the reason)
    supplement_requested_late = models.BooleanField(default=False)
    # 영 제24조②: times the complainant was given more time to supplement (at most two)
    supplement_extensions = models.PositiveSmallIntegerField(default=0)
    progress_notices = models.PositiveSmallIntegerField(default=0)
    # answer and objection
    outcome = models.CharField(max_length=20, choices=_choices(Outcome), blank=True)
    answer = models.TextField(_("answer"), blank=True)
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    appeal_route = models.TextField(_("remedy"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    result_notices = models.PositiveSmallIntegerField(default=0)
    objection_last_day = models.DateField(null=True, blank=True)
    objection_filed_at = models.DateTimeField(null=True, blank=True)
    objection_grounds = models.TextField(blank=True)
    objection_outcome = models.CharField(
        max_length=20, choices=_choices(ObjectionOutcome), blank=True
    )
    objection_decision = models.TextField(blank=True)
    # several people, several units
    signer_count = models.PositiveIntegerField(default=1)
    household_count = models.PositiveIntegerField(default=1)
    is_multi_party = models.BooleanField(default=False)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged"
    )
    transferred_to = models.CharField(_("transferred to"), max_length=200, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        indexes = [
            models.Index(fields=["org_unit", "status"]),
            models.Index(fields=["citizen", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="complaint_location_whole_point",
                condition=(
                    models.Q(location_lat__isnull=True, location_lng__isnull=True)
                    | models.Q(
                        location_lat__isnull=False,
                        location_lng__isnull=False,
                        location_lat__gte=-90,
                        location_lat__lte=90,
                        location_lng__gte=-180,
                        location_lng__lte=180,
                    )
                ),
            )
        ]

    def __str__(self) -> str:
        return self.receipt_number or f"#{self.pk}"

    @property
    def kind_enum(self) -> ComplaintKind:
        return ComplaintKind(self.kind)

    @property
    def status_enum(self) -> ComplaintStatus:
        return ComplaintStatus(self.status)


class Applicant(BaseModel):
    """Who filed the complaint (민원인), as given at filing. Every field is encrypted at rest;
    `rrn_index` is a keyed hash for equality search; views show masked values only."""

    complaint = models.OneToOneField(Complaint, on_delete=models.CASCADE, related_name="applicant")
    name_encrypted = models.TextField()
    # Blind index of the name (domain.name_search_key), so an officer can find a complaint by the
    # complainant's name without the name being stored in clear.
    name_index = models.CharField(max_length=64, blank=True, db_index=True)
    phone_encrypted = models.TextField(blank=True)
    email_encrypted = models.TextField(blank=True)
    address_encrypted = models.TextField(blank=True)
    address_index = models.CharField(max_length=64, blank=True, db_index=True)
    rrn_encrypted = models.TextField(blank=True)
    rrn_index = models.CharField(max_length=64, blank=True, db_index=True)

    def __str__(self) -> str:
        return f"applicant of {self.complaint_id}"


class Cosigner(BaseModel):
    """A co-signer of a 다수인관련민원 (연명부); households are counted by address."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="cosigners")
    name_encrypted = models.TextField()
    address_encrypted = models.TextField(blank=True)
    household_index = models.CharField(max_length=64, blank=True)
    is_representative = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"cosigner of {self.complaint_id}"


class ComplaintEvent(models.Model):
    """The history of a complaint, one row per transition. An event with a `notice` is a notice the
    law requires; the notifications outbox delivers it and sets `notice_delivered_at`."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    occurred_at = models.DateTimeField(db_index=True)
    action = models.CharField(max_length=30, choices=_choices(Action))
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)
    notice = models.CharField(max_length=30, choices=_choices(NoticeKind), blank=True)
    notice_delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["notice", "notice_delivered_at"])]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.action}"


class Attachment(BaseModel):
    """A file stored under MEDIA_ROOT (outside the web root), served after an access check only."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=200, unique=True, editable=False)

    def __str__(self) -> str:
        return self.original_name


class SatisfactionRating(BaseModel):
    """만족도 평가: the complainant's rating of one answer (a reopened complaint's next answer can
    be rated again). `answer_number` is the complaint's `result_notices` when it was rated."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="satisfaction_ratings"
    )
    answer_number = models.PositiveSmallIntegerField()
    score = models.PositiveSmallIntegerField(_("satisfaction"))
    comment = models.TextField(_("comment"), blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "answer_number"], name="satisfaction_once_per_answer"
            ),
            models.CheckConstraint(
                name="satisfaction_score_1_to_5", condition=models.Q(score__gte=1, score__lte=5)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.score}"
