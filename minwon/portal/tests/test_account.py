"""Sign-up and password reset with a one-time code through the notification outbox (issue 11
item 2): the code arrives on the demo's recording channel, is stored only as a keyed hash (and
encrypted in the outbox), expires, is single-use and attempt-limited, sending is throttled per
address and per client, and the answer never says whether an address has an account."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.test import Client

from minwon.accounts.domain import CODE_MAX_ATTEMPTS, CODE_SENDS_PER_ADDRESS
from minwon.accounts.models import User, VerificationCode, email_index, phone_index
from minwon.accounts.services import password_reset_complete
from minwon.core import clock
from minwon.core.errors import ValidationFailed
from minwon.core.models import AuditEvent
from minwon.notifications.channels.recording import recorded_messages
from minwon.notifications.models import Notification
from minwon.notifications.services import notification_enqueue, notifications_dispatch
from tests.constants import PASSWORD
from tests.factories import citizen_make

pytestmark = pytest.mark.django_db(transaction=True)

NEW_PASSWORD = "a-new-Password-2026"


@pytest.fixture
def mailbox(settings: Any, tmp_path: Path) -> Path:
    """The demo's local recording channel, as `minwon demo` sets it up."""
    settings.NOTIFICATIONS_RECORDING = True
    settings.EMAIL_HOST = ""
    settings.NOTIFICATIONS_RECORDING_FILE = str(tmp_path / "messages.jsonl")
    return tmp_path / "messages.jsonl"


def _delivered_code(mailbox: Path, to: str) -> str:
    notifications_dispatch()
    for message in recorded_messages(mailbox):
        if message["to"] == to:
            found = re.search(r"\b(\d{6})\b", str(message["subject"]) + str(message["body"]))
            assert found, message
            return found.group(1)
    raise AssertionError(f"nothing was delivered to {to}")


def _signup_form(code: str, **extra: str) -> dict[str, str]:
    return {
        "code": code,
        "name": "김민원",
        "password": NEW_PASSWORD,
        "password_again": NEW_PASSWORD,
    } | extra


def test_signup_by_email_code_from_the_recording_channel_opens_my_complaints(
    client: Client, mailbox: Path
) -> None:
    response = client.post("/signup/", {"address": "Kim@Example.kr"})
    assert response.status_code == 302
    assert response["Location"] == "/signup/code/"
    code = _delivered_code(mailbox, "kim@example.kr")

    # the code is nowhere in clear: neither in the code table nor in the outbox
    verification = VerificationCode.objects.get()
    assert code not in verification.code_hash
    assert "kim@example.kr" not in verification.address_encrypted
    notification = Notification.objects.get(event="signup_code")
    assert code not in str(notification.context)

    response = client.post("/signup/code/", _signup_form(code))
    assert response.status_code == 302
    assert response["Location"] == "/my/"
    user = User.objects.get(email_index=email_index("kim@example.kr"))
    assert (user.email, user.name, user.kind) == ("kim@example.kr", "김민원", "citizen")
    assert client.get("/my/").status_code == 200  # logged in: 나의 민원
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"user.verification_code_issued", "user.citizen_signed_up"} <= actions

    # single use: the same code cannot make a second account
    other = Client()
    other.post("/signup/", {"address": "kim2@example.kr"})
    session = other.session
    session["portal_signup_verification"] = verification.pk
    session.save()
    again = other.post("/signup/code/", _signup_form(code, name="다른 사람"))
    assert again.status_code == 400
    assert User.objects.filter(kind="citizen").count() == 1


