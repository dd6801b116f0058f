"""Token Status List (draft-ietf-oauth-status-list): the JWT form, signature, freshness, lookup.

A referenced token carries `status.status_list = {idx, uri}`. The list is fetched through the
trust store's fetcher (so a deployment caches lists in bulk and the issuer never learns who is
being checked), verified with the same issuer trust as the credential, then one entry is read.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Callable, Mapping
from typing import Any

from .encoding import DecodeError, b64url_decode, json_loads_strict

VALID = 0
STATUS_NAMES = {0: "VALID", 1: "INVALID", 2: "SUSPENDED"}
MAX_LIST_BYTES = 16 * 1024 * 1024

# (header, payload, signing_input, signature, at) → None when the signer is trusted, else reason
SignerCheck = Callable[[Mapping[str, Any], Mapping[str, Any], bytes, bytes], str | None]


def status_reference(payload: Any) -> tuple[int, str] | None:
    """The (idx, uri) of `status.status_list`, None when absent; DecodeError when malformed."""
    if not isinstance(payload, Mapping) or "status" not in payload:
        return None
    status = payload["status"]
    ref = status.get("status_list") if isinstance(status, Mapping) else None
    if not isinstance(ref, Mapping):
        raise DecodeError("status without a status_list reference")
    idx, uri = ref.get("idx"), ref.get("uri")
    if isinstance(idx, bool) or not isinstance(idx, int) or idx < 0 or not isinstance(uri, str):
        raise DecodeError("status_list reference needs idx ≥ 0 and a uri")
    return idx, uri


def lookup(bits: int, lst: bytes, idx: int) -> int:
    if bits not in (1, 2, 4, 8):
        raise DecodeError("status list bits must be 1, 2, 4 or 8")
    try:
        decompressor = zlib.decompressobj()
        raw = decompressor.decompress(lst, MAX_LIST_BYTES)
    except zlib.error as exc:
        raise DecodeError("status list is not zlib/DEFLATE data") from exc
    position = idx * bits
    byte = position // 8
    if byte >= len(raw):
        raise DecodeError("status index outside the list")
    return (raw[byte] >> (position % 8)) & ((1 << bits) - 1)


def check_status(
    *,
    idx: int,
    uri: str,
    token: str,
    at: dt.datetime,
    signer_ok: SignerCheck,
) -> tuple[bool, str]:
    parts = token.strip().split(".")
    if len(parts) != 3:
        return False, "status list token is not a compact JWT"
    try:
        header = json_loads_strict(b64url_decode(parts[0]))
        payload = json_loads_strict(b64url_decode(parts[1]))
        signature = b64url_decode(parts[2])
    except DecodeError as exc:
        return False, f"status list token: {exc}"
    if not isinstance(header, Mapping) or not isinstance(payload, Mapping):
        return False, "status list token header/payload are not objects"
    if header.get("typ") != "statuslist+jwt":
        return False, "status list token typ is not statuslist+jwt"
    reason = signer_ok(header, payload, f"{parts[0]}.{parts[1]}".encode("ascii"), signature)
    if reason:
        return False, f"status list token: {reason}"
    if payload.get("sub") != uri:
        return False, "status list token sub differs from the referenced uri"
    now = at.timestamp()
    exp = payload.get("exp")
    if isinstance(exp, int | float) and not isinstance(exp, bool) and now >= exp:
        return False, "status list token has expired"
    ttl, iat = payload.get("ttl"), payload.get("iat")
    if isinstance(ttl, int) and isinstance(iat, int | float) and now > iat + ttl:
        return False, "status list token is older than its ttl"
    body = payload.get("status_list")
    if not isinstance(body, Mapping) or not isinstance(body.get("lst"), str):
        return False, "status list token has no status_list.lst"
    bits = body.get("bits")
    try:
        value = lookup(bits if isinstance(bits, int) else 0, b64url_decode(body["lst"]), idx)
    except DecodeError as exc:
        return False, f"status list: {exc}"
    name = STATUS_NAMES.get(value, f"0x{value:02x}")
    return value == VALID, f"status {name} (list {uri})"
