"""What the verifier trusts and its policy: IACA roots, SD-JWT issuer keys, algorithms, clock
skew, vct allow-list. `load_trust_dir` reads a folder of PEM certificates and JWK files."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.x509 import verification as xv
from cryptography.x509.oid import ExtendedKeyUsageOID

from .encoding import DecodeError
from .keys import PublicKey, jwk_public_key

MDL_DS_EKU = x509.ObjectIdentifier("1.0.18013.5.1.2")
DEFAULT_ALGS = frozenset({"ES256", "ES384", "ES512", "EdDSA", "Ed25519"})

# A status-list fetcher: uri → the token (compact JWT); raises on any failure.
StatusFetcher = Callable[[str], str]


@dataclass(frozen=True, slots=True)
class PinnedKey:
    """An SD-JWT issuer key. `iss` None means the key is pinned for any issuer name."""

    key: PublicKey
    iss: str | None = None
    kid: str | None = None
    source: str = ""


@dataclass(frozen=True)
class TrustStore:
    anchors: tuple[x509.Certificate, ...] = ()  # IACA roots (mdoc) and x5c roots (SD-JWT)
    issuer_keys: tuple[PinnedKey, ...] = ()
    allowed_algs: frozenset[str] = DEFAULT_ALGS
    clock_skew: dt.timedelta = dt.timedelta(seconds=60)
    kb_iat_window: dt.timedelta = dt.timedelta(seconds=300)
    vct_allow: frozenset[str] | None = None  # None: any vct (the CLI without vct-allow.txt)
    accept_plain_sd_jwt: bool = True  # RFC 9901 SD-JWT without `dc+sd-jwt`/vct (test vectors)
    status_fetcher: StatusFetcher | None = None
    status_unavailable_ok: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def _ca_policy() -> Any:
    return xv.ExtensionPolicy.permit_all().require_present(
        x509.BasicConstraints, xv.Criticality.AGNOSTIC, None
    )


def verify_chain(
    leaf: x509.Certificate,
    intermediates: Sequence[x509.Certificate],
    anchors: Sequence[x509.Certificate],
    at: dt.datetime,
) -> str:
    """Build leaf → anchor at `at`; return the anchor's subject; raise ValueError when it fails."""
    if not anchors:
        raise ValueError("no trust anchors configured")
    verifier = (
        xv.PolicyBuilder()
        .store(xv.Store(list(anchors)))
        .time(at.astimezone(dt.UTC).replace(tzinfo=None))
        .extension_policies(ca_policy=_ca_policy(), ee_policy=xv.ExtensionPolicy.permit_all())
        .build_client_verifier()
    )
    try:
        verified = verifier.verify(leaf, list(intermediates))
    except xv.VerificationError as exc:
        raise ValueError(str(exc)) from exc
    return verified.chain[-1].subject.rfc4514_string()


def check_ds_profile(cert: x509.Certificate) -> str | None:
    """ISO 18013-5 Annex B document signer profile: EKU 1.0.18013.5.1.2 and digitalSignature."""
    try:
        eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        return "document signer certificate has no extended key usage"
    if MDL_DS_EKU not in eku and ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE not in eku:
        return "document signer certificate lacks EKU 1.0.18013.5.1.2"
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return "document signer certificate has no key usage"
    if not usage.digital_signature:
        return "document signer key usage lacks digitalSignature"
    return None


def _load_jwk_file(path: Path) -> list[PinnedKey]:
    data = json.loads(path.read_text(encoding="utf-8"))
    iss = data.get("iss") if isinstance(data, dict) else None
    keys: list[Any] = (
        data["keys"] if isinstance(data, dict) and isinstance(data.get("keys"), list) else [data]
    )
    out = []
    for jwk in keys:
        if not isinstance(jwk, dict):
            raise DecodeError(f"{path.name}: not a JWK")
        public = {k: v for k, v in jwk.items() if k != "d"}
        out.append(
            PinnedKey(
                key=jwk_public_key(public),
                iss=jwk.get("iss", iss),
                kid=jwk.get("kid"),
                source=path.name,
            )
        )
    return out


def load_trust_dir(directory: Path, **policy: Any) -> TrustStore:
    """Every `*.pem`/`*.crt` (one or more certificates) is a trust anchor; every `*.jwk`/`*.json`
    holding a JWK or a JWKS (`{"keys": [...]}`, optional `"iss"`) is a pinned SD-JWT issuer key;
    an optional `vct-allow.txt` lists the accepted vct values, one a line."""
    if not directory.is_dir():
        raise FileNotFoundError(f"trust directory {directory} does not exist")
    anchors: list[x509.Certificate] = []
    keys: list[PinnedKey] = []
    for path in sorted(directory.iterdir()):
        suffix = path.suffix.lower()
        if suffix in {".pem", ".crt", ".cer"}:
            raw = path.read_bytes()
            if b"-----BEGIN" in raw:
                anchors.extend(x509.load_pem_x509_certificates(raw))
            else:
                anchors.append(x509.load_der_x509_certificate(raw))
        elif suffix == ".der":
            anchors.append(x509.load_der_x509_certificate(path.read_bytes()))
        elif suffix in {".jwk", ".json", ".jwks"}:
            keys.extend(_load_jwk_file(path))
    vct_file = directory / "vct-allow.txt"
    if vct_file.exists():
        lines = vct_file.read_text(encoding="utf-8").splitlines()
        policy.setdefault("vct_allow", frozenset(line.strip() for line in lines if line.strip()))
    return TrustStore(anchors=tuple(anchors), issuer_keys=tuple(keys), **policy)
