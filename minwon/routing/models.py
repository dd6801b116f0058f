"""Routing's tables: model versions, one case per complaint read, its suggestions, the decision.

A complaint is referred to by its id only (``complaint_id``): routing sits below ``complaints``
and knows nothing of the lifecycle; ``complaints`` hands it the text and, later, where the
complaint was finally handled. Only masked text is stored here (``domain.prepare_text``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from minwon.core.models import BaseModel


class Target(models.TextChoices):
    DEPARTMENT = "department", _("department")
    KIND = "kind", _("complaint kind")


class ModelVersion(BaseModel):
    """A trained model stored under the data folder (``classifier.ModelStore``)."""

    target = models.CharField(_("target"), max_length=40, choices=Target.choices)
    version = models.CharField(_("version"), max_length=40)
    trained_at = models.DateTimeField(_("trained at"))
    n = models.PositiveIntegerField(_("training examples"))
    labels = models.JSONField(_("labels"), default=list)
    source = models.CharField(_("source"), max_length=200, blank=True)
    features = models.JSONField(_("feature configuration"), default=dict)
    sha256 = models.CharField(max_length=64)
    is_active = models.BooleanField(_("active"), default=False)
    activated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("routing model version")
        ordering = ["target", "-trained_at"]
        constraints = [
            models.UniqueConstraint(fields=["target", "version"], name="routing_model_version"),
            models.UniqueConstraint(
                fields=["target"],
                condition=models.Q(is_active=True),
                name="routing_one_active_model_per_target",
            ),
        ]


class Case(BaseModel):
    """What routing read of one complaint and what became of it (the training data)."""

    complaint_id = models.BigIntegerField(_("complaint id"), unique=True)
    text = models.TextField(_("masked text"), blank=True)
    morphemes = models.TextField(_("morphemes"), blank=True)
    reason = models.CharField(_("no-suggestion reason"), max_length=30, blank=True)
    # Why a target has no suggestion though the text was usable ({"department": "low_confidence"}).
    target_reasons = models.JSONField(default=dict, blank=True)
    # An opaque key of the complainant from the caller (a blind index), for campaigns; never a name.
    complainant_key = models.CharField(max_length=64, blank=True)
    minhash = models.BinaryField(null=True, blank=True)
    # Where the complaint was finally handled (set by complaints when it is answered or closed).
    final_department = models.CharField(max_length=60, blank=True)
    final_kind = models.CharField(max_length=30, blank=True)
    transferred_after_suggestion = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("routing case")


class Suggestion(BaseModel):
    """One ranked suggestion for a case, with the words that drove it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="suggestions")
    target = models.CharField(max_length=40, choices=Target.choices)
    rank = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=60)
    confidence = models.FloatField()
    words = models.JSONField(default=list)
    model_version = models.CharField(max_length=40, blank=True)  # "" = cold start

    class Meta:
        verbose_name = _("routing suggestion")
        ordering = ["case", "target", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "target", "rank"], name="routing_one_suggestion_per_rank"
            )
        ]


class Decision(BaseModel):
    """An officer accepted or overrode the suggestion for a target (feeds the next training)."""

    ACCEPTED = "accepted"
    OVERRIDDEN = "overridden"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="decisions")
    target = models.CharField(max_length=40, choices=Target.choices)
    outcome = models.CharField(
        max_length=20, choices=[(ACCEPTED, _("accepted")), (OVERRIDDEN, _("overridden"))]
    )
    suggested_label = models.CharField(max_length=60, blank=True)
    chosen_label = models.CharField(max_length=60)
    officer = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        verbose_name = _("routing decision")
        ordering = ["-created_at"]


class Cursor(BaseModel):
    """How far a caller's event stream has been read into routing (``complaints`` keeps its
    history's position here: routing knows the number only, never the events)."""

    name = models.CharField(max_length=40, unique=True)
    last_event_id = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("routing cursor")


class RepeatFlag(BaseModel):
    """법 제23조①: this complaint repeats earlier ones of the same complainant that were answered
    twice or more. A suggestion with its evidence; an officer decides (never closed by routing)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="repeat_flag")
    # [{"complaint_id", "similarity", "result_notified"}], most similar first
    evidence = models.JSONField(_("evidence"), default=list)
    notified_count = models.PositiveSmallIntegerField(_("earlier filings answered"))
    legal_basis = models.CharField(max_length=80)

    class Meta:
        verbose_name = _("repeat flag")


class Match(BaseModel):
    """Two complaints read as near-duplicates (shingle Jaccard at or above the threshold), kept
    in both directions so each complaint's page finds the other; an officer may link them as one
    matter (the link is routing's record; merging is the lifecycle's 병합 접수)."""

    complaint_id = models.BigIntegerField(_("complaint id"))
    other_id = models.BigIntegerField(_("other complaint id"))
    similarity = models.FloatField(_("similarity"))
    linked_at = models.DateTimeField(_("linked at"), null=True, blank=True)
    linked_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        verbose_name = _("near-duplicate match")
        ordering = ["complaint_id", "-similarity"]
        constraints = [
            models.UniqueConstraint(fields=["complaint_id", "other_id"], name="routing_one_match")
        ]
