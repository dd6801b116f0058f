"""Mobile-ID verification: time per presentation against the floor of its signature checks.

For each kind of presentation the counter meets, it times the full verification
(`minwon.identity.verifier`: parsing, chain building, digests, device or key binding, the purpose
request) and, in the same run, the floor: only the ECDSA verifications that presentation needs,
with `cryptography`, on pre-decoded keys and signatures.

  mdoc (OpenID4VP)   issuerAuth (DS key), the DS certificate (IACA key), deviceSignature = 3 ECDSA
  SD-JWT VC + KB     issuer JWS, KB-JWT = 2 ECDSA
  Annex D (ISO)      issuerAuth, the DS certificate = 2 ECDSA (+ ECDH/HKDF/HMAC for deviceMac, not
                     in the floor)

Pinned to one core (`os.sched_setaffinity`). Target (issue 18): p95 ≤ 20 ms per presentation.

    .venv/bin/python bench/identity_bench.py            # 2,000 runs each
    .venv/bin/python bench/identity_bench.py --n 300    # quicker
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
os.environ.setdefault("MINWON_MODE", "test")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789abcdef")

import cbor2  # noqa: E402
from cryptography import x509  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature  # noqa: E402
from cryptography.hazmat.primitives.hashes import SHA256  # noqa: E402

from minwon.identity.tests import factories as f  # noqa: E402
from minwon.identity.tests.wallet import PORTRAIT, RESIDENT_CLAIMS, RESIDENT_VCT  # noqa: E402
from minwon.identity.verifier import cose  # noqa: E402
from minwon.identity.verifier.encoding import b64url_decode  # noqa: E402
from minwon.identity.verifier.mdoc import openid4vp_session_transcript, verify_mdoc  # noqa: E402
from minwon.identity.verifier.sdjwt import verify_sd_jwt  # noqa: E402
from minwon.identity.verifier.trust import TrustStore  # noqa: E402

AT = f.NOW + dt.timedelta(hours=1)


def _der(raw: bytes) -> bytes:
    half = len(raw) // 2
    return encode_dss_signature(
        int.from_bytes(raw[:half], "big"), int.from_bytes(raw[half:], "big")
    )


def _ecdsa(key: Any, raw_sig: bytes, message: bytes) -> Callable[[], None]:
    der = _der(raw_sig)
    return lambda: key.verify(der, message, ec.ECDSA(SHA256()))


def _cert_check(cert: x509.Certificate, issuer_key: Any) -> Callable[[], None]:
    sig, tbs = cert.signature, cert.tbs_certificate_bytes
    return lambda: issuer_key.verify(sig, tbs, ec.ECDSA(SHA256()))


def case_mdoc() -> tuple[Callable[[], Any], list[Callable[[], None]]]:
    pki = f.make_pki()
    transcript = openid4vp_session_transcript(
        client_id="x509_san_dns:minwon.example.kr",
        nonce="bench-nonce",
        response_uri="https://minwon.example.kr/identity/oid4vp/response",
    )
    elements = {"family_name": "홍", "given_name": "길동", "portrait": PORTRAIT}
    mdoc = f.make_mdoc(pki, elements, transcript=transcript)
    trust = TrustStore(anchors=(pki.iaca,))
    request = {f.NS: frozenset(elements)}

    def full() -> Any:
        result = verify_mdoc(
            mdoc.device_response,
            trust,
            at=AT,
            session_transcript=transcript,
            request=request,
            doc_type=f.MDL,
        )
        assert result.valid, result.checks
        return result

    doc = cbor2.loads(mdoc.device_response)["documents"][0]
    issuer_auth = cose.parse_cose(doc["issuerSigned"]["issuerAuth"], tag=18)
    to_sign = cbor2.dumps(["Signature1", issuer_auth.protected_bytes, b"", issuer_auth.payload])
    device = cose.parse_cose(doc["deviceSigned"]["deviceAuth"]["deviceSignature"], tag=18)
    inner = (
        b"\x84"
        + cbor2.dumps("DeviceAuthentication")
        + cbor2.loads(transcript).value
        + cbor2.dumps(f.MDL)
        + cbor2.dumps(doc["deviceSigned"]["nameSpaces"])
    )
    device_tbs = cbor2.dumps(
        ["Signature1", device.protected_bytes, b"", cbor2.dumps(cbor2.CBORTag(24, inner))]
    )
    floor = [
        _ecdsa(pki.ds.public_key(), issuer_auth.tag_or_signature, to_sign),
        _cert_check(pki.ds, pki.iaca.public_key()),
        _ecdsa(mdoc.device_key.public_key(), device.tag_or_signature, device_tbs),
    ]
    for check in floor:
        check()  # the floor verifies what the full run verifies
    return full, floor


def case_sd_jwt() -> tuple[Callable[[], Any], list[Callable[[], None]]]:
    vc = f.make_sd_jwt_vc(dict(RESIDENT_CLAIMS), vct=RESIDENT_VCT)
    aud, nonce = "x509_san_dns:minwon.example.kr", "bench-nonce"
    presentation = vc.present({"name": True, "portrait": True}, aud=aud, nonce=nonce)
    trust = vc.trust(vct_allow=frozenset({RESIDENT_VCT}), accept_plain_sd_jwt=False)
    at = dt.datetime.now(dt.UTC)  # the KB-JWT iat is the time it was made

    def full() -> Any:
        result = verify_sd_jwt(
            presentation,
            trust,
            at=at,
            aud=aud,
            nonce=nonce,
            require_key_binding=True,
            request={"name", "portrait"},
        )
        assert result.valid, result.checks
        return result

    issuer_jwt = presentation.split("~")[0]
    kb_jwt = presentation.rsplit("~", 1)[1]
    floor = []
    for token, key in ((issuer_jwt, vc.issuer_key), (kb_jwt, vc.holder_key)):
        head, payload, sig = token.split(".")
        floor.append(_ecdsa(key.public_key(), b64url_decode(sig), f"{head}.{payload}".encode()))
    for check in floor:
        check()
    return full, floor


def case_annex_d() -> tuple[Callable[[], Any], list[Callable[[], None]]]:
    folder = f.ANNEX_D
    response = f.hexfile(folder, "device_response.hex")
    transcript = f.hexfile(folder, "session_transcript_bytes.hex")
    reader = ec.derive_private_key(
        int.from_bytes(f.hexfile(folder, "ephemeral_reader_key_d.hex"), "big"),
        ec.SECP256R1(),
    )
    iaca = x509.load_pem_x509_certificate((folder / "iaca_root_cert.pem").read_bytes())
    trust = TrustStore(anchors=(iaca,))
    at = dt.datetime(2021, 1, 1, tzinfo=dt.UTC)

    def full() -> Any:
        result = verify_mdoc(
            response, trust, at=at, session_transcript=transcript, reader_key=reader
        )
        assert result.valid, result.checks
        return result

    doc = cbor2.loads(response)["documents"][0]
    issuer_auth = cose.parse_cose(doc["issuerSigned"]["issuerAuth"], tag=18)
    ds = x509.load_der_x509_certificate(cose.x5chain(issuer_auth)[0])
    to_sign = cbor2.dumps(["Signature1", issuer_auth.protected_bytes, b"", issuer_auth.payload])
    floor = [
        _ecdsa(ds.public_key(), issuer_auth.tag_or_signature, to_sign),
        _cert_check(ds, iaca.public_key()),
    ]
    for check in floor:
        check()
    return full, floor


def _times(full: Callable[[], Any], floor: Callable[[], None], n: int) -> dict[str, list[float]]:
    """Interleaved, so both see the same machine: wall time and this thread's CPU time (ms).
    CPU time leaves out the time the scheduler gave to other processes on a shared machine."""
    for _ in range(min(50, n)):
        full()
        floor()
    out: dict[str, list[float]] = {"full": [], "full_cpu": [], "floor": [], "floor_cpu": []}
    for _ in range(n):
        for name, fn in (("full", full), ("floor", floor)):
            wall, cpu = time.perf_counter_ns(), time.thread_time_ns()
            fn()
            out[name + "_cpu"].append((time.thread_time_ns() - cpu) / 1e6)
            out[name].append((time.perf_counter_ns() - wall) / 1e6)
    return out


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=2000)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    print(
        f"# {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, CPython {platform.python_version()}, "
        f"{platform.machine()}, one core, n={args.n}, load average {os.getloadavg()[0]:.1f}"
    )
    print(
        "| presentation | ECDSA | full p50 | full p95 | floor p50 | floor p95 "
        "| p95 / floor p95 | full p95 (wall) | floor p95 (wall) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    cases = [
        ("mdoc mDL via OpenID4VP (deviceSignature)", case_mdoc),
        ("SD-JWT VC + KB-JWT (resident card)", case_sd_jwt),
        ("ISO 18013-5 Annex D (deviceMac)", case_annex_d),
    ]
    for label, make in cases:
        full, floor = make()

        def floor_all(checks: list[Callable[[], None]] = floor) -> None:
            for check in checks:
                check()

        t = _times(full, floor_all, args.n)
        full_p95, floor_p95 = _pct(t["full_cpu"], 95), _pct(t["floor_cpu"], 95)
        print(
            f"| {label} | {len(floor)} | {statistics.median(t['full_cpu']):.2f} "
            f"| {full_p95:.2f} | {statistics.median(t['floor_cpu']):.2f} | {floor_p95:.2f} "
            f"| {full_p95 / floor_p95:.1f}× | {_pct(t['full'], 95):.2f} "
            f"| {_pct(t['floor'], 95):.2f} |"
        )
    print("(milliseconds; CPU time of the verifying thread unless marked wall)")


if __name__ == "__main__":
    main()
