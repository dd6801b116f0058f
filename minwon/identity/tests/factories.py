"""Test data: a test IACA → DS PKI, mdocs with deviceSignature, SD-JWT VCs (minted with the
PyPI `sd-jwt` reference implementation), status lists. Test-only: never used to verify."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cbor2
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.x509.oid import NameOID

from minwon.identity.verifier.keys import jwk_public_key
from minwon.identity.verifier.mdoc import openid4vp_session_transcript
from minwon.identity.verifier.trust import MDL_DS_EKU, PinnedKey, TrustStore

VECTORS = Path(__file__).resolve().parents[4] / "shared" / "testvectors"
if not VECTORS.exists():  # the worktree sits beside shared/
    VECTORS = Path("/work/shared/testvectors")
ANNEX_D = VECTORS / "iso18013-5-annex-d"
RFC9901 = VECTORS / "rfc9901"
MDL = "org.iso.18013.5.1.mDL"
NS = "org.iso.18013.5.1"
NOW = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)


def hexfile(folder: Path, name: str) -> bytes:
    return bytes.fromhex((folder / name).read_text().strip())


def _name(cn: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "KR"),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )


def _sig(key: ec.EllipticCurvePrivateKey, message: bytes) -> bytes:
    r, s = decode_dss_signature(key.sign(message, ec.ECDSA(hashes.SHA256())))
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


@dataclass
class Pki:
    iaca_key: ec.EllipticCurvePrivateKey
    iaca: x509.Certificate
    ds_key: ec.EllipticCurvePrivateKey
    ds: x509.Certificate


def make_pki(
    *,
    cn: str = "Test IACA",
    not_before: dt.datetime | None = None,
    days: int = 3650,
    ds_eku: bool = True,
    san_dns: str | None = None,
) -> Pki:
    start = not_before or dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    iaca_key = ec.generate_private_key(ec.SECP256R1())
    iaca = (
        x509.CertificateBuilder()
        .subject_name(_name(cn))
        .issuer_name(_name(cn))
        .public_key(iaca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(iaca_key.public_key()), critical=False
        )
        .sign(iaca_key, hashes.SHA256())
    )
    ds_key = ec.generate_private_key(ec.SECP256R1())
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(cn + " DS"))
        .issuer_name(iaca.subject)
        .public_key(ds_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=days // 2))
        .add_extension(
            x509.KeyUsage(True, False, False, False, False, False, False, False, False),
            critical=True,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(iaca_key.public_key()),
            critical=False,
        )
    )
    if ds_eku:
        builder = builder.add_extension(x509.ExtendedKeyUsage([MDL_DS_EKU]), critical=True)
    if san_dns:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName(san_dns)]), critical=False
        )
    return Pki(iaca_key, iaca, ds_key, builder.sign(iaca_key, hashes.SHA256()))


def cose_key(public: ec.EllipticCurvePublicKey) -> dict[int, Any]:
    n = public.public_numbers()
    return {1: 2, -1: 1, -2: n.x.to_bytes(32, "big"), -3: n.y.to_bytes(32, "big")}


def sign1(
    key: ec.EllipticCurvePrivateKey,
    payload: bytes | None,
    *,
    detached: bytes | None = None,
    unprotected: Mapping[int, Any] | None = None,
    alg: int = -7,
) -> list[Any]:
    protected = cbor2.dumps({1: alg})
    to_sign = cbor2.dumps(
        ["Signature1", protected, b"", payload if payload is not None else detached]
    )
    return [protected, dict(unprotected or {}), payload, _sig(key, to_sign)]


@dataclass
class Mdoc:
    device_response: bytes
    transcript: bytes
    device_key: ec.EllipticCurvePrivateKey


def make_mdoc(
    pki: Pki,
    elements: Mapping[str, Any],
    *,
    doc_type: str = MDL,
    valid_from: dt.datetime | None = None,
    valid_until: dt.datetime | None = None,
    transcript: bytes | None = None,
    status: Mapping[str, Any] | None = None,
    namespace: str = NS,
) -> Mdoc:
    """An mdoc with deviceSignature over the OpenID4VP-style session transcript."""
    device_key = ec.generate_private_key(ec.SECP256R1())
    items = []
    digests = {}
    for digest_id, (name, value) in enumerate(elements.items()):
        item = cbor2.dumps(
            {
                "digestID": digest_id,
                "random": os.urandom(16),
                "elementIdentifier": name,
                "elementValue": value,
            }
        )
        tagged = cbor2.CBORTag(24, item)
        items.append(tagged)
        digests[digest_id] = hashlib.sha256(cbor2.dumps(tagged)).digest()
    start = valid_from or NOW - dt.timedelta(days=30)
    mso: dict[str, Any] = {
        "version": "1.0",
        "digestAlgorithm": "SHA-256",
        "valueDigests": {namespace: digests},
        "deviceKeyInfo": {"deviceKey": cose_key(device_key.public_key())},
        "docType": doc_type,
        "validityInfo": {
            "signed": start,
            "validFrom": start,
            "validUntil": valid_until or NOW + dt.timedelta(days=365),
        },
    }
    if status:
        mso["status"] = dict(status)
    mso_bytes = cbor2.dumps(cbor2.CBORTag(24, cbor2.dumps(mso)))
    issuer_auth = sign1(
        pki.ds_key, mso_bytes, unprotected={33: pki.ds.public_bytes(serialization.Encoding.DER)}
    )
    transcript = transcript or openid4vp_session_transcript(
        client_id="x509_san_dns:counter.example.kr",
        nonce="n-1",
        response_uri="https://counter.example.kr/r",
    )
    transcript_inner = cbor2.loads(transcript).value
    device_ns = cbor2.CBORTag(24, cbor2.dumps({}))
    auth = (
        b"\x84"
        + cbor2.dumps("DeviceAuthentication")
        + transcript_inner
        + cbor2.dumps(doc_type)
        + cbor2.dumps(device_ns)
    )
    device_sig = sign1(device_key, None, detached=cbor2.dumps(cbor2.CBORTag(24, auth)))
    response = {
        "version": "1.0",
        "documents": [
            {
                "docType": doc_type,
                "issuerSigned": {"nameSpaces": {namespace: items}, "issuerAuth": issuer_auth},
                "deviceSigned": {
                    "nameSpaces": device_ns,
                    "deviceAuth": {"deviceSignature": device_sig},
                },
            }
        ],
        "status": 0,
    }
    return Mdoc(cbor2.dumps(response), transcript, device_key)


# ---- SD-JWT (minted with the `sd-jwt` reference implementation) ------------------------------


def ec_jwk(key: ec.EllipticCurvePrivateKey, *, private: bool = False) -> dict[str, str]:
    n = key.public_key().public_numbers()
    b = lambda i: base64.urlsafe_b64encode(i.to_bytes(32, "big")).rstrip(b"=").decode()  # noqa: E731
    jwk = {"kty": "EC", "crv": "P-256", "x": b(n.x), "y": b(n.y)}
    if private:
        jwk["d"] = b(key.private_numbers().private_value)
    return jwk


def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def sign_jws(
    key: ec.EllipticCurvePrivateKey, header: Mapping[str, Any], payload: Mapping[str, Any]
) -> str:
    signing_input = b64u(json.dumps(header).encode()) + "." + b64u(json.dumps(payload).encode())
    return signing_input + "." + b64u(_sig(key, signing_input.encode()))


@dataclass
class SdJwtFixture:
    issuer_key: ec.EllipticCurvePrivateKey
    holder_key: ec.EllipticCurvePrivateKey
    issuance: str

    def trust(self, **policy: Any) -> TrustStore:
        return TrustStore(
            issuer_keys=(
                PinnedKey(jwk_public_key(ec_jwk(self.issuer_key)), iss="https://issuer.example.kr"),
            ),
            **policy,
        )

    def present(
        self,
        disclose: Mapping[str, Any] | None,
        *,
        aud: str = "https://counter.example.kr",
        nonce: str = "n-1",
        iat: int | None = None,
    ) -> str:
        from jwcrypto.jwk import JWK
        from sd_jwt.holder import SDJWTHolder

        holder = SDJWTHolder(self.issuance)
        holder.create_presentation(
            disclose, nonce, aud, JWK(**ec_jwk(self.holder_key, private=True)), "ES256"
        )
        presentation: str = holder.sd_jwt_presentation
        if iat is None:
            return presentation
        # re-sign the KB-JWT with another iat (the reference library always uses the current time)
        head, _, kb = presentation.rpartition("~")
        payload = json.loads(base64.urlsafe_b64decode(kb.split(".")[1] + "=="))
        payload["iat"] = iat
        return head + "~" + sign_jws(self.holder_key, {"alg": "ES256", "typ": "kb+jwt"}, payload)


def make_sd_jwt_vc(
    claims: Mapping[str, Any] | None = None,
    *,
    vct: str = "urn:kr:mobileid:resident:1",
    exp: dt.datetime | None = None,
    extra: Mapping[str, Any] | None = None,
    typ: str = "dc+sd-jwt",
) -> SdJwtFixture:
    from jwcrypto.jwk import JWK
    from sd_jwt.common import SDObj
    from sd_jwt.issuer import SDJWTIssuer

    issuer_key = ec.generate_private_key(ec.SECP256R1())
    holder_key = ec.generate_private_key(ec.SECP256R1())
    base: dict[Any, Any] = {
        "iss": "https://issuer.example.kr",
        "vct": vct,
        "iat": int((NOW - dt.timedelta(days=1)).timestamp()),
        "exp": int((exp or NOW + dt.timedelta(days=365)).timestamp()),
        "cnf": {"jwk": ec_jwk(holder_key)},
    }
    base.update(extra or {})
    for name, value in (
        claims
        or {
            "name": "홍길동",
            "resident_number": "900101-1234567",
            "age_over_19": True,
            "address": "경기도 파주시",
        }
    ).items():
        base[SDObj(name)] = value
    issuer = SDJWTIssuer(
        base,
        JWK(**ec_jwk(issuer_key, private=True)),
        None,
        "ES256",
        extra_header_parameters={"typ": typ},
    )
    return SdJwtFixture(issuer_key, holder_key, issuer.sd_jwt_issuance)


def status_list_token(
    key: ec.EllipticCurvePrivateKey,
    uri: str,
    statuses: Mapping[int, int],
    *,
    size: int = 1024,
    iss: str = "https://issuer.example.kr",
    exp: dt.datetime | None = None,
) -> str:
    raw = bytearray(size // 8)
    for idx, value in statuses.items():
        raw[idx // 8] |= (value & 1) << (idx % 8)
    payload = {
        "iss": iss,
        "sub": uri,
        "iat": int((NOW - dt.timedelta(hours=1)).timestamp()),
        "exp": int((exp or NOW + dt.timedelta(hours=12)).timestamp()),
        "status_list": {"bits": 1, "lst": b64u(zlib.compress(bytes(raw)))},
    }
    return sign_jws(key, {"alg": "ES256", "typ": "statuslist+jwt"}, payload)
