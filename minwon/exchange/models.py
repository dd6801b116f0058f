from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from minwon.complaints.models import Complaint
from minwon.core.models import BaseModel
from minwon.exchange.domain import Agency

AGENCY_CHOICES = [(a.value, a.value) for a in Agency]


class ExchangeLink(BaseModel):
    """A complaint that came from a national system, and the last report queued for it.

    (agency, external_id) is unique: an item imported twice (a repeated poll, a push and a poll
    of the same item) creates one complaint. `queued_*` is the state of the newest report row
    (ExchangeReport) made for this complaint; a new report is made only when the complaint's
    status or deadline differs from it.
    """

    agency = models.CharField(_("agency"), max_length=10, choices=AGENCY_CHOICES)
    external_id = models.CharField(_("external number"), max_length=60)
    complaint = models.OneToOneField(
        Complaint, on_delete=models.PROTECT, related_name="exchange_link"
    )
    external_registered_at = models.DateTimeField(_("registered at the national system"))
    external_due_at = models.DateTimeField(_("national deadline"), null=True, blank=True)
    queued_sequence = models.PositiveIntegerField(default=0)
    queued_status = models.CharField(max_length=30, blank=True)
    queued_due_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "external_id"], name="exchange_unique_external_id"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency}:{self.external_id}"


class ReportState(models.TextChoices):
    PENDING = "pending", _("waiting to be delivered")
    DELIVERED = "delivered", _("delivered")
    CONFLICT = "conflict", _("the national side holds a different report under this id")


class ExchangeReport(BaseModel):
    """One report to a national system: the outbox row, its content fixed when its id is given.

    A retry sends exactly the same body under the same `report_id`, so the national side's
    de-duplication is safe; a 409 is settled by reading back what the national side holds
    (`confirmed_by="reconciled"`), never assumed.
    """

    link = models.ForeignKey(ExchangeLink, on_delete=models.PROTECT, related_name="reports")
    sequence = models.PositiveIntegerField()
    report_id = models.CharField(max_length=80, unique=True)
    payload = models.JSONField()
    state = models.CharField(
        max_length=10, choices=ReportState.choices, default=ReportState.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.CharField(max_length=12, blank=True)  # "accepted" or "reconciled"

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["link", "sequence"], name="exchange_report_sequence")
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="exchange_report_due")]

    def __str__(self) -> str:
        return f"{self.report_id} {self.state}"


class ExchangeCursor(models.Model):
    """Per agency: where the last successful poll stopped, and the report sweep's lease.

    Only the holder of an unexpired lease sends reports for the agency (one sweep at a time per
    link); the holder renews it after every report and a crashed holder's lease runs out.
    """

    agency = models.CharField(max_length=10, choices=AGENCY_CHOICES, unique=True)
    cursor = models.CharField(max_length=200, blank=True)
    polled_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    sweep_owner = models.CharField(max_length=40, blank=True)
    sweep_lease_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.agency}@{self.cursor}"


class ExchangeRejection(BaseModel):
    """An incoming item that did not follow the format, kept for an officer to look at."""

    agency = models.CharField(max_length=10, choices=AGENCY_CHOICES)
    external_id = models.CharField(max_length=60, blank=True)
    field = models.CharField(max_length=60)
    reason = models.TextField()
    payload = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"{self.agency}:{self.external_id} {self.field}"
