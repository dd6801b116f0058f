"""The identity services end to end, with the wallet simulator: the OpenID4VP flow (request
object, direct_post response, nonce/state, session transcript), single use, privacy of the
record, the result screen's time, manual checks and retention."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from minwon.accounts.domain import Role
from minwon.accounts.models import OrgUnit, User
from minwon.core.errors import Conflict, NotFound, ValidationFailed
from minwon.core.models import AuditEvent
from minwon.identity.models import VerificationRecord, VerificationSession
from minwon.identity.selectors import verification_display
from minwon.identity.services import (
    identity_retention_sweep,
    manual_check_record,
    oid4vp_request_object,
    oid4vp_response_accept,
    oid4vp_session_start,
    verification_display_clear,
)
from minwon.identity.tests.factories import NOW, make_pki
from minwon.identity.tests.wallet import Wallet, decode_jwt_payload, request_uri_of
from minwon.identity.verifier.jose import parse_compact_jws
from minwon.identity.verifier.keys import verify_raw_signature

RESPONSE_URI = "https://minwon.example.kr/identity/oid4vp/response"
REQUEST_PREFIX = "https://minwon.example.kr/identity/oid4vp/requests/"
START = NOW + dt.timedelta(hours=1)


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(START, tick=True):
        yield


@pytest.fixture
def trust(settings: Any, tmp_path: Path) -> Callable[[Wallet], None]:
    def configure(wallet: Wallet) -> None:
        settings.IDENTITY_TRUST_DIR = str(wallet.write_trust(tmp_path / "trust"))

    return configure


def _start(officer: User, purpose: str = "family_certificate", **kw: Any) -> VerificationSession:
    return oid4vp_session_start(
        officer=officer,
        purpose_code=purpose,
        response_uri=RESPONSE_URI,
        request_uri_prefix=REQUEST_PREFIX,
        device="counter-3",
        reference="T-17",
        **kw,
    )


def _request(session: VerificationSession) -> dict[str, Any]:
    _client_id, request_uri = request_uri_of(session.qr_payload)
    state = request_uri.rsplit("/", 1)[1]
    return decode_jwt_payload(oid4vp_request_object(state=state))


def test_a_resident_card_answers_a_family_certificate_request(
    counter_officer: User, trust: Callable[[Wallet], None]
) -> None:
    wallet = Wallet.resident_card()
    trust(wallet)
    session = _start(counter_officer)
    assert session.qr_payload.startswith("openid4vp://?client_id=redirect_uri%3A")
    request = _request(session)
    assert request["client_id"] == "redirect_uri:" + RESPONSE_URI
    assert request["response_mode"] == "direct_post"
    assert request["nonce"] == session.nonce and request["state"] == session.state
    assert [c["id"] for c in request["dcql_query"]["credentials"]] == ["resident"]

    answered = oid4vp_response_accept(**wallet.answer(request), error="")

    record = answered.record
    assert record is not None and record.outcome == "valid", record.checks if record else None
    assert record.channel == "oid4vp_sd_jwt"
    assert record.claim_names == ["name", "portrait", "resident_number"]
    assert record.issuer == "https://issuer.example.kr"
    assert record.reference == "T-17" and record.device == "counter-3"
    shown = verification_display(answered, now=START + dt.timedelta(seconds=5))
    assert shown is not None
    assert shown["name"] == "홍길동" and shown["rrn"] == "900101-1******"
    assert shown["portrait"].startswith("data:image/jpeg;base64,")
    # Nothing the citizen disclosed is kept in clear: not in the record, not in the audit log.
    stored = json.dumps(
        [
            list(VerificationRecord.objects.values()),
            list(AuditEvent.objects.values("data")),
            list(VerificationSession.objects.values("state", "qr_payload", "display_sealed")),
        ],
        default=str,
        ensure_ascii=False,
    )
    for value in ("홍길동", "1234567", "900101", "파주시", "/9j/"):
        assert value not in stored


def test_a_driving_licence_answers_an_identity_request_with_its_device_signature(
    counter_officer: User, trust: Callable[[Wallet], None]
) -> None:
    wallet = Wallet.driving_licence()
    trust(wallet)
    session = _start(counter_officer, "identity")
    answered = oid4vp_response_accept(**wallet.answer(_request(session)), error="")
    record = answered.record
    assert record is not None
    assert record.outcome == "valid", record.checks
    assert record.channel == "oid4vp_mdoc"
    assert {c["name"] for c in record.checks} >= {"device_auth", "certificate_chain", "requested"}
    shown = verification_display(answered, now=START)
    assert shown is not None and shown["name"] == "홍길동" and "rrn" not in shown


def test_the_request_is_single_use(counter_officer: User, trust: Callable[[Wallet], None]) -> None:
    wallet = Wallet.resident_card()
    trust(wallet)
    request = _request(_start(counter_officer))
    oid4vp_response_accept(**wallet.answer(request), error="")
    with pytest.raises(Conflict):
        oid4vp_response_accept(**wallet.answer(request), error="")
    assert VerificationRecord.objects.count() == 1


def test_a_presentation_made_for_another_request_fails_key_binding(
    counter_officer: User, trust: Callable[[Wallet], None]
) -> None:
    wallet = Wallet.resident_card()
    trust(wallet)
    first = _request(_start(counter_officer))
    second = _request(_start(counter_officer))
    stolen = wallet.answer(first)  # bound to the first request's nonce
    answered = oid4vp_response_accept(vp_token=stolen["vp_token"], state=second["state"], error="")
    assert answered.record is not None and answered.record.outcome == "invalid"
    failed = [c for c in answered.record.checks if not c["ok"]]
    assert [c["name"] for c in failed] == ["key_binding"]
    assert verification_display(answered, now=START) is None


def test_an_mdoc_bound_to_another_request_fails_device_auth(
    counter_officer: User, trust: Callable[[Wallet], None]
) -> None:
    wallet = Wallet.driving_licence()
    trust(wallet)
    first = _request(_start(counter_officer, "identity"))
    second = _request(_start(counter_officer, "identity"))
    answered = oid4vp_response_accept(
        vp_token=wallet.answer(first)["vp_token"], state=second["state"], error=""
    )
    assert answered.record is not None
    assert [c["name"] for c in answered.record.checks if not c["ok"]] == ["device_auth"]


def test_a_wallet_that_discloses_more_than_asked_is_refused(
    counter_officer: User, trust: Callable[[Wallet], None]
) -> None:
    wallet = Wallet.resident_card()
    trust(wallet)
    request = _request(_start(counter_officer, "age_over_19"))
    answered = oid4vp_response_accept(
        **wallet.answer(request, disclose_extra=("address",)), error=""
    )
    assert answered.record is not None and answered.record.outcome == "invalid"
    assert [c["name"] for c in answered.record.checks if not c["ok"]] == ["requested"]
    assert answered.record.claim_names == []  # nothing from a failed presentation
    assert verification_display(answered, now=START) is None


def test_an_issuer_the_city_does_not_trust_is_refused(
    counter_officer: User, trust: Callable[[Wallet], None]
) -> None:
    trust(Wallet.resident_card())  # another issuer key
    request = _request(_start(counter_officer))
    answered = oid4vp_response_accept(**Wallet.resident_card().answer(request), error="")
    assert answered.record is not None and answered.record.outcome == "invalid"
    assert "issuer_signature" in [c["name"] for c in answered.record.checks if not c["ok"]]


def test_a_malformed_vp_token_is_recorded_invalid(counter_officer: User) -> None:
    request = _request(_start(counter_officer))
    answered = oid4vp_response_accept(vp_token="{not json", state=request["state"], error="")
    assert answered.record is not None and answered.record.channel == "oid4vp"
    assert answered.record.checks[0]["name"] == "structure"


def test_a_response_with_neither_token_nor_error_changes_nothing(counter_officer: User) -> None:
    session = _start(counter_officer)
    with pytest.raises(ValidationFailed):
        oid4vp_response_accept(vp_token=None, state=session.state, error="")
    session.refresh_from_db()
    assert session.status == "pending" and not VerificationRecord.objects.exists()


def test_the_wallets_refusal_is_recorded(counter_officer: User) -> None:
    session = _start(counter_officer)
    answered = oid4vp_response_accept(vp_token=None, state=session.state, error="access_denied")
    assert answered.record is not None and answered.record.outcome == "wallet_error"


def test_unknown_and_expired_requests(
    counter_officer: User, trust: Callable[[Wallet], None]
) -> None:
    with pytest.raises(NotFound):
        oid4vp_response_accept(vp_token="{}", state="nope", error="")
    wallet = Wallet.resident_card()
    trust(wallet)
    session = _start(counter_officer)
    request = _request(session)
    with time_machine.travel(START + dt.timedelta(minutes=6), tick=False):
        with pytest.raises(NotFound):
            oid4vp_request_object(state=session.state)
        with pytest.raises(Conflict):
            oid4vp_response_accept(**wallet.answer(request), error="")


def test_a_configured_certificate_signs_the_request_and_names_the_client(
    counter_officer: User, trust: Callable[[Wallet], None], settings: Any, tmp_path: Path
) -> None:
    pki = make_pki(cn="minwon.example.kr", san_dns="minwon.example.kr", ds_eku=False)
    cert, key = tmp_path / "verifier.pem", tmp_path / "verifier.key"
    cert.write_bytes(pki.ds.public_bytes(serialization.Encoding.PEM))
    key.write_bytes(
        pki.ds_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    settings.IDENTITY_VERIFIER_CERT, settings.IDENTITY_VERIFIER_KEY = str(cert), str(key)
    wallet = Wallet.resident_card()
    trust(wallet)
    session = _start(counter_officer)
    token = oid4vp_request_object(state=session.state)
    jws = parse_compact_jws(token)
    assert jws.header["alg"] == "ES256" and jws.header["typ"] == "oauth-authz-req+jwt"
    leaf = x509.load_der_x509_certificate(__import__("base64").b64decode(jws.header["x5c"][0]))
    public = leaf.public_key()
    assert isinstance(public, ec.EllipticCurvePublicKey)
    assert verify_raw_signature("ES256", public, jws.signature, jws.signing_input)
    assert jws.payload["client_id"] == "x509_san_dns:minwon.example.kr"
    answered = oid4vp_response_accept(**wallet.answer(dict(jws.payload)), error="")
    assert answered.record is not None and answered.record.outcome == "valid"


def test_the_result_screen_clears_itself_and_on_demand(
    counter_officer: User, trust: Callable[[Wallet], None]
) -> None:
    wallet = Wallet.resident_card()
    trust(wallet)
    answered = oid4vp_response_accept(**wallet.answer(_request(_start(counter_officer))), error="")
    assert verification_display(answered, now=START + dt.timedelta(seconds=119)) is not None
    assert verification_display(answered, now=START + dt.timedelta(seconds=121)) is None
    cleared = verification_display_clear(officer=counter_officer, session=answered)
    assert cleared.display_sealed == "" and verification_display(cleared, now=START) is None


def test_retention_erases_screens_and_deletes_records_after_the_purposes_days(
    counter_officer: User, trust: Callable[[Wallet], None]
) -> None:
    wallet = Wallet.resident_card()
    trust(wallet)
    answered = oid4vp_response_accept(
        **wallet.answer(_request(_start(counter_officer, "age_over_19"))), error=""
    )
    pending = _start(counter_officer, "identity")
    counts = identity_retention_sweep(now=START + dt.timedelta(minutes=10))
    assert counts["displays_erased"] == 1 and counts["sessions_expired"] == 1
    answered.refresh_from_db()
    pending.refresh_from_db()
    assert answered.display_sealed == "" and pending.status == "expired"
    assert VerificationRecord.objects.count() == 1
    counts = identity_retention_sweep(now=START + dt.timedelta(days=31))
    assert counts["records_deleted"] == 1 and counts["sessions_deleted"] == 2
    assert identity_retention_sweep(now=START + dt.timedelta(days=31)) == {
        "displays_erased": 0,
        "sessions_expired": 0,
        "sessions_deleted": 0,
        "records_deleted": 0,
    }


def test_a_manual_check_records_what_was_checked_and_by_whom(counter_officer: User) -> None:
    with pytest.raises(ValidationFailed) as error:
        manual_check_record(
            officer=counter_officer,
            purpose_code="identity",
            method="telepathy",
            document="resident_card",
            passed=True,
        )
    assert error.value.field == "method"
    assert not VerificationRecord.objects.exists()
    record = manual_check_record(
        officer=counter_officer,
        purpose_code="identity",
        method="verifier_app",
        document="mobile_id",
        passed=True,
        reason="wallet could not reach the network",
        reference="T-18",
    )
    assert record.channel == "manual" and record.outcome == "valid"
    assert record.officer == counter_officer and record.claim_names == []
    event = AuditEvent.objects.get(action="identity.manual_check")
    assert event.data["method"] == "verifier_app" and event.actor_id == counter_officer.pk


def test_only_officers_who_serve_citizens_may_verify(
    make_officer: Callable[..., User], civil_unit: OrgUnit
) -> None:
    admin = make_officer("admin", civil_unit, Role.ADMINISTRATOR)
    with pytest.raises(NotFound):
        _start(admin)
    with pytest.raises(ValidationFailed):
        _start(make_officer("desk", civil_unit, Role.COUNTER_OFFICER), "no_such_purpose")
