"""Tables of mobile-ID verification: sessions at the counter (short-lived, one per QR shown or
scanned) and the record of each check (kept for the purpose's retention, no claim values).

No raw credential is ever stored: not the DeviceResponse, not the SD-JWT, not the MIP VP. What the
result screen shows (the purpose's fields, the 주민등록번호 masked) is held sealed (Fernet) in the
session for the purpose's display time and erased after it.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from minwon.core.models import BaseModel
from minwon.identity.domain import Channel, DocumentKind, ManualMethod

CHANNEL_CHOICES = [
    (Channel.OID4VP.value, _("OpenID4VP")),
    (Channel.OID4VP_MDOC.value, _("OpenID4VP (mdoc)")),
    (Channel.OID4VP_SD_JWT.value, _("OpenID4VP (SD-JWT VC)")),
    (Channel.MIP.value, _("Government mobile ID (MIP)")),
    (Channel.MANUAL.value, _("Manual check")),
]
METHOD_CHOICES = [
    (ManualMethod.VISUAL.value, _("Visual check of the card or the app screen")),
    (ManualMethod.VERIFIER_APP.value, _("The government verifier app")),
    (ManualMethod.GOV24.value, _("Government24 authenticity check")),
    (ManualMethod.COPY_SERVICE.value, _("Authenticity check and copy service")),
]
DOCUMENT_CHOICES = [
    (DocumentKind.MOBILE_ID.value, _("Mobile ID (app screen)")),
    (DocumentKind.RESIDENT_CARD.value, _("Resident registration card")),
    (DocumentKind.DRIVING_LICENCE.value, _("Driving licence")),
    (DocumentKind.PASSPORT.value, _("Passport")),
    (DocumentKind.OTHER.value, _("Other identity document")),
]


class VerificationRecord(BaseModel):
    """What was checked, by whom, for what: one row per verification (mobile-id.md §5.5).

    Names of the claims received, never their values; the checks and their outcome; the issuer
    (IACA subject, SD-JWT `iss` or DID); the ticket or complaint number as an opaque reference
    (identity knows no complaint). Deleted after `retain_until` by the retention sweep.
    """

    class Outcome(models.TextChoices):
        VALID = "valid", _("valid")
        INVALID = "invalid", _("invalid")
        WALLET_ERROR = "wallet_error", _("the wallet reported an error")

    transaction_id = models.UUIDField(_("transaction id"), default=uuid.uuid4, unique=True)
    purpose = models.CharField(_("purpose"), max_length=40)
    channel = models.CharField(_("channel"), max_length=20, choices=CHANNEL_CHOICES)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="identity_checks",
        verbose_name=_("officer"),
    )
    officer_label = models.CharField(_("officer"), max_length=150)
    org_unit = models.ForeignKey(
        "accounts.OrgUnit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("org unit"),
    )
    device = models.CharField(_("counter or device"), max_length=80, blank=True)
    reference = models.CharField(_("ticket or complaint number"), max_length=40, blank=True)
    credential_type = models.CharField(_("credential type"), max_length=200, blank=True)
    issuer = models.CharField(_("issuer"), max_length=300, blank=True)
    checks = models.JSONField(_("checks"), default=list)
    claim_names = models.JSONField(_("claims received"), default=list)
    manual_method = models.CharField(
        _("how it was checked"), max_length=20, choices=METHOD_CHOICES, blank=True
    )
    manual_document = models.CharField(
        _("document checked"), max_length=20, choices=DOCUMENT_CHOICES, blank=True
    )
    manual_reason = models.CharField(_("why a manual check"), max_length=300, blank=True)
    retain_until = models.DateTimeField(_("kept until"), db_index=True)

    class Meta:
        verbose_name = _("identity verification record")
        verbose_name_plural = _("identity verification records")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["officer", "created_at"], name="identity_record_officer")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(channel=Channel.MANUAL.value)
                | (~Q(manual_method="") & ~Q(manual_document="")),
                name="identity_manual_check_says_what",
            )
        ]

    def __str__(self) -> str:
        return f"{self.transaction_id} {self.purpose} {self.outcome}"


class VerificationSession(BaseModel):
    """One verification under way at a counter: an OpenID4VP request QR on the tablet, or a
    government-MIP transaction (QR-MPM shown, or QR-CPM scanned).

    `state` names the session in the request_uri and the wallet's response; `nonce` binds the
    presentation to it (KB-JWT nonce, mdoc SessionTranscript). Single use: the first response
    answers it. `display_sealed` holds the result screen's fields, encrypted, until
    `display_until`; then it is erased.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for the wallet")
        ANSWERED = "answered", _("answered")
        EXPIRED = "expired", _("expired")
        CANCELLED = "cancelled", _("cancelled")

    class Kind(models.TextChoices):
        OID4VP = "oid4vp", _("OpenID4VP request QR")
        MIP_MPM = "mip_mpm", _("Government mobile ID, QR shown by the counter")
        MIP_CPM = "mip_cpm", _("Government mobile ID, QR shown by the citizen")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    state = models.CharField(_("state"), max_length=64, unique=True)
    nonce = models.CharField(_("nonce"), max_length=64)
    # OpenID4VP: the client_id and response_uri the request named (bound into the presentation).
    client_id = models.CharField(_("client id"), max_length=300, blank=True)
    response_uri = models.CharField(_("response URI"), max_length=300, blank=True)
    mip_transaction = models.CharField(_("MIP transaction code"), max_length=100, blank=True)
    # What the tablet shows as a QR code: the openid4vp:// link, or the MIP M200 start message.
    qr_payload = models.TextField(_("QR code content"), blank=True)
    purpose = models.CharField(_("purpose"), max_length=40)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="identity_sessions",
        verbose_name=_("officer"),
    )
    device = models.CharField(_("counter or device"), max_length=80, blank=True)
    reference = models.CharField(_("ticket or complaint number"), max_length=40, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    expires_at = models.DateTimeField(_("expires at"))
    request_fetched_at = models.DateTimeField(_("request fetched at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    record = models.OneToOneField(
        VerificationRecord,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="session",
    )
    display_sealed = models.TextField(_("result shown (sealed)"), blank=True)
    display_until = models.DateTimeField(_("result shown until"), null=True, blank=True)

    class Meta:
        verbose_name = _("identity verification session")
        verbose_name_plural = _("identity verification sessions")
        indexes = [models.Index(fields=["status", "expires_at"], name="identity_session_status")]

    def __str__(self) -> str:
        return f"{self.kind} {self.state[:8]} {self.status}"
