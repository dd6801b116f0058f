"""Writes for people and the organisation: each public service is one transaction + audit row."""

from __future__ import annotations

import csv
import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pyotp
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from minwon.accounts.domain import (
    API_KEY_PREFIX,
    CODE_MAX_ATTEMPTS,
    CODE_SEND_WINDOW_MINUTES,
    CODE_SENDS_PER_ADDRESS,
    CODE_SENDS_PER_CLIENT,
    CODE_TTL_MINUTES,
    MAX_TOKEN_DAYS,
    ORG_KIND_BY_KOREAN,
    PERSONAL_TOKEN_PREFIX,
    ApiScope,
    IdentityAssertion,
    OrgUnitKind,
    Role,
    UserKind,
    VerificationChannel,
    VerificationPurpose,
    can_be_child,
    code_usable,
    new_code,
    typed_code,
    verification_address,
)
from minwon.accounts.models import (
    ApiKey,
    IdentityCheck,
    OrgUnit,
    PersonalToken,
    RoleAssignment,
    User,
    VerificationCode,
    citizen_username,
    email_index,
    is_contact_address,
    phone_index,
)
from minwon.core import clock, crypto
from minwon.core.errors import ApplicationError, Conflict, Throttled, ValidationFailed
from minwon.core.selectors import throttle_policy, throttle_wait_seconds
from minwon.core.services import (
    audit_record,
    throttle_failure_record,
    throttle_forget,
    throttle_success,
)

TOTP_ISSUER = "Minwon"


# --- org units -------------------------------------------------------------------------------


def _path_for(code: str, parent: OrgUnit | None) -> str:
    return f"{parent.path}{code}/" if parent is not None else f"/{code}/"


@transaction.atomic
def org_unit_create(
    *,
    actor: User | None,
    code: str,
    name_ko: str,
    kind: OrgUnitKind,
    parent: OrgUnit | None,
    name_en: str = "",
    admin_code: str = "",
    duties: str = "",
) -> OrgUnit:
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,59}", code):
        raise ValidationFailed(
            _("The code may use lower-case letters, digits and hyphens (at most 60)."), field="code"
        )
    if not name_ko.strip():
        raise ValidationFailed(_("The Korean name is required."), field="name_ko")
    parent_kind = OrgUnitKind(parent.kind) if parent is not None else None
    if not can_be_child(kind, parent_kind):
        raise ValidationFailed(
            _("A unit of this kind cannot sit under the chosen parent."), field="parent"
        )
    if OrgUnit.objects.filter(code=code).exists():
        raise Conflict(_("An org unit with this code already exists."), field="code")
    unit = OrgUnit(
        code=code,
        name_ko=name_ko.strip(),
        name_en=name_en.strip(),
        kind=kind.value,
        parent=parent,
        admin_code=admin_code,
        duties=duties,
        path=_path_for(code, parent),
    )
    unit.full_clean()
    unit.save()
    audit_record(actor=actor, action="org_unit.created", target=unit, data={"code": code})
    return unit


MAX_DUTIES_CHARS = 5000


@transaction.atomic
def org_unit_duties_update(*, actor: User | None, unit: OrgUnit, duties: str) -> OrgUnit:
    """Replace a unit's 업무분장 (its duties text; routing's cold start reads it)."""
    duties = duties.strip()
    if len(duties) > MAX_DUTIES_CHARS:
        raise ValidationFailed(
            _("The duties text may be at most %(limit)s characters.") % {"limit": MAX_DUTIES_CHARS},
            field="duties",
        )
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    if unit.duties == duties:
        return unit
    before = len(unit.duties)
    unit.duties = duties
    unit.save(update_fields=["duties", "updated_at"])
    audit_record(
        actor=actor,
        action="org_unit.duties_updated",
        target=unit,
        org_unit_id=unit.pk,
        data={"chars_before": before, "chars_after": len(duties)},
    )
    return unit


@dataclass(frozen=True)
class OrgImportResult:
    created: int
    skipped: int


def _parent_code(raw_parent: str, by_name: dict[str, str], city_code: str) -> str:
    cleaned = raw_parent.replace("(추정)", "").strip()
    return by_name.get(cleaned, city_code)


