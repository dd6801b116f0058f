from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from minwon.accounts.models import OrgUnit
from minwon.core.models import BaseModel
from minwon.lawclock.kinds import ComplaintKind

KIND_CHOICES = [(k.value, k.value) for k in ComplaintKind if k != ComplaintKind.TIP]


class ComplaintType(BaseModel):
    """A kind of complaint the city handles (민원사무); its content lives in immutable versions."""

    code = models.SlugField(_("code"), max_length=80, unique=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=KIND_CHOICES, default=ComplaintKind.STATUTORY.value
    )
    is_active = models.BooleanField(_("active"), default=True)
    current_version = models.ForeignKey(
        "ComplaintTypeVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("current version"),
    )

    class Meta:
        verbose_name = _("complaint type")
        verbose_name_plural = _("complaint types")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class ComplaintTypeVersion(BaseModel):
    """One version of a catalogue entry (영 제10조②). Never changed: an edit makes a new version,
    and a complaint keeps the version it was registered under."""

    complaint_type = models.ForeignKey(
        ComplaintType, on_delete=models.PROTECT, related_name="versions"
    )
    version = models.PositiveIntegerField(_("version"))
    name_ko = models.CharField(_("Korean name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    category = models.CharField(_("category"), max_length=50, blank=True)
    processing_period = models.CharField(_("processing period"), max_length=20)
    stage_periods = models.JSONField(_("periods per stage"), default=dict, blank=True)
    required_documents = models.JSONField(_("required documents"), default=list, blank=True)
    fee_krw = models.PositiveIntegerField(_("fee (KRW)"), null=True, blank=True)
    fee_note = models.CharField(_("fee note"), max_length=300, blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    handling_org_unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handling org unit"),
    )
    consulting_org_units = models.ManyToManyField(
        OrgUnit, blank=True, related_name="+", verbose_name=_("consulting org units")
    )
    form_name = models.CharField(_("application form"), max_length=200, blank=True)
    form_url = models.URLField(_("form address"), blank=True)
    requires_rrn = models.BooleanField(_("resident registration number required"), default=False)
    application_channels = models.JSONField(_("application channels"), default=list, blank=True)
    source = models.TextField(_("source"), blank=True)
    aliases = models.JSONField(_("search words"), default=list, blank=True)
    created_by_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("complaint type version")
        verbose_name_plural = _("complaint type versions")
        constraints = [
            models.UniqueConstraint(
                fields=["complaint_type", "version"], name="catalog_unique_type_version"
            )
        ]
        ordering = ["complaint_type_id", "version"]

    def __str__(self) -> str:
        return f"{self.name_ko} v{self.version}"


class HolidayOverride(BaseModel):
    """A day an organisation adds (임시공휴일, 지방공휴일) to or removes from the holiday list.

    `organisation` None: the whole deployment (every org unit).
    """

    EXTRA = "extra"
    REMOVED = "removed"

    organisation = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    day = models.DateField(_("day"))
    kind = models.CharField(
        _("kind"),
        max_length=10,
        choices=[(EXTRA, _("extra holiday")), (REMOVED, _("removed holiday"))],
    )
    name = models.CharField(_("name"), max_length=100)
    source = models.CharField(_("source"), max_length=300, blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("holiday override")
        verbose_name_plural = _("holiday overrides")
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(
                fields=["day"],
                condition=Q(organisation__isnull=True),
                name="catalog_unique_holiday_everywhere",
            ),
            models.UniqueConstraint(
                fields=["organisation", "day"], name="catalog_unique_holiday_per_org"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.kind} {self.name}"


class CalendarVersion(BaseModel):
    """Which holiday list a stored calendar version was (법 제19조, 민법 제161조: a deadline is
    kept with the calendar that produced it). The version names the `holidays` package release
    and hashes the overrides; this row keeps the overrides themselves, so every version stored on
    a deadline resolves to its days. Written with every holiday change, never changed."""

    version = models.CharField(_("calendar version"), max_length=200, unique=True)
    holidays_version = models.CharField(_("holidays package version"), max_length=40)
    # [{"day": "2026-03-10", "kind": "extra" | "removed", "name": "…"}], in day order
    overrides = models.JSONField(_("holiday overrides"), default=list)

    class Meta:
        verbose_name = _("calendar version")


class CalendarChange(BaseModel):
    """A change of the working calendar, written in the change's own transaction, and whether the
    stored deadlines have caught up with it (DESIGN.md: a new holiday re-computes open deadlines).

    The holiday request only writes this row; the complaints context's scheduled job claims the
    waiting rows with a lease (`calendar_changes_claim`), re-computes every open deadline once
    for all of them, and records its progress here, where the calendar API shows it.
    """

    WITHDRAWN = "withdrawn"  # holiday_kind: an override was taken back

    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"

    reason = models.CharField(_("reason"), max_length=200)
    # the holiday that changed, for the moved-date notices (민법 제161조): the day, its name and
    # HolidayOverride.EXTRA / REMOVED, or WITHDRAWN when an override was taken back
    holiday_day = models.DateField(null=True, blank=True)
    holiday_name = models.CharField(max_length=100, blank=True)
    holiday_kind = models.CharField(max_length=10, blank=True)
    calendar_version = models.CharField(_("calendar version"), max_length=200)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=[(PENDING, _("waiting")), (RUNNING, _("running")), (DONE, _("done"))],
        default=PENDING,
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    claim_token = models.CharField(max_length=32, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    total = models.PositiveIntegerField(_("open complaints"), default=0)
    scanned = models.PositiveIntegerField(_("scanned"), default=0)
    changed = models.PositiveIntegerField(_("deadlines changed"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    error = models.CharField(_("last error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("calendar change")
        verbose_name_plural = _("calendar changes")
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["id"], condition=~Q(status="done"), name="catalog_calendar_change_open"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reason} ({self.status})"
