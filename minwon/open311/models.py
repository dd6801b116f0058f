from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from minwon.accounts.models import ApiKey, OrgUnit
from minwon.catalog.models import ComplaintType
from minwon.complaints.models import Complaint
from minwon.core.models import BaseModel
from minwon.lawclock.kinds import ComplaintKind


class Open311Service(BaseModel):
    """A complaint kind or catalogue entry offered to Open311 clients as a `service`.

    Only services marked public are listed. A service is backed by a catalogue entry
    (`complaint_type`) or by a kind alone (a 제보 report service, a 건의 service ...). Non-spatial
    services (질의, 건의 …) accept requests without a location: a documented deviation.
    """

    REALTIME = "realtime"
    BATCH = "batch"

    service_code = models.SlugField(_("service code"), max_length=60, unique=True)
    name_ko = models.CharField(_("Korean name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    description_ko = models.TextField(_("Korean description"), blank=True)
    description_en = models.TextField(_("English description"), blank=True)
    group = models.CharField(_("group"), max_length=60, blank=True)
    keywords = models.CharField(_("keywords"), max_length=200, blank=True)
    complaint_kind = models.CharField(
        _("complaint kind"), max_length=20, choices=[(k.value, k.value) for k in ComplaintKind]
    )
    complaint_type = models.ForeignKey(
        ComplaintType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    service_type = models.CharField(
        _("service type"),
        max_length=10,
        choices=[(REALTIME, "realtime"), (BATCH, "batch")],
        default=REALTIME,
    )
    is_public = models.BooleanField(_("public"), default=True)
    is_spatial = models.BooleanField(_("needs a location"), default=True)
    publish_description = models.BooleanField(
        _("publish the description in public lists"), default=False
    )
    attributes = models.JSONField(_("attributes"), default=list, blank=True)

    class Meta:
        verbose_name = _("Open311 service")
        verbose_name_plural = _("Open311 services")
        ordering = ["service_code"]

    def __str__(self) -> str:
        return self.service_code


class Open311Request(BaseModel):
    """A complaint that arrived through Open311, with what the client sent besides the complaint.

    `address_string` is kept only encrypted (`address_encrypted`): for a service that identifies
    its author it is the author's own address (it also lives, encrypted, on the applicant); for a
    report it is the place, which the complaint carries as its `location_text`. The public feed
    shows only a coarsened place (docs/open311.md).
    """

    complaint = models.OneToOneField(Complaint, on_delete=models.CASCADE, related_name="open311")
    service = models.ForeignKey(Open311Service, on_delete=models.PROTECT, related_name="requests")
    token = models.CharField(max_length=40, unique=True)
    api_key = models.ForeignKey(ApiKey, on_delete=models.PROTECT, related_name="+")
    lat = models.FloatField(null=True, blank=True)
    long = models.FloatField(null=True, blank=True)
    address_encrypted = models.TextField(blank=True)
    address_id = models.CharField(max_length=100, blank=True)
    media_url = models.URLField(max_length=500, blank=True)
    attribute_values = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return self.token


class Open311InboundUpdate(BaseModel):
    """An update a client pushed with POST servicerequestupdates (mySociety extension)."""

    request = models.ForeignKey(Open311Request, on_delete=models.CASCADE, related_name="updates")
    api_key = models.ForeignKey(ApiKey, on_delete=models.PROTECT, related_name="+")
    update_id = models.CharField(max_length=100)
    status = models.CharField(max_length=40)
    description = models.TextField(blank=True)  # a 주민등록번호 in it is masked
    description_original_encrypted = models.TextField(blank=True)  # as sent, when it was masked
    updated_at = models.DateTimeField()
    media_url = models.URLField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["api_key", "update_id"], name="open311_unique_update")
        ]

    def __str__(self) -> str:
        return self.update_id
