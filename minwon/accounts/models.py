from __future__ import annotations

import secrets
from typing import ClassVar

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from minwon.accounts.domain import (
    OrgUnitKind,
    Role,
    UserKind,
    VerificationChannel,
    VerificationPurpose,
    mobile_number,
    verification_address,
)
from minwon.core import crypto
from minwon.core.models import BaseModel


def phone_index(phone: str) -> str:
    """The blind index of a phone number: of its mobile form when it is one ('010-1234-5678' and
    '+82 10 1234 5678' alike), else of the number as written."""
    return crypto.blind_index(mobile_number(phone) or phone.strip(), purpose="user-phone")


def email_index(email: str) -> str:
    """The blind index of an e-mail address, compared in lower case ('Kim@Example.kr' and
    'kim@example.kr' alike)."""
    return crypto.blind_index(email.strip().lower(), purpose="user-email")


CITIZEN_USERNAME_PREFIX = "c-"


def citizen_username() -> str:
    """A user name for a citizen who signs up with an e-mail address or a mobile number: random,
    so the `username` column holds no personal data (they log in with the address itself)."""
    return CITIZEN_USERNAME_PREFIX + secrets.token_hex(8)


def is_contact_address(name: str) -> bool:
    """Whether a user name is an e-mail address or a mobile number (personal data)."""
    return verification_address(name) is not None


class OrgUnit(BaseModel):
    """A node of the city's organisation: 시, 실·국, 과, 팀, 읍·면·동."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_ko = models.CharField(_("Korean name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=[(k.value, k.value) for k in OrgUnitKind]
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    admin_code = models.CharField(_("administrative agency code"), max_length=10, blank=True)
    duties = models.TextField(_("duties"), blank=True)
    # The number notices give as the department's contact (영 제6조④, 제31조).
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    path = models.CharField(max_length=500, db_index=True, editable=False, default="")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("org unit")
        verbose_name_plural = _("org units")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name_ko

    def display_name(self, language: str = "ko") -> str:
        return self.name_en if language == "en" and self.name_en else self.name_ko


class User(AbstractUser):
    """A citizen or an officer. Officers belong to an org unit and log in with a second factor."""

    kind = models.CharField(
        _("kind"),
        max_length=10,
        choices=[(UserKind.CITIZEN.value, _("citizen")), (UserKind.OFFICER.value, _("officer"))],
        default=UserKind.CITIZEN.value,
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    # The phone number, kept only encrypted (issue 13 item 12), read and written through `phone`;
    # `phone_index` is a blind index of it as a mobile number for the sign-up/reset lookups.
    phone_encrypted = models.TextField(blank=True, editable=False)
    phone_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    # The e-mail address likewise (it replaces AbstractUser's clear `email` column), read and
    # written through `email`; `email_index` for the sign-up, login and reset lookups.
    email_encrypted = models.TextField(blank=True, editable=False)
    email_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="members"
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=5,
        default="ko",
        choices=[("ko", "한국어"), ("en", "English")],
    )
    totp_secret_encrypted = models.TextField(blank=True, editable=False)
    totp_confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)
    totp_last_step = models.BigIntegerField(default=0, editable=False)  # replay guard

    # `email` is a property here, not a column: nothing Django asks for on createsuperuser.
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def is_officer(self) -> bool:
        return self.kind == UserKind.OFFICER.value

    @property
    def phone(self) -> str:
        return crypto.decrypt(self.phone_encrypted) if self.phone_encrypted else ""

    @phone.setter
    def phone(self, value: str) -> None:
        value = value.strip()
        self.phone_encrypted = crypto.encrypt(value) if value else ""
        self.phone_index = phone_index(value) if value else ""

    @property
    def email(self) -> str:
        return crypto.decrypt(self.email_encrypted) if self.email_encrypted else ""

    @email.setter  # type: ignore[override]
    def email(self, value: str | None) -> None:
        value = (value or "").strip()
        self.email_encrypted = crypto.encrypt(value) if value else ""
        self.email_index = email_index(value) if value else ""

    def __str__(self) -> str:
        return self.name or self.username


class RoleAssignment(BaseModel):
    """An officer holds a role over an org unit (and everything under it)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=30, choices=[(r.value, r.value) for r in Role])
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="role_assignments")

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "org_unit"], name="unique_role_per_unit"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.role} @ {self.org_unit}"


class ApiKey(BaseModel):
    """A key for an integrator's application (Open311 clients, the JSON API, national links).

    Only a SHA-256 hash of the key is stored (keys are 32 random bytes, so a fast hash is enough);
    the first characters are kept to tell keys apart in lists.
    """

    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField(_("scopes"), default=list)
    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="api_keys"
    )
    rate_limit_per_minute = models.PositiveIntegerField(_("requests per minute"), default=120)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes


class PersonalToken(BaseModel):
    """A bearer token for a person's own API use (scripts, the mobile app).

    Issued from a session that passed the second factor (or by an administrator on the command
    line), so a token stands for that person with the same rights. Only the SHA-256 hash is kept.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("personal token")
        verbose_name_plural = _("personal tokens")

    def __str__(self) -> str:
        return f"{self.user} {self.name} ({self.prefix}…)"


class VerificationCode(BaseModel):
    """A one-time code sent to an e-mail address or a mobile phone (sign-up, password reset).

    Nothing here gives the code back: `code_hash` is an HMAC of the code under the server's key
    and this row's random salt, the address is kept as a keyed hash for throttling and lookups
    and, encrypted, for making the account; `attempts` counts wrong tries and `used_at` makes it
    single-use.
    """

    purpose = models.CharField(
        max_length=20, choices=[(p.value, p.value) for p in VerificationPurpose]
    )
    channel = models.CharField(
        max_length=10, choices=[(c.value, c.value) for c in VerificationChannel]
    )
    address_index = models.CharField(max_length=64, db_index=True, editable=False)
    address_encrypted = models.TextField(editable=False)
    salt = models.CharField(max_length=32, editable=False)
    code_hash = models.CharField(max_length=64, editable=False)
    # the account a reset is for (none for a sign-up, or when the address has no account)
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    client_ip = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("verification code")
        verbose_name_plural = _("verification codes")
        indexes = [models.Index(fields=["address_index", "issued_at"])]

    def __str__(self) -> str:
        return f"{self.purpose} {self.channel} #{self.pk}"


class IdentityCheck(BaseModel):
    """A citizen's identity was confirmed by a 본인확인 / 간편인증 provider: the fact, who
    confirmed it and when. The provider's CI is kept only as a keyed hash (`ci_index`: one person,
    one account), never in clear; no name, birth date or DI is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="citizen_identity_checks")
    provider = models.CharField(_("provider"), max_length=40)
    verified_at = models.DateTimeField(_("verified at"))
    ci_index = models.CharField(max_length=64, db_index=True, editable=False)

    class Meta:
        verbose_name = _("identity check")
        verbose_name_plural = _("identity checks")
        ordering = ["-verified_at"]

    def __str__(self) -> str:
        return f"{self.user} {self.provider} {self.verified_at:%Y-%m-%d}"
