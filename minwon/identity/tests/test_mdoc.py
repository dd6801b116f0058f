"""mdoc verification: the ISO 18013-5 Annex D vector, and each negative case of the test plan
rejected by the check that should reject it."""

from __future__ import annotations

import datetime as dt

import cbor2
import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec

from minwon.identity.verifier.mdoc import verify_mdoc
from minwon.identity.verifier.result import NotVerified
from minwon.identity.verifier.trust import TrustStore

from .factories import ANNEX_D, MDL, NOW, NS, hexfile, make_mdoc, make_pki, status_list_token

AT = dt.datetime(2021, 1, 1, tzinfo=dt.UTC)
RESPONSE = hexfile(ANNEX_D, "device_response.hex")
TRANSCRIPT = hexfile(ANNEX_D, "session_transcript_bytes.hex")
READER = ec.derive_private_key(
    int.from_bytes(hexfile(ANNEX_D, "ephemeral_reader_key_d.hex"), "big"), ec.SECP256R1()
)
IACA = x509.load_pem_x509_certificate((ANNEX_D / "iaca_root_cert.pem").read_bytes())
READER_ROOT = x509.load_pem_x509_certificate((ANNEX_D / "reader_root_cert.pem").read_bytes())
TRUST = TrustStore(anchors=(IACA,))


def annex_d(
    data: bytes = RESPONSE,
    *,
    at: dt.datetime = AT,
    trust: TrustStore = TRUST,
    transcript: bytes | None = TRANSCRIPT,
    reader=READER,
    **kw,
):
    return verify_mdoc(data, trust, at=at, session_transcript=transcript, reader_key=reader, **kw)


def edit(change) -> bytes:
    response = cbor2.loads(RESPONSE)
    change(response["documents"][0])
    return cbor2.dumps(response)


def test_annex_d_verifies_with_the_expected_elements() -> None:
    result = annex_d()
    assert result.valid, result.checks
    elements = result.claims[NS]
    assert elements["family_name"] == "Doe"
    assert elements["issue_date"] == "2019-10-20"
    assert elements["expiry_date"] == "2024-10-20"
    assert elements["document_number"] == "123456789"
    assert len(elements["portrait"]) > 1000
    assert elements["driving_privileges"][1]["vehicle_category_code"] == "B"
    assert set(elements) == {
        "family_name",
        "issue_date",
        "expiry_date",
        "document_number",
        "portrait",
        "driving_privileges",
    }
    assert result.credential_type == MDL
    assert result.issuer == "C=US,CN=utopia iaca"
    assert "org.iso.18013.5.1.US" not in result.claims


def _tamper_family_name(doc) -> None:
    items = doc["issuerSigned"]["nameSpaces"][NS]
    raw = items[0].value
    assert b"Doe" in raw
    items[0] = cbor2.CBORTag(24, raw.replace(b"Doe", b"Dof"))


def _rename_namespace(doc) -> None:
    ns = doc["issuerSigned"]["nameSpaces"]
    ns["org.iso.18013.5.1.KR"] = ns.pop(NS)


def _duplicate_item(doc) -> None:
    items = doc["issuerSigned"]["nameSpaces"][NS]
    items.append(items[0])


def _remove_x5chain(doc) -> None:
    doc["issuerSigned"]["issuerAuth"][1] = {}


def _remove_device_auth(doc) -> None:
    doc["deviceSigned"]["deviceAuth"] = {}


def _flip_digest(doc) -> None:
    auth = doc["issuerSigned"]["issuerAuth"]
    tagged = cbor2.loads(auth[2])
    mso = cbor2.loads(tagged.value)
    digest = bytearray(mso["valueDigests"][NS][0])
    digest[0] ^= 1
    mso["valueDigests"][NS][0] = bytes(digest)
    auth[2] = cbor2.dumps(cbor2.CBORTag(24, cbor2.dumps(mso)))


def _unknown_digest_alg(doc) -> None:
    auth = doc["issuerSigned"]["issuerAuth"]
    mso = cbor2.loads(cbor2.loads(auth[2]).value)
    mso["digestAlgorithm"] = "MD5"
    auth[2] = cbor2.dumps(cbor2.CBORTag(24, cbor2.dumps(mso)))


