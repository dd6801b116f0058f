"""Strict decoders for the byte forms a presentation arrives in (never raise anything but
`DecodeError`)."""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Any

MAX_PRESENTATION_BYTES = 512 * 1024  # a DeviceResponse with a portrait is a few kB; cap the input

_B64URL = re.compile(r"^[A-Za-z0-9_-]*$")
_B64 = re.compile(r"^[A-Za-z0-9+/]*={0,2}$")
_HEX = re.compile(r"^[0-9a-fA-F]*$")


class DecodeError(ValueError):
    """The input is not in a form this verifier reads."""


def b64url_decode(text: str) -> bytes:
    """base64url without padding (RFC 7515 §2), strictly: no padding, no other alphabet."""
    if not isinstance(text, str) or not _B64URL.match(text) or len(text) % 4 == 1:
        raise DecodeError("not base64url")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:  # pragma: no cover - regex already filters
        raise DecodeError("not base64url") from exc


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _reject_constant(name: str) -> Any:
    raise DecodeError(f"JSON constant {name} is not allowed")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise DecodeError(f"duplicate JSON member {key!r}")
        out[key] = value
    return out


def json_loads_strict(data: bytes | str) -> Any:
    """JSON with duplicate members, NaN and Infinity refused."""
    try:
        if isinstance(data, bytes):
            data = data.decode("utf-8")
        return json.loads(data, object_pairs_hook=_no_duplicates, parse_constant=_reject_constant)
    except DecodeError:
        raise
    except (ValueError, RecursionError) as exc:
        raise DecodeError("not JSON") from exc


def read_binary(data: bytes) -> bytes:
    """The bytes of a CBOR object given raw, as hex (optionally `0x`, spaces, newlines) or as
    base64 / base64url (padded or not). Raw CBOR is recognised because it is not ASCII text of
    either alphabet."""
    if len(data) > 4 * MAX_PRESENTATION_BYTES:
        raise DecodeError("input too large")
    try:
        text = data.decode("ascii").strip()
    except UnicodeDecodeError:
        return data
    compact = re.sub(r"\s+", "", text)
    if compact.startswith(("0x", "0X")):
        compact = compact[2:]
    if compact and _HEX.match(compact) and len(compact) % 2 == 0:
        return bytes.fromhex(compact)
    if compact and _B64URL.match(compact.rstrip("=")) and "=" not in compact.rstrip("="):
        try:
            return b64url_decode(compact.rstrip("="))
        except DecodeError:
            pass
    if compact and _B64.match(compact):
        try:
            return base64.b64decode(compact, validate=True)
        except (binascii.Error, ValueError):
            pass
    if not text:
        raise DecodeError("empty input")
    # ASCII that is neither hex nor base64: it may still be raw CBOR that happens to be ASCII.
    return data
