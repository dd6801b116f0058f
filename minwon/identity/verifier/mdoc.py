"""ISO/IEC 18013-5 mdoc verification of a DeviceResponse (one document).

Checks, in order (each one named in the result):
  structure → issuer_signature (COSE_Sign1 by the DS key in x5chain) → certificate_chain (DS → a
  configured IACA root at `at`, DS profile) → doc_type (MSO docType = document docType = the
  requested one) → validity (MSO validFrom ≤ at < validUntil) → value_digests (digest algorithm,
  every IssuerSignedItem's namespace and digestID signed, digests equal, no duplicates) →
  device_auth (deviceSignature with the MSO deviceKey, or deviceMac with EMacKey from the
  reader's ephemeral key, over DeviceAuthentication with the SessionTranscript) → requested
  (returned ⊆ requested) → status (Token Status List when the MSO has one).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import io
from collections.abc import Callable, Collection, Mapping
from typing import Any

import cbor2
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from . import cose
from .encoding import MAX_PRESENTATION_BYTES, DecodeError
from .jose import parse_compact_jws, resolve_issuer_keys, verify_with_any
from .keys import PublicKey, cose_public_key
from .result import CheckList, VerificationResult
from .statuslist import check_status, status_reference
from .trust import TrustStore, check_ds_profile, verify_chain

DIGEST_ALGS = {"SHA-256": hashlib.sha256, "SHA-384": hashlib.sha384, "SHA-512": hashlib.sha512}
Request = Mapping[str, Collection[str]]  # namespace → element identifiers


def loads(data: bytes) -> Any:
    """cbor2.loads that only ever raises DecodeError, and refuses trailing bytes."""
    if len(data) > MAX_PRESENTATION_BYTES:
        raise DecodeError("CBOR input too large")
    stream = io.BytesIO(data)
    try:
        value = cbor2.CBORDecoder(stream).decode()
    except Exception as exc:  # cbor2 raises many types (incl. for bad tags); all are a reject
        raise DecodeError(f"not well-formed CBOR ({type(exc).__name__})") from exc
    if stream.tell() != len(data):
        raise DecodeError("trailing bytes after the CBOR item")
    return value


def _tag24(value: Any, what: str) -> bytes:
    if (
        not isinstance(value, cbor2.CBORTag)
        or value.tag != 24
        or not isinstance(value.value, bytes)
    ):
        raise DecodeError(f"{what} is not tag-24 encoded CBOR")
    return value.value


def _as_map(value: Any, what: str) -> Mapping[Any, Any]:
    if not isinstance(value, Mapping):
        raise DecodeError(f"{what} is not a map")
    return value


def session_transcript_parts(data: bytes) -> tuple[bytes, bytes]:
    """(SessionTranscriptBytes as tag 24, the inner SessionTranscript encoding) from either form."""
    decoded = loads(data)
    if isinstance(decoded, cbor2.CBORTag) and decoded.tag == 24:
        inner = _tag24(decoded, "SessionTranscriptBytes")
        transcript = loads(inner)
    else:
        inner, transcript = data, decoded
    if not isinstance(transcript, list | tuple) or len(transcript) != 3:
        raise DecodeError("SessionTranscript is not a 3-element array")
    return cbor2.dumps(cbor2.CBORTag(24, inner)), inner


def openid4vp_session_transcript(
    *, client_id: str, nonce: str, response_uri: str, jwk_thumbprint: bytes | None = None
) -> bytes:
    """SessionTranscript for an mdoc in OpenID4VP 1.0 (Appendix B.2.6.1), as tag-24 bytes."""
    info = cbor2.dumps([client_id, nonce, jwk_thumbprint, response_uri])
    handover = ["OpenID4VPHandover", hashlib.sha256(info).digest()]
    return cbor2.dumps(cbor2.CBORTag(24, cbor2.dumps([None, None, handover])))


def _to_json(value: Any) -> Any:
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, cbor2.CBORTag):
        return {"tag": value.tag, "value": _to_json(value.value)}
    if isinstance(value, Mapping):
        return {str(k): _to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_to_json(v) for v in value]
    return value


def _aware(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return None


class _Mdoc:
    def __init__(self, trust: TrustStore, at: dt.datetime) -> None:
        self.trust, self.at = trust, at
        self.c = CheckList("mdoc")
        self.claims: dict[str, dict[str, Any]] = {}

    # ---- steps -------------------------------------------------------------------------
    def parse(self, data: bytes) -> tuple[Mapping[Any, Any], cose.CoseMessage, Mapping[Any, Any]]:
        response = _as_map(loads(data), "DeviceResponse")
        if "documents" not in response and "docType" in response:
            documents: Any = [response]  # a bare Document
        else:
            if response.get("status", 0) != 0:
                raise DecodeError(f"DeviceResponse status {response.get('status')!r}")
            documents = response.get("documents")
        if not isinstance(documents, list | tuple) or len(documents) != 1:
            raise DecodeError("exactly one document expected")
        doc = _as_map(documents[0], "Document")
        if not isinstance(doc.get("docType"), str):
            raise DecodeError("document has no docType")
        issuer_signed = _as_map(doc.get("issuerSigned"), "issuerSigned")
        issuer_auth = cose.parse_cose(issuer_signed.get("issuerAuth"), tag=18)
        if issuer_auth.payload is None:
            raise DecodeError("issuerAuth has no payload")
        mso = _as_map(loads(_tag24(loads(issuer_auth.payload), "MSO")), "MSO")
        return doc, issuer_auth, mso

    def issuer(self, issuer_auth: cose.CoseMessage) -> x509.Certificate | None:
        try:
            chain = [x509.load_der_x509_certificate(c) for c in cose.x5chain(issuer_auth)]
        except (DecodeError, ValueError) as exc:
            self.c.fail("issuer_signature", f"document signer certificate: {exc}")
            self.c.skip("certificate_chain", "no document signer certificate")
            return None
        alg = cose.sign1_alg(issuer_auth)
        if alg is None or alg not in self.trust.allowed_algs:
            self.c.fail(
                "issuer_signature", f"algorithm {issuer_auth.protected.get(1)!r} not allowed"
            )
        elif cose.verify_sign1(issuer_auth, chain[0].public_key()):
            self.c.ok("issuer_signature", f"{alg} by {chain[0].subject.rfc4514_string()}")
        else:
            self.c.fail("issuer_signature", "issuerAuth signature does not verify")
        try:
            anchor = verify_chain(chain[0], chain[1:], self.trust.anchors, self.at)
        except ValueError as exc:
            self.c.fail(
                "certificate_chain",
                f"no chain to a trusted IACA at {self.at:%Y-%m-%dT%H:%M:%SZ}: {exc}",
            )
            return chain[0]
        problem = check_ds_profile(chain[0])
        if problem:
            self.c.fail("certificate_chain", problem)
        else:
            self.c.ok("certificate_chain", f"to {anchor}")
            self.c.issuer = anchor
        return chain[0]

    def doc_type(
        self, doc: Mapping[Any, Any], mso: Mapping[Any, Any], expected: str | None
    ) -> None:
        ours, signed = doc["docType"], mso.get("docType")
        self.c.credential_type = str(ours)
        if signed != ours:
            self.c.fail("doc_type", f"document says {ours!r}, the MSO signs {signed!r}")
        elif expected is not None and ours != expected:
            self.c.fail("doc_type", f"{ours!r} was not requested ({expected!r})")
        else:
            self.c.ok("doc_type", str(ours))

    def validity(self, mso: Mapping[Any, Any]) -> None:
        info = mso.get("validityInfo")
        info = info if isinstance(info, Mapping) else {}
        start, end = _aware(info.get("validFrom")), _aware(info.get("validUntil"))
        if start is None or end is None:
            self.c.fail("validity", "MSO validityInfo lacks validFrom/validUntil")
        elif self.at + self.trust.clock_skew < start:
            self.c.fail("validity", f"not valid before {start.isoformat()}")
        elif self.at >= end:
            self.c.fail("validity", f"expired at {end.isoformat()}")
        else:
            self.c.ok("validity", f"{start.isoformat()} – {end.isoformat()}")

    def digests(self, doc: Mapping[Any, Any], mso: Mapping[Any, Any]) -> None:
        name = mso.get("digestAlgorithm")
        hasher = DIGEST_ALGS.get(name) if isinstance(name, str) else None
        value_digests = mso.get("valueDigests")
        if hasher is None:
            self.c.fail("value_digests", f"digest algorithm {name!r} not supported")
            return
        if not isinstance(value_digests, Mapping):
            self.c.fail("value_digests", "MSO has no valueDigests")
            return
        namespaces = doc["issuerSigned"].get("nameSpaces") or {}
        if not isinstance(namespaces, Mapping):
            self.c.fail("value_digests", "issuerSigned.nameSpaces is not a map")
            return
        claims: dict[str, dict[str, Any]] = {}
        count = 0
        for namespace, items in namespaces.items():
            signed = value_digests.get(namespace)
            if not isinstance(signed, Mapping):
                self.c.fail("value_digests", f"namespace {namespace!r} is not signed by the issuer")
                return
            if not isinstance(items, list | tuple):
                self.c.fail("value_digests", f"namespace {namespace!r} items are not an array")
                return
            seen_ids: set[int] = set()
            out: dict[str, Any] = {}
            for tagged in items:
                try:
                    raw = _tag24(tagged, "IssuerSignedItemBytes")
                    item = _as_map(loads(raw), "IssuerSignedItem")
                except DecodeError as exc:
                    self.c.fail("value_digests", str(exc))
                    return
                digest_id, element = item.get("digestID"), item.get("elementIdentifier")
                random = item.get("random")
                if (
                    isinstance(digest_id, bool)
                    or not isinstance(digest_id, int)
                    or not isinstance(element, str)
                    or not isinstance(random, bytes)
                    or len(random) < 16
                    or "elementValue" not in item
                ):
                    self.c.fail("value_digests", f"malformed item in {namespace!r}")
                    return
                if digest_id in seen_ids or element in out:
                    self.c.fail("value_digests", f"duplicate digestID or element {element!r}")
                    return
                seen_ids.add(digest_id)
                expected = signed.get(digest_id)
                actual = hasher(cbor2.dumps(cbor2.CBORTag(24, raw))).digest()
                if not isinstance(expected, bytes) or not hmac.compare_digest(expected, actual):
                    self.c.fail("value_digests", f"digest of {namespace}/{element} does not match")
                    return
                out[element] = _to_json(item["elementValue"])
                count += 1
            claims[str(namespace)] = out
        self.claims = claims
        self.c.ok("value_digests", f"{count} element(s), {name}")

    def device_auth(
        self,
        doc: Mapping[Any, Any],
        mso: Mapping[Any, Any],
        transcript: bytes | None,
        reader_key: ec.EllipticCurvePrivateKey | None,
    ) -> None:
        name = "device_auth"
        try:
            info = _as_map(mso.get("deviceKeyInfo"), "deviceKeyInfo")
            device_key: PublicKey = cose_public_key(info.get("deviceKey"))
            signed = _as_map(doc.get("deviceSigned"), "deviceSigned")
            ns_inner = _tag24(signed.get("nameSpaces"), "DeviceNameSpacesBytes")
            auth = _as_map(signed.get("deviceAuth"), "deviceAuth")
        except DecodeError as exc:
            self.c.fail(name, str(exc))
            return
        if transcript is None:
            self.c.fail(
                name, "no session transcript given: device authentication cannot be checked"
            )
            return
        try:
            transcript_bytes, transcript_inner = session_transcript_parts(transcript)
        except DecodeError as exc:
            self.c.fail(name, f"session transcript: {exc}")
            return
        inner = (
            b"\x84"
            + cbor2.dumps("DeviceAuthentication")
            + transcript_inner
            + cbor2.dumps(doc["docType"])
            + cbor2.dumps(cbor2.CBORTag(24, ns_inner))
        )
        device_auth_bytes = cbor2.dumps(cbor2.CBORTag(24, inner))
        try:
            if "deviceSignature" in auth:
                message = cose.parse_cose(auth["deviceSignature"], tag=18)
                alg = cose.sign1_alg(message)
                ok = alg in self.trust.allowed_algs and cose.verify_sign1(
                    message, device_key, detached_payload=device_auth_bytes
                )
                self.c.add(name, ok, "deviceSignature " + ("valid" if ok else "does not verify"))
                return
            if "deviceMac" in auth:
                message = cose.parse_cose(auth["deviceMac"], tag=17)
                if reader_key is None:
                    self.c.fail(name, "deviceMac needs the reader's ephemeral private key")
                    return
                if not isinstance(device_key, ec.EllipticCurvePublicKey) or not isinstance(
                    device_key.curve, type(reader_key.curve)
                ):
                    self.c.fail(name, "reader key and device key are not on the same curve")
                    return
                shared = reader_key.exchange(ec.ECDH(), device_key)
                emac_key = HKDF(
                    algorithm=hashes.SHA256(),
                    length=32,
                    salt=hashlib.sha256(transcript_bytes).digest(),
                    info=b"EMacKey",
                ).derive(shared)
                ok = cose.verify_mac0(message, emac_key, detached_payload=device_auth_bytes)
                self.c.add(name, ok, "deviceMac " + ("valid" if ok else "does not verify"))
                return
        except DecodeError as exc:
            self.c.fail(name, str(exc))
            return
        self.c.fail(name, "deviceAuth has neither deviceSignature nor deviceMac")

    def requested(self, request: Request | None) -> None:
        if request is None:
            self.c.ok("requested", "no request given: every issuer-signed element accepted")
            return
        extra = [
            f"{ns}/{element}"
            for ns, elements in self.claims.items()
            for element in elements
            if element not in request.get(ns, ())
        ]
        if extra:
            self.c.fail("requested", "returned but not requested: " + ", ".join(sorted(extra)))
        else:
            self.c.ok("requested", "returned ⊆ requested")

    def status(self, mso: Mapping[Any, Any]) -> None:
        try:
            ref = status_reference(mso)
        except DecodeError as exc:
            self.c.fail("status", str(exc))
            return
        if ref is None:
            self.c.ok("status", "no status reference (validity period only)")
            return
        _status(self.c, self.trust, self.at, *ref)


def _status(c: CheckList, trust: TrustStore, at: dt.datetime, idx: int, uri: str) -> None:
    """Shared by both formats: fetch, verify (x5c/pinned key like the issuer) and look up."""
    if trust.status_fetcher is None:
        c.add("status", trust.status_unavailable_ok, "status list unavailable (no fetcher)")
        return
    try:
        token = trust.status_fetcher(uri)
    except Exception as exc:  # a fetch failure of any kind is "unavailable"
        c.add("status", trust.status_unavailable_ok, f"status list unavailable: {exc}")
        return

    def signer_ok(
        header: Mapping[str, Any], payload: Mapping[str, Any], _i: bytes, _s: bytes
    ) -> str | None:
        try:
            jws = parse_compact_jws(token.strip())
            alg = jws.header.get("alg")
            if not isinstance(alg, str) or alg not in trust.allowed_algs:
                return f"algorithm {alg!r} not allowed"
            keys = resolve_issuer_keys(jws.header, jws.payload, trust, at)
        except (DecodeError, ValueError) as exc:
            return str(exc)
        return None if verify_with_any(alg, keys, jws) else "signature does not verify"

    ok, detail = check_status(idx=idx, uri=uri, token=token, at=at, signer_ok=signer_ok)
    c.add("status", ok, detail)


def verify_mdoc(
    data: bytes,
    trust: TrustStore,
    *,
    at: dt.datetime,
    session_transcript: bytes | None = None,
    reader_key: ec.EllipticCurvePrivateKey | None = None,
    request: Request | None = None,
    doc_type: str | None = None,
) -> VerificationResult:
    """Verify one DeviceResponse; claims are `{namespace: {element: value}}` when valid."""
    run = _Mdoc(trust, at)
    try:
        doc, issuer_auth, mso = run.parse(data)
    except DecodeError as exc:
        run.c.fail("structure", str(exc))
        return run.c.finish(None)
    run.c.ok("structure", f"one document, MSO version {mso.get('version')!r}")
    steps: list[tuple[str, Callable[[], object]]] = [
        ("issuer_signature", lambda: run.issuer(issuer_auth)),
        ("doc_type", lambda: run.doc_type(doc, mso, doc_type)),
        ("validity", lambda: run.validity(mso)),
        ("value_digests", lambda: run.digests(doc, mso)),
        ("device_auth", lambda: run.device_auth(doc, mso, session_transcript, reader_key)),
        ("requested", lambda: run.requested(request)),
        ("status", lambda: run.status(mso)),
    ]
    guarded(run.c, steps)
    return run.c.finish(lambda: run.claims)


def guarded(checks: CheckList, steps: list[tuple[str, Callable[[], object]]]) -> None:
    """Run each step; an unexpected exception (a malformed certificate parsed lazily, a value of
    a type no check anticipated) fails that step instead of escaping: fail closed, never crash."""
    for name, step in steps:
        try:
            step()
        except Exception as exc:
            checks.fail(name, f"malformed input ({type(exc).__name__})")
