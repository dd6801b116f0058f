"""Compact JWS parsing and issuer-key resolution (x5c chained to the trust anchors, or a pinned
JWK), shared by SD-JWT, KB-JWT and status-list tokens."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from cryptography import x509

from .encoding import DecodeError, b64url_decode, json_loads_strict
from .keys import PublicKey, verify_raw_signature
from .trust import TrustStore, verify_chain


@dataclass(frozen=True, slots=True)
class CompactJws:
    header: Mapping[str, Any]
    payload: Mapping[str, Any]
    signing_input: bytes
    signature: bytes


def parse_compact_jws(token: str) -> CompactJws:
    parts = token.split(".")
    if len(parts) != 3 or not all(parts[:2]):
        raise DecodeError("not a compact JWS (three base64url parts)")
    header = json_loads_strict(b64url_decode(parts[0]))
    payload = json_loads_strict(b64url_decode(parts[1]))
    signature = b64url_decode(parts[2])
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise DecodeError("JWS header and payload must be JSON objects")
    return CompactJws(header, payload, f"{parts[0]}.{parts[1]}".encode("ascii"), signature)


def _x5c_certificates(header: Mapping[str, Any]) -> list[x509.Certificate]:
    chain = header.get("x5c")
    if not isinstance(chain, list) or not chain or not all(isinstance(c, str) for c in chain):
        raise DecodeError("x5c must be a non-empty array of base64 certificates")
    try:
        return [x509.load_der_x509_certificate(base64.b64decode(c, validate=True)) for c in chain]
    except (binascii.Error, ValueError) as exc:
        raise DecodeError("x5c holds something that is not a DER certificate") from exc


def _iss_matches_certificate(iss: Any, cert: x509.Certificate) -> bool:
    """SD-JWT VC §3.5: with x5c, `iss` must be a DNS name (https host) or URI SAN of the leaf."""
    if not isinstance(iss, str):
        return False
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return False
    if iss in san.get_values_for_type(x509.UniformResourceIdentifier):
        return True
    parts = urlsplit(iss)
    return parts.scheme == "https" and parts.hostname in san.get_values_for_type(x509.DNSName)


@dataclass(frozen=True, slots=True)
class IssuerKey:
    key: PublicKey
    description: str


def resolve_issuer_keys(
    header: Mapping[str, Any], payload: Mapping[str, Any], trust: TrustStore, at: dt.datetime
) -> list[IssuerKey]:
    """Candidate keys for an issuer-signed JWS; raises ValueError with the reason when none."""
    if "x5c" in header:
        certs = _x5c_certificates(header)
        anchor = verify_chain(certs[0], certs[1:], trust.anchors, at)
        if not _iss_matches_certificate(payload.get("iss"), certs[0]):
            raise ValueError("iss is not a SAN of the x5c leaf certificate")
        public = certs[0].public_key()
        return [IssuerKey(public, f"x5c to {anchor}")]  # type: ignore[arg-type]
    iss, kid = payload.get("iss"), header.get("kid")
    found = [
        IssuerKey(pinned.key, f"pinned key {pinned.source}")
        for pinned in trust.issuer_keys
        if (pinned.iss is None or pinned.iss == iss)
        and (kid is None or pinned.kid is None or pinned.kid == kid)
    ]
    if not found:
        raise ValueError(f"no pinned key and no x5c for issuer {iss!r}")
    return found


def verify_with_any(alg: str, keys: list[IssuerKey], jws: CompactJws) -> IssuerKey | None:
    for candidate in keys:
        if verify_raw_signature(alg, candidate.key, jws.signature, jws.signing_input):
            return candidate
    return None