@transaction.atomic
def org_chart_import_csv(
    *,
    actor: User | None,
    path: Path,
    city_code: str,
    city_name_ko: str,
    city_name_en: str,
    city_admin_code: str = "",
) -> OrgImportResult:
    """Load an org chart in the reference CSV format (code_or_slug,name_ko,name_en,kind,parent,...).

    Parents are matched by Korean name; an unknown or unconfirmed parent ("미확인") puts the unit
    directly under the city. Units that already exist (same code) are skipped, so the import can
    run again.
    """
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    city = OrgUnit.objects.filter(code=city_code).first()
    created = skipped = 0
    if city is None:
        city = org_unit_create(
            actor=actor,
            code=city_code,
            name_ko=city_name_ko,
            name_en=city_name_en,
            kind=OrgUnitKind.CITY,
            parent=None,
            admin_code=city_admin_code,
        )
        created += 1
    by_name: dict[str, str] = {city_name_ko: city_code, "시장": city_code, "부시장": city_code}
    codes: dict[str, str] = {}
    for row in rows:
        raw = row["code_or_slug"].strip()
        codes[raw] = raw if not raw.isdigit() else f"adm-{raw}"
        by_name[row["name_ko"].strip()] = codes[raw]
    # Parents before children: units whose parent is the city first, then the rest.
    ordered = sorted(
        rows, key=lambda r: 0 if _parent_code(r["parent"], by_name, city_code) == city_code else 1
    )
    for row in ordered:
        code = codes[row["code_or_slug"].strip()]
        if OrgUnit.objects.filter(code=code).exists():
            skipped += 1
            continue
        kind = ORG_KIND_BY_KOREAN.get(row["kind"].strip())
        if kind is None:
            raise ValidationFailed(
                _("Unknown org unit kind %(kind)s.") % {"kind": row["kind"]}, field="kind"
            )
        parent = OrgUnit.objects.get(code=_parent_code(row["parent"], by_name, city_code))
        org_unit_create(
            actor=actor,
            code=code,
            name_ko=row["name_ko"],
            name_en=row.get("name_en", ""),
            kind=kind,
            parent=parent,
            admin_code=row["code_or_slug"].strip() if row["code_or_slug"].strip().isdigit() else "",
            duties=row.get("duties_ko", "") or "",
        )
        created += 1
    return OrgImportResult(created=created, skipped=skipped)


# --- people ----------------------------------------------------------------------------------


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed(" ".join(str(m) for m in exc.messages), field="password") from exc


def _check_username(username: str) -> None:
    if not re.fullmatch(r"[A-Za-z0-9_.@+-]{3,150}", username):
        raise ValidationFailed(
            _("The user name may use letters, digits and . @ + - _ (3 to 150 characters)."),
            field="username",
        )
    if User.objects.filter(username__iexact=username).exists():
        raise Conflict(_("This user name is already taken."), field="username")


@transaction.atomic
def citizen_register(
    *, username: str, password: str, name: str, email: str = "", phone: str = ""
) -> User:
    _check_username(username)
    if is_contact_address(username):
        raise ValidationFailed(
            _(
                "Choose a user name that is not an e-mail address or a phone number "
                "(you can log in with those too)."
            ),
            field="username",
        )
    if not name.strip():
        raise ValidationFailed(_("Your name is required."), field="name")
    user = User(username=username, name=name.strip(), kind=UserKind.CITIZEN.value)
    user.email, user.phone = email, phone  # stored encrypted, with their blind indexes
    _check_password(password, user)
    user.set_password(password)
    user.save()
    audit_record(actor=user, action="user.citizen_registered", target=user)
    return user


@transaction.atomic
def officer_create(
    *,
    actor: User | None,
    username: str,
    password: str,
    name: str,
    org_unit: OrgUnit,
    roles: Iterable[Role],
    email: str = "",
    phone: str = "",
) -> User:
    _check_username(username)
    user = User(
        username=username,
        name=name.strip(),
        kind=UserKind.OFFICER.value,
        org_unit=org_unit,
        is_staff=False,
    )
    user.email, user.phone = email, phone  # stored encrypted, with their blind indexes
    _check_password(password, user)
    user.set_password(password)
    user.save()
    for role in roles:
        RoleAssignment.objects.create(user=user, role=role.value, org_unit=org_unit)
    audit_record(
        actor=actor,
        action="user.officer_created",
        target=user,
        org_unit_id=org_unit.pk,
        data={"roles": sorted(r.value for r in roles)},
    )
    return user


