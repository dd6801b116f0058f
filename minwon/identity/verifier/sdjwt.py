"""SD-JWT (RFC 9901 §7.1, §7.3) and SD-JWT VC verification.

Checks, each named in the result: structure → alg (allow-list; `none` never) → typ → issuer_key
(x5c chained to a trust anchor, or a pinned JWK) → issuer_signature → disclosures (every one
referenced exactly once, no duplicate digests, no `_sd`/`...` claim names) → time (exp strict,
nbf/iat with the clock skew) → vct (SD-JWT VC allow-list) → key_binding (typ kb+jwt, signature by
cnf.jwk, aud, nonce, sd_hash, iat window) → requested (disclosed ⊆ requested) → status.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Callable, Collection, Mapping
from typing import Any

from .encoding import (
    MAX_PRESENTATION_BYTES,
    DecodeError,
    b64url_decode,
    b64url_encode,
    json_loads_strict,
)
from .jose import CompactJws, parse_compact_jws, resolve_issuer_keys, verify_with_any
from .keys import jwk_public_key, verify_raw_signature
from .mdoc import _status, guarded
from .result import CheckList, VerificationResult
from .statuslist import status_reference
from .trust import TrustStore

SD_ALGS: dict[str, Callable[[bytes], Any]] = {
    "sha-256": hashlib.sha256,
    "sha-384": hashlib.sha384,
    "sha-512": hashlib.sha512,
}
VC_TYP = "dc+sd-jwt"
LEGACY_VC_TYP = "vc+sd-jwt"
ALWAYS_VISIBLE = {"iss", "iat", "exp", "nbf", "sub", "cnf", "vct", "status", "vct#integrity"}


class _Disclosure:
    __slots__ = ("digest", "name", "raw", "used", "value")

    def __init__(self, raw: str, hasher: Callable[[bytes], Any]) -> None:
        self.raw = raw
        self.digest = b64url_encode(hasher(raw.encode("ascii")).digest())
        decoded = json_loads_strict(b64url_decode(raw))
        if not isinstance(decoded, list) or len(decoded) not in (2, 3):
            raise DecodeError("a disclosure is not a 2- or 3-element array")
        if not isinstance(decoded[0], str):
            raise DecodeError("a disclosure salt is not a string")
        self.name: str | None = None
        if len(decoded) == 3:
            if not isinstance(decoded[1], str):
                raise DecodeError("a disclosure claim name is not a string")
            if decoded[1] in ("_sd", "..."):
                raise DecodeError(f"a disclosure uses the reserved claim name {decoded[1]!r}")
            self.name = decoded[1]
        self.value = decoded[-1]
        self.used = False


def _process(node: Any, by_digest: dict[str, _Disclosure], seen: set[str], depth: int = 0) -> Any:
    """Replace digests by disclosed values (RFC 9901 §7.1 step 3), recursively."""
    if depth > 64:
        raise DecodeError("payload nested too deeply")
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        digests = node.get("_sd", [])
        if not isinstance(digests, list) or not all(isinstance(d, str) for d in digests):
            raise DecodeError("_sd is not an array of strings")
        for key, value in node.items():
            if key in ("_sd", "_sd_alg"):
                continue
            out[key] = _process(value, by_digest, seen, depth + 1)
        for digest in digests:
            if digest in seen:
                raise DecodeError("a digest appears more than once")
            seen.add(digest)
            disclosure = by_digest.get(digest)
            if disclosure is None:
                continue  # a decoy, or a claim not disclosed
            if disclosure.name is None:
                raise DecodeError("an array-element disclosure is referenced from _sd")
            if disclosure.name in out:
                raise DecodeError(f"disclosed claim {disclosure.name!r} already exists")
            disclosure.used = True
            out[disclosure.name] = _process(disclosure.value, by_digest, seen, depth + 1)
        return out
    if isinstance(node, list):
        items: list[Any] = []
        for element in node:
            if isinstance(element, dict) and "..." in element:
                if len(element) != 1 or not isinstance(element["..."], str):
                    raise DecodeError("an array digest object must hold only '...'")
                digest = element["..."]
                if digest in seen:
                    raise DecodeError("a digest appears more than once")
                seen.add(digest)
                disclosure = by_digest.get(digest)
                if disclosure is None:
                    continue
                if disclosure.name is not None:
                    raise DecodeError("an object-property disclosure is referenced from an array")
                disclosure.used = True
                items.append(_process(disclosure.value, by_digest, seen, depth + 1))
            else:
                items.append(_process(element, by_digest, seen, depth + 1))
        return items
    return node


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


class _SdJwt:
    def __init__(self, trust: TrustStore, at: dt.datetime) -> None:
        self.trust, self.at = trust, at
        self.c = CheckList("sd-jwt")
        self.claims: dict[str, Any] = {}

    def split(self, text: str) -> tuple[str, list[str], str | None, str]:
        if len(text) > MAX_PRESENTATION_BYTES:
            raise DecodeError("presentation too large")
        parts = text.split("~")
        if len(parts) < 2:
            raise DecodeError("not an SD-JWT (no '~' separator)")
        issuer_jwt, disclosures, last = parts[0], parts[1:-1], parts[-1]
        if any(not d for d in disclosures):
            raise DecodeError("empty disclosure ('~~')")
        presented = text[: len(text) - len(last)]  # up to and including the last '~'
        return issuer_jwt, disclosures, (last or None), presented

    def header_checks(self, jws: CompactJws) -> str | None:
        alg = jws.header.get("alg")
        if not isinstance(alg, str) or alg == "none" or alg not in self.trust.allowed_algs:
            self.c.fail("alg", f"algorithm {alg!r} not allowed")
            return None
        if "crit" in jws.header:
            self.c.fail("alg", "critical header parameters are not supported")
            return None
        self.c.ok("alg", alg)
        typ = jws.header.get("typ")
        if typ in (VC_TYP, LEGACY_VC_TYP):
            self.c.ok("typ", str(typ))
        elif self.trust.accept_plain_sd_jwt and "vct" not in jws.payload:
            self.c.ok("typ", f"plain SD-JWT (typ {typ!r}), not an SD-JWT VC")
        else:
            self.c.fail("typ", f"typ {typ!r} is not {VC_TYP}")
        return alg

    def issuer(self, jws: CompactJws, alg: str | None) -> bool:
        try:
            keys = resolve_issuer_keys(jws.header, jws.payload, self.trust, self.at)
        except (DecodeError, ValueError) as exc:
            self.c.fail("issuer_key", str(exc))
            self.c.skip("issuer_signature", "no issuer key")
            return False
        self.c.ok("issuer_key", ", ".join(k.description for k in keys))
        if alg is None:
            self.c.skip("issuer_signature", "algorithm not allowed")
            return False
        used = verify_with_any(alg, keys, jws)
        if used is None:
            self.c.fail("issuer_signature", "issuer signature does not verify")
            return False
        self.c.ok("issuer_signature", f"{alg} with {used.description}")
        self.c.issuer = str(jws.payload.get("iss", ""))
        return True

    def disclosures(self, jws: CompactJws, raw: list[str]) -> None:
        name = jws.payload.get("_sd_alg", "sha-256")
        hasher = SD_ALGS.get(name) if isinstance(name, str) else None
        if hasher is None:
            self.c.fail("disclosures", f"_sd_alg {name!r} not supported")
            return
        try:
            parsed = [_Disclosure(d, hasher) for d in raw]
            by_digest: dict[str, _Disclosure] = {}
            for disclosure in parsed:
                if disclosure.digest in by_digest:
                    raise DecodeError("the same disclosure is presented twice")
                by_digest[disclosure.digest] = disclosure
            processed = _process(dict(jws.payload), by_digest, set())
        except DecodeError as exc:
            self.c.fail("disclosures", str(exc))
            return
        unused = [d for d in parsed if not d.used]
        if unused:
            self.c.fail("disclosures", f"{len(unused)} disclosure(s) not referenced by the issuer")
            return
        self.claims = processed
        self.c.ok("disclosures", f"{len(parsed)} disclosure(s), all referenced once")

    def time(self, payload: Mapping[str, Any]) -> None:
        now, skew = self.at.timestamp(), self.trust.clock_skew.total_seconds()
        problems = []
        for claim in ("exp", "nbf", "iat"):
            if claim in payload and _num(payload[claim]) is None:
                problems.append(f"{claim} is not a number")
        exp, nbf, iat = (_num(payload.get(k)) for k in ("exp", "nbf", "iat"))
        if exp is not None and now >= exp:
            problems.append(f"expired (exp {int(exp)})")
        if nbf is not None and now + skew < nbf:
            problems.append(f"not yet valid (nbf {int(nbf)})")
        if iat is not None and now + skew < iat:
            problems.append(f"issued in the future (iat {int(iat)})")
        if problems:
            self.c.fail("time", "; ".join(problems))
        else:
            self.c.ok("time", "within exp/nbf/iat" if exp is not None else "no exp; nbf/iat ok")

    def vct(self, jws: CompactJws) -> None:
        vct = jws.payload.get("vct")
        typ = jws.header.get("typ")
        if vct is None and typ not in (VC_TYP, LEGACY_VC_TYP) and self.trust.accept_plain_sd_jwt:
            self.c.ok("vct", "plain SD-JWT: no vct")
            return
        if not isinstance(vct, str):
            self.c.fail("vct", "SD-JWT VC without a vct")
            return
        self.c.credential_type = vct
        allow = self.trust.vct_allow
        if allow is not None and vct not in allow:
            self.c.fail("vct", f"vct {vct!r} is not accepted")
        else:
            self.c.ok("vct", vct if allow is not None else f"{vct} (no allow-list configured)")

    def key_binding(
        self,
        jws: CompactJws,
        kb: str | None,
        presented: str,
        *,
        aud: str | None,
        nonce: str | None,
        required: bool,
    ) -> None:
        name = "key_binding"
        if kb is None:
            self.c.add(
                name,
                not required,
                "no KB-JWT" + (" but key binding is required" if required else "; not required"),
            )
            return
        try:
            kb_jws = parse_compact_jws(kb)
        except DecodeError as exc:
            self.c.fail(name, f"KB-JWT: {exc}")
            return
        alg = kb_jws.header.get("alg")
        if kb_jws.header.get("typ") != "kb+jwt":
            self.c.fail(name, "KB-JWT typ is not kb+jwt")
            return
        if not isinstance(alg, str) or alg not in self.trust.allowed_algs:
            self.c.fail(name, f"KB-JWT algorithm {alg!r} not allowed")
            return
        cnf = jws.payload.get("cnf")
        try:
            holder_key = jwk_public_key(cnf.get("jwk") if isinstance(cnf, Mapping) else None)  # type: ignore[arg-type]
        except DecodeError as exc:
            self.c.fail(name, f"no usable cnf.jwk: {exc}")
            return
        if not verify_raw_signature(alg, holder_key, kb_jws.signature, kb_jws.signing_input):
            self.c.fail(name, "KB-JWT signature does not verify with cnf.jwk")
            return
        p = kb_jws.payload
        if aud is not None and p.get("aud") != aud:
            self.c.fail(name, f"aud {p.get('aud')!r} is not {aud!r}")
            return
        if nonce is not None and p.get("nonce") != nonce:
            self.c.fail(name, "nonce does not match")
            return
        if (aud is None or nonce is None) and required:
            self.c.fail(name, "aud and nonce to expect were not given")
            return
        hasher = SD_ALGS.get(str(jws.payload.get("_sd_alg", "sha-256")), hashlib.sha256)
        expected_hash = b64url_encode(hasher(presented.encode("ascii")).digest())
        if not isinstance(p.get("sd_hash"), str) or not hmac.compare_digest(
            p["sd_hash"], expected_hash
        ):
            self.c.fail(name, "sd_hash does not match the presentation")
            return
        iat = _num(p.get("iat"))
        window = self.trust.kb_iat_window.total_seconds()
        now = self.at.timestamp()
        if iat is None:
            self.c.fail(name, "KB-JWT has no iat")
        elif iat < now - window:
            self.c.fail(name, f"KB-JWT iat {int(iat)} is older than {int(window)} s")
        elif iat > now + window:
            self.c.fail(name, f"KB-JWT iat {int(iat)} is in the future")
        else:
            self.c.ok(name, f"{alg} by cnf.jwk; aud, nonce, sd_hash and iat checked")

    def requested(self, request: Collection[str] | None) -> None:
        if request is None:
            self.c.ok("requested", "no request given: every disclosed claim accepted")
            return
        visible = {k for k in self.claims if k not in ALWAYS_VISIBLE}
        extra = sorted(visible - set(request))
        if extra:
            self.c.fail("requested", "disclosed but not requested: " + ", ".join(extra))
        else:
            self.c.ok("requested", "disclosed ⊆ requested")


def verify_sd_jwt(
    text: str,
    trust: TrustStore,
    *,
    at: dt.datetime,
    aud: str | None = None,
    nonce: str | None = None,
    require_key_binding: bool | None = None,
    request: Collection[str] | None = None,
) -> VerificationResult:
    """Verify a compact SD-JWT (`<jwt>~<d1>~...~[<kb-jwt>]`). Key binding is required when
    `require_key_binding` says so, or — when it is None — whenever an aud or nonce is expected."""
    run = _SdJwt(trust, at)
    required = (
        (aud is not None or nonce is not None)
        if require_key_binding is None
        else require_key_binding
    )
    try:
        text = text.strip()
        text.encode("ascii")
        issuer_jwt, disclosures, kb, presented = run.split(text)
        jws = parse_compact_jws(issuer_jwt)
    except (DecodeError, UnicodeEncodeError) as exc:
        run.c.fail("structure", str(exc) if isinstance(exc, DecodeError) else "not ASCII")
        return run.c.finish(None)
    run.c.ok("structure", f"{len(disclosures)} disclosure(s), " + ("KB-JWT" if kb else "no KB-JWT"))
    alg = run.header_checks(jws)
    guarded(
        run.c,
        [
            ("issuer_signature", lambda: run.issuer(jws, alg)),
            ("disclosures", lambda: run.disclosures(jws, disclosures)),
            ("time", lambda: run.time(jws.payload)),
            ("vct", lambda: run.vct(jws)),
            (
                "key_binding",
                lambda: run.key_binding(
                    jws, kb, presented, aud=aud, nonce=nonce, required=required
                ),
            ),
            ("requested", lambda: run.requested(request)),
        ],
    )
    try:
        ref = status_reference(jws.payload)
    except DecodeError as exc:
        run.c.fail("status", str(exc))
        ref = None
    else:
        if ref is None:
            run.c.ok("status", "no status reference")
    if ref is not None:
        _status(run.c, trust, at, *ref)
    return run.c.finish(lambda: run.claims)
