"""Pure helpers shared by contexts (stdlib only): masking of personal data, client addresses,
the backoff of failure throttles, the choice of Korean particles."""

from __future__ import annotations

import ipaddress
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final

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


# --- Korean particles (조사) ----------------------------------------------------------------
# Korean particles (조사) chosen for the word before them (pure, stdlib only).
#
# Korean writes 이/가, 을/를, 은/는, 과/와, 으로/로, 이나/나, 이라/라 and 아/야 by whether the
# word before ends in a consonant (받침). A template cannot know what `$title` or `%(name)s` will
# hold, so the Korean texts write both forms, "이(가)", "을(를)", "(으)로" …, as paper forms do;
# `choose_particles` replaces each such marker by the one form that fits the word in front of it,
# once the value is filled.
#
# The word's last sound is read from its last letter, skipping closing quotes (「도로 파손」이(가)
# → 「도로 파손」이) and asides in parentheses, as 한글 맞춤법 attaches the particle to the word
# before the parenthesis (시뮬레이터(PASS 대신)(으)로 → 시뮬레이터(PASS 대신)로): a Hangul
# syllable by its final; a digit as it is read in Sino-Korean (0 영/십/백/천/만, 1 일, 2 이, 3 삼,
# 4 사, 5 오, 6 육, 7 칠, 8 팔, 9 구); a Latin letter by its usual Korean name (L 엘, M 엠, N 엔,
# R 알 end in a consonant). When the last letter says nothing (an emoji, a symbol, no word at all)
# the marker is left as written, which is still correct Korean.
# marker → (form after a consonant, form after a vowel). 으로/로 has its own rule for ㄹ.
_MARKERS: Final[dict[str, tuple[str, str]]] = {
    "이(가)": ("이", "가"),
    "을(를)": ("을", "를"),
    "은(는)": ("은", "는"),
    "과(와)": ("과", "와"),
    "와(과)": ("과", "와"),
    "(으)로": ("으로", "로"),
    "(이)나": ("이나", "나"),
    "(이)라": ("이라", "라"),
    "(이)라고": ("이라고", "라고"),
    "아(야)": ("아", "야"),
}
_MARKER_RE: Final = re.compile(
    "|".join(re.escape(m) for m in sorted(_MARKERS, key=len, reverse=True))
)
# Closing quotes and brackets a particle may follow: the word inside is the word (「…」이, "…"을).
_TRANSPARENT: Final = set("」』”’\"'>〉》")
# A parenthesis is an aside: the particle fits the word before it (시뮬레이터(PASS 대신)로).
_ASIDES: Final = {")": "(", "]": "[", "}": "{", "）": "（"}
_RIEUL: Final = 8  # index of ㄹ among the finals
# Sino-Korean reading of a final digit: (ends in a consonant, the consonant is ㄹ).
_DIGITS: Final[dict[str, tuple[bool, bool]]] = {
    "0": (True, False),
    "1": (True, True),
    "2": (False, False),
    "3": (True, False),
    "4": (False, False),
    "5": (False, False),
    "6": (True, False),
    "7": (True, True),
    "8": (True, True),
    "9": (False, False),
}
_LATIN_CONSONANT: Final = set("lmnrLMNR")
_LATIN_RIEUL: Final = set("lrLR")


def final_sound(word: str) -> tuple[bool, bool] | None:
    """(ends in a consonant, that consonant is ㄹ) for the end of `word`, or None if unknown."""
    i = len(word) - 1
    while i >= 0:
        char = word[i]
        i -= 1
        if char in _TRANSPARENT:
            continue
        if char in _ASIDES:
            depth, opening = 1, _ASIDES[char]
            while i >= 0 and depth:
                depth += (word[i] == char) - (word[i] == opening)
                i -= 1
            if depth:
                return None
            continue
        code = ord(char)
        if 0xAC00 <= code <= 0xD7A3:
            final = (code - 0xAC00) % 28
            return final != 0, final == _RIEUL
        if char in _DIGITS:
            return _DIGITS[char]
        if char.isascii() and char.isalpha():
            return char in _LATIN_CONSONANT, char in _LATIN_RIEUL
        return None
    return None


def choose_particles(text: str) -> str:
    """Replace every "이(가)"-style marker by the form the preceding word takes."""

    def pick(match: re.Match[str]) -> str:
        marker = match.group(0)
        sound = final_sound(text[max(0, match.start() - 120) : match.start()])
        if sound is None:
            return marker
        consonant, rieul = sound
        after_consonant, after_vowel = _MARKERS[marker]
        if marker == "(으)로" and rieul:
            return after_vowel  # 서울로, 7로: ㄹ takes 로
        return after_consonant if consonant else after_vowel

    return _MARKER_RE.sub(pick, text)
