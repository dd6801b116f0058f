"""A local stand-in for a national system (국민신문고 / 정부24) speaking the exchange format.

Used by the tests and for trying the connector on a laptop: it hands out complaints it was
given, takes reports (de-duplicated on report_id: 409 for an id it holds), shows the report it
holds under an id, and can be switched off or slowed down to play an outage or a slow link.
Runs on 127.0.0.1 only.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse


@dataclass
class NationalSide:
    key: str = "national-test-key"
    items: list[dict[str, Any]] = field(default_factory=list)
    reports: dict[str, dict[str, Any]] = field(default_factory=dict)
    report_calls: int = 0
    down: bool = False
    delay_seconds: float = 0.0  # a slow link: every report waits this long before it is taken
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, item: dict[str, Any]) -> None:
        with self.lock:
            self.items.append(item)


def _handler(side: NationalSide) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return

        def _send(self, status: int, body: Any) -> None:
            raw = json.dumps(body, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def _guard(self) -> bool:
            if side.down:
                self._send(503, {"error": "maintenance"})
                return False
            if self.headers.get("X-Exchange-Key") != side.key:
                self._send(401, {"error": "bad key"})
                return False
            return True

        def do_GET(self) -> None:
            if not self._guard():
                return
            url = urlparse(self.path)
            if url.path.startswith("/reports/"):
                report_id = unquote(url.path[len("/reports/") :])
                with side.lock:
                    held = side.reports.get(report_id)
                if held is None:
                    self._send(404, {"error": "none"})
                else:
                    self._send(200, held)
                return
            if url.path != "/complaints":
                self._send(404, {"error": "not found"})
                return
            query = parse_qs(url.query)
            after = int((query.get("after") or ["0"])[0] or 0)
            limit = int((query.get("limit") or ["100"])[0])
            agency = (query.get("agency") or [""])[0]
            with side.lock:
                chosen = [
                    (i, item)
                    for i, item in enumerate(side.items, start=1)
                    if i > after and item.get("agency", agency) == agency
                ][:limit]
            next_cursor = str(chosen[-1][0]) if chosen else str(after)
            self._send(200, {"items": [item for _, item in chosen], "next_cursor": next_cursor})

        def do_POST(self) -> None:
            if not self._guard():
                return
            if urlparse(self.path).path != "/reports":
                self._send(404, {"error": "not found"})
                return
            length = int(self.headers.get("Content-Length") or 0)
            report = json.loads(self.rfile.read(length) or b"{}")
            if side.delay_seconds:
                time.sleep(side.delay_seconds)
            with side.lock:
                side.report_calls += 1
                if report.get("report_id") in side.reports:
                    self._send(409, {"error": "duplicate"})
                    return
                side.reports[report["report_id"]] = report
            self._send(201, {"accepted": True})

    return Handler


class NationalSimulator:
    """`with NationalSimulator() as sim:` serves on 127.0.0.1 on a free port (sim.url)."""

    def __init__(self, side: NationalSide | None = None) -> None:
        self.side = side or NationalSide()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.side))
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> NationalSimulator:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
