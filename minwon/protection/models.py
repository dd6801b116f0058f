"""Tables of the protection context (issue 16). Tables and constraints only.

Protection sits below ``complaints`` (docs/architecture.md): a complaint and its history rows are
referred to by id, never by a foreign key into the lifecycle's tables.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from minwon.core.models import BaseModel
from minwon.protection.domain import Category, Severity, Source

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
