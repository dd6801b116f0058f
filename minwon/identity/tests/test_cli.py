"""`minwon identity verify`: the vectors in the encodings an operator has; exit codes."""

from __future__ import annotations

import base64
import io
import json
import shutil
from pathlib import Path

import pytest

from minwon.identity.cli import main

from .factories import ANNEX_D, RFC9901


def run(argv: list[str], stdin: bytes = b"") -> tuple[int, dict, str]:  # type: ignore[type-arg]
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, stdin=io.BytesIO(stdin), stdout=out, stderr=err)
    lines = out.getvalue().strip().splitlines()
    return code, (json.loads(lines[-1]) if lines else {}), err.getvalue()


@pytest.fixture
def trust(tmp_path: Path) -> Path:
    folder = tmp_path / "trust"
    folder.mkdir()
    shutil.copy(ANNEX_D / "iaca_root_cert.pem", folder)
    shutil.copy(RFC9901 / "issuer_public_key.jwk.json", folder / "rfc9901-issuer.jwk")
    return folder


def mdoc_args(path: Path | str, trust: Path, **extra: str) -> list[str]:
    return [
        "verify",
        str(path),
        "--format",
        "mdoc",
        "--at",
        extra.get("at", "2021-01-01T00:00:00Z"),
        "--trust",
        str(trust),
        "--session-transcript",
        extra.get("transcript", str(ANNEX_D / "session_transcript_bytes.hex")),
        "--reader-key",
        extra.get("reader", str(ANNEX_D / "ephemeral_reader_key_d.hex")),
    ]


@pytest.mark.parametrize("encoding", ["hex", "raw", "base64", "base64url", "hex-spaced"])
def test_annex_d_in_every_encoding(encoding: str, trust: Path, tmp_path: Path) -> None:
    raw = bytes.fromhex((ANNEX_D / "device_response.hex").read_text().strip())
    body = {
        "hex": raw.hex().encode(),
        "raw": raw,
        "base64": base64.b64encode(raw),
        "base64url": base64.urlsafe_b64encode(raw).rstrip(b"="),
        "hex-spaced": b"0x"
        + " ".join(raw.hex()[i : i + 64] for i in range(0, len(raw) * 2, 64)).encode()
        + b"\n",
    }[encoding]
    path = tmp_path / "response"
    path.write_bytes(body)
    code, doc, _ = run(mdoc_args(path, trust))
    assert code == 0
    assert doc["status"] == "valid", doc
    assert doc["claims"]["org.iso.18013.5.1"]["family_name"] == "Doe"
    assert {c["name"] for c in doc["checks"]} >= {
        "issuer_signature",
        "certificate_chain",
        "device_auth",
        "value_digests",
    }


def test_reader_key_as_pem(trust: Path, tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    d = int((ANNEX_D / "ephemeral_reader_key_d.hex").read_text().strip(), 16)
    pem = ec.derive_private_key(d, ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    (tmp_path / "reader.pem").write_bytes(pem)
    code, doc, _ = run(
        mdoc_args(ANNEX_D / "device_response.hex", trust, reader=str(tmp_path / "reader.pem"))
    )
    assert (code, doc["status"]) == (0, "valid")


def test_an_invalid_verdict_exits_zero_without_claims(trust: Path) -> None:
    code, doc, _ = run(mdoc_args(ANNEX_D / "device_response.hex", trust, at="2026-12-01T00:00:00Z"))
    assert code == 0
    assert doc["status"] == "invalid" and "claims" not in doc
    assert not next(c for c in doc["checks"] if c["name"] == "certificate_chain")["ok"]


def test_rfc9901_presentation_and_wrong_nonce(trust: Path) -> None:
    base = [
        "verify",
        str(RFC9901 / "sd_jwt_kb_presentation.txt"),
        "--format",
        "sd-jwt",
        "--at",
        "2025-05-29T16:41:05Z",
        "--trust",
        str(trust),
        "--aud",
        "https://verifier.example.org",
    ]
    code, doc, _ = run([*base, "--nonce", "1234567890"])
    assert (code, doc["status"]) == (0, "valid")
    assert doc["claims"]["given_name"] == "John"
    assert doc["claims"] == json.loads(
        (RFC9901 / "expected_processed_payload_presentation.json").read_text()
    )
    code, doc, _ = run([*base, "--nonce", "x"])
    assert (code, doc["status"]) == (0, "invalid")


def test_stdin_and_quoted_sd_jwt(trust: Path) -> None:
    text = (RFC9901 / "sd_jwt_issuance.txt").read_bytes().strip()
    code, doc, _ = run(
        ["verify", "-", "--format", "sd-jwt", "--at", "1748536865", "--trust", str(trust)],
        stdin=b'"' + text + b'"\n',
    )
    assert (code, doc["status"]) == (0, "valid")


@pytest.mark.parametrize(
    "argv",
    [
        ["verify", "/nonexistent", "--format", "mdoc"],
        ["verify", "x", "--format", "pdf"],
        ["verify", str(RFC9901 / "sd_jwt_issuance.txt"), "--format", "sd-jwt", "--at", "yesterday"],
        [
            "verify",
            str(RFC9901 / "sd_jwt_issuance.txt"),
            "--format",
            "sd-jwt",
            "--trust",
            "/nonexistent",
        ],
        [
            "verify",
            str(ANNEX_D / "device_response.hex"),
            "--format",
            "mdoc",
            "--reader-key",
            str(RFC9901 / "sd_jwt_issuance.txt"),
        ],
        ["nothing"],
    ],
)
def test_the_command_that_cannot_run_exits_non_zero(argv: list[str]) -> None:
    code, _, _err = run(argv)
    assert code == 2