@transaction.atomic
def role_assign(*, actor: User | None, user: User, role: Role, org_unit: OrgUnit) -> RoleAssignment:
    if not user.is_officer:
        raise ValidationFailed(_("Roles are only given to officers."), field="user")
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role.value, org_unit=org_unit
    )
    if created:
        audit_record(
            actor=actor,
            action="user.role_assigned",
            target=user,
            org_unit_id=org_unit.pk,
            data={"role": role.value},
        )
    return assignment


# --- second factor (TOTP, RFC 6238) ----------------------------------------------------------


def totp_provisioning_uri(user: User) -> str:
    secret = crypto.decrypt(user.totp_secret_encrypted)
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=TOTP_ISSUER)


@transaction.atomic
def totp_enroll_start(*, user: User, secret: str | None = None) -> str:
    """Give the officer a new secret, active once confirmed with a code. Returns the secret."""
    secret = secret or pyotp.random_base32()
    user.totp_secret_encrypted = crypto.encrypt(secret)
    user.totp_confirmed_at = None
    user.totp_last_step = 0
    user.save(update_fields=["totp_secret_encrypted", "totp_confirmed_at", "totp_last_step"])
    audit_record(actor=user, action="user.totp_enrollment_started", target=user)
    return secret


def _totp_step_if_valid(user: User, code: str) -> int | None:
    if not user.totp_secret_encrypted or not re.fullmatch(r"\d{6}", code.strip()):
        return None
    totp = pyotp.TOTP(crypto.decrypt(user.totp_secret_encrypted))
    now = clock.now()
    for drift in (-1, 0, 1):  # one 30-second step of clock drift either way
        at = now + timedelta(seconds=30 * drift)
        if secrets.compare_digest(totp.at(at), code.strip()):
            return int(at.timestamp()) // 30
    return None


@transaction.atomic
def totp_confirm(*, user: User, code: str) -> None:
    step = _totp_step_if_valid(user, code)
    if step is None:
        raise ValidationFailed(
            _("The code is not correct. Enter the 6 digits your app shows now."), field="code"
        )
    user.totp_confirmed_at = clock.now()
    user.totp_last_step = step
    user.save(update_fields=["totp_confirmed_at", "totp_last_step"])
    audit_record(actor=user, action="user.totp_confirmed", target=user)


OTP_SCOPE = "otp"


@transaction.atomic
def _totp_accept(*, user: User, code: str) -> bool:
    """Whether `code` is the account's current code, not used before; if so it is spent."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    step = _totp_step_if_valid(locked, code)
    if step is None or step <= locked.totp_last_step:
        return False
    locked.totp_last_step = step
    locked.save(update_fields=["totp_last_step"])
    user.totp_last_step = step
    return True


def totp_throttled_message(seconds: int) -> str:
    minutes = max(1, -(-seconds // 60))
    return str(
        ngettext_lazy(
            "Too many wrong codes for this account or from your connection. Try again in "
            "%(minutes)s minute; if you did not try, tell an administrator.",
            "Too many wrong codes for this account or from your connection. Try again in "
            "%(minutes)s minutes; if you did not try, tell an administrator.",
            "minutes",
        )
        % {"minutes": minutes}
    )


def totp_verify(*, user: User, code: str, ip: str | None = None) -> None:
    """Check a login code from a client at `ip`; a code is accepted once (replay refused).

    Behind the failure throttle THROTTLES["otp"] (per account and per client address, with
    backoff): while a try must wait nothing is checked (Throttled). Every failure is counted and
    audited (`user.totp_failed`) and every success audited (`user.totp_verified`), each in its own
    transaction after the check's, so a refused code is never rolled back out of the record; a
    burst raises the throttle's alert (core.services.throttle_failure_record)."""
    policy = throttle_policy(OTP_SCOPE)
    key = str(user.pk)
    wait = throttle_wait_seconds(policy, key=key, ip=ip)
    if wait:
        raise Throttled(totp_throttled_message(wait), code="user.totp_throttled", retry_after=wait)
    if not _totp_accept(user=user, code=code):
        throttle_failure_record(
            policy, key=key, ip=ip, action="user.totp_failed", actor=user, target=user
        )
        raise ValidationFailed(_("The code is not correct or was already used."), field="code")
    throttle_success(policy, key=key, ip=ip)
    audit_record(actor=user, action="user.totp_verified", target=user)


