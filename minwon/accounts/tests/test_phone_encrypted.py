"""Issue 13 item 12: a user's phone number is stored only encrypted; the sign-up and reset
lookups by mobile number go through a blind index."""

from __future__ import annotations

import pytest
from django.db import connection

from minwon.accounts.domain import VerificationChannel
from minwon.accounts.models import User
from minwon.accounts.services import address_in_use, citizen_register
from minwon.core import crypto

PHONE = "010-9876-5432"


def _raw_users() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_user")
        return " ".join(str(v) for row in cursor.fetchall() for v in row)


def test_a_users_phone_is_encrypted_and_found_by_its_blind_index(db: None) -> None:
    user = citizen_register(
        username="kim", password="correct-horse-battery", name="김민수", phone=PHONE
    )
    raw = _raw_users()
    assert "9876" not in raw and "98765432" not in raw
    stored = User.objects.get(pk=user.pk)
    assert stored.phone == PHONE and crypto.decrypt(stored.phone_encrypted) == PHONE
    # The lookups by mobile number, whatever way the number was written.
    assert address_in_use(VerificationChannel.PHONE, "01098765432")
    assert not address_in_use(VerificationChannel.PHONE, "01011112222")
    assert User.objects.filter(phone_index=stored.phone_index).get() == stored
    stored.phone = "+82 10 9876 5432"
    assert stored.phone_index == user.phone_index  # one index for one mobile number


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_existing_phone_numbers() -> None:
    from django.db.migrations.executor import MigrationExecutor

    citizen_register(username="kim", password="correct-horse-battery", name="김민수", phone=PHONE)
    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", "0008_identitycheck")])
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM accounts_user")
        assert cursor.fetchall() == [(PHONE,)]  # as rows were before
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert User.objects.get().phone == PHONE and "9876" not in _raw_users()
    assert address_in_use(VerificationChannel.PHONE, "01098765432")
