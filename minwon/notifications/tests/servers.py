"""Real servers on loopback for the tests and the benchmark: a provider API that records calls
(http.server in threads) and an SMTP server (aiosmtpd). Nothing here is mocked: the channels
speak HTTP and SMTP to them over sockets."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# Numbers that make the recording provider misbehave, for the bad-input tests.
REJECT_400 = "01000000400"
FAIL_500 = "01000000500"
SLOW = "01000000999"  # answers after the client's time-out


@dataclass
class Recorder:
    """What the provider saw. A repeated Idempotency-Key is answered 200 but not counted as a new
    delivery, as providers that honour idempotency keys do."""

    delay: float = 0.0
    slow_seconds: float = 3.0
    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: list[dict[str, Any]] = field(default_factory=list)
    raw: Counter[str] = field(default_factory=Counter)
    accepted: Counter[str] = field(default_factory=Counter)

    def snapshot(self) -> tuple[Counter[str], Counter[str]]:
        with self.lock:
            return Counter(self.raw), Counter(self.accepted)


def _handler(recorder: Recorder) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        wbufsize = -1  # one write per response (headers and body together)

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _answer(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            payload = json.loads(self.rfile.read(length) or b"{}")
            key = self.headers.get("Idempotency-Key", "")
            to = payload.get("to", "")
            if recorder.delay:
                time.sleep(recorder.delay)
            with recorder.lock:
                recorder.requests.append({"path": self.path, "key": key, **payload})
                recorder.raw[key] += 1
            if to == REJECT_400:
                return self._answer(400, {"error": "invalid recipient"})
            if to == FAIL_500:
                return self._answer(500, {"error": "provider down"})
            if to == SLOW:
                time.sleep(recorder.slow_seconds)
            with recorder.lock:
                duplicate = recorder.accepted[key] > 0
                if not duplicate:
                    recorder.accepted[key] += 1
            self._answer(200, {"duplicate": duplicate})

    return Handler


class RecordingProvider:
    def __init__(self, recorder: Recorder | None = None) -> None:
        self.recorder = recorder or Recorder()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.recorder))
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> RecordingProvider:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


class SmtpSink:
    """An SMTP server that keeps messages and refuses recipients whose address starts 'bounce'."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.messages: list[Any] = []
        sink = self

        class Handler:
            async def handle_RCPT(
                self, server: Any, session: Any, envelope: Any, address: str, options: Any
            ) -> str:
                if address.startswith("bounce"):
                    return "550 5.1.1 mailbox unavailable"
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
                sink.messages.append(envelope)
                return "250 Message accepted"

        with socket.socket() as probe:  # a free port (the controller checks it by connecting)
            probe.bind(("127.0.0.1", 0))
            self.port = int(probe.getsockname()[1])
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> SmtpSink:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()
