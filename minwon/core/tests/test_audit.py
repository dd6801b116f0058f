import pytest
from django.db import DatabaseError, connection, transaction

from minwon.core.context import RequestOrigin, reset_origin, set_origin
from minwon.core.models import AppendOnlyError, AuditEvent
from minwon.core.selectors import audit_event_list_for_target
from minwon.core.services import audit_record


@pytest.mark.django_db
def test_audit_record_keeps_who_what_where(citizen) -> None:
    token = set_origin(RequestOrigin(ip="10.1.2.3", user_agent="pytest", channel="web"))
    try:
        event = audit_record(
            actor=citizen,
            action="complaint.registered",
            target=citizen,
            data={"receipt": "2026-000001"},
        )
    finally:
        reset_origin(token)
    event.refresh_from_db()
    assert event.actor_id == citizen.pk
    assert event.actor_label == "hong"
    assert event.action == "complaint.registered"
    assert (event.target_type, event.target_id) == ("accounts.user", str(citizen.pk))
    assert (event.ip, event.channel, event.user_agent) == ("10.1.2.3", "web", "pytest")
    assert event.data == {"receipt": "2026-000001"}
    assert (
        list(audit_event_list_for_target(target_type="accounts.user", target_id=citizen.pk))[-1]
        == event
    )


@pytest.mark.django_db
def test_audit_rows_cannot_be_changed_through_the_orm() -> None:
    event = audit_record(actor=None, action="system.started")
    event.action = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


@pytest.mark.django_db
def test_audit_rows_cannot_be_rewritten_with_raw_sql() -> None:
    event = audit_record(actor=None, action="system.started")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET action = 'tampered' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "system.started"


@pytest.mark.django_db
def test_audit_rows_cannot_be_deleted_with_raw_sql_on_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the test database on SQLite allows DELETE so the runner can empty tables")
    event = audit_record(actor=None, action="system.started")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()
