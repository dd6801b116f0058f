"""The adapter to the government mobile ID (모바일 신분증, "MIP"), through the city's SP sidecar.

Korean mobile IDs speak neither ISO 18013-5 nor OpenID4VP: a verifier (SP) takes part through
KOMSCO's licensed Java SP SDK, a relay and a blockchain node (mobile-id.md §1.2). The city runs
that SDK in a small sidecar on loopback, outside this open-source repository; Minwon talks to it
with the JSON protocol below and never sees the SDK. The sidecar does the cryptography (VP
decryption, issuer and holder signatures, DIDs on chain, nonce, expiry) and reports the VC status
it read from the chain; this adapter checks what is left to policy (status, authentication type,
claims ⊆ the service code's) and turns the answer into the same `VerificationResult` as the
standards channels, so every path leaves the same record.

Sidecar protocol (JSON over HTTP, `IDENTITY_MIP_SIDECAR_URL`):

    POST /v1/transactions {"mode": "mpm", "service_code", "claims": [...]}
         → 201 {"trxcode", "m200"}           QR-MPM: the counter shows m200 (base64 M200) as a QR
    POST /v1/transactions {"mode": "cpm", "service_code", "claims", "m120": "<scanned text>"}
         → 201 {"trxcode"}                   QR-CPM: the citizen's app showed M120
    GET  /v1/transactions/<trxcode>
         → {"state": "waiting"}
         | {"state": "done", "sdk_verified": bool, "vc_status", "vc_status_memo", "auth_type",
            "issuer" (DID), "vc_type", "claims": {...}}
         | {"state": "error", "code" (M900 code), "message"}

`minwon.identity.simulator` plays a sidecar for the tests and the demo (it verifies nothing).
No Django here.
"""

from __future__ import annotations

import base64
import binascii
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from minwon.identity.verifier.result import CheckList, VerificationResult

ACCEPTED_STATUS = "ACTIVE"
REJECTED_STATUSES = frozenset({"PAUSE", "REMOVE", "NOT_EXIST"})
NEED_RENEW = "NEED_RENEW"
DEFAULT_AUTH_TYPES = frozenset({"pin", "face", "bio"})
NEVER_ACCEPTED = frozenset({"ci"})  # 연계정보: a cross-service linking key (mobile-id.md §5.4)


class MipError(Exception):
    """The sidecar could not be reached, timed out, or answered something malformed."""


class MipRefused(MipError):
    """The sidecar refused the request (a bad M120, an unknown service code): `code` says why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code


@dataclass(frozen=True, slots=True)
class MipStart:
    trxcode: str
    qr_payload: str = ""  # the M200 start message (QR-MPM); empty for QR-CPM


@dataclass(frozen=True, slots=True)
class MipAnswer:
    """The sidecar's report on a transaction: `state` waiting / done / error."""

    state: str
    sdk_verified: bool = False
    vc_status: str = ""
    vc_status_memo: str = ""
    auth_type: str = ""
    issuer: str = ""
    vc_type: str = ""
    claims: Mapping[str, Any] | None = None
    error_code: str = ""


class MipAdapter(Protocol):
    def start(self, *, service_code: str, claims: Collection[str]) -> MipStart: ...
    def join(self, *, service_code: str, claims: Collection[str], m120: str) -> MipStart: ...
    def answer(self, *, trxcode: str) -> MipAnswer: ...


