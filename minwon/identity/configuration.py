"""What the identity context reads from the settings: the purposes, the trust store, the city's
request-signing key, the MIP sidecar. Loaded once per value of the setting (tests change them)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings

from minwon.identity.clients import MipAdapter, SidecarMipClient
from minwon.identity.domain import SD_JWT, Purpose, load_purposes
from minwon.identity.verifier.oid4vp import VerifierKey
from minwon.identity.verifier.statuslist_fetch import CachingFetcher, https_fetcher
from minwon.identity.verifier.trust import TrustStore, load_trust_dir


@lru_cache(maxsize=1)
def purposes() -> dict[str, Purpose]:
    return load_purposes()


def purpose_get(code: str) -> Purpose | None:
    return purposes().get(code)


def _vct_allow() -> frozenset[str]:
    return frozenset(
        vct
        for purpose in purposes().values()
        for credential in purpose.credentials
        if credential.format == SD_JWT
        for vct in credential.vct
    )


# One cache for the process: status lists are fetched per list, never per citizen.
STATUS_FETCHER = CachingFetcher(https_fetcher, ttl=300.0, max_stale=86_400.0)


@lru_cache(maxsize=4)
def _trust(directory: str) -> TrustStore:
    policy = {
        "status_fetcher": STATUS_FETCHER,
        "vct_allow": _vct_allow(),
        "accept_plain_sd_jwt": False,
    }
    if not directory:
        return TrustStore(**policy)  # type: ignore[arg-type]
    return load_trust_dir(Path(directory), **policy)


def trust_store() -> TrustStore:
    """No folder configured: no anchors, so every presentation fails `certificate_chain` /
    `issuer_key` (fail closed), and the pages say the verifier is not configured."""
    return _trust(str(getattr(settings, "IDENTITY_TRUST_DIR", "") or ""))


@lru_cache(maxsize=4)
def _verifier_key(cert_path: str, key_path: str) -> VerifierKey | None:
    if not cert_path or not key_path:
        return None
    chain = x509.load_pem_x509_certificates(Path(cert_path).read_bytes())
    key = serialization.load_pem_private_key(Path(key_path).read_bytes(), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(key.curve, ec.SECP256R1):
        raise ValueError("IDENTITY_VERIFIER_KEY must be a P-256 private key (ES256)")
    verifier = VerifierKey(key, tuple(chain))
    verifier.dns_name()  # fails early when the certificate names no host
    return verifier


def verifier_key() -> VerifierKey | None:
    return _verifier_key(
        str(getattr(settings, "IDENTITY_VERIFIER_CERT", "") or ""),
        str(getattr(settings, "IDENTITY_VERIFIER_KEY", "") or ""),
    )


def mip_adapter() -> MipAdapter | None:
    url = str(getattr(settings, "IDENTITY_MIP_SIDECAR_URL", "") or "")
    return SidecarMipClient(url) if url else None