def user_logged_in_record(*, user: User) -> None:
    """A person is signed in (an officer: past the second factor)."""
    audit_record(actor=user, action="user.logged_in", target=user)


def user_logged_out_record(*, user: User) -> None:
    """An officer or citizen signed out (its own transaction: nothing to roll it back)."""
    audit_record(actor=user, action="user.logged_out", target=user)


# --- login throttling ------------------------------------------------------------------------


LOGIN_SCOPE = "login"


def _login_key(username: str) -> str:
    return username.strip().casefold()


def login_wait_seconds(*, username: str, ip: str | None) -> int:
    """Seconds before `username` may try a password again from `ip` (0: now), by
    THROTTLES["login"]: a key from one address backs off first, one address trying many
    accounts next, and the account from everywhere only after many failures, so one attacker
    cannot lock an officer out of every desk."""
    return throttle_wait_seconds(throttle_policy(LOGIN_SCOPE), key=_login_key(username), ip=ip)


def login_failure_record(*, username: str, ip: str | None, user: User | None = None) -> None:
    """Count a wrong password and audit it (`user.login_failed`), in its own transaction.

    The row names the account by its user name (never personal data: a citizen's is random);
    with no account, the name as typed unless it is an e-mail address or a mobile number, which
    stays out of the record."""
    named = user.username if user is not None else ""
    if user is None and not is_contact_address(username):
        named = username
    throttle_failure_record(
        throttle_policy(LOGIN_SCOPE),
        key=_login_key(username),
        ip=ip,
        action="user.login_failed",
        target_type="accounts.user",
        target_id=named[:64],
    )


def login_success_record(*, username: str, ip: str | None) -> None:
    """A right password forgets this address's failures for the account (not others')."""
    throttle_success(throttle_policy(LOGIN_SCOPE), key=_login_key(username), ip=ip)


def login_failures_clear(*, username: str) -> None:
    """Forget every failure of the account (its owner proved the address: password reset)."""
    throttle_forget(throttle_policy(LOGIN_SCOPE), key=_login_key(username))


@transaction.atomic
def user_make_superuser(*, actor: User | None, user: User) -> None:
    """Give an administrator officer every Django permission (the Django admin, if enabled)."""
    if not user.is_officer:
        raise ValidationFailed(_("Only officers can be administrators."), field="user")
    user.is_superuser = True
    user.is_staff = True
    user.save(update_fields=["is_superuser", "is_staff"])
    audit_record(actor=actor, action="user.made_superuser", target=user)


# --- API keys --------------------------------------------------------------------------------


def _key_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@transaction.atomic
def api_key_issue(
    *,
    actor: User | None,
    name: str,
    scopes: Iterable[ApiScope],
    org_unit: OrgUnit | None = None,
    rate_limit_per_minute: int = 120,
    raw_key: str | None = None,
) -> tuple[ApiKey, str]:
    """Create a key; returns the row and the key itself, which is shown once and never stored.

    `raw_key` lets a deployment fix a known key (the demo's MINWON_DEMO_API_KEY).
    """
    if not name.strip():
        raise ValidationFailed(_("Give the key a name."), field="name")
    if rate_limit_per_minute < 1:
        raise ValidationFailed(
            _("The rate limit must be at least 1."), field="rate_limit_per_minute"
        )
    raw = raw_key or API_KEY_PREFIX + secrets.token_urlsafe(32)
    if len(raw) < 20:
        raise ValidationFailed(_("An API key needs at least 20 characters."), field="key")
    if ApiKey.objects.filter(key_hash=_key_hash(raw)).exists():
        raise Conflict(_("This key is already registered."), field="key")
    key = ApiKey.objects.create(
        name=name.strip(),
        prefix=raw[:8],
        key_hash=_key_hash(raw),
        scopes=sorted({s.value for s in scopes}),
        org_unit=org_unit,
        rate_limit_per_minute=rate_limit_per_minute,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="api_key.issued",
        target=key,
        data={"name": key.name, "scopes": key.scopes, "prefix": key.prefix},
    )
    return key, raw


