"""Issue 13 item 12: a user's e-mail address is stored only encrypted, with a blind index; a
citizen's user name is no personal data (they log in with their e-mail address or mobile
number, found by its index); an officer logs in with the user name exactly as given to them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client

from minwon.accounts.domain import Role, VerificationChannel, VerificationPurpose
from minwon.accounts.models import CITIZEN_USERNAME_PREFIX, OrgUnit, User, email_index
from minwon.accounts.services import (
    address_in_use,
    citizen_register,
    citizen_signup_complete,
    login_account,
    verification_code_issue,
)
from minwon.core import crypto
from minwon.core.errors import ValidationFailed
from minwon.core.models import AuditEvent
from tests.constants import PASSWORD
from tests.factories import citizen_make

EMAIL = "Hong.Gildong@Example.kr"


def _raw(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")
        return " ".join(str(v) for row in cursor.fetchall() for v in row).lower()


def _signed_up(address: str) -> User:
    issued = verification_code_issue(
        purpose=VerificationPurpose.SIGNUP, address=address, client_ip="203.0.113.5"
    )
    return citizen_signup_complete(
        verification_id=issued.verification.pk,
        code=issued.code,
        name="김민원",
        password=PASSWORD,
        password_again=PASSWORD,
    )


def test_a_users_email_is_encrypted_and_found_by_its_blind_index(db: None) -> None:
    user = citizen_make(email=EMAIL)
    assert "example.kr" not in _raw("accounts_user") and "gildong" not in _raw("accounts_user")
    stored = User.objects.get(pk=user.pk)
    assert stored.email == EMAIL and crypto.decrypt(stored.email_encrypted) == EMAIL
    # The lookups by address, in any case.
    assert address_in_use(VerificationChannel.EMAIL, "hong.gildong@example.kr")
    assert not address_in_use(VerificationChannel.EMAIL, "other@example.kr")
    assert User.objects.get(email_index=email_index("HONG.GILDONG@EXAMPLE.KR")) == stored
    stored.email = ""
    assert (stored.email_encrypted, stored.email_index) == ("", "")


def test_a_signed_up_citizen_has_no_address_as_user_name_and_logs_in_with_it(
    client: Client, db: None
) -> None:
    by_mail = _signed_up("Kim.Minwon@Example.kr")
    by_phone = _signed_up("010-2222-3333")
    for user in (by_mail, by_phone):
        assert user.username.startswith(CITIZEN_USERNAME_PREFIX) and len(user.username) == 18
    raw = _raw("accounts_user")
    assert "kim.minwon" not in raw and "22223333" not in raw and "2222-3333" not in raw
    assert (by_mail.email, by_phone.phone) == ("kim.minwon@example.kr", "01022223333")
    # The audit names the account by its user name: no address in the record either.
    assert "kim.minwon" not in _raw("core_auditevent")
    for typed in ("KIM.minwon@example.KR", " kim.minwon@example.kr ", "010 2222 3333"):
        fresh = Client()
        response = fresh.post("/accounts/login/", {"username": typed, "password": PASSWORD})
        assert response.status_code == 302, typed
        assert fresh.get("/my/").status_code == 200
    # Signing up again with the same address is refused (its index is in use).
    assert address_in_use(VerificationChannel.EMAIL, "kim.minwon@example.kr")
    assert address_in_use(VerificationChannel.PHONE, "01022223333")


def test_an_officer_logs_in_with_a_mixed_case_user_name_even_if_it_looks_like_an_address(
    client: Client, make_officer: Callable[..., User], road_unit: OrgUnit
) -> None:
    # Before: every e-mail-like name was lower-cased at login, so this officer could not log in.
    make_officer("Kim.Lee@Paju.go.kr", road_unit, Role.DEPARTMENT_OFFICER)
    make_officer("ParkSJ", road_unit, Role.DEPARTMENT_OFFICER)
    for name in ("Kim.Lee@Paju.go.kr", "ParkSJ"):
        response = Client().post("/accounts/login/", {"username": name, "password": PASSWORD})
        assert (response.status_code, response["Location"]) == (302, "/accounts/otp/"), name
    # The name as given, not another spelling of it.
    assert login_account("parksj") is None
    wrong_case = client.post(
        "/accounts/login/", {"username": "kim.lee@paju.go.kr", "password": PASSWORD}
    )
    assert wrong_case.status_code == 400


def test_a_failed_login_by_address_keeps_the_address_out_of_the_record(
    client: Client, db: None
) -> None:
    user = citizen_make(email=EMAIL)
    client.post("/accounts/login/", {"username": EMAIL, "password": "wrong-password-1"})
    client.post("/accounts/login/", {"username": "nobody@example.kr", "password": "wrong-pw-2"})
    rows = list(AuditEvent.objects.filter(action="user.login_failed").order_by("pk"))
    assert [r.target_id for r in rows] == [user.username, ""]
    assert "example.kr" not in _raw("core_auditevent")


def test_every_spelling_of_an_address_counts_against_one_account(client: Client, db: None) -> None:
    citizen_make(email=EMAIL)
    for typed in ("hong.gildong@example.kr", "HONG.GILDONG@EXAMPLE.KR") * 3:
        client.post("/accounts/login/", {"username": typed, "password": "wrong-password-1"})
    locked = client.post("/accounts/login/", {"username": EMAIL, "password": PASSWORD})
    assert locked.status_code == 429


def test_a_citizen_user_name_may_not_be_an_address(db: None) -> None:
    for name in ("kim@example.kr", "010-1234-5678", "01012345678"):
        with pytest.raises(ValidationFailed) as refused:
            citizen_register(username=name, password=PASSWORD, name="김민원")
        assert refused.value.field == "username"
    assert not User.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_emails_and_moves_addresses_out_of_user_names() -> None:
    from django.db.migrations.executor import MigrationExecutor

    from minwon.accounts.models import phone_index

    before = [("accounts", "0010_security_desk_role")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("accounts", "User")
    old.objects.create(username="kim@example.kr", email="kim@example.kr", kind="citizen")
    old.objects.create(
        username="01022223333",
        kind="citizen",
        phone_encrypted=crypto.encrypt("01022223333"),
        phone_index=phone_index("01022223333"),
    )
    old.objects.create(username="hong", email="Hong@Example.kr", kind="citizen")
    old.objects.create(username="Kim.Lee@Paju.go.kr", email="kim.lee@paju.go.kr", kind="officer")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    raw = _raw("accounts_user")
    assert "kim@example.kr" not in raw and "01022223333" not in raw and "hong@" not in raw
    kim = login_account("Kim@Example.kr")
    by_phone = login_account("010-2222-3333")
    assert kim is not None and by_phone is not None
    assert kim.username.startswith(CITIZEN_USERNAME_PREFIX) and kim.email == "kim@example.kr"
    assert by_phone.username.startswith(CITIZEN_USERNAME_PREFIX) and by_phone.email == ""
    assert User.objects.get(username="hong").email == "Hong@Example.kr"  # a chosen name stays
    officer = User.objects.get(username="Kim.Lee@Paju.go.kr")  # officers' names are theirs
    assert officer.email == "kim.lee@paju.go.kr"

    # Reversible: the clear column and the address user names come back.
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    with connection.cursor() as cursor:
        cursor.execute("SELECT username, email FROM accounts_user ORDER BY id")
        assert cursor.fetchall() == [
            ("kim@example.kr", "kim@example.kr"),
            ("01022223333", ""),
            ("hong", "Hong@Example.kr"),
            ("Kim.Lee@Paju.go.kr", "kim.lee@paju.go.kr"),
        ]
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
