"""`minwon identity verify FILE --format mdoc|sd-jwt ...`: verify one presentation offline.

Runs without Django. Prints the checks as lines for a person, then the JSON document on the last
line: `{"status": "valid"|"invalid", "checks": [...], "claims": {...}}` (claims only when valid).
Exit 0 for a verdict either way; 2 when the command itself cannot run (missing file, unreadable
trust folder or key, bad option).

Inputs a real operator has:
  FILE (mdoc)          DeviceResponse (or one Document) as raw CBOR, hex (spaces/newlines and a
                       leading 0x allowed) or base64 / base64url (padded or not); "-" reads stdin
  FILE (sd-jwt)        the compact form `<issuer-jwt>~<disclosure>~...~[<kb-jwt>]`; surrounding
                       whitespace and one pair of JSON quotes are ignored
  --session-transcript SessionTranscriptBytes (tag 24) or the bare SessionTranscript, same encodings
  --reader-key         the reader's ephemeral private key: hex (32/48/66 bytes), PEM (SEC1 or
                       PKCS#8) or a JWK with "d"
  --trust DIR          *.pem/*.crt/*.der trust anchors (IACA roots; also x5c roots for SD-JWT),
                       *.jwk/*.json pinned SD-JWT issuer keys (JWK or JWKS, optional "iss"),
                       optional vct-allow.txt (one vct a line)
  --at                 ISO 8601 time (default now, UTC when no offset) or Unix seconds
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import IO, Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from .verifier.encoding import DecodeError, b64url_decode, read_binary
from .verifier.mdoc import verify_mdoc
from .verifier.result import VerificationResult
from .verifier.sdjwt import verify_sd_jwt
from .verifier.statuslist_fetch import https_fetcher
from .verifier.trust import TrustStore, load_trust_dir

_CURVES: dict[int, ec.EllipticCurve] = {32: ec.SECP256R1(), 48: ec.SECP384R1(), 66: ec.SECP521R1()}
_JWK_CURVES: dict[str, ec.EllipticCurve] = {
    "P-256": ec.SECP256R1(),
    "P-384": ec.SECP384R1(),
    "P-521": ec.SECP521R1(),
}


class UsageError(Exception):
    pass


def parse_time(value: str | None) -> dt.datetime:
    if value is None:
        return dt.datetime.now(dt.UTC)
    text = value.strip()
    if text.lstrip("-").isdigit():
        return dt.datetime.fromtimestamp(int(text), dt.UTC)
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError as exc:
        raise UsageError(f"--at {value!r} is not an ISO 8601 time") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def load_reader_key(raw: bytes) -> ec.EllipticCurvePrivateKey:
    text = raw.decode("utf-8", "replace").strip()
    if "-----BEGIN" in text:
        try:
            key = serialization.load_pem_private_key(raw, password=None)
        except (ValueError, TypeError) as exc:
            raise UsageError(f"reader key PEM: {exc}") from exc
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise UsageError("reader key is not an EC private key")
        return key
    if text.startswith("{"):
        jwk = json.loads(text)
        curve = _JWK_CURVES.get(jwk.get("crv", ""))
        if curve is None or "d" not in jwk:
            raise UsageError("reader key JWK needs crv P-256/384/521 and d")
        return ec.derive_private_key(int.from_bytes(b64url_decode(jwk["d"]), "big"), curve)
    try:
        d = read_binary(raw)
    except DecodeError as exc:
        raise UsageError(f"reader key: {exc}") from exc
    curve = _CURVES.get(len(d))
    if curve is None:
        raise UsageError("reader key: expected the private scalar d as 32, 48 or 66 bytes of hex")
    return ec.derive_private_key(int.from_bytes(d, "big"), curve)


def _read(path: str, stdin: IO[bytes] | None) -> bytes:
    if path == "-":
        if stdin is None:
            raise UsageError("no standard input")
        return stdin.read()
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from exc


def _sd_jwt_text(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace").strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1].strip()
    return text


def run(args: argparse.Namespace, stdin: IO[bytes] | None) -> VerificationResult:
    at = parse_time(args.at)
    policy: dict[str, Any] = {"status_fetcher": https_fetcher}
    try:
        trust = load_trust_dir(Path(args.trust), **policy) if args.trust else TrustStore(**policy)
    except (OSError, ValueError) as exc:
        raise UsageError(f"trust directory: {exc}") from exc
    data = _read(args.file, stdin)
    if args.format == "mdoc":
        if args.aud or args.nonce:
            raise UsageError(
                "--aud/--nonce apply to sd-jwt; an mdoc binds them in the session transcript"
            )
        transcript = reader_key = None
        if args.session_transcript:
            try:
                transcript = read_binary(_read(args.session_transcript, None))
            except DecodeError as exc:
                raise UsageError(f"session transcript: {exc}") from exc
        if args.reader_key:
            reader_key = load_reader_key(_read(args.reader_key, None))
        try:
            presentation = read_binary(data)
        except DecodeError:
            presentation = data  # the verifier reports it as a structure failure
        return verify_mdoc(
            presentation, trust, at=at, session_transcript=transcript, reader_key=reader_key
        )
    if args.session_transcript or args.reader_key:
        raise UsageError("--session-transcript/--reader-key apply to mdoc")
    return verify_sd_jwt(_sd_jwt_text(data), trust, at=at, aud=args.aud, nonce=args.nonce)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="minwon identity verify",
        description="Verify one mobile-ID presentation (mdoc DeviceResponse or SD-JWT) offline.",
    )
    parser.add_argument("file", metavar="FILE", help='the presentation ("-" for standard input)')
    parser.add_argument("--format", required=True, choices=["mdoc", "sd-jwt"])
    parser.add_argument("--at", help="verification time, ISO 8601 (default: now)")
    parser.add_argument("--trust", metavar="DIR", help="IACA PEM certificates and issuer JWK files")
    parser.add_argument("--aud", help="expected KB-JWT audience (sd-jwt)")
    parser.add_argument("--nonce", help="expected KB-JWT nonce (sd-jwt)")
    parser.add_argument("--session-transcript", metavar="FILE", help="SessionTranscript (mdoc)")
    parser.add_argument(
        "--reader-key", metavar="FILE", help="reader ephemeral private key (mdoc deviceMac)"
    )
    return parser


def main(
    argv: list[str],
    *,
    stdin: IO[bytes] | None = None,
    stdout: IO[str] = sys.stdout,
    stderr: IO[str] = sys.stderr,
) -> int:
    if not argv or argv[0] != "verify":
        print("usage: minwon identity verify FILE --format mdoc|sd-jwt [options]", file=stderr)
        return 2
    parser = build_parser()
    try:
        args = parser.parse_args(argv[1:])
    except SystemExit as exc:
        return 0 if exc.code == 0 else 2
    try:
        result = run(args, stdin)
    except UsageError as exc:
        print(f"minwon identity verify: {exc}", file=stderr)
        return 2
    for check in result.checks:
        print(f"{'ok ' if check.ok else 'FAIL'} {check.name}: {check.detail}", file=stdout)
    print(json.dumps(result.as_dict(), ensure_ascii=False, sort_keys=False), file=stdout)
    return 0
