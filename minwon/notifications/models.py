"""Tables of the outbox: notifications (what to tell whom), deliveries (per channel), in-app
notices, templates and channel preferences. Tables and constraints only; rules are in domain.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from minwon.core import crypto
from minwon.core.models import BaseModel
from minwon.notifications.domain import (
    LANGUAGES,
    NO_CHANNEL,
    DeliveryChannel,
    DeliveryStatus,
    Event,
)

EVENT_CHOICES = [(e.value, e.value) for e in Event]
CHANNEL_CHOICES = [
    (DeliveryChannel.IN_APP.value, _("in-app notice")),
    (DeliveryChannel.EMAIL.value, _("e-mail")),
    (DeliveryChannel.ALIMTALK.value, _("KakaoTalk AlimTalk")),
    (DeliveryChannel.SMS.value, _("SMS")),
    (NO_CHANNEL, _("no channel")),
]
STATUS_CHOICES = [
    (DeliveryStatus.PENDING.value, _("pending")),
    (DeliveryStatus.SENDING.value, _("sending")),
    (DeliveryStatus.DELIVERED.value, _("delivered")),
    (DeliveryStatus.FAILED.value, _("failed")),
]
LANGUAGE_CHOICES = [(code, code) for code in LANGUAGES]


class Notification(BaseModel):
    """One thing to tell one person, written in the same transaction as the change that causes it.

    `idempotency_key` is unique: the same event for the same person is recorded once however often
    the cause is retried. Deliveries are planned by the dispatcher (`planned_at` set), not here,
    so that a set-based sweep only needs to insert these rows.
    """

    idempotency_key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    event = models.CharField(_("event"), max_length=40, choices=EVENT_CHOICES)
    language = models.CharField(_("language"), max_length=5, default="ko")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
    )
    # Contact used when the recipient has no account (or to override it), e.g. a phone complainant:
    # kept only encrypted (issue 13 item 12); read and written through `email` and `phone`.
    email_encrypted = models.TextField(blank=True, editable=False)
    phone_encrypted = models.TextField(blank=True, editable=False)
    context = models.JSONField(_("values"), default=dict, blank=True)
    urgent = models.BooleanField(_("urgent"), default=False)
    not_before = models.DateTimeField(_("not before"))
    planned_at = models.DateTimeField(_("planned at"), null=True, blank=True)
    complaint_id = models.BigIntegerField(_("complaint id"), null=True, blank=True, db_index=True)
    org_unit_id = models.BigIntegerField(_("org unit id"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(
                fields=["not_before"],
                condition=Q(planned_at__isnull=True),
                name="notification_unplanned",
            ),
            models.Index(fields=["org_unit_id", "created_at"], name="notification_unit_created"),
        ]

    def __str__(self) -> str:
        return self.idempotency_key

    @property
    def email(self) -> str:
        return crypto.decrypt(self.email_encrypted) if self.email_encrypted else ""

    @email.setter
    def email(self, value: str) -> None:
        self.email_encrypted = crypto.encrypt(value) if value else ""

    @property
    def phone(self) -> str:
        return crypto.decrypt(self.phone_encrypted) if self.phone_encrypted else ""

    @phone.setter
    def phone(self, value: str) -> None:
        self.phone_encrypted = crypto.encrypt(value) if value else ""


class Delivery(BaseModel):
    """One notification on one channel: the delivery log officers read when something went wrong.

    Unique per (notification, channel): a channel is used once per notification. Provider calls
    carry `<idempotency_key>:<channel>` so that a provider (or a mail filter) can drop a repeat
    sent by a worker that died before it could record success.
    """

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=CHANNEL_CHOICES)
    status = models.CharField(
        _("status"), max_length=10, choices=STATUS_CHOICES, default=DeliveryStatus.PENDING.value
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True, editable=False)
    deferred_for_quiet_hours = models.BooleanField(_("deferred for quiet hours"), default=False)
    reason_code = models.CharField(_("reason code"), max_length=60, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    provider_ref = models.CharField(_("provider reference"), max_length=120, blank=True)
    fallback_from = models.CharField(_("fallback from"), max_length=10, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"], name="delivery_once_per_channel"
            )
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="delivery_due",
            ),
            models.Index(
                fields=["claimed_until"],
                condition=Q(status="sending"),
                name="delivery_lease",
            ),
            models.Index(
                fields=["status", "updated_at"],
                condition=Q(status="failed") | ~Q(reason_code=""),
                name="delivery_problems",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.notification_id}/{self.channel} {self.status}"


class InAppNotice(BaseModel):
    """A notice shown in the portal or the office, written once per in-app delivery."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="in_app_notices"
    )
    delivery = models.OneToOneField(Delivery, on_delete=models.CASCADE, related_name="in_app")
    event = models.CharField(_("event"), max_length=40, choices=EVENT_CHOICES)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"))
    complaint_id = models.BigIntegerField(_("complaint id"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("in-app notice")
        verbose_name_plural = _("in-app notices")
        indexes = [models.Index(fields=["user", "read_at", "created_at"])]
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class NotificationTemplate(BaseModel):
    """The words of one event in one language; administrators edit them (validated in services)."""

    event = models.CharField(_("event"), max_length=40, choices=EVENT_CHOICES)
    language = models.CharField(_("language"), max_length=5, choices=LANGUAGE_CHOICES)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    short = models.CharField(_("short text (SMS, AlimTalk)"), max_length=1000)
    alimtalk_code = models.CharField(_("AlimTalk template code"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("notification template")
        verbose_name_plural = _("notification templates")
        constraints = [
            models.UniqueConstraint(fields=["event", "language"], name="template_per_language")
        ]
        ordering = ["event", "language"]

    def __str__(self) -> str:
        return f"{self.event} ({self.language})"


class ChannelPreference(BaseModel):
    """A person's choice of channels (no row: everything allowed)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="channel_preference"
    )
    email = models.BooleanField(_("e-mail"), default=True)
    sms = models.BooleanField(_("SMS"), default=True)
    alimtalk = models.BooleanField(_("KakaoTalk AlimTalk"), default=True)

    class Meta:
        verbose_name = _("channel preference")
        verbose_name_plural = _("channel preferences")

    def __str__(self) -> str:
        return f"{self.user_id}: email={self.email} sms={self.sms} alimtalk={self.alimtalk}"
