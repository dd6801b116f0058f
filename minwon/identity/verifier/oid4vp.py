"""The verifier side of OpenID4VP 1.0 (Final), cross-device, for the counter tablet.

The tablet shows `openid4vp://?client_id=…&request_uri=…` as a QR code; the wallet fetches the
request object (a JWT, `typ: oauth-authz-req+jwt`) from request_uri, asks the citizen, and POSTs
`vp_token` and `state` to response_uri (`response_mode: direct_post`). The presentation is bound
to this request: an SD-JWT VC's KB-JWT carries `aud` = client_id and the nonce; an mdoc's device
signature covers the SessionTranscript with the OpenID4VPHandover (client_id, nonce,
response_uri; Appendix B.2.6.1).

Client identifier prefixes: `x509_san_dns:<host>` when the city configures a certificate and key
(the request object is then signed, ES256, with the chain in `x5c`), else `redirect_uri:<uri>`,
whose requests are never signed (§5.9.3). No Django here (import-linter contract).
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import json
from collections.abc import Collection, Mapping, Sequence
from typing import Any, Protocol
from urllib.parse import urlencode

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.hazmat.primitives.serialization import Encoding

from .encoding import MAX_PRESENTATION_BYTES, DecodeError, b64url_decode, b64url_encode
from .mdoc import openid4vp_session_transcript, verify_mdoc
from .result import CheckList, VerificationResult
from .sdjwt import verify_sd_jwt
from .trust import TrustStore

MDOC = "mso_mdoc"
SD_JWT = "dc+sd-jwt"
REQUEST_TYP = "oauth-authz-req+jwt"
SELF_ISSUED_AUD = "https://self-issued.me/v2"


class CredentialQueryLike(Protocol):
    """One DCQL credential query (identity.domain.CredentialQuery has this shape)."""

    @property
    def id(self) -> str: ...
    @property
    def format(self) -> str: ...
    @property
    def doctype(self) -> str: ...
    @property
    def vct(self) -> tuple[str, ...]: ...
    def mdoc_request(self) -> Mapping[str, Collection[str]]: ...
    def sd_jwt_request(self) -> Collection[str]: ...


@dataclasses.dataclass(frozen=True, slots=True)
class VerifierKey:
    """The city's request-signing key and its certificate chain (leaf first)."""

    key: ec.EllipticCurvePrivateKey
    chain: tuple[x509.Certificate, ...]

    def dns_name(self) -> str:
        try:
            san = self.chain[0].extensions.get_extension_for_class(x509.SubjectAlternativeName)
        except x509.ExtensionNotFound:
            raise ValueError("the verifier certificate has no subjectAltName dNSName") from None
        names = san.value.get_values_for_type(x509.DNSName)
        if not names:
            raise ValueError("the verifier certificate has no subjectAltName dNSName")
        return str(names[0])


def client_id_for(response_uri: str, verifier_key: VerifierKey | None) -> str:
    if verifier_key is not None:
        return "x509_san_dns:" + verifier_key.dns_name()
    return "redirect_uri:" + response_uri


def authorization_request(
    *,
    client_id: str,
    response_uri: str,
    nonce: str,
    state: str,
    dcql_query: Mapping[str, Any],
    now: dt.datetime,
    lifetime: dt.timedelta = dt.timedelta(minutes=5),
    client_name: str = "",
) -> dict[str, Any]:
    """The request object's claims (OpenID4VP 1.0 §5, direct_post, DCQL)."""
    issued = int(now.timestamp())
    metadata: dict[str, Any] = {
        "vp_formats_supported": {
            MDOC: {"issuerauth_alg_values": [-7, -35, -36], "deviceauth_alg_values": [-7]},
            SD_JWT: {
                "sd-jwt_alg_values": ["ES256", "ES384", "ES512"],
                "kb-jwt_alg_values": ["ES256", "ES384", "ES512"],
            },
        }
    }
    if client_name:
        metadata["client_name"] = client_name
    return {
        "iss": client_id,
        "aud": SELF_ISSUED_AUD,
        "iat": issued,
        "exp": issued + int(lifetime.total_seconds()),
        "response_type": "vp_token",
        "response_mode": "direct_post",
        "client_id": client_id,
        "response_uri": response_uri,
        "nonce": nonce,
        "state": state,
        "dcql_query": dict(dcql_query),
        "client_metadata": metadata,
    }


