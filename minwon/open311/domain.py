"""Pure rules of the GeoReport v2 protocol (stdlib only): parameters, dates, statuses, errors.

Spec: GeoReport v2 (open311.org), "frozen and finalized"; mySociety's servicerequestupdates
extension. Deviations are documented in docs/open311.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from urllib.parse import urlsplit

MAX_DESCRIPTION = 4000
MAX_MEDIA_URL = 500
MAX_WINDOW = timedelta(days=90)
DEFAULT_WINDOW = timedelta(days=90)
DEFAULT_LIMIT = 1000
MAX_PAGE_SIZE = 1000
MAX_PAGE = 100_000  # page × page_size stays far inside a 64-bit OFFSET
_ASCII_DIGITS = re.compile(r"[0-9]{1,7}")

_ATTRIBUTE_KEY = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")
# W3C "Date and Time Formats" subset the spec uses, with a mandatory zone.
_W3C = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")


class Format(StrEnum):
    XML = "xml"
    JSON = "json"


@dataclass(frozen=True)
class Open311Error(Exception):
    """One entry of the spec's error document; `status` is the HTTP status."""

    status: int
    description: str
    code: int | None = None  # body code; defaults to the HTTP status

    @property
    def body_code(self) -> int:
        return self.code if self.code is not None else self.status


