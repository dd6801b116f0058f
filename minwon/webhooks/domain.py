"""Pure rules of webhooks (stdlib only): which history row is which event, signing, back-off."""

from __future__ import annotations

import hashlib
import hmac
from enum import StrEnum
from urllib.parse import urlsplit


class WebhookEvent(StrEnum):
    REGISTERED = "complaint.registered"
    ASSIGNED = "complaint.assigned"
    TRANSFERRED = "complaint.transferred"
    EXTENDED = "complaint.extended"
    ANSWERED = "complaint.answered"
    CLOSED = "complaint.closed"


# Complaint history actions (complaints.domain.Action values) → webhook events.
EVENT_BY_ACTION: dict[str, WebhookEvent] = {
    "register": WebhookEvent.REGISTERED,
    "assign": WebhookEvent.ASSIGNED,
    "transfer_internal": WebhookEvent.TRANSFERRED,
    "transfer_external": WebhookEvent.TRANSFERRED,
    "extend": WebhookEvent.EXTENDED,
    "answer": WebhookEvent.ANSWERED,
    "decide_objection": WebhookEvent.ANSWERED,
    "withdraw": WebhookEvent.CLOSED,
    "return": WebhookEvent.CLOSED,
    "merge": WebhookEvent.CLOSED,
    "close_repeated": WebhookEvent.CLOSED,
}

MAX_ATTEMPTS = 8
SIGNATURE_HEADER = "X-Minwon-Signature"


def event_for(action: str) -> WebhookEvent | None:
    return EVENT_BY_ACTION.get(action)


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """`t=<unix time>,v1=<hex HMAC-SHA256 of "<t>." + body>` (the receiver recomputes it)."""
    digest = hmac.new(
        secret.encode("utf-8"), str(timestamp).encode("ascii") + b"." + body, hashlib.sha256
    ).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(secret: str, header: str, body: bytes, *, now: int, tolerance: int = 300) -> bool:
    """What a receiver does: check the signature and refuse old timestamps (replays)."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    try:
        timestamp = int(parts.get("t", ""))
    except ValueError:
        return False
    if abs(now - timestamp) > tolerance:
        return False
    expected = sign(secret, timestamp, body).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))


def retry_delay_seconds(attempts: int) -> int:
    """30 s, 1, 2, 4 … minutes, at most 6 hours."""
    return int(min(30 * 2 ** max(attempts - 1, 0), 6 * 3600))


def url_problem(url: str, *, allow_http: bool) -> str | None:
    """Why a subscription URL is refused, or None."""
    parts = urlsplit(url)
    if parts.scheme not in ({"https", "http"} if allow_http else {"https"}):
        return "the URL must use https"
    if not parts.hostname:
        return "the URL has no host"
    if parts.username or parts.password:
        return "the URL may not carry credentials"
    return None