def _part(value: Mapping[str, Any]) -> str:
    return b64url_encode(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())


def request_object(claims: Mapping[str, Any], verifier_key: VerifierKey | None) -> str:
    """The request object as a compact JWT: ES256 with `x5c` when a key is configured, else
    unsigned (`alg: none`, as the redirect_uri prefix requires)."""
    if verifier_key is None:
        return _part({"alg": "none", "typ": REQUEST_TYP}) + "." + _part(claims) + "."
    header = {
        "alg": "ES256",
        "typ": REQUEST_TYP,
        "x5c": [
            base64.b64encode(c.public_bytes(Encoding.DER)).decode() for c in verifier_key.chain
        ],
    }
    signing_input = _part(header) + "." + _part(claims)
    r, s = decode_dss_signature(
        verifier_key.key.sign(signing_input.encode("ascii"), ec.ECDSA(hashes.SHA256()))
    )
    return signing_input + "." + b64url_encode(r.to_bytes(32, "big") + s.to_bytes(32, "big"))


def request_link(*, client_id: str, request_uri: str) -> str:
    """What the tablet's QR code carries (cross-device flow, request by reference)."""
    return "openid4vp://?" + urlencode({"client_id": client_id, "request_uri": request_uri})


def parse_vp_token(raw: str) -> dict[str, list[str]]:
    """`vp_token` of a direct_post response: a JSON object, credential query id → presentations."""
    if len(raw) > MAX_PRESENTATION_BYTES * 2:
        raise DecodeError("vp_token too large")
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise DecodeError("vp_token is not JSON") from exc
    if not isinstance(value, dict) or not value:
        raise DecodeError("vp_token is not a non-empty JSON object")
    out: dict[str, list[str]] = {}
    for key, presentations in value.items():
        if isinstance(presentations, str):
            presentations = [presentations]
        if (
            not isinstance(presentations, list)
            or not presentations
            or not all(isinstance(p, str) and p for p in presentations)
        ):
            raise DecodeError(f"vp_token[{key!r}] is not an array of presentations")
        out[str(key)] = presentations
    return out


def verify_response(
    vp_token: Mapping[str, Sequence[str]],
    queries: Sequence[CredentialQueryLike],
    trust: TrustStore,
    *,
    at: dt.datetime,
    client_id: str,
    nonce: str,
    response_uri: str,
) -> tuple[CredentialQueryLike | None, VerificationResult]:
    """Verify the one presentation the response carries against the query it answers."""
    by_id = {q.id: q for q in queries}
    entries = [(key, p) for key, presentations in vp_token.items() for p in presentations]
    if len(entries) != 1:
        return None, _structure_failure(f"{len(entries)} presentations; exactly one expected")
    key, presentation = entries[0]
    query = by_id.get(key)
    if query is None:
        return None, _structure_failure(f"vp_token answers {key!r}, which was not requested")
    if query.format == MDOC:
        try:
            data = b64url_decode(presentation)
        except DecodeError as exc:
            return query, _structure_failure(f"mdoc presentation is not base64url: {exc}", MDOC)
        transcript = openid4vp_session_transcript(
            client_id=client_id, nonce=nonce, response_uri=response_uri
        )
        return query, verify_mdoc(
            data,
            trust,
            at=at,
            session_transcript=transcript,
            request=query.mdoc_request(),
            doc_type=query.doctype,
        )
    scoped = dataclasses.replace(trust, vct_allow=frozenset(query.vct), accept_plain_sd_jwt=False)
    return query, verify_sd_jwt(
        presentation,
        scoped,
        at=at,
        aud=client_id,
        nonce=nonce,
        require_key_binding=True,
        request=query.sd_jwt_request(),
    )


def _structure_failure(detail: str, fmt: str = "oid4vp") -> VerificationResult:
    checks = CheckList(fmt)
    checks.fail("structure", detail)
    return checks.finish(None)
