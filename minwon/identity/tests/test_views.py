"""The office's mobile-ID pages and the wallet's OpenID4VP endpoints, over the test client."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from conftest import BrowserClient
from minwon.accounts.domain import Role
from minwon.accounts.models import OrgUnit, User
from minwon.identity.models import VerificationRecord, VerificationSession
from minwon.identity.simulator import SidecarSimulator, m120
from minwon.identity.tests.factories import NOW
from minwon.identity.tests.wallet import Wallet, decode_jwt_payload, request_uri_of

START = NOW + dt.timedelta(hours=2)


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(START, tick=True):
        yield


@pytest.fixture
def wallet(settings: Any, tmp_path: Path) -> Wallet:
    held = Wallet.resident_card()
    settings.IDENTITY_TRUST_DIR = str(held.write_trust(tmp_path / "trust"))
    return held


@pytest.fixture
def desk(counter_officer: User, officer_client: Callable[[User], Client]) -> Client:
    return officer_client(counter_officer)


def _start(desk: Client, purpose: str = "family_certificate", channel: str = "oid4vp") -> Any:
    response = desk.post(
        reverse("office:identity-start"),
        {"start-purpose": purpose, "start-reference": "T-9", "start-channel": channel},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return VerificationSession.objects.latest("id")


def _wallet_fetches(session: VerificationSession) -> dict[str, Any]:
    _client_id, request_uri = request_uri_of(session.qr_payload)
    response = Client().get(request_uri)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/oauth-authz-req+jwt"
    return decode_jwt_payload(response.content.decode())


def test_the_page_lists_what_each_purpose_asks_for(desk: Client) -> None:
    page = desk.get(reverse("office:identity-home"), HTTP_ACCEPT_LANGUAGE="ko")
    text = page.content.decode()
    assert page.status_code == 200
    assert "성인(만 19세 이상) 확인" in text and "만 19세 이상인지 여부만 받습니다" in text
    english = desk.get(reverse("office:identity-home"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Adult check (19 or over)" in english.content.decode()


def test_the_whole_tablet_flow_with_a_wallet(desk: Client, wallet: Wallet) -> None:
    session = _start(desk)
    assert session.response_uri == "http://testserver/identity/oid4vp/response"
    page = desk.get(reverse("office:identity-session", args=[session.pk]))
    assert page.status_code == 200
    assert b"<svg" in page.content and b'data-identity-state="pending"' in page.content

    request = _wallet_fetches(session)
    assert request["response_uri"] == session.response_uri
    # The wallet is not our browser: no session, no CSRF token.
    posted = BrowserClient().post(request["response_uri"], wallet.answer(request), csrf=False)
    assert posted.status_code == 200 and posted.json() == {}

    state = desk.get(reverse("office:identity-session-state", args=[session.pk]))
    text = state.content.decode()
    assert 'data-identity-state="showing"' in text
    assert "홍길동" in text and "900101-1******" in text and "1234567" not in text
    assert "data:image/jpeg;base64," in text
    assert state["Cache-Control"] == "no-store"

    with time_machine.travel(START + dt.timedelta(minutes=5), tick=False):
        later = desk.get(reverse("office:identity-session-state", args=[session.pk]))
    assert 'data-identity-state="cleared"' in later.content.decode()
    assert "홍길동" not in later.content.decode()


def test_a_failed_presentation_says_so_and_shows_nothing_personal(
    desk: Client, wallet: Wallet
) -> None:
    session = _start(desk, "age_over_19")
    request = _wallet_fetches(session)
    answer = wallet.answer(request, disclose_extra=("name",))
    assert Client().post(request["response_uri"], answer).status_code == 200
    text = desk.get(reverse("office:identity-session-state", args=[session.pk])).content.decode()
    assert 'data-identity-state="failed"' in text and "requested" in text
    assert "홍길동" not in text


def test_a_response_without_a_token_is_refused_and_changes_nothing(desk: Client) -> None:
    session = _start(desk)
    response = Client().post(reverse("identity:oid4vp-response"), {"state": session.state})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"
    session.refresh_from_db()
    assert session.status == "pending" and not VerificationRecord.objects.exists()
    assert Client().get(reverse("identity:oid4vp-request", args=["nope"])).status_code == 404


def test_another_officers_session_does_not_exist_for_you(
    desk: Client,
    make_officer: Callable[..., User],
    civil_unit: OrgUnit,
    officer_client: Callable[[User], Client],
) -> None:
    session = _start(desk)
    other = officer_client(make_officer("other", civil_unit, Role.COUNTER_OFFICER))
    assert other.get(reverse("office:identity-session", args=[session.pk])).status_code == 404
    admin = officer_client(make_officer("admin", civil_unit, Role.ADMINISTRATOR))
    assert admin.get(reverse("office:identity-home")).status_code == 404


def test_clearing_the_screen(desk: Client, wallet: Wallet) -> None:
    session = _start(desk, "identity")
    request = _wallet_fetches(session)
    Client().post(request["response_uri"], wallet.answer(request))
    cleared = desk.post(reverse("office:identity-session-clear", args=[session.pk]))
    assert cleared.status_code == 302
    session.refresh_from_db()
    assert session.display_sealed == ""


def test_a_bad_choice_comes_back_with_a_translated_error(desk: Client) -> None:
    response = desk.post(
        reverse("office:identity-start"),
        {"start-purpose": "", "start-channel": "oid4vp"},
        HTTP_ACCEPT_LANGUAGE="ko",
    )
    assert response.status_code == 400
    assert "확인 목적을 고르세요." in response.content.decode()
    assert not VerificationSession.objects.exists()


def test_the_scanner_path_for_the_government_mobile_id(desk: Client, settings: Any) -> None:
    with SidecarSimulator() as sidecar:
        settings.IDENTITY_MIP_SIDECAR_URL = sidecar.url
        bad = desk.post(
            reverse("office:identity-scan"),
            {"scan-purpose": "identity", "scan-m120": "mdoc:owBjMS4w"},
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert bad.status_code == 400
        assert "needs Bluetooth or NFC" in bad.content.decode()
        ok = desk.post(
            reverse("office:identity-scan"),
            {"scan-purpose": "identity", "scan-m120": m120("beef42")},
        )
        assert ok.status_code == 302
        session = VerificationSession.objects.get(mip_transaction="beef42")
        sidecar.side.present("beef42")
        state = desk.get(reverse("office:identity-session-state", args=[session.pk]))
    assert 'data-identity-state="showing"' in state.content.decode()
    assert "홍길동" in state.content.decode()


def test_a_manual_check_is_recorded_and_listed(desk: Client) -> None:
    missing = desk.post(reverse("office:identity-manual"), {"purpose": "identity"})
    assert missing.status_code == 400 and not VerificationRecord.objects.exists()
    done = desk.post(
        reverse("office:identity-manual"),
        {
            "purpose": "identity",
            "method": "visual",
            "document": "resident_card",
            "outcome": "passed",
            "reason": "phone battery empty",
            "reference": "T-3",
        },
    )
    assert done.status_code == 302
    listing = desk.get(reverse("office:identity-records"), HTTP_ACCEPT_LANGUAGE="en")
    text = listing.content.decode()
    assert "Manual check" in text and "T-3" in text and "Resident registration card" in text


def test_a_sidecar_outage_while_waiting_is_said_on_the_tablet(desk: Client, settings: Any) -> None:
    with SidecarSimulator() as sidecar:
        settings.IDENTITY_MIP_SIDECAR_URL = sidecar.url
        session = _start(desk, "identity", channel="mip")
        sidecar.side.down = True
        state = desk.get(
            reverse("office:identity-session-state", args=[session.pk]), HTTP_ACCEPT_LANGUAGE="en"
        )
    text = state.content.decode()
    assert 'data-identity-state="pending"' in text
    assert "The government mobile ID service did not answer" in text


def test_a_presentation_never_reaches_an_error_report(desk: Client) -> None:
    from django.views.debug import SafeExceptionReporterFilter

    session = _start(desk)
    response = Client().post(
        reverse("identity:oid4vp-response"), {"state": session.state, "vp_token": "{secret"}
    )
    request = response.wsgi_request
    shown = SafeExceptionReporterFilter().get_post_parameters(request)
    assert shown["vp_token"] != "{secret" and shown["state"] == session.state


def test_the_office_menu_offers_the_check_only_to_those_who_may_verify(
    desk: Client,
    make_officer: Callable[..., User],
    civil_unit: OrgUnit,
    officer_client: Callable[[User], Client],
) -> None:
    link = reverse("office:identity-home")
    assert f'href="{link}"' in desk.get(reverse("office:home")).content.decode()
    admin = officer_client(make_officer("admin", civil_unit, Role.ADMINISTRATOR))
    assert f'href="{link}"' not in admin.get(reverse("office:home")).content.decode()


def test_the_wallet_endpoints_are_throttled_per_client(db: None) -> None:
    """Public endpoints: past the per-minute allowance a client gets 429 with Retry-After."""
    from datetime import UTC, datetime

    import time_machine
    from django.core.cache import cache
    from django.test import Client

    from minwon.identity.views import WALLET_CALLS_PER_MINUTE

    cache.clear()
    client = Client(REMOTE_ADDR="198.51.100.7")
    with time_machine.travel(datetime(2026, 3, 9, 1, 0, 1, tzinfo=UTC), tick=True):
        codes = [
            client.post("/identity/oid4vp/response", {"state": "nope"}).status_code
            for _ in range(WALLET_CALLS_PER_MINUTE)
        ]
        assert set(codes) == {400}  # an unknown state, refused on its merits
        refused = client.get("/identity/oid4vp/requests/nope")
        assert refused.status_code == 429 and refused["Retry-After"] == "60"
        assert refused.json()["error"] == "too_many_requests"
        other = Client(REMOTE_ADDR="198.51.100.8").get("/identity/oid4vp/requests/nope")
        assert other.status_code == 404  # another client is not affected
