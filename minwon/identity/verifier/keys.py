"""Public keys from JWK and COSE_Key, and raw (r‖s) signature verification."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from .encoding import DecodeError, b64url_decode

PublicKey = ec.EllipticCurvePublicKey | ed25519.Ed25519PublicKey

# JOSE alg → (curve, hash). RS*/PS* and HS* are deliberately absent; "none" is never accepted.
JWS_ALGS: dict[str, tuple[type[ec.EllipticCurve] | None, type[hashes.HashAlgorithm] | None]] = {
    "ES256": (ec.SECP256R1, hashes.SHA256),
    "ES384": (ec.SECP384R1, hashes.SHA384),
    "ES512": (ec.SECP521R1, hashes.SHA512),
    "EdDSA": (None, None),
    "Ed25519": (None, None),
}
# COSE alg ids (RFC 9053) mapped to the same names.
COSE_ALGS = {-7: "ES256", -35: "ES384", -36: "ES512", -8: "EdDSA", -19: "Ed25519"}

_JWK_CURVES: dict[str, ec.EllipticCurve] = {
    "P-256": ec.SECP256R1(),
    "P-384": ec.SECP384R1(),
    "P-521": ec.SECP521R1(),
}
_COSE_CURVES: dict[int, ec.EllipticCurve] = {
    1: ec.SECP256R1(),
    2: ec.SECP384R1(),
    3: ec.SECP521R1(),
}


def _ec_point(curve: ec.EllipticCurve, x: bytes, y: bytes) -> ec.EllipticCurvePublicKey:
    size = (curve.key_size + 7) // 8
    if len(x) != size or len(y) != size:
        raise DecodeError("EC coordinate of the wrong length")
    try:
        return ec.EllipticCurvePublicKey.from_encoded_point(curve, b"\x04" + x + y)
    except ValueError as exc:
        raise DecodeError("EC point not on the curve") from exc


def jwk_public_key(jwk: Mapping[str, Any]) -> PublicKey:
    if not isinstance(jwk, Mapping):
        raise DecodeError("JWK is not an object")
    kty = jwk.get("kty")
    if kty == "EC":
        curve = _JWK_CURVES.get(str(jwk.get("crv")))
        if curve is None:
            raise DecodeError("unsupported JWK curve")
        return _ec_point(curve, b64url_decode(jwk.get("x", "")), b64url_decode(jwk.get("y", "")))
    if kty == "OKP" and jwk.get("crv") == "Ed25519":
        x = b64url_decode(jwk.get("x", ""))
        if len(x) != 32:
            raise DecodeError("Ed25519 key of the wrong length")
        return ed25519.Ed25519PublicKey.from_public_bytes(x)
    raise DecodeError("unsupported JWK key type")


def cose_public_key(key: Any) -> PublicKey:
    if not isinstance(key, Mapping):
        raise DecodeError("COSE_Key is not a map")
    kty = key.get(1)
    if kty == 2:
        curve = _COSE_CURVES.get(key.get(-1))  # type: ignore[arg-type]
        x, y = key.get(-2), key.get(-3)
        if curve is None or not isinstance(x, bytes) or not isinstance(y, bytes):
            raise DecodeError("unsupported EC2 COSE_Key")
        return _ec_point(curve, x, y)
    if kty == 1 and key.get(-1) == 6:
        x = key.get(-2)
        if not isinstance(x, bytes) or len(x) != 32:
            raise DecodeError("bad Ed25519 COSE_Key")
        return ed25519.Ed25519PublicKey.from_public_bytes(x)
    raise DecodeError("unsupported COSE_Key type")


def verify_raw_signature(alg: str, key: Any, signature: bytes, message: bytes) -> bool:
    """JWS/COSE signature (ECDSA as r‖s) under `alg`; False for any mismatch of key and alg."""
    if alg not in JWS_ALGS:
        return False
    curve_type, hash_type = JWS_ALGS[alg]
    if curve_type is None:
        if not isinstance(key, ed25519.Ed25519PublicKey):
            return False
        try:
            key.verify(signature, message)
        except InvalidSignature:
            return False
        return True
    if not isinstance(key, ec.EllipticCurvePublicKey) or not isinstance(key.curve, curve_type):
        return False
    assert hash_type is not None
    size = (key.curve.key_size + 7) // 8
    if len(signature) != 2 * size:
        return False
    r = int.from_bytes(signature[:size], "big")
    s = int.from_bytes(signature[size:], "big")
    try:
        key.verify(encode_dss_signature(r, s), message, ec.ECDSA(hash_type()))
    except InvalidSignature:
        return False
    return True
