"""본인확인 / 간편인증 through the provider adapter (issue 11 item 2): the simulator stands in for
PASS and the others; only the fact, the provider and the time are kept (the CI as a keyed hash)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from minwon.accounts.domain import IdentityProvider
from minwon.accounts.models import IdentityCheck, User
from minwon.accounts.providers import SimulatorProvider, identity_providers, simulator_answer
from minwon.core.models import AuditEvent
from tests.factories import citizen_make

pytestmark = pytest.mark.django_db


def _go_to_provider(client: Client) -> tuple[str, str]:
    """Start the check; return the provider page's URL and the return URL it was given."""
    response = client.post("/my/identity/simulator/start/")
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("/accounts/identity/simulator/?")
    query = parse_qs(urlsplit(location).query)
    return location, query["return_url"][0]


def _confirm(client: Client, name: str = "홍길동", birth_date: str = "1980-05-17") -> str:
    location, _ = _go_to_provider(client)
    assert client.get(location).status_code == 200
    query = parse_qs(urlsplit(location).query)
    answer = client.post(
        "/accounts/identity/simulator/",
        {
            "state": query["state"][0],
            "return_url": query["return_url"][0],
            "name": name,
            "birth_date": birth_date,
        },
    )
    assert answer.status_code == 302
    back = client.get(answer["Location"])
    assert back.status_code == 302
    return back["Location"]


def test_the_simulator_is_an_identity_provider_and_offered_outside_production() -> None:
    assert isinstance(SimulatorProvider(), IdentityProvider)
    assert [p.key for p in identity_providers()] == ["simulator"]


def test_a_confirmed_identity_keeps_the_fact_the_provider_and_the_time_only(
    citizen_client: Client, citizen: User
) -> None:
    assert _confirm(citizen_client) == "/my/identity/"
    check = IdentityCheck.objects.get(user=citizen)
    assert check.provider == "simulator"
    stored = " ".join(str(v) for v in IdentityCheck.objects.values().get().values())
    assert "홍길동" not in stored and "1980" not in stored
    ci = (
        SimulatorProvider()
        .complete(
            state="s",
            params={"answer": simulator_answer(state="s", name="홍길동", birth_date="1980-05-17")},
        )
        .ci
    )
    assert ci not in stored
    assert AuditEvent.objects.filter(action="user.identity_checked", actor_id=citizen.pk).exists()
    page = citizen_client.get("/my/identity/").content.decode()
    # 터 has no final: 로, after the aside in parentheses (한글 맞춤법: the word before it counts)
    assert "본인확인 시뮬레이터(PASS·카카오·네이버 대신)로 본인확인을 했습니다" in page
    assert "(으)로" not in page


def test_a_tampered_answer_a_foreign_state_or_a_cancel_changes_nothing(
    citizen_client: Client,
) -> None:
    _, return_url = _go_to_provider(citizen_client)
    forged = simulator_answer(state="not-the-sessions", name="홍길동", birth_date="1980-05-17")
    assert citizen_client.get(return_url, {"answer": forged}).status_code == 302
    _, return_url = _go_to_provider(citizen_client)
    assert citizen_client.get(return_url, {"answer": "garbage"}).status_code == 302
    _, return_url = _go_to_provider(citizen_client)
    assert citizen_client.get(return_url, {"cancelled": "1"}).status_code == 302
    assert not IdentityCheck.objects.exists()
    # without a started check, the return address is not found
    assert citizen_client.get(return_url, {"cancelled": "1"}).status_code == 404


def test_one_person_is_confirmed_for_one_account(citizen_client: Client) -> None:
    _confirm(citizen_client)
    other = Client()
    other.force_login(citizen_make("other", email="other@example.kr", phone="010-9999-0000"))
    _confirm(other)  # the same name and birth date: the same CI
    assert IdentityCheck.objects.count() == 1
    assert "이미 다른 계정" in other.get("/my/identity/").content.decode()


def test_the_simulator_page_refuses_a_foreign_return_address(citizen_client: Client) -> None:
    response = citizen_client.get(
        "/accounts/identity/simulator/", {"state": "x", "return_url": "https://evil.example/"}
    )
    assert response.status_code == 404


def test_identity_pages_need_a_login(client: Client) -> None:
    assert client.get("/my/identity/")["Location"].startswith("/accounts/login/")
