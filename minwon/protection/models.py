"""Tables of the protection context (issue 16). Tables and constraints only.

Protection sits below ``complaints`` (docs/architecture.md): a complaint and its history rows are
referred to by id, never by a foreign key into the lifecycle's tables; an incident names its
complaint by the opaque reference the officer types (its 접수번호).
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from minwon.accounts.models import OrgUnit, User
from minwon.core import crypto
from minwon.core.models import AppendOnlyError, BaseModel
from minwon.protection.domain import Category, Severity, Source
from minwon.protection.measures import ContactChannel, IncidentKind, IncidentSource, Measure

SOURCE_CHOICES = [
    (Source.COMPLAINT.value, pgettext_lazy("screened text", "complaint")),
    (Source.SUPPLEMENT.value, pgettext_lazy("screened text", "supplement")),
    (Source.OBJECTION.value, pgettext_lazy("screened text", "objection")),
    (Source.MESSAGE.value, pgettext_lazy("screened text", "message")),
]
CATEGORY_CHOICES = [
    (Category.PROFANITY.value, _("profanity")),  # 욕설
    (Category.INSULT.value, _("insult")),  # 모욕
    (Category.THREAT.value, _("threat")),  # 협박
    (Category.SELF_HARM.value, _("self-harm threat")),  # 자해·자살 위협
    (Category.SEXUAL_HARASSMENT.value, _("sexual harassment")),  # 성희롱
    (Category.DISCRIMINATION.value, _("discriminatory abuse")),  # 차별·혐오 표현
]
SEVERITY_CHOICES = [
    (Severity.NONE.value, pgettext_lazy("severity", "none")),
    (Severity.LOW.value, pgettext_lazy("severity", "low")),
    (Severity.MEDIUM.value, pgettext_lazy("severity", "medium")),
    (Severity.HIGH.value, pgettext_lazy("severity", "high")),
    (Severity.URGENT.value, pgettext_lazy("severity", "urgent")),
]


# --- screening (특이민원 screen of a citizen's text) -------------------------------------------


class Screening(BaseModel):
    """The screen's result for one citizen text: never the text itself (it stays where it was
    written), only what was found in it. ``spans`` are offsets into that text with the matched
    words masked; an officer's page masks the text with them and shows it only on a logged
    reveal. A changed text (an edit) is screened again: a new row, the newest one counts."""

    complaint_id = models.BigIntegerField(_("complaint"), db_index=True)
    source = models.CharField(_("source"), max_length=20, choices=SOURCE_CHOICES)
    # The history row (complaints.ComplaintEvent) or message that carried the text.
    source_id = models.BigIntegerField(_("source row"))
    text_sha256 = models.CharField(max_length=64)
    text_length = models.PositiveIntegerField(default=0)
    abusive = models.BooleanField(_("abusive"), default=False)
    urgent = models.BooleanField(_("urgent"), default=False)
    severity = models.CharField(
        _("severity"), max_length=10, choices=SEVERITY_CHOICES, default=Severity.NONE.value
    )
    severity_rank = models.PositiveSmallIntegerField(default=0)  # for "the worst of a complaint"
    categories = models.JSONField(_("categories"), default=list)
    # [{"category", "severity", "start", "end", "masked", "rule"}] as the screen returned them
    spans = models.JSONField(_("matched spans"), default=list)
    truncated = models.BooleanField(default=False)
    # Why nothing was read: "not_text", "empty", or "failed" (the screen raised; logged)
    reason = models.CharField(max_length=20, blank=True)
    screen_version = models.CharField(_("screen version"), max_length=40)

    class Meta:
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id", "text_sha256", "screen_version"],
                name="protection_screening_once",
            )
        ]
        indexes = [models.Index(fields=["complaint_id", "severity_rank"])]

    def __str__(self) -> str:
        return f"{self.source}#{self.source_id} {self.severity}"


class ScreeningCursor(BaseModel):
    """How far a caller's stream of texts has been screened (``complaints`` keeps the position
    of its history here: protection knows the number only, never the events)."""

    name = models.CharField(max_length=40, unique=True)
    last_event_id = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("screening cursor")


# --- incidents (특이민원 발생 기록): append-only ------------------------------------------------

INCIDENT_KIND_CHOICES = [
    (IncidentKind.VERBAL_ABUSE.value, _("Verbal abuse or swearing")),
    (IncidentKind.THREAT.value, _("Threat (to staff or of self-harm)")),
    (IncidentKind.SEXUAL_HARASSMENT.value, _("Sexual harassment")),
    (IncidentKind.ASSAULT.value, _("Assault")),
    (IncidentKind.DANGEROUS_OBJECT.value, _("Carrying a weapon or dangerous object")),
    (IncidentKind.PROLONGED_CONTACT.value, _("Prolonged call or meeting")),
    (IncidentKind.REPEATED_COMPLAINTS.value, _("Repeated complaints obstructing work")),
    (IncidentKind.UNJUST_DEMAND.value, _("Unjust demand, protest or obstruction")),
    (IncidentKind.OTHER.value, _("Other physical or mental harm")),
]
CONTACT_CHANNEL_CHOICES = [
    (ContactChannel.VISIT.value, _("Visit (counter or meeting)")),
    (ContactChannel.PHONE.value, _("Phone")),
    (ContactChannel.ONLINE.value, _("Online")),
    (ContactChannel.WRITTEN.value, _("Written or post")),
    (ContactChannel.OTHER.value, _("Other")),
]
INCIDENT_SOURCE_CHOICES = [
    (IncidentSource.OFFICER.value, _("Recorded by an officer")),
    (IncidentSource.PANIC.value, _("Panic button")),
]
MEASURE_CHOICES = [
    (Measure.RECORDING.value, _("Recording (audio or video)")),
    (Measure.PANIC_BELL.value, _("Panic bell")),
    (Measure.SECURITY_GUARD.value, _("Security guard")),
    (Measure.SEPARATION.value, _("Separation of the officer or pause of work")),
    (Measure.CARE_SUPPORT.value, _("Treatment and counselling support")),
    (Measure.CRIMINAL_REFERRAL.value, _("Criminal complaint by the office")),
    (Measure.LEGAL_SUPPORT.value, _("Legal support")),
]


class AppendOnlyQuerySet(models.QuerySet[Any]):
    """Bulk updates and deletes are refused too (a database trigger refuses raw SQL)."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError(f"{self.model._meta.label} is append-only")

    def delete(self) -> NoReturn:
        raise AppendOnlyError(f"{self.model._meta.label} is append-only")


