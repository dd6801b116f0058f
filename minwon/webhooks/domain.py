"""Pure rules of webhooks (stdlib only): which history row is which event, signing, back-off,
and which endpoints a delivery may reach (issue 13 item 6: no request forgery into the city's
own network)."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from collections.abc import Collection, Iterator
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


class UrlProblem(StrEnum):
    """Why a subscription URL is refused (services word each one for people)."""

    SCHEME = "scheme"
    NO_HOST = "no_host"
    CREDENTIALS = "credentials"
    PORT = "port"


def url_port(url: str) -> int | None:
    """The port a URL's request goes to (the scheme's default if none is written), or None."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        return None
    return port if port is not None else {"https": 443, "http": 80}.get(parts.scheme)


def url_problem(url: str, *, allow_http: bool, allowed_ports: Collection[int]) -> UrlProblem | None:
    """Why a subscription URL is refused, or None (its host's addresses are checked apart)."""
    parts = urlsplit(url)
    if parts.scheme not in ({"https", "http"} if allow_http else {"https"}):
        return UrlProblem.SCHEME
    if not parts.hostname:
        return UrlProblem.NO_HOST
    if parts.username or parts.password:
        return UrlProblem.CREDENTIALS
    if url_port(url) not in allowed_ports:
        return UrlProblem.PORT
    return None


# Cloud metadata services: never a webhook's target, whatever range they sit in.
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack
        "169.254.170.2",  # AWS ECS task metadata
        "fd00:ec2::254",  # AWS over IPv6
        "100.100.100.200",  # Alibaba Cloud
        "168.63.129.16",  # Azure wire server (a public address)
        "192.0.0.192",  # Oracle Cloud
    )
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def _embedded_ipv4(address: ipaddress.IPv6Address) -> Iterator[ipaddress.IPv4Address]:
    """IPv4 addresses an IPv6 address carries (mapped, 6to4, Teredo, NAT64)."""
    if address.ipv4_mapped is not None:
        yield address.ipv4_mapped
    if address.sixtofour is not None:
        yield address.sixtofour
    if address.teredo is not None:
        yield from address.teredo
    if address in _NAT64:
        yield ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)


def address_allowed(text: str, *, allow_loopback: bool = False) -> bool:
    """May a delivery connect to this address? Only public unicast addresses: never loopback,
    private, shared (CGNAT), link-local, multicast, reserved, unspecified or a metadata service,
    in IPv4 or IPv6, nor an IPv6 address carrying such an IPv4 one. `allow_loopback` is for
    tests against a local receiver only (production refuses the setting)."""
    try:
        address: IpAddress = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address):
        if any(
            not address_allowed(str(inner), allow_loopback=allow_loopback)
            for inner in _embedded_ipv4(address)
        ):
            return False
        if address.ipv4_mapped is not None:  # ::ffff:a.b.c.d is that IPv4 address
            return address_allowed(str(address.ipv4_mapped), allow_loopback=allow_loopback)
    if address in METADATA_ADDRESSES:
        return False
    if address.is_loopback:
        return allow_loopback
    return address.is_global and not (
        address.is_multicast
        or address.is_private
        or address.is_link_local
        or address.is_reserved
        or address.is_unspecified
    )