def _unprotected_alg_only(doc) -> None:
    auth = doc["issuerSigned"]["issuerAuth"]
    auth[0] = b""
    auth[1] = {**auth[1], 1: -7}


@pytest.mark.parametrize(
    ("change", "failing"),
    [
        pytest.param(_tamper_family_name, "value_digests", id="tampered element"),
        pytest.param(
            lambda d: d.__setitem__("docType", "org.iso.18013.5.1.mDX"),
            "doc_type",
            id="swapped docType",
        ),
        pytest.param(_rename_namespace, "value_digests", id="namespace the issuer never signed"),
        pytest.param(_duplicate_item, "value_digests", id="duplicate digestID"),
        pytest.param(_remove_x5chain, "issuer_signature", id="x5chain removed"),
        pytest.param(_remove_device_auth, "device_auth", id="deviceAuth removed"),
        pytest.param(_flip_digest, "issuer_signature", id="digest flipped in the MSO"),
        pytest.param(_unknown_digest_alg, "value_digests", id="unknown digestAlgorithm"),
        pytest.param(
            _unprotected_alg_only, "issuer_signature", id="alg only in the unprotected header"
        ),
    ],
)
def test_a_changed_document_is_rejected_by_the_right_check(change, failing) -> None:
    result = annex_d(edit(change))
    assert not result.valid
    assert failing in result.failed
    with pytest.raises(NotVerified):
        _ = result.claims
    assert "claims" not in result.as_dict()


def test_tampered_element_alone_fails_only_the_digest_and_signature_of_nothing_else() -> None:
    assert annex_d(edit(_tamper_family_name)).failed == ("value_digests",)


@pytest.mark.parametrize(
    ("at", "failing"),
    [
        (dt.datetime(2020, 10, 1, 13, 0, tzinfo=dt.UTC), {"validity"}),  # before validFrom
        (dt.datetime(2021, 10, 1, 0, 0, 1, tzinfo=dt.UTC), {"certificate_chain"}),  # DS expired
        (dt.datetime(2025, 1, 1, tzinfo=dt.UTC), {"certificate_chain", "validity"}),  # today-ish
    ],
)
def test_outside_the_validity_window_it_is_rejected(at: dt.datetime, failing: set[str]) -> None:
    result = annex_d(at=at)
    assert failing <= set(result.failed)


def test_the_wrong_root_is_rejected() -> None:
    result = annex_d(trust=TrustStore(anchors=(READER_ROOT,)))
    assert result.failed == ("certificate_chain",)
    assert annex_d(trust=TrustStore()).failed == ("certificate_chain",)


def test_a_changed_session_transcript_fails_the_device_mac() -> None:
    inner = bytearray(cbor2.loads(TRANSCRIPT).value)
    inner[-1] ^= 1
    result = annex_d(transcript=cbor2.dumps(cbor2.CBORTag(24, bytes(inner))))
    assert result.failed == ("device_auth",)


def test_the_bare_session_transcript_form_is_accepted() -> None:
    assert annex_d(transcript=cbor2.loads(TRANSCRIPT).value).valid


def test_without_transcript_or_reader_key_device_auth_fails_closed() -> None:
    assert annex_d(transcript=None).failed == ("device_auth",)
    assert annex_d(reader=None).failed == ("device_auth",)
    other = ec.generate_private_key(ec.SECP256R1())
    assert annex_d(reader=other).failed == ("device_auth",)


@pytest.mark.parametrize("cut", [1, 10, 500, 3000])
def test_truncated_input_is_a_structure_failure(cut: int) -> None:
    result = annex_d(RESPONSE[:-cut])
    assert result.failed == ("structure",)


def test_trailing_bytes_are_refused() -> None:
    assert annex_d(RESPONSE + b"\x00").failed == ("structure",)


