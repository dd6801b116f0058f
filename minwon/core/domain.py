"""Pure helpers shared by contexts (stdlib only): masking of personal data, client addresses,
the backoff of failure throttles."""

from __future__ import annotations

import ipaddress
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(entries: Sequence[str]) -> list[Network]:
    """'10.0.0.0/8', '192.0.2.7' → networks; ValueError names the first malformed entry."""
    networks: list[Network] = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError as exc:
            raise ValueError(entry) from exc
    return networks


def address_in(address: str, networks: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(peer: str | None, forwarded_for: str, trusted: Sequence[Network]) -> str | None:
    """The client's address: the peer itself unless it is a trusted proxy; then X-Forwarded-For
    is read from the right, skipping trusted proxies, and the first address that is not one is the
    client. A malformed hop stops the walk at the last address a trusted proxy vouched for.
    """
    if peer is None or not address_in(peer, trusted):
        return peer
    client = peer
    for hop in reversed([part.strip() for part in forwarded_for.split(",") if part.strip()]):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            break
        client = hop
        if not address_in(hop, trusted):
            break
    return client


_RRN = re.compile(r"^(\d{6})-?([1-8])(\d{6})$")


def normalize_rrn(value: str) -> str | None:
    """Return a 주민등록번호 as 13 digits, or None when it is not well formed.

    Only the shape is checked: numbers issued since October 2020 have a random tail, so the old
    check-digit rule would refuse valid numbers.
    """
    match = _RRN.match(value.strip())
    if not match:
        return None
    digits = "".join(match.groups())
    return digits


def mask_rrn(value: str) -> str:
    """주민등록번호 → '900101-1******' (birth date and sex digit only)."""
    digits = re.sub(r"\D", "", value)
    if len(digits) != 13:
        return "******-*******"
    return f"{digits[:6]}-{digits[6]}******"


# A 주민등록번호 inside free text: six digits, an optional hyphen, a sex/century digit 1-8 and six
# more digits, not part of a longer number.
_RRN_IN_TEXT = re.compile(r"(?<![0-9])([0-9]{6})([ \t]*-[ \t]*|)([1-8])([0-9]{6})(?![0-9])")
_RRN_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
_RANDOM_TAIL_FROM = date(2020, 10, 1)  # numbers issued since then have no check digit


def _rrn_birth_date(yymmdd: str, sex: str) -> date | None:
    century = 1900 if sex in "1256" else 2000
    try:
        return date(century + int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:]))
    except ValueError:
        return None


def _rrn_check_digit_holds(digits: str) -> bool:
    total = sum(int(d) * w for d, w in zip(digits[:12], _RRN_WEIGHTS, strict=True))
    return (11 - total % 11) % 10 == int(digits[12])


def looks_like_rrn(yymmdd: str, sex: str, tail: str, *, hyphenated: bool) -> bool:
    """Loosely a 주민등록번호: a real birth date; written without its hyphen it must also pass
    the old check digit (or be born since October 2020, when tails became random), so that
    13-digit account or order numbers are left alone. Phone numbers never have this shape."""
    born = _rrn_birth_date(yymmdd, sex)
    if born is None:
        return False
    if hyphenated:
        return True
    return _rrn_check_digit_holds(yymmdd + sex + tail) or born >= _RANDOM_TAIL_FROM


def mask_rrns_in_text(text: str) -> tuple[str, int]:
    """Every 주민등록번호-shaped number in `text` masked as '900101-1******'; and how many."""
    found = 0

    def _mask(match: re.Match[str]) -> str:
        nonlocal found
        yymmdd, hyphen, sex, tail = match.groups()
        if not looks_like_rrn(yymmdd, sex, tail, hyphenated=bool(hyphen)):
            return match.group(0)
        found += 1
        return f"{yymmdd}-{sex}******"

    return _RRN_IN_TEXT.sub(_mask, text), found


def mask_name(name: str) -> str:
    """'홍길동' → '홍*동', '이순' → '이*', 'John Smith' → 'J*** S****'."""
    name = name.strip()
    if not name:
        return ""
    if " " in name:
        return " ".join(part[0] + "*" * (len(part) - 1) for part in name.split())
    if len(name) <= 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_phone(phone: str) -> str:
    """'010-1234-5678' → '010-****-5678'."""
    digits = re.sub(r"\D", "", phone)
    if len(digits) < 8:
        return "*" * len(digits)
    return f"{digits[:3]}-****-{digits[-4:]}"


def mask_email(email: str) -> str:
    """'minwon@example.kr' → 'm*****@example.kr'."""
    local, sep, domain = email.partition("@")
    if not sep:
        return "*" * len(email)
    return local[:1] + "*" * max(len(local) - 1, 1) + "@" + domain


# --- failure throttles ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ThrottlePolicy:
    """How many failed tries one key (an account, a follow-up number), one client address, and
    one key from one address may make inside `window_seconds` before every further try waits;
    the wait starts at `base_seconds` and doubles with each further failure, up to `max_seconds`.
    A dimension set to None is not counted."""

    scope: str
    per_key: int | None
    per_client: int | None
    per_pair: int | None
    base_seconds: int
    max_seconds: int
    window_seconds: int


@dataclass(frozen=True)
class FailureCount:
    """The failures of one dimension inside the window: how many, and the last one's time."""

    free: int | None
    count: int
    last_at: datetime | None


def backoff_seconds(failures: int, *, free: int, base: int, cap: int) -> int:
    """The wait after `failures` failures when `free` are allowed: none below `free`, then
    base, 2·base, 4·base … up to `cap`."""
    if failures < free:
        return 0
    return min(cap, base * (1 << min(failures - free, 32)))


def throttle_wait(policy: ThrottlePolicy, counts: Sequence[FailureCount], now: datetime) -> int:
    """Whole seconds until the next try is allowed (0: allowed now): the longest wait any
    dimension asks for, counted from its last failure."""
    wait = 0.0
    for dim in counts:
        if dim.free is None or dim.last_at is None:
            continue
        delay = backoff_seconds(
            dim.count, free=dim.free, base=policy.base_seconds, cap=policy.max_seconds
        )
        wait = max(wait, (dim.last_at - now).total_seconds() + delay)
    return max(0, math.ceil(wait))


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: object) -> str:
    """A cell for a CSV file people open in a spreadsheet: text that would start a formula
    (=, +, -, @, a tab or a carriage return: OWASP 'CSV injection') gets a leading apostrophe, so
    it is shown, never run. Numbers stay numbers."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        text = str(value)
        return "'" + text if text.startswith(_FORMULA_START) else text
    return str(value)
