from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from minwon.accounts.models import ApiKey
from minwon.complaints.models import Complaint
from minwon.core.models import BaseModel


class WebhookSubscription(BaseModel):
    """An integrator's endpoint for complaint events; owned by the API key that created it."""

    api_key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(_("URL"), max_length=500)
    secret_encrypted = models.TextField(editable=False)
    events = models.JSONField(_("events"), default=list)
    is_active = models.BooleanField(_("active"), default=True)

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(BaseModel):
    """One event for one subscription: the outbox row, its attempts and its outcome."""

    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"
    CANCELLED = "cancelled"  # its subscription was stopped before it was sent

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="+")
    source_event_id = models.BigIntegerField()
    event = models.CharField(max_length=40)
    payload = models.JSONField()
    status = models.CharField(max_length=10, default=PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "source_event_id"], name="webhooks_one_delivery_per_event"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.event} → {self.subscription_id}"


class WebhookCursor(models.Model):
    """The last complaint history row fanned out to subscriptions."""

    name = models.CharField(max_length=20, unique=True, default="complaints")
    last_event_id = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}@{self.last_event_id}"
