"""SD-JWT: the RFC 9901 vectors, and the negative cases of the test plan (minted with the public
example keys or with the `sd-jwt` reference implementation)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from minwon.identity.verifier.keys import jwk_public_key
from minwon.identity.verifier.result import NotVerified
from minwon.identity.verifier.sdjwt import verify_sd_jwt
from minwon.identity.verifier.trust import PinnedKey, TrustStore

from .factories import RFC9901, b64u, ec_jwk, make_sd_jwt_vc, sign_jws, status_list_token

AT = dt.datetime.fromtimestamp(1748536865, dt.UTC)
AUD, NONCE = "https://verifier.example.org", "1234567890"
PRESENTATION = (RFC9901 / "sd_jwt_kb_presentation.txt").read_text().strip()
ISSUANCE = (RFC9901 / "sd_jwt_issuance.txt").read_text().strip()
ISSUER_JWK = json.loads((RFC9901 / "issuer_public_key.jwk.json").read_text())
ISSUER_D = json.loads((RFC9901 / "issuer_private_key.jwk.json").read_text())
HOLDER_D = json.loads((RFC9901 / "holder_private_key.jwk.json").read_text())
TRUST = TrustStore(
    issuer_keys=(PinnedKey(jwk_public_key(ISSUER_JWK), iss="https://issuer.example.com"),)
)


def _private(jwk: dict) -> ec.EllipticCurvePrivateKey:  # type: ignore[type-arg]
    return ec.derive_private_key(
        int.from_bytes(base64.urlsafe_b64decode(jwk["d"] + "=="), "big"), ec.SECP256R1()
    )


ISSUER_KEY, HOLDER_KEY = _private(ISSUER_D), _private(HOLDER_D)


def rfc(
    text: str = PRESENTATION,
    *,
    at: dt.datetime = AT,
    aud: str | None = AUD,
    nonce: str | None = NONCE,
    trust: TrustStore = TRUST,
    **kw,
):
    return verify_sd_jwt(text, trust, at=at, aud=aud, nonce=nonce, **kw)


def _parts(text: str) -> tuple[dict, dict, list[str], str]:  # type: ignore[type-arg]
    jwt, *disclosures, kb = text.split("~")
    header = json.loads(base64.urlsafe_b64decode(jwt.split(".")[0] + "=="))
    payload = json.loads(base64.urlsafe_b64decode(jwt.split(".")[1] + "=="))
    return header, payload, disclosures, kb


def remint(
    *,
    header: dict[str, Any] | None = None,
    payload: dict[str, Any] | None = None,
    disclosures: list[str] | None = None,
    kb: dict[str, Any] | None = None,
    kb_header: dict[str, Any] | None = None,
) -> str:
    """Re-sign the §5.2 presentation with the public example keys after a change."""
    h, p, d, kb_jwt = _parts(PRESENTATION)
    h.update(header or {})
    p.update(payload or {})
    d = d if disclosures is None else disclosures
    jwt = sign_jws(ISSUER_KEY, h, p)
    head = jwt + "~" + "".join(x + "~" for x in d)
    kb_payload = json.loads(base64.urlsafe_b64decode(kb_jwt.split(".")[1] + "=="))
    kb_payload["sd_hash"] = b64u(hashlib.sha256(head.encode()).digest())
    kb_payload.update(kb or {})
    return head + sign_jws(
        HOLDER_KEY, {"alg": "ES256", "typ": "kb+jwt", **(kb_header or {})}, kb_payload
    )


def test_the_rfc_presentation_verifies_to_the_processed_payload() -> None:
    result = rfc()
    assert result.valid, result.checks
    assert dict(result.claims) == json.loads(
        (RFC9901 / "expected_processed_payload_presentation.json").read_text()
    )
    assert result.claims["nationalities"] == ["US"]
    assert "email" not in result.claims and "_sd" not in result.claims


def test_the_rfc_issuance_processes_all_ten_disclosures() -> None:
    result = rfc(ISSUANCE, aud=None, nonce=None)
    assert result.valid, result.checks
    assert dict(result.claims) == json.loads(
        (RFC9901 / "expected_processed_payload_issuance.json").read_text()
    )


def test_reminting_unchanged_still_verifies() -> None:
    assert rfc(remint()).valid  # so the negative cases below fail for their change only


@pytest.mark.parametrize(
    ("kwargs", "failing"),
    [
        pytest.param({"aud": "https://other.example"}, "key_binding", id="wrong aud"),
        pytest.param({"nonce": "0000"}, "key_binding", id="wrong nonce"),
        pytest.param({"at": AT + dt.timedelta(hours=1)}, "key_binding", id="stale KB iat"),
        pytest.param({"at": AT - dt.timedelta(hours=1)}, "key_binding", id="KB iat in the future"),
        pytest.param({"at": dt.datetime.fromtimestamp(1883000000, dt.UTC)}, "time", id="at exp"),
        pytest.param({"trust": TrustStore()}, "issuer_key", id="no issuer key"),
    ],
)
def test_the_rfc_presentation_is_rejected_for(kwargs: dict, failing: str) -> None:  # type: ignore[type-arg]
    result = rfc(**kwargs)
    assert failing in result.failed
    with pytest.raises(NotVerified):
        _ = result.claims


def _unreferenced() -> str:
    extra = b64u(json.dumps(["salt-salt-salt", "nickname", "Johnny"]).encode())
    _h, _p, d, _ = _parts(PRESENTATION)
    return remint(disclosures=[*d, extra])


def _flip_disclosure() -> str:
    _, _, d, _ = _parts(PRESENTATION)
    value = json.loads(base64.urlsafe_b64decode(d[0] + "=="))
    value[-1] = "Dof"
    return remint(disclosures=[b64u(json.dumps(value).encode()), *d[1:]])


def _duplicate_disclosure() -> str:
    _, _, d, _ = _parts(PRESENTATION)
    return remint(disclosures=[*d, d[0]])


def _duplicate_digest() -> str:
    _, p, _, _ = _parts(PRESENTATION)
    return remint(payload={"_sd": [*p["_sd"], p["_sd"][0]]})


def _reserved_name() -> str:
    forged = b64u(json.dumps(["salt-salt-salt", "_sd", ["x"]]).encode())
    _, p, d, _ = _parts(PRESENTATION)
    digest = b64u(hashlib.sha256(forged.encode()).digest())
    return remint(payload={"_sd": [*p["_sd"], digest]}, disclosures=[*d, forged])


def _alg_none() -> str:
    text = remint()
    jwt, rest = text.split("~", 1)
    head = b64u(json.dumps({"alg": "none", "typ": "example+sd-jwt"}).encode())
    return head + "." + jwt.split(".")[1] + ".~" + rest


def _bad_issuer_signature() -> str:
    jwt, rest = PRESENTATION.split("~", 1)
    sig = bytearray(base64.urlsafe_b64decode(jwt.split(".")[2] + "=="))
    sig[5] ^= 1
    return ".".join(jwt.split(".")[:2]) + "." + b64u(bytes(sig)) + "~" + rest


def _bad_kb_signature() -> str:
    head, _, kb = PRESENTATION.rpartition("~")
    return head + "~" + kb[:-4] + ("AAAA" if not kb.endswith("AAAA") else "BBBB")


@pytest.mark.parametrize(
    ("make", "failing"),
    [
        pytest.param(_unreferenced, "disclosures", id="unreferenced disclosure"),
        pytest.param(_flip_disclosure, "disclosures", id="tampered disclosure"),
        pytest.param(_duplicate_disclosure, "disclosures", id="the same disclosure twice"),
        pytest.param(_duplicate_digest, "disclosures", id="duplicate digest"),
        pytest.param(_reserved_name, "disclosures", id="_sd as a claim name"),
        pytest.param(_alg_none, "alg", id="alg none"),
        pytest.param(_bad_issuer_signature, "issuer_signature", id="issuer signature"),
        pytest.param(_bad_kb_signature, "key_binding", id="KB signature"),
        pytest.param(lambda: remint(kb={"sd_hash": "AAAA"}), "key_binding", id="bad sd_hash"),
        pytest.param(lambda: remint(kb_header={"typ": "jwt"}), "key_binding", id="KB typ"),
        pytest.param(lambda: remint(payload={"exp": 1600000000}), "time", id="expired"),
        pytest.param(lambda: remint(payload={"nbf": 1900000000}), "time", id="nbf in the future"),
        pytest.param(lambda: remint(payload={"iat": 1900000000}), "time", id="iat in the future"),
        pytest.param(
            lambda: remint(header={"alg": "HS256"}), "alg", id="alg outside the allow-list"
        ),
        pytest.param(
            lambda: remint(payload={"vct": "urn:other"}), "typ", id="vct without dc+sd-jwt typ"
        ),
        pytest.param(
            lambda: remint(payload={"_sd_alg": "md5"}), "disclosures", id="unknown _sd_alg"
        ),
        pytest.param(
            lambda: remint(payload={"iss": "https://evil.example"}), "issuer_key", id="other iss"
        ),
    ],
)
def test_a_forged_presentation_is_rejected_by_the_right_check(make, failing: str) -> None:
    result = rfc(make())
    assert not result.valid
    assert failing in result.failed, result.checks


def test_key_binding_required_by_policy_not_by_presence() -> None:
    stripped = PRESENTATION.rpartition("~")[0] + "~"
    assert rfc(stripped).failed == ("key_binding",)
    assert rfc(stripped, require_key_binding=True, aud=None, nonce=None).failed == ("key_binding",)
    assert rfc(stripped, aud=None, nonce=None).valid


@pytest.mark.parametrize("cut", [1, 50, 400, 1500])
def test_truncated_input_is_rejected(cut: int) -> None:
    assert not rfc(PRESENTATION[:-cut]).valid


def test_empty_and_garbage_input_is_a_structure_failure() -> None:
    for text in ("", "~", "abc", "a.b.c~", "é~", "~~~"):
        assert "structure" in rfc(text).failed or not rfc(text).valid


# ---- SD-JWT VC minted with the `sd-jwt` reference implementation --------------------------


def test_an_sd_jwt_vc_verifies_with_vct_allow_list_and_request() -> None:
    vc = make_sd_jwt_vc()
    text = vc.present({"name": True, "age_over_19": True})
    trust = vc.trust(vct_allow=frozenset({"urn:kr:mobileid:resident:1"}))
    result = verify_sd_jwt(
        text,
        trust,
        at=_now(),
        aud="https://counter.example.kr",
        nonce="n-1",
        request={"name", "age_over_19"},
    )
    assert result.valid, result.checks
    assert result.claims["name"] == "홍길동" and "resident_number" not in result.claims
    assert result.credential_type == "urn:kr:mobileid:resident:1"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def test_a_vct_outside_the_allow_list_is_rejected() -> None:
    vc = make_sd_jwt_vc(vct="urn:eudi:pid:1")
    trust = vc.trust(vct_allow=frozenset({"urn:kr:mobileid:resident:1"}))
    result = verify_sd_jwt(
        vc.present({"name": True}), trust, at=_now(), aud="https://counter.example.kr", nonce="n-1"
    )
    assert result.failed == ("vct",)


def test_disclosing_more_than_requested_is_rejected() -> None:
    vc = make_sd_jwt_vc()
    result = verify_sd_jwt(
        vc.present({"name": True, "address": True}),
        vc.trust(),
        at=_now(),
        aud="https://counter.example.kr",
        nonce="n-1",
        request={"name"},
    )
    assert result.failed == ("requested",)


def test_a_typed_vc_without_vct_and_a_plain_typ_with_vct_are_rejected() -> None:
    vc = make_sd_jwt_vc(typ="example+sd-jwt")
    result = verify_sd_jwt(
        vc.present({"name": True}),
        vc.trust(),
        at=_now(),
        aud="https://counter.example.kr",
        nonce="n-1",
    )
    assert "typ" in result.failed
    strict = TrustStore(issuer_keys=TRUST.issuer_keys, accept_plain_sd_jwt=False)
    assert verify_sd_jwt(PRESENTATION, strict, at=AT, aud=AUD, nonce=NONCE).failed == ("typ", "vct")


def test_the_status_list_is_checked() -> None:
    uri = "https://status.example.kr/1"
    for statuses, ok in (({}, True), ({7: 1}, False)):
        vc = make_sd_jwt_vc(extra={"status": {"status_list": {"idx": 7, "uri": uri}}})
        token = status_list_token(vc.issuer_key, uri, statuses, exp=_now() + dt.timedelta(hours=1))
        trust = vc.trust(status_fetcher=lambda u, t=token: t)
        result = verify_sd_jwt(
            vc.present({"name": True}),
            trust,
            at=_now(),
            aud="https://counter.example.kr",
            nonce="n-1",
        )
        assert result.valid is ok, result.checks
    # signed by someone else: rejected; unreachable: rejected
    other = ec.generate_private_key(ec.SECP256R1())
    forged = status_list_token(other, uri, {}, exp=_now() + dt.timedelta(hours=1))
    result = verify_sd_jwt(
        vc.present({"name": True}),
        vc.trust(status_fetcher=lambda u: forged),
        at=_now(),
        aud="https://counter.example.kr",
        nonce="n-1",
    )
    assert result.failed == ("status",)

    def down(uri: str) -> str:
        raise OSError("unreachable")

    result = verify_sd_jwt(
        vc.present({"name": True}),
        vc.trust(status_fetcher=down),
        at=_now(),
        aud="https://counter.example.kr",
        nonce="n-1",
    )
    assert result.failed == ("status",)


def test_x5c_issuer_key_chains_to_an_anchor_and_must_name_the_issuer() -> None:
    from cryptography.hazmat.primitives import serialization

    from .factories import make_pki

    pki = make_pki(san_dns="issuer.example.kr", ds_eku=False)
    x5c = [base64.b64encode(pki.ds.public_bytes(serialization.Encoding.DER)).decode()]
    holder = ec.generate_private_key(ec.SECP256R1())
    now = int(_now().timestamp())
    for iss, ok in (("https://issuer.example.kr", True), ("https://other.example.kr", False)):
        jwt = sign_jws(
            pki.ds_key,
            {"alg": "ES256", "typ": "dc+sd-jwt", "x5c": x5c},
            {"iss": iss, "vct": "urn:x", "iat": now, "cnf": {"jwk": ec_jwk(holder)}},
        )
        head = jwt + "~"
        kb = sign_jws(
            holder,
            {"alg": "ES256", "typ": "kb+jwt"},
            {
                "aud": "a",
                "nonce": "n",
                "iat": now,
                "sd_hash": b64u(hashlib.sha256(head.encode()).digest()),
            },
        )
        result = verify_sd_jwt(
            head + kb, TrustStore(anchors=(pki.iaca,)), at=_now(), aud="a", nonce="n"
        )
        assert result.valid is ok, result.checks
        if not ok:
            assert result.failed[0] == "issuer_key"
    result = verify_sd_jwt(
        head + kb, TrustStore(anchors=(make_pki().iaca,)), at=_now(), aud="a", nonce="n"
    )
    assert "issuer_key" in result.failed
