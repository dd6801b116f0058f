"""Pure rules for people and the organisation (stdlib only)."""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol, runtime_checkable


class UserKind(StrEnum):
    CITIZEN = "citizen"
    OFFICER = "officer"


class Role(StrEnum):
    """What an officer may do; a role is held over one org unit (and its descendants)."""

    COUNTER_OFFICER = "counter_officer"  # 민원실 창구 담당
    DEPARTMENT_OFFICER = "department_officer"  # 처리담당자
    DEPARTMENT_HEAD = "department_head"  # 부서장
    COMPLAINT_SUPERVISOR = "complaint_supervisor"  # 민원총괄
    WELFARE_OFFICER = "welfare_officer"  # 복지 담당
    ADMINISTRATOR = "administrator"  # 시스템 관리자
    AUDITOR = "auditor"  # 감사 담당: reads the audit log, changes nothing
    # 청사 안전관리 (방호) 담당: told at once of a threat to staff or of self-harm in a citizen's
    # text, and of an officer's alarm (영 제4조①1: 비상벨, 안전요원); held over the units it guards
    # (the city for the whole building). Sees no complaint through the role.
    SECURITY_DESK = "security_desk"


class OrgUnitKind(StrEnum):
    CITY = "city"  # 시
    OFFICE = "office"  # 실
    BUREAU = "bureau"  # 국
    AGENCY = "agency"  # 사업소·보건소·본부
    DIVISION = "division"  # 과 (담당관 포함)
    TEAM = "team"  # 팀
    EUP = "eup"  # 읍
    MYEON = "myeon"  # 면
    DONG = "dong"  # 동


# Korean labels in the organisation data → kinds.
ORG_KIND_BY_KOREAN: dict[str, OrgUnitKind] = {
    "시": OrgUnitKind.CITY,
    "실": OrgUnitKind.OFFICE,
    "국": OrgUnitKind.BUREAU,
    "사업소": OrgUnitKind.AGENCY,
    "보건소": OrgUnitKind.AGENCY,
    "과": OrgUnitKind.DIVISION,
    "팀": OrgUnitKind.TEAM,
    "읍": OrgUnitKind.EUP,
    "면": OrgUnitKind.MYEON,
    "동": OrgUnitKind.DONG,
}

# Which kinds may sit under which (the tree 시 → 실/국 → 과 → 팀, and 시 → 읍면동 → 팀).
ALLOWED_PARENT_KINDS: dict[OrgUnitKind, frozenset[OrgUnitKind]] = {
    OrgUnitKind.CITY: frozenset(),
    OrgUnitKind.OFFICE: frozenset({OrgUnitKind.CITY}),
    OrgUnitKind.BUREAU: frozenset({OrgUnitKind.CITY}),
    OrgUnitKind.AGENCY: frozenset({OrgUnitKind.CITY}),
    OrgUnitKind.DIVISION: frozenset(
        {OrgUnitKind.CITY, OrgUnitKind.OFFICE, OrgUnitKind.BUREAU, OrgUnitKind.AGENCY}
    ),
    OrgUnitKind.TEAM: frozenset(
        {OrgUnitKind.DIVISION, OrgUnitKind.EUP, OrgUnitKind.MYEON, OrgUnitKind.DONG}
    ),
    OrgUnitKind.EUP: frozenset({OrgUnitKind.CITY}),
    OrgUnitKind.MYEON: frozenset({OrgUnitKind.CITY}),
    OrgUnitKind.DONG: frozenset({OrgUnitKind.CITY}),
}


def can_be_child(child: OrgUnitKind, parent: OrgUnitKind | None) -> bool:
    """Whether an org unit of kind `child` may sit under `parent` (None: the root)."""
    allowed = ALLOWED_PARENT_KINDS[child]
    if parent is None:
        return not allowed
    return parent in allowed


# Roles that see every org unit's cases, not only their own unit's subtree.
CITYWIDE_ROLES: frozenset[Role] = frozenset({Role.COMPLAINT_SUPERVISOR, Role.ADMINISTRATOR})


class ApiScope(StrEnum):
    """What an integrator's key may do."""

    OPEN311_POST = "open311.post"  # create requests through Open311
    API_READ = "api.read"  # read complaints of the key's org unit through the JSON API
    API_WRITE = "api.write"  # file and act on complaints through the JSON API
    EXCHANGE = "exchange"  # the 국민신문고 / 정부24 connector
    WEBHOOKS = "webhooks"  # manage webhook subscriptions
    COUNTER = "counter"  # a kiosk, board or window terminal: tickets, queues, the board


