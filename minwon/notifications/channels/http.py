"""SMS and 카카오 알림톡 through a provider's HTTP API (JSON over HTTPS, one message per call).

The request shape is small on purpose (docs/how-to/add-notification-channel.md maps it onto a real
provider): POST `url` with `Authorization: Bearer <api key>`, `Idempotency-Key: <key>` and a JSON
body; any 2xx is success (a JSON `id` in the answer is kept as the provider's reference). 408, 429
and 5xx, time-outs and refused connections are retried; other statuses fail for good.
Each sending thread keeps one persistent (keep-alive) connection.
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
from typing import Any
from urllib.parse import urlsplit

from minwon.notifications.channels.base import OutgoingMessage, SendError
from minwon.notifications.domain import (
    DeliveryChannel,
    FailureKind,
    http_failure_kind,
    normalize_mobile,
)


class _NoDelayHTTPConnection(http.client.HTTPConnection):
    """Small requests on a kept-alive connection: disable Nagle's algorithm (no 40 ms stalls)."""

    def connect(self) -> None:
        super().connect()
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class _NoDelayHTTPSConnection(http.client.HTTPSConnection):
    def connect(self) -> None:
        super().connect()
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class HttpJsonClient:
    """POST JSON with per-thread keep-alive connections; errors become SendError."""

    def __init__(self, url: str, *, api_key: str, timeout: float, code_prefix: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {url!r}")
        self.scheme = parts.scheme
        self.host = parts.hostname
        self.port = parts.port
        self.path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self.api_key = api_key
        self.timeout = timeout
        self.prefix = code_prefix
        self._local = threading.local()
        self._opened: list[http.client.HTTPConnection] = []
        self._lock = threading.Lock()

    def _connection(self) -> http.client.HTTPConnection:
        conn: http.client.HTTPConnection | None = getattr(self._local, "conn", None)
        if conn is None:
            cls = _NoDelayHTTPSConnection if self.scheme == "https" else _NoDelayHTTPConnection
            conn = cls(self.host, self.port, timeout=self.timeout)
            self._local.conn = conn
            with self._lock:
                self._opened.append(conn)
        return conn

    def _reset(self) -> None:
        conn: http.client.HTTPConnection | None = getattr(self._local, "conn", None)
        self._local.conn = None
        if conn is not None:
            conn.close()

    def post(self, payload: dict[str, Any], *, key: str) -> str:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Authorization": f"Bearer {self.api_key}",
            "Idempotency-Key": key,
        }
        for attempt in (1, 2):
            conn = self._connection()
            try:
                conn.request("POST", self.path, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
                break
            except TimeoutError as exc:
                self._reset()
                raise SendError(FailureKind.TRANSIENT, f"{self.prefix}.timeout", str(exc)) from exc
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as exc:
                # A kept-alive connection the server closed: reconnect once, then give up.
                self._reset()
                if attempt == 2:
                    raise SendError(
                        FailureKind.TRANSIENT, f"{self.prefix}.unreachable", str(exc)
                    ) from exc
            except (OSError, http.client.HTTPException) as exc:
                self._reset()
                code = "timeout" if isinstance(exc, socket.timeout) else "unreachable"
                raise SendError(FailureKind.TRANSIENT, f"{self.prefix}.{code}", str(exc)) from exc
        if response.will_close:
            self._reset()
        if not 200 <= response.status < 300:
            detail = f"HTTP {response.status}: {data[:300].decode('utf-8', errors='replace')}"
            raise SendError(http_failure_kind(response.status), f"{self.prefix}.rejected", detail)
        try:
            answer = json.loads(data) if data else {}
        except ValueError:
            answer = {}
        ref = answer.get("id") if isinstance(answer, dict) else None
        return str(ref) if ref else key

    def close(self) -> None:
        with self._lock:
            opened, self._opened = self._opened, []
        for conn in opened:
            conn.close()
        self._local = threading.local()


class SmsTransport:
    channel = DeliveryChannel.SMS

    def __init__(self, *, url: str, api_key: str, sender: str, timeout: float = 10.0) -> None:
        self.client = HttpJsonClient(url, api_key=api_key, timeout=timeout, code_prefix="sms")
        self.sender = sender

    def send(self, message: OutgoingMessage) -> str:
        to = normalize_mobile(message.to)
        if to is None:
            raise SendError(FailureKind.PERMANENT, "sms.invalid_number", message.to)
        payload = {"to": to, "from": self.sender, "text": message.short, "ref": message.key}
        return self.client.post(payload, key=message.key)

    def close(self) -> None:
        self.client.close()


class AlimtalkTransport:
    """카카오 알림톡: the text must match the template registered under `template_code`."""

    channel = DeliveryChannel.ALIMTALK

    def __init__(self, *, url: str, api_key: str, sender_key: str, timeout: float = 10.0) -> None:
        self.client = HttpJsonClient(url, api_key=api_key, timeout=timeout, code_prefix="alimtalk")
        self.sender_key = sender_key

    def send(self, message: OutgoingMessage) -> str:
        to = normalize_mobile(message.to)
        if to is None:
            raise SendError(FailureKind.PERMANENT, "alimtalk.invalid_number", message.to)
        if not message.template_code:
            raise SendError(FailureKind.PERMANENT, "alimtalk.no_template_code", message.key)
        payload = {
            "to": to,
            "sender_key": self.sender_key,
            "template_code": message.template_code,
            "text": message.short,
            "ref": message.key,
        }
        return self.client.post(payload, key=message.key)

    def close(self) -> None:
        self.client.close()