def test_signup_by_phone_arrives_as_kakaotalk_and_login_takes_the_number_as_typed(
    client: Client, mailbox: Path
) -> None:
    client.post("/signup/", {"address": "010-2222-3333"})
    code = _delivered_code(mailbox, "01022223333")
    assert recorded_messages(mailbox)[0]["channel"] == "alimtalk"
    client.post("/signup/code/", _signup_form(code))
    assert User.objects.get(phone_index=phone_index("01022223333")).phone == "01022223333"
    fresh = Client()
    response = fresh.post(
        "/accounts/login/", {"username": "010 2222 3333", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert fresh.get("/my/").status_code == 200


def test_signup_for_an_address_with_an_account_answers_the_same_and_sends_no_code(
    client: Client, mailbox: Path
) -> None:
    citizen_make(email="hong@example.kr")
    taken = client.post("/signup/", {"address": "hong@example.kr"})
    taken_page = client.get("/signup/code/").content.decode()
    fresh = Client()
    free = fresh.post("/signup/", {"address": "new@example.kr"})
    free_page = fresh.get("/signup/code/").content.decode()
    assert (taken.status_code, taken["Location"]) == (free.status_code, free["Location"])
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
    assert strip.sub("", taken_page) == strip.sub("", free_page)

    notifications_dispatch()
    to_hong = [m for m in recorded_messages(mailbox) if m["to"] == "hong@example.kr"]
    assert len(to_hong) == 1
    assert not re.search(r"\b\d{6}\b", str(to_hong[0]["body"]))  # "you already have an account"
    [to_address] = [n for n in Notification.objects.all() if n.email == "hong@example.kr"]
    assert to_address.event == "signup_address_taken"  # the address is stored encrypted
    # whatever is typed, no second account with that address
    response = client.post("/signup/code/", _signup_form("000000"))
    assert response.status_code == 400
    assert User.objects.filter(email_index=email_index("hong@example.kr")).count() == 1


def test_a_code_is_spent_after_five_wrong_tries(client: Client, mailbox: Path) -> None:
    client.post("/signup/", {"address": "kim@example.kr"})
    code = _delivered_code(mailbox, "kim@example.kr")
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(CODE_MAX_ATTEMPTS):
        response = client.post("/signup/code/", _signup_form(wrong))
        assert response.status_code == 400
        assert "인증번호가 맞지 않거나" in response.content.decode()
    assert client.post("/signup/code/", _signup_form(code)).status_code == 400
    assert not User.objects.filter(email_index=email_index("kim@example.kr")).exists()
    assert VerificationCode.objects.get().attempts == CODE_MAX_ATTEMPTS + 1


def test_a_code_expires_after_ten_minutes(client: Client, mailbox: Path) -> None:
    client.post("/signup/", {"address": "kim@example.kr"})
    code = _delivered_code(mailbox, "kim@example.kr")
    with time_machine.travel(clock.now() + timedelta(minutes=11)):
        response = client.post("/signup/code/", _signup_form(code))
    assert response.status_code == 400
    assert not User.objects.filter(email_index=email_index("kim@example.kr")).exists()


def test_a_weak_password_changes_nothing_and_costs_no_try(client: Client, mailbox: Path) -> None:
    client.post("/signup/", {"address": "kim@example.kr"})
    code = _delivered_code(mailbox, "kim@example.kr")
    response = client.post(
        "/signup/code/", _signup_form(code, password="12345", password_again="12345")
    )
    assert response.status_code == 400
    assert 'id="password-error"' in response.content.decode()
    assert VerificationCode.objects.get().attempts == 0
    response = client.post("/signup/code/", _signup_form(code, password_again="different-1234"))
    assert 'id="password_again-error"' in response.content.decode()
    assert client.post("/signup/code/", _signup_form(code)).status_code == 302


def test_sending_is_throttled_per_address_the_same_with_or_without_an_account(
    mailbox: Path,
) -> None:
    citizen_make(email="hong@example.kr")
    for address in ("hong@example.kr", "nobody@example.kr"):
        for number in range(CODE_SENDS_PER_ADDRESS):
            # a fresh client address each time: only the address's own limit is reached
            client = Client(REMOTE_ADDR=f"10.0.{number}.1")
            assert client.post("/signup/", {"address": address}).status_code == 302
        refused = Client(REMOTE_ADDR="10.9.9.9").post("/signup/", {"address": address})
        assert refused.status_code == 429
        assert "인증번호 요청이 너무 많습니다" in refused.content.decode()


def test_sending_is_throttled_per_client(mailbox: Path) -> None:
    client = Client(REMOTE_ADDR="10.1.1.1")
    statuses = [
        client.post("/password-reset/", {"address": f"p{n}@example.kr"}).status_code
        for n in range(11)
    ]
    assert statuses == [302] * 10 + [429]


def test_password_reset_by_phone_ends_other_sessions_and_is_single_use(
    client: Client, mailbox: Path
) -> None:
    hong = citizen_make(phone="010-1234-5678")
    signed_in = Client()
    signed_in.force_login(hong)
    assert signed_in.get("/my/").status_code == 200

    response = client.post("/password-reset/", {"address": "+82 10-1234-5678"})
    assert response["Location"] == "/password-reset/code/"
    code = _delivered_code(mailbox, "01012345678")
    form = {"code": code, "password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    response = client.post("/password-reset/code/", form)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"

    hong.refresh_from_db()
    assert hong.check_password(NEW_PASSWORD)
    assert not hong.check_password(PASSWORD)
    assert signed_in.get("/my/").status_code == 302  # the old session was signed out
    assert AuditEvent.objects.filter(action="user.password_reset").count() == 1

    # single use: the code does not work twice
    with pytest.raises(ValidationFailed):
        password_reset_complete(
            verification_id=VerificationCode.objects.get().pk,
            code=code,
            password="another-Password-77",
            password_again="another-Password-77",
        )
    hong.refresh_from_db()
    assert hong.check_password(NEW_PASSWORD)


def test_password_reset_for_an_unknown_address_sends_nothing_and_answers_the_same(
    client: Client, mailbox: Path
) -> None:
    citizen_make(email="hong@example.kr")
    unknown = client.post("/password-reset/", {"address": "nobody@example.kr"})
    known = Client().post("/password-reset/", {"address": "hong@example.kr"})
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert not [n for n in Notification.objects.all() if n.email == "nobody@example.kr"]
    response = client.post(
        "/password-reset/code/",
        {"code": "123456", "password": NEW_PASSWORD, "password_again": NEW_PASSWORD},
    )
    assert response.status_code == 400
    assert "인증번호가 맞지 않거나" in response.content.decode()


def test_a_bad_address_is_refused_next_to_the_field_and_nothing_is_sent(client: Client) -> None:
    response = client.post("/signup/", {"address": "not an address"})
    assert response.status_code == 400
    assert 'id="address-error"' in response.content.decode()
    assert not VerificationCode.objects.exists()
    assert not Notification.objects.exists()


def test_code_pages_need_the_first_step(client: Client) -> None:
    assert client.get("/signup/code/")["Location"] == "/signup/"
    assert client.get("/password-reset/code/")["Location"] == "/password-reset/"


def test_a_code_never_goes_to_an_account_in_app_notice() -> None:
    hong = citizen_make()
    with pytest.raises(ValidationFailed):
        notification_enqueue(
            event="password_reset_code",
            idempotency_key="verification:x",
            context={"code": "123456"},
            recipient=hong,
        )


def test_a_phone_stored_with_hyphens_is_the_same_account_for_sign_up_and_reset(
    mailbox: Path,
) -> None:
    citizen_make(phone="010-4321-8765")
    Client().post("/signup/", {"address": "01043218765"})
    Client().post("/password-reset/", {"address": "010 4321 8765"})
    events = sorted(Notification.objects.values_list("event", flat=True))
    assert events == ["password_reset_code", "signup_address_taken"]
