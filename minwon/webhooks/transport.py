"""How a webhook delivery reaches its endpoint (issue 13 item 6, server-side request forgery).

The host is resolved once per request and every address it resolves to is checked
(`domain.address_allowed`); the connection then goes to the checked address itself, with the
host name kept for the `Host` header and TLS (SNI and certificate check), so a DNS answer that
changes between the check and the connection (rebinding) cannot send the request elsewhere.
Redirects are never followed (http.client does not follow them; a 3xx is a failed attempt).
Errors are reported in one word, whatever happened on the network, so the delivery log tells an
integrator nothing about ports or hosts it could not otherwise see; the detail goes to the log.
"""

from __future__ import annotations

import http.client
import logging
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from minwon.webhooks.domain import address_allowed, url_port

logger = logging.getLogger(__name__)

# The one error text of the delivery log for anything short of an HTTP answer.
UNREACHABLE = "unreachable"


class AddressRefused(Exception):
    """The host is unknown or resolves to an address a delivery may not reach."""


def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (tests replace this to stand in for DNS)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def checked_address(host: str, port: int) -> str:
    """Resolve `host` and return the address to connect to; refused if any is not allowed."""
    try:
        addresses = resolve(host, port)
    except (OSError, UnicodeError) as exc:
        raise AddressRefused(f"{host} does not resolve: {exc}") from None
    allow_loopback = bool(settings.WEBHOOKS_ALLOW_LOOPBACK)
    if not addresses:
        raise AddressRefused(f"{host} does not resolve")
    refused = [a for a in addresses if not address_allowed(a, allow_loopback=allow_loopback)]
    if refused:
        raise AddressRefused(f"{host} resolves to a refused address {refused[0]}")
    return addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, *, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, *, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        raw = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Answer:
    status: int | None  # the HTTP status, None when no HTTP answer came
    error: str  # "" on 2xx; "HTTP <status>" or UNREACHABLE otherwise


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float) -> Answer:
    """POST `body` to `url` through a checked address; never follows a redirect."""
    parts = urlsplit(url)
    host, port = parts.hostname or "", url_port(url)
    if port is None or port not in settings.WEBHOOKS_ALLOWED_PORTS:
        logger.warning("webhook to %s refused: port not allowed", host)
        return Answer(None, UNREACHABLE)
    try:
        address = checked_address(host, port)
    except AddressRefused as exc:
        logger.warning("webhook refused: %s", exc)
        return Answer(None, UNREACHABLE)
    connection_class = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(host, port, address=address, timeout=timeout)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    try:
        connection.request("POST", path, body=body, headers=headers)
        status = connection.getresponse().status
    except (OSError, http.client.HTTPException, ValueError) as exc:
        logger.warning("webhook to %s failed: %s", host, exc)
        return Answer(None, UNREACHABLE)
    finally:
        connection.close()
    return Answer(status, "" if 200 <= status < 300 else f"HTTP {status}")