API_KEY_PREFIX = "mw_"
PERSONAL_TOKEN_PREFIX = "mwp_"
MAX_TOKEN_DAYS = 365


# --- sign-up, password reset: one-time codes sent to an e-mail address or a mobile phone ---------


class VerificationPurpose(StrEnum):
    SIGNUP = "signup"  # prove an address before an account is made with it
    PASSWORD_RESET = "password_reset"  # prove the account's own address to choose a new password


class VerificationChannel(StrEnum):
    EMAIL = "email"
    PHONE = "phone"  # a Korean mobile number (알림톡, SMS as its fallback)


CODE_DIGITS = 6
CODE_TTL_MINUTES = 10  # a code is good for ten minutes
CODE_MAX_ATTEMPTS = 5  # then it is spent: ask for a new one
# Codes sent within the window: per address (a mailbox or phone is not flooded) and per client
# address (one machine cannot try many addresses). A client gets more, as for logins (NAT).
CODE_SEND_WINDOW_MINUTES = 60
CODE_SENDS_PER_ADDRESS = 3
CODE_SENDS_PER_CLIENT = 10

_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_MOBILE_RE = re.compile(r"^01[016789]\d{7,8}$")


def mobile_number(raw: str) -> str | None:
    """'010-1234-5678', '+82 10 1234 5678' → '01012345678'; None for anything else."""
    digits = re.sub(r"[\s\-().]", "", raw)
    if digits.startswith("+82"):
        digits = "0" + digits[3:]
    return digits if _MOBILE_RE.match(digits) else None


def verification_address(raw: str) -> tuple[VerificationChannel, str] | None:
    """What a person typed as "e-mail or mobile number", normalised: (channel, address), or None.

    E-mail addresses are compared in lower case; mobile numbers as digits only."""
    text = raw.strip()
    if (mobile := mobile_number(text)) is not None:
        return VerificationChannel.PHONE, mobile
    if len(text) <= 254 and _EMAIL_RE.match(text):
        return VerificationChannel.EMAIL, text.lower()
    return None


def new_code() -> str:
    """Six random digits (secrets: not guessable from earlier codes)."""
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def typed_code(raw: str) -> str:
    """The code as typed, without spaces or hyphens ("123 456" is 123456)."""
    return re.sub(r"[\s\-]", "", raw)


def code_usable(
    *, now: datetime, expires_at: datetime, used: bool, attempts: int, max_attempts: int
) -> bool:
    """A code may still be tried: not used, not expired, attempts left (`attempts` counts this
    one already)."""
    return not used and now < expires_at and attempts <= max_attempts


def login_name(typed: str) -> str:
    """The user name a login looks up: a citizen who signed up logs in with the address the code
    proved, typed as they like ("010-1234-5678", "Name@Example.com"); anything else as typed."""
    parsed = verification_address(typed)
    return parsed[1] if parsed is not None else typed.strip()


# --- 간편인증 / 본인확인: the adapter a city's identity-check provider plugs into ---------------


class IdentityCheckFailed(Exception):
    """The provider did not confirm the person (cancelled, expired, tampered, refused). `reason`
    is a stable code; the interface shows its own words."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True)
class IdentityAssertion:
    """What a provider tells after a successful check. `ci` (연계정보, 88 bytes in Base64 from
    PASS/NICE/KCB; a stable per-person value at 카카오/네이버) is used once to make a keyed hash and
    is never stored; the name and birth date only to show the person what was confirmed."""

    provider: str
    ci: str
    verified_at: datetime
    name: str = ""
    birth_date: str = ""  # YYYY-MM-DD, as the provider gave it


@runtime_checkable
class IdentityProvider(Protocol):
    """A 본인확인 or 간편인증 service (PASS, 카카오·네이버 인증, 공동인증서 …) behind one contract.

    The interface keeps a random `state` in the person's session, calls `start` and sends the
    browser to the URL it returns; the provider sends the browser back to `return_url` with its
    answer, which the interface hands to `complete` with the same `state`. `complete` checks the
    answer (signature, state, expiry) and returns the assertion, or raises IdentityCheckFailed.
    docs/how-to/identity-provider.md says how a city plugs a real provider in."""

    key: str  # stable, [a-z0-9_]: stored with each check
    label: str  # shown on the button, e.g. "PASS"

    def start(self, *, state: str, return_url: str) -> str: ...

    def complete(self, *, state: str, params: Mapping[str, str]) -> IdentityAssertion: ...