class SidecarMipClient:
    """HTTP client of the SP sidecar (loopback); every failure is a MipError, never a verdict."""

    def __init__(self, base_url: str, *, timeout: float = 5.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def _call(self, method: str, path: str, body: Mapping[str, Any] | None = None) -> Any:
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        if urllib.parse.urlsplit(self.base_url).scheme not in {"http", "https"}:
            raise MipError("the sidecar URL is not http(s)")
        request = urllib.request.Request(
            self.base_url + path,
            data=data,
            method=method,
            headers={"Content-Type": "application/json", "Accept": "application/json"},
        )
        try:
            # scheme checked above: only http(s), never file: or a custom handler
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # nosec B310
                raw = response.read(1_000_000)
        except urllib.error.HTTPError as exc:
            try:
                problem = json.loads(exc.read(100_000) or b"{}")
            except ValueError:
                problem = {}
            if 400 <= exc.code < 500 and isinstance(problem, dict) and problem.get("code"):
                raise MipRefused(str(problem["code"]), str(problem.get("message", ""))) from exc
            raise MipError(f"sidecar answered HTTP {exc.code}") from exc
        except (OSError, TimeoutError) as exc:  # URLError, refused, reset, timeout
            raise MipError(f"sidecar unreachable: {exc}") from exc
        try:
            return json.loads(raw)
        except ValueError as exc:
            raise MipError("sidecar answered something that is not JSON") from exc

    def _trxcode(self, answer: Any) -> str:
        if not isinstance(answer, dict) or not isinstance(answer.get("trxcode"), str):
            raise MipError("sidecar answer has no trxcode")
        return str(answer["trxcode"])

    def start(self, *, service_code: str, claims: Collection[str]) -> MipStart:
        answer = self._call(
            "POST",
            "/v1/transactions",
            {"mode": "mpm", "service_code": service_code, "claims": sorted(claims)},
        )
        m200 = answer.get("m200") if isinstance(answer, dict) else None
        if not isinstance(m200, str) or not m200:
            raise MipError("sidecar answer has no M200 start message")
        return MipStart(self._trxcode(answer), m200)

    def join(self, *, service_code: str, claims: Collection[str], m120: str) -> MipStart:
        answer = self._call(
            "POST",
            "/v1/transactions",
            {"mode": "cpm", "service_code": service_code, "claims": sorted(claims), "m120": m120},
        )
        return MipStart(self._trxcode(answer))

    def answer(self, *, trxcode: str) -> MipAnswer:
        if not trxcode.replace("-", "").replace("_", "").isalnum():
            raise MipError("malformed trxcode")
        raw = self._call("GET", f"/v1/transactions/{trxcode}")
        if not isinstance(raw, dict) or raw.get("state") not in {"waiting", "done", "error"}:
            raise MipError("sidecar answer has no state")
        claims = raw.get("claims")
        if claims is not None and not isinstance(claims, dict):
            raise MipError("sidecar claims are not an object")
        return MipAnswer(
            state=raw["state"],
            sdk_verified=raw.get("sdk_verified") is True,
            vc_status=str(raw.get("vc_status", "")),
            vc_status_memo=str(raw.get("vc_status_memo", "")),
            auth_type=str(raw.get("auth_type", "")),
            issuer=str(raw.get("issuer", "")),
            vc_type=str(raw.get("vc_type", "")),
            claims=claims,
            error_code=str(raw.get("code", "")),
        )


def m120_problem(text: str) -> str | None:
    """Why a scanned text is not a QR-CPM start message (M120: base64 of {mode, host, trxcode}),
    as a stable code; None when it has the shape (the sidecar checks the rest)."""
    text = text.strip()
    if not text:
        return "empty"
    lowered = text.lower()
    if lowered.startswith("mdoc:"):
        return "iso_proximity"  # ISO 18013-5 engagement: needs BLE/NFC, not a QR scanner alone
    if lowered.startswith(("openid4vp:", "eudi-openid4vp:", "haip:")):
        return "verifier_request"  # another verifier's request, not a citizen's credential
    try:
        padded = text + "=" * (-len(text) % 4)
        decoded = json.loads(base64.b64decode(padded.replace("-", "+").replace("_", "/")))
    except (ValueError, binascii.Error):
        return "not_m120"
    if not isinstance(decoded, dict) or not all(
        isinstance(decoded.get(k), str) and decoded.get(k) for k in ("mode", "host", "trxcode")
    ):
        return "not_m120"
    return None


def answer_result(
    answer: MipAnswer,
    *,
    allowed_claims: Collection[str],
    auth_types: Collection[str] = DEFAULT_AUTH_TYPES,
    accept_need_renew_memos: Collection[str] = ("주소변경",),
) -> VerificationResult:
    """Turn a finished sidecar answer into a result; claims only when every check passed."""
    c = CheckList("mip")
    c.issuer = answer.issuer[:300]
    c.credential_type = answer.vc_type[:200]
    if answer.state == "error":
        c.fail("sidecar", f"the SP SDK reported {answer.error_code or 'an error'}")
        return c.finish(None)
    c.add(
        "sidecar",
        answer.sdk_verified,
        "VP verified by the SP SDK (signatures, DIDs, nonce, expiry)"
        if answer.sdk_verified
        else "the SP SDK did not verify the VP",
    )
    status = answer.vc_status
    if status == ACCEPTED_STATUS:
        c.ok("vc_status", status)
    elif status == NEED_RENEW and answer.vc_status_memo in accept_need_renew_memos:
        c.ok("vc_status", f"{status} ({answer.vc_status_memo}) accepted")
    elif status in REJECTED_STATUSES or status == NEED_RENEW:
        c.fail("vc_status", f"{status} is not accepted")
    else:
        c.fail("vc_status", f"unknown status {status!r}")
    c.add(
        "auth_type",
        answer.auth_type in auth_types,
        f"holder authenticated by {answer.auth_type or 'nothing'}",
    )
    claims = dict(answer.claims or {})
    extra = sorted(set(claims) - set(allowed_claims))
    forbidden = sorted(set(claims) & NEVER_ACCEPTED)
    if forbidden:
        c.fail("requested", "never accepted: " + ", ".join(forbidden))
    elif extra:
        c.fail("requested", "returned but not requested: " + ", ".join(extra))
    else:
        c.ok("requested", "returned ⊆ the service code's claims")
    return c.finish(lambda: claims)
