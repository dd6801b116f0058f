from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from minwon.complaints.models import Complaint
from minwon.core.models import BaseModel
from minwon.exchange.domain import Agency

AGENCY_CHOICES = [(a.value, a.value) for a in Agency]


class ExchangeLink(BaseModel):
    """A complaint that came from a national system, and what was reported back so far.

    (agency, external_id) is unique: an item imported twice (a repeated poll, a push and a poll
    of the same item) creates one complaint.
    """

    agency = models.CharField(_("agency"), max_length=10, choices=AGENCY_CHOICES)
    external_id = models.CharField(_("external number"), max_length=60)
    complaint = models.OneToOneField(
        Complaint, on_delete=models.PROTECT, related_name="exchange_link"
    )
    external_registered_at = models.DateTimeField(_("registered at the national system"))
    external_due_at = models.DateTimeField(_("national deadline"), null=True, blank=True)
    reported_sequence = models.PositiveIntegerField(default=0)
    reported_status = models.CharField(max_length=30, blank=True)
    reported_due_at = models.DateTimeField(null=True, blank=True)
    report_attempts = models.PositiveIntegerField(default=0)
    next_report_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "external_id"], name="exchange_unique_external_id"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency}:{self.external_id}"


class ExchangeCursor(models.Model):
    """Where the last successful poll of an agency stopped."""

    agency = models.CharField(max_length=10, choices=AGENCY_CHOICES, unique=True)
    cursor = models.CharField(max_length=200, blank=True)
    polled_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)

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