@transaction.atomic
def api_key_revoke(*, actor: User | None, key: ApiKey) -> None:
    if key.revoked_at is None:
        key.revoked_at = clock.now()
        key.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="api_key.revoked", target=key)


@transaction.atomic
def personal_token_issue(
    *, actor: User | None, user: User, name: str, days: int = 90
) -> tuple[PersonalToken, str]:
    """A bearer token for `user`, valid `days` days; returns the row and the token (shown once)."""
    if not name.strip():
        raise ValidationFailed(_("Give the token a name."), field="name")
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise ValidationFailed(_("A token lasts from 1 to 365 days."), field="days")
    if not user.is_active:
        raise ValidationFailed(_("The account is not active."), field="user")
    raw = PERSONAL_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = PersonalToken.objects.create(
        user=user,
        name=name.strip(),
        prefix=raw[:8],
        key_hash=_key_hash(raw),
        expires_at=clock.now() + timedelta(days=days),
    )
    audit_record(
        actor=actor or user,
        action="personal_token.issued",
        target=user,
        data={"name": token.name, "prefix": token.prefix, "days": days},
    )
    return token, raw


@transaction.atomic
def personal_token_revoke(*, actor: User, token: PersonalToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action="personal_token.revoked",
            target=token.user,
            data={"prefix": token.prefix},
        )


# --- one-time codes: sign-up and password reset ------------------------------------------------


class TooManyCodes(ApplicationError):
    """Too many codes were asked for this address or from this client in the window."""

    code = "verification.throttled"
    http_status = 429


CODE_WRONG = _("The code is not correct or has expired. Check it, or ask for a new code.")


def _address_index(address: str) -> str:
    return crypto.blind_index(address, purpose="verification-address")


def _code_hash(salt: str, code: str) -> str:
    return crypto.blind_index(f"{salt}:{code}", purpose="verification-code")


def _contact_filter(channel: VerificationChannel, address: str) -> dict[str, str]:
    """The lookup of an address by its blind index (the address itself is stored encrypted)."""
    if channel is VerificationChannel.EMAIL:
        return {"email_index": email_index(address)}
    return {"phone_index": phone_index(address)}


def _account_for(channel: VerificationChannel, address: str) -> User | None:
    """The citizen account that has this address (e-mail or mobile number), if any."""
    users = User.objects.filter(kind=UserKind.CITIZEN.value, is_active=True)
    return users.filter(**_contact_filter(channel, address)).order_by("pk").first()


def address_in_use(channel: VerificationChannel, address: str) -> bool:
    """Whether any account (citizen or officer) already has this address or uses it as its name."""
    if User.objects.filter(username__iexact=address).exists():
        return True
    return User.objects.filter(**_contact_filter(channel, address)).exists()


def login_account(typed: str) -> User | None:
    """The account a login names: the user name exactly as typed (officers: 'Kim.Lee' is not
    'kim.lee'), else, when it is an e-mail address or a mobile number written in any usual way,
    the citizen account that has it (found by its blind index)."""
    name = typed.strip()
    user = User.objects.filter(username=name).first()
    if user is None and (parsed := verification_address(name)) is not None:
        user = _account_for(*parsed)
    return user


@dataclass(frozen=True)
class CodeIssued:
    """A code was made. `deliver` says whether it goes out: a sign-up for an address that already
    has an account, or a reset for an address without one, get the same answer on the page but no
    code (`account_exists` tells the sign-up's address to log in or reset instead)."""

    verification: VerificationCode
    code: str
    channel: VerificationChannel
    address: str
    deliver: bool
    account_exists: bool


def parse_verification_address(raw: str) -> tuple[VerificationChannel, str]:
    parsed = verification_address(raw)
    if parsed is None:
        raise ValidationFailed(
            _("Enter an e-mail address (name@example.com) or a mobile number (010-1234-5678)."),
            field="address",
        )
    return parsed


