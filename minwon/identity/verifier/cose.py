"""COSE_Sign1 and COSE_Mac0 verification (RFC 9052 §4.4, §6.3), just what mdoc needs."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import cbor2

from .encoding import DecodeError
from .keys import COSE_ALGS, verify_raw_signature

X5CHAIN = 33
ALG = 1
HMAC_256_256 = 5


@dataclass(frozen=True, slots=True)
class CoseMessage:
    protected_bytes: bytes
    protected: Mapping[Any, Any]
    unprotected: Mapping[Any, Any]
    payload: bytes | None
    tag_or_signature: bytes

    def header(self, label: int) -> Any:
        if label in self.protected:
            return self.protected[label]
        return self.unprotected.get(label)


def parse_cose(value: Any, *, tag: int) -> CoseMessage:
    """COSE_Sign1 (tag 18) / COSE_Mac0 (tag 17) as an array, tagged or not."""
    if isinstance(value, cbor2.CBORTag):
        if value.tag != tag:
            raise DecodeError("unexpected COSE tag")
        value = value.value
    if not isinstance(value, list | tuple) or len(value) != 4:
        raise DecodeError("COSE message is not a 4-element array")
    protected_bytes, unprotected, payload, last = value
    if not isinstance(protected_bytes, bytes) or not isinstance(unprotected, Mapping):
        raise DecodeError("COSE headers malformed")
    if payload is not None and not isinstance(payload, bytes):
        raise DecodeError("COSE payload is not a byte string")
    if not isinstance(last, bytes):
        raise DecodeError("COSE signature/tag is not a byte string")
    protected: Mapping[Any, Any] = {}
    if protected_bytes:
        try:
            protected = cbor2.loads(protected_bytes)
        except Exception as exc:
            raise DecodeError("COSE protected header is not CBOR") from exc
        if not isinstance(protected, Mapping):
            raise DecodeError("COSE protected header is not a map")
    return CoseMessage(protected_bytes, protected, unprotected, payload, last)


def sign1_alg(message: CoseMessage) -> str | None:
    """The algorithm name; only from the protected header (an unprotected alg is ignored)."""
    alg = message.protected.get(ALG)
    return COSE_ALGS.get(alg) if isinstance(alg, int) else None


def verify_sign1(message: CoseMessage, key: Any, *, detached_payload: bytes | None = None) -> bool:
    alg = sign1_alg(message)
    payload = message.payload if message.payload is not None else detached_payload
    if alg is None or payload is None:
        return False
    to_be_signed = cbor2.dumps(["Signature1", message.protected_bytes, b"", payload])
    return verify_raw_signature(alg, key, message.tag_or_signature, to_be_signed)


def verify_mac0(message: CoseMessage, key: bytes, *, detached_payload: bytes) -> bool:
    if message.protected.get(ALG) != HMAC_256_256:
        return False
    payload = message.payload if message.payload is not None else detached_payload
    to_be_maced = cbor2.dumps(["MAC0", message.protected_bytes, b"", payload])
    expected = hmac.new(key, to_be_maced, hashlib.sha256).digest()
    return hmac.compare_digest(expected, message.tag_or_signature)


def x5chain(message: CoseMessage) -> list[bytes]:
    chain = message.header(X5CHAIN)
    if isinstance(chain, bytes):
        return [chain]
    if isinstance(chain, list | tuple) and chain and all(isinstance(c, bytes) for c in chain):
        return list(chain)
    raise DecodeError("no x5chain")
