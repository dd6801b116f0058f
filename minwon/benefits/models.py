"""Tables of the life-event bundles: one bundle application, one programme application per
chosen programme, their documents, their history, and the care wait-list (docs/benefits.md).

The facts the family declared are kept as submitted (``facts``): eligibility is re-read from them,
never from the live catalogue, so a later catalogue change does not rewrite a decision's basis.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from minwon.benefits.domain.applications import Action, Status
from minwon.core.models import BaseModel

STATUS_CHOICES = [
    (Status.SUBMITTED.value, _("submitted")),
    (Status.UNDER_REVIEW.value, _("under review")),
    (Status.APPROVED.value, _("approved")),
    (Status.REJECTED.value, _("rejected")),
    (Status.PAID.value, _("paid")),
    (Status.WAITLISTED.value, _("on the wait-list")),
    (Status.REFERRED.value, _("referred elsewhere")),
    (Status.WITHDRAWN.value, _("withdrawn")),
]
ACTION_CHOICES = [
    ("submit", _("submit")),
    (Action.REVIEW.value, _("start review")),
    (Action.APPROVE.value, _("approve")),
    (Action.REJECT.value, _("reject")),
    (Action.PAY.value, _("pay")),
    (Action.WAITLIST.value, _("put on the wait-list")),
    (Action.WITHDRAW.value, _("withdraw")),
]


class BundleApplication(BaseModel):
    """One application for a bundle (행복출산 …), as submitted: who, which bundle and catalogue
    version, the facts declared and the consents given."""

    class Channel(models.TextChoices):
        PORTAL = "portal", _("online")
        COUNTER = "counter", _("at the community centre")

    receipt_no = models.CharField(_("receipt number"), max_length=20, unique=True)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="benefit_applications",
        verbose_name=_("applicant"),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by (official)"),
    )
    bundle_code = models.CharField(_("bundle"), max_length=30)
    bundle_version = models.CharField(_("bundle version"), max_length=20)
    catalogue_version = models.CharField(_("catalogue version"), max_length=20)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    submitted_at = models.DateTimeField(_("submitted at"))
    facts = models.JSONField(_("declared facts"), default=dict)
    consents = models.JSONField(_("consents"), default=list)

    class Meta:
        verbose_name = _("bundle application")
        verbose_name_plural = _("bundle applications")
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return self.receipt_no


class ProgrammeApplication(BaseModel):
    """One programme of a bundle application: the unit whose status is tracked."""

    bundle = models.ForeignKey(
        BundleApplication,
        on_delete=models.CASCADE,
        related_name="programmes",
        verbose_name=_("bundle application"),
    )
    programme_code = models.CharField(_("programme"), max_length=40)
    tier = models.CharField(_("tier"), max_length=20)
    status = models.CharField(_("status"), max_length=20, choices=STATUS_CHOICES)
    eligible = models.BooleanField(_("eligible when submitted"), default=False)
    amount_estimate = models.BigIntegerField(_("estimated amount (won)"), null=True, blank=True)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    pays_from = models.CharField(_("paid from (month)"), max_length=7, blank=True)
    due_at = models.DateTimeField(_("processing deadline"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    priority_flags = models.JSONField(_("care priority flags"), default=list, blank=True)

    class Meta:
        verbose_name = _("programme application")
        verbose_name_plural = _("programme applications")
        ordering = ["bundle_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["bundle", "programme_code"], name="benefits_one_programme_per_bundle"
            )
        ]
        indexes = [
            models.Index(
                fields=["status", "due_at"],
                condition=Q(status__in=["submitted", "under_review", "waitlisted"]),
                name="benefits_open_queue",
            )
        ]

    def __str__(self) -> str:
        return f"{self.bundle.receipt_no} {self.programme_code}"


class ProgrammeDocument(BaseModel):
    """A document a programme needs: looked up with the applicant's consent, or to be shown."""

    class State(models.TextChoices):
        REQUIRED = "required", _("to be shown")
        LOOKED_UP = "looked_up", _("looked up with consent")
        VERIFIED = "verified", _("checked by an official")

    application = models.ForeignKey(
        ProgrammeApplication, on_delete=models.CASCADE, related_name="documents"
    )
    code = models.CharField(_("document"), max_length=40)
    state = models.CharField(_("document state"), max_length=20, choices=State.choices)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(_("checked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("programme document")
        verbose_name_plural = _("programme documents")
        ordering = ["application_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "code"], name="benefits_one_document_per_code"
            )
        ]

    def __str__(self) -> str:
        return self.code


class ProgrammeStatusEvent(models.Model):
    """The history of a programme application (append-only by use: only services insert)."""

    application = models.ForeignKey(
        ProgrammeApplication, on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("step"), max_length=20, choices=ACTION_CHOICES)
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    occurred_at = models.DateTimeField(_("occurred at"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("programme status event")
        verbose_name_plural = _("programme status events")
        ordering = ["occurred_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"