@transaction.atomic
def verification_code_issue(
    *, purpose: VerificationPurpose, address: str, client_ip: str | None
) -> CodeIssued:
    """Make a one-time code for `address` (as typed: an e-mail address or a mobile number).

    The caller sends it through the notification outbox in this same transaction (accounts sits
    below notifications). Refused when the address or the client asked for too many codes in the
    window (the same refusal whether or not the address has an account)."""
    channel, normalised = parse_verification_address(address)
    now = clock.now()
    index = _address_index(normalised)
    since = now - timedelta(minutes=CODE_SEND_WINDOW_MINUTES)
    recent = VerificationCode.objects.filter(issued_at__gte=since)
    if recent.filter(address_index=index).count() >= CODE_SENDS_PER_ADDRESS or (
        client_ip and recent.filter(client_ip=client_ip).count() >= CODE_SENDS_PER_CLIENT
    ):
        audit_record(
            actor=None,
            action="user.verification_code_throttled",
            target_type="accounts.verificationcode",
            data={"purpose": purpose.value, "channel": channel.value},
        )
        raise TooManyCodes(
            _("Too many codes were asked for. Wait an hour and try again."), field="address"
        )
    if purpose is VerificationPurpose.SIGNUP:
        account = None
        exists = address_in_use(channel, normalised)
        deliver = not exists
    else:
        account = _account_for(channel, normalised)
        exists = account is not None
        deliver = exists
    code = new_code()
    salt = secrets.token_hex(16)
    verification = VerificationCode.objects.create(
        purpose=purpose.value,
        channel=channel.value,
        address_index=index,
        address_encrypted=crypto.encrypt(normalised),
        salt=salt,
        code_hash=_code_hash(salt, code),
        user=account,
        client_ip=client_ip,
        issued_at=now,
        expires_at=now + timedelta(minutes=CODE_TTL_MINUTES),
    )
    audit_record(
        actor=account,
        action="user.verification_code_issued",
        target=verification,
        data={"purpose": purpose.value, "channel": channel.value, "sent": deliver},
    )
    return CodeIssued(
        verification=verification,
        code=code,
        channel=channel,
        address=normalised,
        deliver=deliver,
        account_exists=exists,
    )


def _code_try(
    verification_id: int, purpose: VerificationPurpose, code: str
) -> tuple[VerificationCode, bool]:
    """Count one try of `code` (inside the caller's transaction): the locked row and whether the
    code was accepted now (it is then spent). The caller says what to, after its transaction."""
    verification = (
        VerificationCode.objects.select_for_update()
        .filter(pk=verification_id, purpose=purpose.value)
        .first()
    )
    if verification is None:
        raise ValidationFailed(CODE_WRONG, field="code")
    verification.attempts += 1
    now = clock.now()
    matches = hmac.compare_digest(
        verification.code_hash, _code_hash(verification.salt, typed_code(code))
    )
    usable = code_usable(
        now=now,
        expires_at=verification.expires_at,
        used=verification.used_at is not None,
        attempts=verification.attempts,
        max_attempts=CODE_MAX_ATTEMPTS,
    )
    accepted = matches and usable
    if accepted:
        verification.used_at = now
    verification.save(update_fields=["attempts", "used_at", "updated_at"])
    return verification, accepted


def _new_password_check(password: str, password_again: str, user: User) -> None:
    if not password:
        raise ValidationFailed(_("Choose a password."), field="password")
    if password != password_again:
        raise ValidationFailed(_("The two passwords are not the same."), field="password_again")
    _check_password(password, user)