def clean(params: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Empty values behave exactly like absent ones (the spec's optional-argument rule). A NUL
    character, which no text column can keep (PostgreSQL refuses it), is a 400."""
    cleaned = [(k, v.strip()) for k, v in params if v is not None and v.strip() != ""]
    for key, value in cleaned:
        if "\x00" in key or "\x00" in value:
            raise Open311Error(400, "parameters may not contain NUL characters")
    return cleaned


def first(params: list[tuple[str, str]], name: str) -> str | None:
    for key, value in params:
        if key == name:
            return value
    return None


def parse_attributes(params: list[tuple[str, str]]) -> dict[str, list[str]]:
    """`attribute[CODE]=v` and `attribute[CODE][]=v1&attribute[CODE][]=v2` → {CODE: [values]}."""
    found: dict[str, list[str]] = {}
    for key, value in params:
        match = _ATTRIBUTE_KEY.match(key)
        if match:
            found.setdefault(match.group(1), []).append(value)
    return found


def parse_datetime(value: str, *, name: str) -> datetime:
    """A W3C date-time with its zone; a naive time is a 400 naming the parameter."""
    if not _W3C.match(value):
        raise Open311Error(
            400, f"{name} must be a W3C date-time with a time zone, e.g. 2026-03-09T10:00:00+09:00"
        )
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise Open311Error(400, f"{name} is not a valid date-time") from exc


@dataclass(frozen=True)
class RequestQuery:
    ids: tuple[str, ...] = ()
    service_codes: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None
    statuses: tuple[str, ...] = ()
    page: int = 1
    page_size: int = DEFAULT_LIMIT


def parse_request_query(params: list[tuple[str, str]], *, now: datetime) -> RequestQuery:
    """GET requests: `service_request_id` overrides every other filter; the window is at most
    90 days and defaults to the last 90 days; at most 1,000 rows a page (page/page_size
    extension)."""
    ids = first(params, "service_request_id")
    page = _positive_int(first(params, "page"), "page", default=1, most=MAX_PAGE)
    page_size = _positive_int(
        first(params, "page_size"), "page_size", default=DEFAULT_LIMIT, most=MAX_PAGE_SIZE
    )
    if ids:
        return RequestQuery(
            ids=tuple(i.strip() for i in ids.split(",") if i.strip()),
            page=page,
            page_size=page_size,
        )
    codes = first(params, "service_code")
    start_raw, end_raw = first(params, "start_date"), first(params, "end_date")
    start = parse_datetime(start_raw, name="start_date") if start_raw else None
    end = parse_datetime(end_raw, name="end_date") if end_raw else None
    if start and end and end < start:
        raise Open311Error(400, "end_date is before start_date")
    if start is None and end is None:
        start = now - DEFAULT_WINDOW
    elif start is None:
        assert end is not None
        start = end - DEFAULT_WINDOW
    elif end is None:
        end = min(start + MAX_WINDOW, now)
    if end is not None and end - start > MAX_WINDOW:
        raise Open311Error(400, "the span between start_date and end_date may not exceed 90 days")
    statuses = first(params, "status")
    status_list = tuple(s.strip() for s in statuses.split(",")) if statuses else ()
    for status in status_list:
        if status not in {"open", "closed"}:
            raise Open311Error(400, "status must be open, closed or both (comma-separated)")
    return RequestQuery(
        service_codes=tuple(c.strip() for c in codes.split(",") if c.strip()) if codes else (),
        start=start,
        end=end,
        statuses=status_list,
        page=page,
        page_size=page_size,
    )


def _positive_int(raw: str | None, name: str, *, default: int, most: int) -> int:
    """A whole number from 1 to `most` in ASCII digits (str.isdigit also takes '١٢' and '²')."""
    if raw is None:
        return default
    if not _ASCII_DIGITS.fullmatch(raw) or not 1 <= int(raw) <= most:
        raise Open311Error(400, f"{name} must be a whole number from 1 to {most}")
    return int(raw)


def parse_media_url(raw: str | None) -> str:
    """`media_url` as published: an absolute http(s) URL with a host, at most 500 characters,
    or empty. Any other scheme (javascript:, data:, file: …) is a 400, never republished."""
    if not raw:
        return ""
    error = Open311Error(400, "media_url must be an http or https URL of at most 500 characters")
    if len(raw) > MAX_MEDIA_URL or any(c.isspace() or ord(c) < 0x20 or c == "\x7f" for c in raw):
        raise error
    try:
        parts = urlsplit(raw)
        host = parts.hostname
    except ValueError as exc:  # a malformed IPv6 host or port
        raise error from exc
    if parts.scheme.lower() not in {"http", "https"} or not host:
        raise error
    return raw


def public_media_url(stored: str) -> str | None:
    """A stored media_url as the feed may show it (rows kept before the check are withheld)."""
    try:
        return parse_media_url(stored) or None
    except Open311Error:
        return None


@dataclass(frozen=True)
class AttributeSpec:
    code: str
    datatype: str  # string, number, datetime, text, singlevaluelist, multivaluelist
    required: bool
    values: tuple[str, ...] = ()
    variable: bool = True


@dataclass
class NewRequest:
    service_code: str
    description: str = ""
    lat: float | None = None
    long: float | None = None
    address_string: str = ""
    address_id: str = ""
    attributes: dict[str, list[str]] = field(default_factory=dict)
    email: str = ""
    phone: str = ""
    first_name: str = ""
    last_name: str = ""
    device_id: str = ""
    account_id: str = ""
    media_url: str = ""


def parse_new_request(
    params: list[tuple[str, str]], *, spatial: bool, attributes: Iterable[AttributeSpec]
) -> NewRequest:
    """Validate a POST requests body after api_key and service_code were checked (spec order:
    location, required attributes, description length)."""
    code = first(params, "service_code") or ""
    lat_raw, long_raw = first(params, "lat"), first(params, "long")
    lat = long = None
    if (lat_raw is None) != (long_raw is None):
        raise Open311Error(400, "lat and long must be given together")
    if lat_raw is not None and long_raw is not None:
        try:
            lat, long = float(lat_raw), float(long_raw)
        except ValueError as exc:
            raise Open311Error(400, "lat and long must be decimal degrees (WGS84)") from exc
        if not (-90 <= lat <= 90 and -180 <= long <= 180):
            raise Open311Error(400, "lat and long are outside WGS84 ranges")
    address = first(params, "address_string") or ""
    address_id = first(params, "address_id") or ""
    if spatial and lat is None and not address and not address_id:
        raise Open311Error(
            400, "a location is required: lat and long, address_string or address_id"
        )
    given = parse_attributes(params)
    for spec in attributes:
        values = given.get(spec.code, [])
        if spec.required and spec.variable and not values:
            raise Open311Error(400, f"attribute {spec.code} is required")
        if spec.datatype in {"singlevaluelist", "multivaluelist"} and spec.values:
            for value in values:
                if value not in spec.values:
                    raise Open311Error(400, f"attribute {spec.code} has no value {value!r}")
        if spec.datatype == "singlevaluelist" and len(values) > 1:
            raise Open311Error(400, f"attribute {spec.code} takes one value")
        if spec.datatype == "number":
            for value in values:
                try:
                    float(value)
                except ValueError as exc:
                    raise Open311Error(400, f"attribute {spec.code} must be a number") from exc
        if spec.datatype == "datetime":
            for value in values:
                parse_datetime(value, name=f"attribute[{spec.code}]")
    description = first(params, "description") or ""
    if len(description) > MAX_DESCRIPTION:
        raise Open311Error(400, f"description may be at most {MAX_DESCRIPTION} characters")
    if "<" in description and re.search(r"<[a-zA-Z/!]", description):
        raise Open311Error(400, "description may not contain HTML")
    return NewRequest(
        service_code=code,
        description=description,
        lat=lat,
        long=long,
        address_string=address,
        address_id=address_id,
        attributes=given,
        email=first(params, "email") or "",
        phone=first(params, "phone") or "",
        first_name=first(params, "first_name") or "",
        last_name=first(params, "last_name") or "",
        device_id=first(params, "device_id") or "",
        account_id=first(params, "account_id") or "",
        media_url=parse_media_url(first(params, "media_url")),
    )


# --- the public place -----------------------------------------------------------------------------

PUBLIC_COORDINATE_DECIMALS = 3  # about 110 m north-south, 90 m east-west at Paju's latitude
# One token of a Korean address down to road or 동·리 level: 경기도, 파주시, 문산읍, 금촌1동,
# 교하리, 시청로, 통일로1680번길, 세종로3가. A building number, 번지, 아파트 동·호 or any other word
# ends the public part.
_PLACE_TOKEN = re.compile(r"[가-힣]+[0-9]*(?:번길|도|시|군|구|읍|면|동|리|로|길|가)")


def public_place(text: str) -> str | None:
    """The public part of a place: its leading administrative and road names, without building
    number, lot, apartment or landmark words ("경기도 파주시 시청로 50" → "경기도 파주시 시청로",
    "금촌동 123-4" → "금촌동"). None when nothing of that shape leads the text."""
    kept: list[str] = []
    for token in re.sub(r"\(.*?\)|,", " ", text).split():
        if not _PLACE_TOKEN.fullmatch(token):
            break
        kept.append(token)
    return " ".join(kept) or None


def public_coordinate(value: float | None) -> float | None:
    """A coordinate rounded for the public feed (a block, not a house)."""
    return None if value is None else round(value, PUBLIC_COORDINATE_DECIMALS)


# --- statuses ------------------------------------------------------------------------------------

# Internal status → (Open311 status, Korean stage for status_notes, mySociety extended status).
STATUS_MAP: dict[str, tuple[str, str, str]] = {
    "received": ("open", "접수 대기", "OPEN"),
    "registered": ("open", "접수", "OPEN"),
    "in_progress": ("open", "처리중", "IN_PROGRESS"),
    "supplement_pending": ("open", "보완 요청", "INVESTIGATING"),
    "objection_pending": ("open", "이의신청 처리중", "INVESTIGATING"),
    "answered": ("closed", "처리 완료", "FIXED"),
    "objection_decided": ("closed", "이의신청 결정", "CLOSED"),
    "transferred": ("closed", "다른 기관으로 이송", "NOT_COUNCILS_RESPONSIBILITY"),
    "returned": ("closed", "반려", "NO_FURTHER_ACTION"),
    "withdrawn": ("closed", "취하", "CANCELLED"),
    "closed": ("closed", "종결", "CLOSED"),
}
OPEN_INTERNAL = frozenset(k for k, (status, _, _) in STATUS_MAP.items() if status == "open")
CLOSED_INTERNAL = frozenset(STATUS_MAP) - OPEN_INTERNAL


def public_status(internal: str) -> tuple[str, str, str]:
    return STATUS_MAP.get(internal, ("open", internal, "OPEN"))


def internal_statuses(wanted: tuple[str, ...]) -> frozenset[str]:
    """Open311 `status` filter values → internal statuses (empty: all)."""
    chosen: set[str] = set()
    if not wanted or "open" in wanted:
        chosen |= OPEN_INTERNAL
    if not wanted or "closed" in wanted:
        chosen |= CLOSED_INTERNAL
    return frozenset(chosen)


INBOUND_STATUSES = frozenset(
    {
        "OPEN",
        "CLOSED",
        "FIXED",
        "IN_PROGRESS",
        "INVESTIGATING",
        "ACTION_SCHEDULED",
        "DUPLICATE",
        "NOT_COUNCILS_RESPONSIBILITY",
        "NO_FURTHER_ACTION",
        "INTERNAL_REFERRAL",
        "FOR_TRIAGE",
        "CANCELLED",
        "REOPEN",
    }
)


ATTRIBUTE_DATATYPES = frozenset(
    {"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"}
)


def attribute_specs(raw: list[dict[str, object]]) -> list[AttributeSpec]:
    """Stored attribute definitions → specs; a malformed definition is a ValueError."""
    specs: list[AttributeSpec] = []
    seen: set[str] = set()
    for item in raw:
        code = str(item.get("code", "")).strip()
        datatype = str(item.get("datatype", "string"))
        if not code or code in seen:
            raise ValueError(f"attribute code {code!r} is empty or repeated")
        if datatype not in ATTRIBUTE_DATATYPES:
            raise ValueError(f"attribute {code}: unknown datatype {datatype!r}")
        values = item.get("values") or []
        assert isinstance(values, list)
        keys = tuple(str(v["key"]) for v in values if isinstance(v, dict) and "key" in v)
        if datatype.endswith("valuelist") and not keys:
            raise ValueError(f"attribute {code}: a list needs values")
        seen.add(code)
        specs.append(
            AttributeSpec(
                code=code,
                datatype=datatype,
                required=bool(item.get("required", False)),
                values=keys,
                variable=bool(item.get("variable", True)),
            )
        )
    return specs