def test_returned_must_be_a_subset_of_requested() -> None:
    requested = {
        NS: [
            "family_name",
            "issue_date",
            "expiry_date",
            "document_number",
            "portrait",
            "driving_privileges",
        ]
    }
    assert annex_d(request=requested).valid
    result = annex_d(request={NS: ["family_name"]})
    assert result.failed == ("requested",)
    assert "document_number" in str(result.check("requested").detail)
    assert annex_d(doc_type="eu.europa.ec.eudi.pid.1").failed == ("doc_type",)


# ---- our own test PKI at the current date: deviceSignature (OpenID4VP) and status lists ----


def test_a_fresh_mdoc_with_device_signature_verifies() -> None:
    pki = make_pki()
    mdoc = make_mdoc(pki, {"family_name": "홍", "given_name": "길동", "age_over_19": True})
    trust = TrustStore(anchors=(pki.iaca,))
    result = verify_mdoc(mdoc.device_response, trust, at=NOW, session_transcript=mdoc.transcript)
    assert result.valid, result.checks
    assert result.claims[NS] == {"family_name": "홍", "given_name": "길동", "age_over_19": True}
    assert "deviceSignature valid" in result.check("device_auth").detail  # type: ignore[union-attr]
    other = make_mdoc(pki, {"age_over_19": True}).transcript  # another session (other nonce)
    from minwon.identity.verifier.mdoc import openid4vp_session_transcript

    replay = openid4vp_session_transcript(
        client_id="x509_san_dns:counter.example.kr",
        nonce="n-2",
        response_uri="https://counter.example.kr/r",
    )
    assert other != replay
    assert verify_mdoc(mdoc.device_response, trust, at=NOW, session_transcript=replay).failed == (
        "device_auth",
    )


def test_a_document_signer_without_the_mdl_eku_is_refused() -> None:
    pki = make_pki(ds_eku=False)
    mdoc = make_mdoc(pki, {"age_over_19": True})
    result = verify_mdoc(
        mdoc.device_response,
        TrustStore(anchors=(pki.iaca,)),
        at=NOW,
        session_transcript=mdoc.transcript,
    )
    assert result.failed == ("certificate_chain",)


def test_an_expired_mso_is_rejected() -> None:
    pki = make_pki()
    mdoc = make_mdoc(pki, {"age_over_19": True}, valid_until=NOW - dt.timedelta(seconds=1))
    result = verify_mdoc(
        mdoc.device_response,
        TrustStore(anchors=(pki.iaca,)),
        at=NOW,
        session_transcript=mdoc.transcript,
    )
    assert result.failed == ("validity",)


def _status_trust(pki, tokens):
    from minwon.identity.tests.factories import ec_jwk
    from minwon.identity.verifier.keys import jwk_public_key
    from minwon.identity.verifier.trust import PinnedKey

    def fetch(uri: str) -> str:
        return str(tokens[uri])

    return TrustStore(
        anchors=(pki.iaca,),
        issuer_keys=(PinnedKey(jwk_public_key(ec_jwk(pki.ds_key))),),
        status_fetcher=fetch,
    )


@pytest.mark.parametrize(("statuses", "ok"), [({}, True), ({412: 1}, False)])
def test_the_mso_status_list_is_checked(statuses: dict[int, int], ok: bool) -> None:
    pki = make_pki()
    uri = "https://status.example.kr/lists/1"
    mdoc = make_mdoc(pki, {"age_over_19": True}, status={"status_list": {"idx": 412, "uri": uri}})
    trust = _status_trust(pki, {uri: status_list_token(pki.ds_key, uri, statuses)})
    result = verify_mdoc(mdoc.device_response, trust, at=NOW, session_transcript=mdoc.transcript)
    assert result.valid is ok
    if not ok:
        assert result.failed == ("status",)


def test_an_unreachable_status_list_fails_closed() -> None:
    pki = make_pki()
    mdoc = make_mdoc(
        pki,
        {"age_over_19": True},
        status={"status_list": {"idx": 1, "uri": "https://status.example.kr/x"}},
    )
    result = verify_mdoc(
        mdoc.device_response, _status_trust(pki, {}), at=NOW, session_transcript=mdoc.transcript
    )
    assert result.failed == ("status",)
