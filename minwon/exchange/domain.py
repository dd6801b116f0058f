"""The JSON exchange format with the national systems, and its rules (stdlib only).

An incoming complaint (국민신문고 or 정부24):

    {"external_id": "1AA-2603-0001234", "agency": "epeople", "kind": "suggestion",
     "title": "...", "body": "...", "registered_at": "2026-03-09T10:00:00+09:00",
     "due_at": "2026-03-27T18:00:00+09:00", "service_code": "building-permit" (정부24 only),
     "applicant": {"name": "...", "address": "...", "phone": "...", "email": "..."}}

A report back, one per status change of the complaint, idempotent on `report_id`:

    {"report_id": "<external_id>:<sequence>", "external_id": "...", "status": "answered",
     "occurred_at": "...", "due_at": "..." (after any extension), "receipt_number": "...",
     "answer": "..." (answered only), "outcome": "granted" (answered only),
     "transferred_to": "..." (transferred only)}

A report is sent whenever the complaint's status or deadline differs from the last one reported.

docs/exchange.md describes the whole protocol.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any


class Agency(StrEnum):
    EPEOPLE = "epeople"  # 국민신문고 (국민권익위원회)
    GOV24 = "gov24"  # 정부24 (행정안전부): statutory applications


KINDS_BY_AGENCY: dict[Agency, frozenset[str]] = {
    Agency.EPEOPLE: frozenset(
        {"inquiry_law", "inquiry_procedure", "suggestion", "other", "grievance"}
    ),
    Agency.GOV24: frozenset({"statutory"}),
}


class ExchangeFormatError(ValueError):
    """An incoming item does not follow the exchange format; `field` names the problem."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class IncomingApplicant:
    name: str
    address: str
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class IncomingComplaint:
    agency: Agency
    external_id: str
    kind: str
    title: str
    body: str
    registered_at: datetime
    due_at: datetime | None
    applicant: IncomingApplicant
    service_code: str = ""


def _text(item: dict[str, Any], name: str, *, required: bool = True, limit: int = 10_000) -> str:
    value = item.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ExchangeFormatError(name, "must be text")
    value = value.strip()
    if required and not value:
        raise ExchangeFormatError(name, "is required")
    if len(value) > limit:
        raise ExchangeFormatError(name, f"is longer than {limit} characters")
    return value


def _instant(item: dict[str, Any], name: str, *, required: bool = True) -> datetime | None:
    raw = _text(item, name, required=required, limit=40)
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ExchangeFormatError(name, "is not an ISO 8601 date-time") from exc
    if value.tzinfo is None:
        raise ExchangeFormatError(name, "has no time zone")
    return value


def parse_incoming(item: object, *, agency: Agency) -> IncomingComplaint:
    if not isinstance(item, dict):
        raise ExchangeFormatError("item", "must be a JSON object")
    given_agency = item.get("agency", agency.value)
    if given_agency != agency.value:
        raise ExchangeFormatError("agency", f"must be {agency.value}")
    kind = _text(item, "kind", limit=30)
    if kind not in KINDS_BY_AGENCY[agency]:
        raise ExchangeFormatError("kind", f"{kind!r} does not come from {agency.value}")
    service_code = _text(item, "service_code", required=agency == Agency.GOV24, limit=80)
    applicant = item.get("applicant")
    if not isinstance(applicant, dict):
        raise ExchangeFormatError("applicant", "must be an object with name and address")
    registered_at = _instant(item, "registered_at")
    assert registered_at is not None
    return IncomingComplaint(
        agency=agency,
        external_id=_text(item, "external_id", limit=60),
        kind=kind,
        title=_text(item, "title", limit=200),
        body=_text(item, "body"),
        registered_at=registered_at,
        due_at=_instant(item, "due_at", required=False),
        applicant=IncomingApplicant(
            name=_text(applicant, "name", limit=100),
            address=_text(applicant, "address", limit=300),
            phone=_text(applicant, "phone", required=False, limit=30),
            email=_text(applicant, "email", required=False, limit=200),
        ),
        service_code=service_code,
    )


def report_for(
    *,
    external_id: str,
    sequence: int,
    status: str,
    occurred_at: datetime,
    due_at: datetime | None = None,
    receipt_number: str = "",
    answer: str = "",
    outcome: str = "",
    transferred_to: str = "",
) -> dict[str, Any]:
    report: dict[str, Any] = {
        "report_id": f"{external_id}:{sequence}",
        "external_id": external_id,
        "status": status,
        "occurred_at": occurred_at.isoformat(),
        "due_at": due_at.isoformat() if due_at else None,
        "receipt_number": receipt_number or None,
    }
    if status == "answered":
        report["answer"] = answer
        report["outcome"] = outcome
    if status == "transferred":
        report["transferred_to"] = transferred_to
    return report


def retry_delay_seconds(attempts: int) -> int:
    """Back-off for a report the national side did not take: 1, 2, 4 … minutes, at most 1 hour."""
    return int(min(60 * 2 ** max(attempts - 1, 0), 3600))


REPORT_FIELDS = (
    "report_id",
    "external_id",
    "status",
    "due_at",
    "receipt_number",
    "answer",
    "outcome",
    "transferred_to",
)


def _same_instant(a: object, b: object) -> bool:
    if a == b:
        return True
    if not isinstance(a, str) or not isinstance(b, str):
        return False
    try:
        return datetime.fromisoformat(a.replace("Z", "+00:00")) == datetime.fromisoformat(
            b.replace("Z", "+00:00")
        )
    except ValueError:
        return False


def report_matches(sent: dict[str, Any], held: dict[str, Any]) -> bool:
    """Whether the report the national side holds under an id is the one Minwon sent."""
    for name in REPORT_FIELDS:
        mine, theirs = sent.get(name), held.get(name)
        if name == "due_at":
            if not _same_instant(mine, theirs):
                return False
        elif (mine or None) != (theirs or None):
            return False
    return True