class AppendOnly(models.Model):
    """A row is written once; a correction is a new row (migration 0001 adds the triggers)."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.label} is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError(f"{self._meta.label} is append-only")


class Incident(AppendOnly, BaseModel):
    """One entry of the incident register (특이민원 발생보고서). A correction is a new entry whose
    ``corrects`` is the first entry of the incident (``root``); the newest entry is the record.
    What was said or done, and who did it, are encrypted at rest (they may name people)."""

    root = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revisions",
        help_text="The incident's first entry; empty on that entry itself.",
    )
    reason = models.CharField(_("reason for the correction"), max_length=500, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=INCIDENT_KIND_CHOICES)
    channel = models.CharField(_("channel"), max_length=20, choices=CONTACT_CHANNEL_CHOICES)
    occurred_at = models.DateTimeField(_("occurred at"))
    source = models.CharField(
        _("source"),
        max_length=20,
        choices=INCIDENT_SOURCE_CHOICES,
        default=IncidentSource.OFFICER.value,
    )
    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("org unit")
    )
    # The officer it happened to (usually the one recording it).
    officer = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("officer")
    )
    recorded_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    complaint_reference = models.CharField(_("complaint number"), max_length=40, blank=True)
    location = models.CharField(_("place"), max_length=200, blank=True)
    description_encrypted = models.TextField(editable=False)
    complainant_encrypted = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["org_unit", "occurred_at"])]

    def __str__(self) -> str:
        return f"#{self.record_id} {self.kind} {self.occurred_at:%Y-%m-%d %H:%M}"

    @property
    def record_id(self) -> int:
        """The incident's number: its first entry's id, the same for every correction."""
        return int(self.root_id or self.pk or 0)

    @property
    def description(self) -> str:
        return crypto.decrypt(self.description_encrypted) if self.description_encrypted else ""

    @description.setter
    def description(self, value: str) -> None:
        self.description_encrypted = crypto.encrypt(value) if value else ""

    @property
    def complainant(self) -> str:
        return crypto.decrypt(self.complainant_encrypted) if self.complainant_encrypted else ""

    @complainant.setter
    def complainant(self, value: str) -> None:
        self.complainant_encrypted = crypto.encrypt(value) if value else ""


class IncidentMeasure(AppendOnly, BaseModel):
    """A measure of 영 제4조 taken for an incident: what (``measure``, ``detail``), who
    (``performed_by``: a name or a service such as 경찰; the recording officer when empty) and
    when (``taken_at``). A correction is a new row that names the row it ``corrects``."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="measures")
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    withdrawn = models.BooleanField(
        _("withdrawn"), default=False, help_text="This entry withdraws the one it corrects."
    )
    measure = models.CharField(_("measure"), max_length=30, choices=MEASURE_CHOICES)
    detail = models.CharField(_("what was done"), max_length=1000, blank=True)
    performed_by = models.CharField(_("done by"), max_length=200, blank=True)
    taken_at = models.DateTimeField(_("done at"))
    recorded_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        verbose_name = _("protection measure")
        verbose_name_plural = _("protection measures")
        ordering = ["taken_at", "id"]

    def __str__(self) -> str:
        return f"{self.measure} {self.taken_at:%Y-%m-%d %H:%M}"


class IncidentEvidence(AppendOnly, BaseModel):
    """An evidence file of an incident, checked as complaint attachments are (core.filetypes) and
    stored under MEDIA_ROOT/protection/; the sender's file name is only a label."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="evidence")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=64, unique=True, editable=False)
    uploaded_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )

    class Meta:
        verbose_name = _("incident evidence")
        verbose_name_plural = _("incident evidence")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class PanicAcknowledgement(AppendOnly, BaseModel):
    """An officer who was alarmed by a panic button (the security desk, a head) saw the alarm and
    took it on: their open pages stop sounding it. One row per incident and officer."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("panic alarm acknowledgement")
        verbose_name_plural = _("panic alarm acknowledgements")
        constraints = [
            models.UniqueConstraint(fields=["incident", "user"], name="protection_panic_ack_once")
        ]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.user_id}"
