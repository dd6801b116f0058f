"""Issue 13 item 12: a notification's e-mail address and phone number are stored only
encrypted, and are still what the channels send to."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from minwon.core import crypto
from minwon.notifications.domain import DeliveryChannel, Event
from minwon.notifications.models import Notification
from minwon.notifications.services import notification_enqueue, notifications_dispatch
from minwon.notifications.tests.test_services import CONTEXT, NOON

EMAIL, PHONE = "kim.minsu@example.kr", "010-9876-5432"


@pytest.fixture(autouse=True)
def _at_noon(time_machine: Any) -> None:
    time_machine.move_to(NOON, tick=False)


def _raw_rows() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM notifications_notification")
        return " ".join(str(v) for row in cursor.fetchall() for v in row)


def test_contacts_are_encrypted_at_rest_and_used_for_sending(
    db: None, transports: dict[DeliveryChannel, Any], provider: Any, smtp: Any
) -> None:
    notification = notification_enqueue(
        event=Event.COMPLAINT_REGISTERED,
        idempotency_key="registered:contact",
        context=CONTEXT,
        email=EMAIL,
        phone=PHONE,
    )
    raw = _raw_rows()
    assert EMAIL not in raw and "9876" not in raw
    stored = Notification.objects.get(pk=notification.pk)
    assert crypto.decrypt(stored.email_encrypted) == EMAIL
    assert (stored.email, stored.phone) == (EMAIL, PHONE)
    assert notifications_dispatch(now=NOON, transports=transports).delivered >= 2
    assert [m.rcpt_tos for m in smtp.messages] == [[EMAIL]]
    assert [c["to"] for c in provider.recorder.requests] == ["01098765432"]


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_existing_rows() -> None:
    from django.db.migrations.executor import MigrationExecutor

    notification_enqueue(
        event=Event.COMPLAINT_REGISTERED,
        idempotency_key="registered:old",
        context=CONTEXT,
        email=EMAIL,
        phone=PHONE,
    )
    executor = MigrationExecutor(connection)
    executor.migrate([("notifications", "0006_account_code_events")])
    with connection.cursor() as cursor:
        cursor.execute("SELECT email, phone FROM notifications_notification")
        assert cursor.fetchall() == [(EMAIL, PHONE)]  # as rows were before
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    stored = Notification.objects.get()
    assert (stored.email, stored.phone) == (EMAIL, PHONE)
    assert EMAIL not in _raw_rows()