def citizen_signup_complete(
    *,
    verification_id: int,
    code: str,
    name: str,
    password: str,
    password_again: str,
    language: str = "ko",
) -> User:
    """Make a citizen account for the address a code proved. The account's user name is random
    (no personal data in clear); they log in with the e-mail address or the mobile number,
    kept encrypted and found by its blind index (`login_account`).

    Bad input (name, password) changes nothing; a try of the code is counted (its own
    transaction, with an audit row) and a wrong, used or expired code is refused."""
    if not name.strip():
        raise ValidationFailed(_("Your name is required."), field="name")
    verification = VerificationCode.objects.filter(
        pk=verification_id, purpose=VerificationPurpose.SIGNUP.value
    ).first()
    if verification is None:
        raise ValidationFailed(CODE_WRONG, field="code")
    channel = VerificationChannel(verification.channel)
    address = crypto.decrypt(verification.address_encrypted)
    draft = User(
        username=citizen_username(),  # no personal data; the address logs in (login_account)
        name=name.strip(),
    )
    draft.email = address if channel is VerificationChannel.EMAIL else ""
    draft.phone = address if channel is VerificationChannel.PHONE else ""
    _new_password_check(password, password_again, draft)
    with transaction.atomic():
        tried, accepted = _code_try(verification_id, VerificationPurpose.SIGNUP, code)
        failed = not accepted or address_in_use(channel, address)
        if failed:
            audit_record(
                actor=None,
                action="user.verification_code_failed",
                target=tried,
                data={"purpose": tried.purpose, "attempts": tried.attempts},
            )
        else:
            draft.kind = UserKind.CITIZEN.value
            draft.preferred_language = language if language in ("ko", "en") else "ko"
            draft.set_password(password)
            draft.save()
            audit_record(
                actor=draft,
                action="user.citizen_signed_up",
                target=draft,
                data={"channel": channel.value, "verification": tried.pk},
            )
    if failed:
        raise ValidationFailed(CODE_WRONG, field="code")
    return draft


def password_reset_complete(
    *, verification_id: int, code: str, password: str, password_again: str
) -> User:
    """Set a new password for the account a reset code was sent to (single use, expiring).

    Changing the password ends every other session of the account: Django checks each session
    against a hash of the password (`get_session_auth_hash`), so sessions signed in before the
    reset are signed out at their next request."""
    verification = VerificationCode.objects.filter(
        pk=verification_id, purpose=VerificationPurpose.PASSWORD_RESET.value
    ).first()
    if verification is None:
        raise ValidationFailed(CODE_WRONG, field="code")
    account = verification.user or User(username=crypto.decrypt(verification.address_encrypted))
    _new_password_check(password, password_again, account)
    with transaction.atomic():
        tried, accepted = _code_try(verification_id, VerificationPurpose.PASSWORD_RESET, code)
        user = (
            User.objects.select_for_update().filter(pk=tried.user_id, is_active=True).first()
            if tried.user_id is not None and accepted
            else None
        )
        if user is None:
            audit_record(
                actor=None,
                action="user.verification_code_failed",
                target=tried,
                data={"purpose": tried.purpose, "attempts": tried.attempts},
            )
        else:
            user.set_password(password)
            user.save(update_fields=["password"])
            login_failures_clear(username=user.username)
            audit_record(
                actor=user,
                action="user.password_reset",
                target=user,
                data={"channel": tried.channel, "verification": tried.pk},
            )
    if user is None:
        raise ValidationFailed(CODE_WRONG, field="code")
    return user


# --- 본인확인 / 간편인증 -----------------------------------------------------------------------


@transaction.atomic
def identity_check_record(*, user: User, assertion: IdentityAssertion) -> IdentityCheck:
    """Keep that `user` was confirmed by `assertion.provider` at `assertion.verified_at`: the
    fact, the provider and the time, with the CI only as a keyed hash. One person, one citizen
    account: a CI already confirmed for another account is refused."""
    if user.is_officer or not user.is_active:
        raise ValidationFailed(_("Only a citizen's account can be confirmed."), field="user")
    if not assertion.ci:
        raise ValidationFailed(_("The provider gave no identity to confirm."), field="provider")
    index = crypto.blind_index(assertion.ci, purpose="identity-ci")
    if IdentityCheck.objects.filter(ci_index=index).exclude(user=user).exists():
        raise Conflict(
            _("This person is already confirmed for another account. Log in with that one."),
            field="provider",
        )
    check = IdentityCheck.objects.create(
        user=user,
        provider=assertion.provider[:40],
        verified_at=assertion.verified_at,
        ci_index=index,
    )
    audit_record(
        actor=user,
        action="user.identity_checked",
        target=user,
        data={"provider": check.provider, "verified_at": check.verified_at.isoformat()},
    )
    return check
