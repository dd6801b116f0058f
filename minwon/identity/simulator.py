"""A local stand-in for the city's MIP SP sidecar, for the tests and the demo.

It speaks the sidecar protocol of `minwon.identity.clients` and plays both the sidecar and the
citizen's wallet: it hands out transactions with M200 start messages shaped like the public SP
samples (`{type, version, cmd: "M200", trxcode, mode, image, ci, host}`), joins QR-CPM
transactions from an M120 (`{mode, host, trxcode}`), and answers a transaction once a test (or
the demo page) says what the wallet presented (`present`). **It verifies nothing**: the real
sidecar runs KOMSCO's licensed SDK, which is not part of this repository. Runs on 127.0.0.1 only.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

SAMPLE_CLAIMS = {
    "name": "홍길동",
    "resident_number": "900101-1234567",
    "age_over_19": True,
}


def m120(trxcode: str, host: str = "wss://relay.example.kr/mip") -> str:
    """What a citizen's app shows in QR-CPM (base64 of the M120 message)."""
    body = {"mode": "proxy", "host": host, "trxcode": trxcode}
    return base64.b64encode(json.dumps(body).encode()).decode("ascii")


@dataclass
class Transaction:
    mode: str
    service_code: str
    claims: list[str]
    answer: dict[str, Any] | None = None


@dataclass
class Sidecar:
    transactions: dict[str, Transaction] = field(default_factory=dict)
    service_codes: frozenset[str] | None = None  # None: any
    down: bool = False
    delay_seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def present(
        self,
        trxcode: str,
        *,
        claims: Mapping[str, Any] | None = None,
        vc_status: str = "ACTIVE",
        memo: str = "",
        auth_type: str = "face",
        sdk_verified: bool = True,
        error: str = "",
    ) -> None:
        """The citizen's wallet answered (M400) and the SDK reported this."""
        with self.lock:
            tx = self.transactions[trxcode]
            if error:
                tx.answer = {"state": "error", "code": error, "message": "wallet error"}
                return
            held = dict(claims if claims is not None else SAMPLE_CLAIMS)
            tx.answer = {
                "state": "done",
                "sdk_verified": sdk_verified,
                "vc_status": vc_status,
                "vc_status_memo": memo,
                "auth_type": auth_type,
                "issuer": "did:kr:mobileid:simulator",
                "vc_type": "mobile_resident_card",
                # The SDK returns the service code's claims (plus whatever a test injects).
                "claims": held
                if claims is not None
                else {k: held[k] for k in tx.claims if k in held},
            }


def _handler(side: Sidecar) -> type[BaseHTTPRequestHandler]:
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
            if side.delay_seconds:
                time.sleep(side.delay_seconds)
            if side.down:
                self._send(503, {"code": "M900", "message": "maintenance"})
                return False
            return True

        def do_POST(self) -> None:
            if not self._guard():
                return
            if self.path != "/v1/transactions":
                self._send(404, {"code": "not_found", "message": self.path})
                return
            try:
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
            except ValueError:
                self._send(400, {"code": "bad_json", "message": "not JSON"})
                return
            code = body.get("service_code")
            if side.service_codes is not None and code not in side.service_codes:
                self._send(400, {"code": "unknown_service", "message": str(code)})
                return
            claims = [str(c) for c in body.get("claims", [])]
            if body.get("mode") == "mpm":
                trxcode = secrets.token_hex(10)
                start = {
                    "type": "mip",
                    "version": "1.0.0",
                    "cmd": "M200",
                    "trxcode": trxcode,
                    "mode": "direct",
                    "image": "",
                    "ci": False,
                    "host": "http://127.0.0.1/sp",
                }
                message = base64.b64encode(json.dumps(start).encode()).decode()
                with side.lock:
                    side.transactions[trxcode] = Transaction("mpm", str(code), claims)
                self._send(201, {"trxcode": trxcode, "m200": message})
                return
            if body.get("mode") == "cpm":
                try:
                    scanned = json.loads(base64.b64decode(str(body.get("m120", ""))))
                    trxcode = str(scanned["trxcode"])
                except (ValueError, KeyError, TypeError):
                    self._send(400, {"code": "bad_m120", "message": "not an M120"})
                    return
                with side.lock:
                    side.transactions[trxcode] = Transaction("cpm", str(code), claims)
                self._send(201, {"trxcode": trxcode})
                return
            self._send(400, {"code": "bad_mode", "message": "mode is mpm or cpm"})

        def do_GET(self) -> None:
            if not self._guard():
                return
            prefix = "/v1/transactions/"
            trxcode = self.path[len(prefix) :] if self.path.startswith(prefix) else ""
            with side.lock:
                tx = side.transactions.get(trxcode)
                answer = None if tx is None else tx.answer
            if tx is None:
                self._send(404, {"code": "unknown_trxcode", "message": trxcode})
            else:
                self._send(200, answer or {"state": "waiting"})

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        return  # a client that gave up (a timeout test) is not an error of the simulator


class SidecarSimulator:
    """`with SidecarSimulator() as sim:` serves on 127.0.0.1 on a free port (sim.url)."""

    def __init__(self, side: Sidecar | None = None) -> None:
        self.side = side or Sidecar()
        self.server = _Server(("127.0.0.1", 0), _handler(self.side))
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> SidecarSimulator:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
