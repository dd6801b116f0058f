"""The government-MIP adapter against the sidecar simulator over real HTTP (contract tests):
QR-MPM and QR-CPM, VC statuses, authentication type, claims ⊆ the service code's, outages."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import pytest

from minwon.accounts.models import User
from minwon.core import clock
from minwon.core.errors import ValidationFailed
from minwon.identity.clients import MipError, SidecarMipClient
from minwon.identity.models import VerificationRecord, VerificationSession
from minwon.identity.selectors import verification_display
from minwon.identity.services import (
    VerifierNotConfigured,
    WalletUnavailable,
    mip_session_poll,
    mip_session_start,
)
from minwon.identity.simulator import SidecarSimulator, m120


@pytest.fixture
def sidecar(settings: Any) -> Iterator[SidecarSimulator]:
    with SidecarSimulator() as simulator:
        settings.IDENTITY_MIP_SIDECAR_URL = simulator.url
        yield simulator


def _failed(session: VerificationSession) -> list[str]:
    assert session.record is not None
    return [c["name"] for c in session.record.checks if not c["ok"]]


def test_qr_mpm_shows_an_m200_and_records_the_sdks_verdict(
    counter_officer: User, sidecar: SidecarSimulator
) -> None:
    session = mip_session_start(officer=counter_officer, purpose_code="family_certificate")
    m200 = json.loads(base64.b64decode(session.qr_payload))
    assert m200["cmd"] == "M200" and m200["trxcode"] == session.mip_transaction
    assert sidecar.side.transactions[session.mip_transaction].claims == [
        "name",
        "portrait",
        "resident_number",
    ]
    assert mip_session_poll(session=session).status == "pending"  # the wallet has not answered
    sidecar.side.present(session.mip_transaction)
    answered = mip_session_poll(session=session)
    assert answered.record is not None and answered.record.outcome == "valid"
    assert answered.record.channel == "mip"
    assert answered.record.issuer == "did:kr:mobileid:simulator"
    assert answered.record.claim_names == ["name", "resident_number"]
    shown = verification_display(answered, now=clock.now())
    assert shown == {"name": "홍길동", "rrn": "900101-1******"}


@pytest.mark.parametrize(
    ("answer", "failing"),
    [
        ({"vc_status": "NEED_RENEW", "memo": "주소변경"}, []),
        ({"vc_status": "NEED_RENEW", "memo": "유효기간"}, ["vc_status"]),
        ({"vc_status": "PAUSE"}, ["vc_status"]),
        ({"vc_status": "REMOVE"}, ["vc_status"]),
        ({"vc_status": "NOT_EXIST"}, ["vc_status"]),
        ({"vc_status": "SOMETHING_NEW"}, ["vc_status"]),
        ({"auth_type": "none"}, ["auth_type"]),
        ({"sdk_verified": False}, ["sidecar"]),
        ({"claims": {"name": "홍길동", "address": "파주"}}, ["requested"]),
        ({"claims": {"name": "홍길동", "ci": "x" * 88}}, ["requested"]),
        ({"error": "M900"}, ["sidecar"]),
    ],
)
def test_the_sidecars_answer_is_checked_against_policy(
    counter_officer: User, sidecar: SidecarSimulator, answer: dict[str, Any], failing: list[str]
) -> None:
    session = mip_session_start(officer=counter_officer, purpose_code="identity")
    sidecar.side.present(session.mip_transaction, **answer)
    answered = mip_session_poll(session=session)
    assert _failed(answered) == failing
    assert answered.record is not None
    assert answered.record.outcome == ("valid" if not failing else "invalid")
    if failing:
        assert verification_display(answered, now=clock.now()) is None


def test_qr_cpm_joins_the_transaction_the_citizens_app_shows(
    counter_officer: User, sidecar: SidecarSimulator
) -> None:
    session = mip_session_start(
        officer=counter_officer, purpose_code="age_over_19", m120=m120("cafe0123") + "\n"
    )
    assert session.kind == "mip_cpm" and session.mip_transaction == "cafe0123"
    sidecar.side.present("cafe0123")
    answered = mip_session_poll(session=session)
    assert verification_display(answered, now=clock.now()) == {"age_over_19": True}


@pytest.mark.parametrize(
    ("scanned", "code"),
    [
        ("", "m120_empty"),
        ("mdoc:owBjMS4wAYIB2BhYS6QBAiABIVgg", "m120_iso_proximity"),
        ("openid4vp://?client_id=x&request_uri=y", "m120_verifier_request"),
        ("hello world", "m120_not_m120"),
        (base64.b64encode(b'{"mode": "proxy"}').decode(), "m120_not_m120"),
    ],
)
def test_a_scan_that_is_not_an_m120_is_refused_and_changes_nothing(
    counter_officer: User, sidecar: SidecarSimulator, scanned: str, code: str
) -> None:
    with pytest.raises(ValidationFailed) as error:
        mip_session_start(officer=counter_officer, purpose_code="identity", m120=scanned)
    assert error.value.code == code and error.value.field == "m120"
    assert not VerificationSession.objects.exists() and not sidecar.side.transactions


def test_an_unreachable_sidecar_is_unavailable_not_a_verdict(
    counter_officer: User, sidecar: SidecarSimulator
) -> None:
    sidecar.side.down = True
    with pytest.raises(WalletUnavailable):
        mip_session_start(officer=counter_officer, purpose_code="identity")
    assert not VerificationSession.objects.exists()


def test_a_stalled_sidecar_times_out() -> None:
    with SidecarSimulator() as simulator:
        simulator.side.delay_seconds = 1.0
        client = SidecarMipClient(simulator.url, timeout=0.2)
        with pytest.raises(MipError):
            client.start(service_code="identity", claims=["name"])


def test_without_a_sidecar_the_channel_is_off(counter_officer: User, settings: Any) -> None:
    settings.IDENTITY_MIP_SIDECAR_URL = ""
    with pytest.raises(VerifierNotConfigured):
        mip_session_start(officer=counter_officer, purpose_code="identity")
    assert not VerificationRecord.objects.exists()


def test_the_sidecar_client_opens_only_http_urls(tmp_path: Any) -> None:
    """bandit B310: a file: sidecar URL is refused before anything is opened."""
    client = SidecarMipClient(f"file://{tmp_path}")
    with pytest.raises(MipError, match="not http"):
        client.start(service_code="x", claims=["name"])
