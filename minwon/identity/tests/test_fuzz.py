"""Hypothesis fuzzing of the CBOR and JWT parsers: always a clean rejection, never a crash."""

from __future__ import annotations

import datetime as dt

import cbor2
from cryptography import x509
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minwon.identity.verifier.mdoc import verify_mdoc
from minwon.identity.verifier.sdjwt import verify_sd_jwt
from minwon.identity.verifier.trust import TrustStore

from .factories import ANNEX_D, RFC9901, hexfile

AT = dt.datetime(2021, 1, 1, tzinfo=dt.UTC)
RESPONSE = hexfile(ANNEX_D, "device_response.hex")
TRANSCRIPT = hexfile(ANNEX_D, "session_transcript_bytes.hex")
PRESENTATION = (RFC9901 / "sd_jwt_kb_presentation.txt").read_text().strip()
TRUST = TrustStore(
    anchors=(x509.load_pem_x509_certificate((ANNEX_D / "iaca_root_cert.pem").read_bytes()),)
)
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

cbor_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.binary(max_size=40)
    | st.text(max_size=20)
    | st.floats(allow_nan=True),
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(st.text(max_size=12) | st.integers(), children, max_size=5)
        | st.builds(cbor2.CBORTag, st.sampled_from([0, 1, 18, 24, 1004, 55799]), children)
    ),
    max_leaves=30,
)


def _mdoc(data: bytes) -> None:
    result = verify_mdoc(data, TRUST, at=AT, session_transcript=TRANSCRIPT)
    assert not result.valid
    assert result.checks


@FUZZ
@given(st.binary(max_size=600))
def test_random_bytes_are_rejected(data: bytes) -> None:
    _mdoc(data)


@FUZZ
@given(cbor_values)
def test_random_cbor_structures_are_rejected(value: object) -> None:
    try:
        data = cbor2.dumps(value)
    except Exception:
        return
    _mdoc(data)


@FUZZ
@given(st.integers(0, len(RESPONSE) - 1), st.integers(1, 255))
def test_one_byte_flipped_in_the_annex_d_response_is_rejected_or_still_sound(
    position: int, xor: int
) -> None:
    data = bytearray(RESPONSE)
    data[position] ^= xor
    result = verify_mdoc(bytes(data), TRUST, at=AT, session_transcript=TRANSCRIPT)
    assert result.checks  # never raises; a flip inside an unsigned, unused field may stay valid
    if result.valid:
        assert result.claims


@FUZZ
@given(cbor_values)
def test_a_random_document_inside_a_device_response_is_rejected(doc: object) -> None:
    try:
        data = cbor2.dumps({"version": "1.0", "documents": [doc], "status": 0})
    except Exception:
        return
    _mdoc(data)


@FUZZ
@given(st.text(max_size=400))
def test_random_text_as_sd_jwt_is_rejected(text: str) -> None:
    result = verify_sd_jwt(text, TrustStore(), at=AT, aud="a", nonce="n")
    assert not result.valid


@FUZZ
@given(st.integers(0, len(PRESENTATION) - 1), st.sampled_from("AZaz09-_.~=+/ é"))
def test_one_character_changed_in_the_rfc_presentation_never_crashes(
    position: int, char: str
) -> None:
    text = PRESENTATION[:position] + char + PRESENTATION[position + 1 :]
    result = verify_sd_jwt(
        text, TrustStore(), at=AT, aud="https://verifier.example.org", nonce="1234567890"
    )
    assert not result.valid  # no issuer key configured: can never be valid


@FUZZ
@given(
    st.lists(
        st.text(
            alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.",
            max_size=60,
        ),
        min_size=1,
        max_size=6,
    )
)
def test_random_base64url_segments_are_rejected(parts: list[str]) -> None:
    result = verify_sd_jwt("~".join(parts), TrustStore(), at=AT)
    assert not result.valid
