"""The outbox end to end through services, with real SMTP and HTTP servers on loopback."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db import connection, transaction
from django.utils import translation

from minwon.accounts.domain import Role
from minwon.accounts.models import OrgUnit, User
from minwon.core.errors import PermissionDenied, ValidationFailed
from minwon.core.models import AuditEvent
from minwon.notifications.domain import MAX_ATTEMPTS, SEOUL, DeliveryChannel, DeliveryStatus, Event
from minwon.notifications.models import (
    Delivery,
    InAppNotice,
    Notification,
    NotificationTemplate,
)
from minwon.notifications.selectors import delivery_problem_list, in_app_notice_list
from minwon.notifications.services import (
    DeadlineRow,
    SqlSource,
    channel_preference_update,
    deadline_warning_sweep,
    notification_enqueue,
    notification_template_update,
    notifications_dispatch,
)
from minwon.notifications.tests.servers import FAIL_500, REJECT_400, SLOW

NOON = datetime(2026, 3, 10, 12, 0, tzinfo=SEOUL)
NIGHT = datetime(2026, 3, 10, 22, 30, tzinfo=SEOUL)
CONTEXT = {"complaint_no": "2026-0001", "title": "도로 파손", "registered_at": "2026-03-10"}
CONTEXT["due_date"] = "2026-03-17"


@pytest.fixture(autouse=True)
def _at_noon(time_machine: Any) -> None:
    """Notifications are enqueued at NOON (Seoul); dispatch is given its own `now`."""
    time_machine.move_to(NOON, tick=False)


def enqueue(key: str, **kwargs: Any) -> Notification:
    values: dict[str, Any] = {
        "event": Event.COMPLAINT_REGISTERED,
        "idempotency_key": key,
        "context": CONTEXT,
    }
    values.update(kwargs)
    return notification_enqueue(**values)


def deliveries(notification: Notification) -> dict[str, Delivery]:
    return {d.channel: d for d in Delivery.objects.filter(notification=notification)}


# --- enqueue ------------------------------------------------------------------------------------


def test_a_notification_commits_and_rolls_back_with_the_change_that_causes_it(
    citizen: User,
) -> None:
    def failing_change() -> None:
        with transaction.atomic():
            enqueue("registered:1", recipient=citizen)
            raise RuntimeError("the complaint's transaction fails")

    with pytest.raises(RuntimeError):
        failing_change()
    assert not Notification.objects.filter(idempotency_key="registered:1").exists()
    with transaction.atomic():
        enqueue("registered:1", recipient=citizen)
    assert Notification.objects.filter(idempotency_key="registered:1").count() == 1


def test_the_same_idempotency_key_records_one_notification(citizen: User) -> None:
    first = enqueue("registered:2", recipient=citizen)
    again = enqueue("registered:2", recipient=citizen, context={"complaint_no": "other"})
    assert again.pk == first.pk
    assert again.context["complaint_no"] == "2026-0001"
    assert Notification.objects.count() == 1


def test_enqueue_refuses_unknown_events_and_missing_recipients(citizen: User) -> None:
    with pytest.raises(ValidationFailed) as unknown:
        enqueue("x:1", recipient=citizen, event="complaint_exploded")
    assert unknown.value.field == "event"
    with pytest.raises(ValidationFailed) as nobody:
        enqueue("x:2")
    assert nobody.value.field == "recipient"
    assert Notification.objects.count() == 0


# --- dispatch -----------------------------------------------------------------------------------


def test_a_citizen_is_told_in_app_by_email_and_by_alimtalk_once(
    citizen: User, transports: dict[DeliveryChannel, Any], provider: Any, smtp: Any
) -> None:
    notification = enqueue("registered:3", recipient=citizen)
    report = notifications_dispatch(now=NOON, transports=transports)
    assert report.delivered == 3
    by_channel = deliveries(notification)
    assert {c: d.status for c, d in by_channel.items()} == {
        "in_app": "delivered",
        "email": "delivered",
        "alimtalk": "delivered",
    }
    notice = in_app_notice_list(user=citizen).get()
    assert "2026-0001" in notice.title
    assert "홍길동님" in notice.body
    [mail] = smtp.messages
    assert mail.rcpt_tos == ["hong@example.kr"]
    assert b"X-Minwon-Key: registered:3:email" in mail.content
    assert b"Message-ID: <registered.3.email@" in mail.content  # from the idempotency key
    [call] = provider.recorder.requests
    assert call["path"] == "/alimtalk"
    assert call["key"] == "registered:3:alimtalk"
    assert call["template_code"] == "MINWON_REGISTERED_02"  # the short text changed
    assert call["to"] == "01012345678"
    # Running again sends nothing more.
    assert notifications_dispatch(now=NOON, transports=transports).delivered == 0
    assert len(provider.recorder.requests) == 1
    assert len(smtp.messages) == 1


def test_sms_and_alimtalk_wait_for_eight_in_the_morning_and_are_not_dropped(
    citizen: User, transports: dict[DeliveryChannel, Any], provider: Any
) -> None:
    notification = enqueue("registered:4", recipient=citizen)
    notifications_dispatch(now=NIGHT, transports=transports)
    alimtalk = deliveries(notification)["alimtalk"]
    assert alimtalk.status == "pending"
    assert alimtalk.deferred_for_quiet_hours
    assert alimtalk.next_attempt_at == datetime(2026, 3, 11, 8, 0, tzinfo=SEOUL)
    assert deliveries(notification)["email"].status == "delivered"  # e-mail is not held
    notifications_dispatch(now=NIGHT + timedelta(hours=5), transports=transports)
    assert provider.recorder.requests == []
    notifications_dispatch(now=datetime(2026, 3, 11, 8, 0, tzinfo=SEOUL), transports=transports)
    assert deliveries(notification)["alimtalk"].status == "delivered"
    assert len(provider.recorder.requests) == 1


def test_urgent_notifications_ignore_quiet_hours(
    citizen: User, transports: dict[DeliveryChannel, Any], provider: Any
) -> None:
    notification = enqueue("registered:5", recipient=citizen, urgent=True)
    notifications_dispatch(now=NIGHT, transports=transports)
    assert deliveries(notification)["alimtalk"].status == "delivered"


def test_a_refused_alimtalk_falls_back_to_sms_and_the_refusal_is_recorded(
    citizen: User, transports: dict[DeliveryChannel, Any], provider: Any
) -> None:
    notification = enqueue("registered:6", recipient=citizen, phone=REJECT_400)
    notifications_dispatch(now=NOON, transports=transports)
    by_channel = deliveries(notification)
    assert by_channel["alimtalk"].status == "failed"
    assert by_channel["alimtalk"].reason_code == "alimtalk.rejected"
    assert "HTTP 400" in by_channel["alimtalk"].reason
    sms = by_channel["sms"]
    assert sms.fallback_from == "alimtalk"
    assert sms.status == "failed"  # the same number is refused by SMS too
    assert [r["path"] for r in provider.recorder.requests] == ["/alimtalk", "/sms"]


def test_provider_errors_are_retried_with_backoff_then_fail_with_a_reason(
    citizen: User, transports: dict[DeliveryChannel, Any]
) -> None:
    channel_preference_update(user=citizen, email=False, sms=True, alimtalk=False)
    notification = enqueue("registered:7", recipient=citizen, phone=FAIL_500)
    at = NOON
    notifications_dispatch(now=at, transports=transports)
    sms = deliveries(notification)["sms"]
    assert (sms.status, sms.attempts, sms.reason_code) == ("pending", 1, "sms.rejected")
    assert sms.next_attempt_at == at + timedelta(seconds=30)
    notifications_dispatch(now=at + timedelta(seconds=10), transports=transports)
    assert deliveries(notification)["sms"].attempts == 1  # not due yet
    for _ in range(MAX_ATTEMPTS):
        at += timedelta(hours=1)  # beyond the backoff, before quiet hours
        notifications_dispatch(now=at, transports=transports)
    sms = deliveries(notification)["sms"]
    assert (sms.status, sms.attempts) == ("failed", MAX_ATTEMPTS)
    assert "HTTP 500" in sms.reason


def test_a_provider_time_out_is_retried(
    citizen: User, transports: dict[DeliveryChannel, Any], provider: Any
) -> None:
    provider.recorder.slow_seconds = 3.0  # the transport gives up after 1 s
    channel_preference_update(user=citizen, email=False, sms=True, alimtalk=False)
    notification = enqueue("registered:8", recipient=citizen, phone=SLOW)
    notifications_dispatch(now=NOON, transports=transports)
    sms = deliveries(notification)["sms"]
    assert (sms.status, sms.reason_code) == ("pending", "sms.timeout")


def test_one_bad_notification_never_blocks_the_others(
    citizen: User,
    make_officer: Callable[..., User],
    road_unit: OrgUnit,
    civil_unit: OrgUnit,
    transports: dict[DeliveryChannel, Any],
    smtp: Any,
) -> None:
    bad_mail = enqueue("bad:1", email="bounce@example.kr", org_unit_id=road_unit.pk)
    bad_phone = enqueue("bad:2", phone="not-a-phone", org_unit_id=road_unit.pk)
    good = [enqueue(f"good:{n}", recipient=citizen) for n in range(5)]
    notifications_dispatch(now=NOON, transports=transports, batch_size=4)
    assert all(
        d.status == "delivered" for n in good for d in Delivery.objects.filter(notification=n)
    )
    bounced = deliveries(bad_mail)["email"]
    assert (bounced.status, bounced.reason_code) == ("failed", "email.rejected")
    assert "550" in bounced.reason
    assert deliveries(bad_phone)["none"].reason_code == "notification.no_channel"
    # Officers of the unit see why; an officer of another unit does not see them.
    head = make_officer("roadhead", road_unit, Role.DEPARTMENT_HEAD)
    problems = {p.reason_code: p for p in delivery_problem_list(officer=head)}
    assert set(problems) == {"email.rejected", "notification.no_channel"}
    with translation.override("en"):
        problems = {p.reason_code: p for p in delivery_problem_list(officer=head)}
    assert problems["email.rejected"].reason_label == "The mail server refused the address."
    assert {p.notification_id for p in problems.values()} == {bad_mail.pk, bad_phone.pk}
    outsider = make_officer("outsider", civil_unit, Role.DEPARTMENT_OFFICER)
    assert delivery_problem_list(officer=outsider) == []


def test_a_malformed_stored_template_fails_its_delivery_with_the_reason(
    citizen: User, transports: dict[DeliveryChannel, Any]
) -> None:
    NotificationTemplate.objects.filter(event="complaint_registered", language="ko").update(
        short="[$site_name] $complaint_no ${broken"
    )
    notification = enqueue("registered:9", recipient=citizen)
    notifications_dispatch(now=NOON, transports=transports)
    by_channel = deliveries(notification)
    assert by_channel["alimtalk"].status == "failed"
    assert by_channel["alimtalk"].reason_code == "template.syntax"
    assert by_channel["email"].status == "delivered"  # its template is fine


def test_preferences_choose_the_channels(
    citizen: User, transports: dict[DeliveryChannel, Any]
) -> None:
    channel_preference_update(user=citizen, email=False, sms=False, alimtalk=False)
    notification = enqueue("registered:10", recipient=citizen)
    notifications_dispatch(now=NOON, transports=transports)
    assert set(deliveries(notification)) == {"in_app"}
    assert AuditEvent.objects.filter(action="channel_preference.updated").count() == 1


def test_an_english_speaker_gets_the_english_template(
    citizen: User, transports: dict[DeliveryChannel, Any]
) -> None:
    citizen.preferred_language = "en"
    citizen.save(update_fields=["preferred_language"])
    enqueue("registered:11", recipient=citizen)
    notifications_dispatch(now=NOON, transports=transports)
    assert InAppNotice.objects.get().title.startswith("[")
    assert "registered" in InAppNotice.objects.get().title


# --- templates ----------------------------------------------------------------------------------


def test_administrators_edit_templates_and_bad_ones_are_refused(
    make_officer: Callable[..., User], city: OrgUnit, road_officer: User
) -> None:
    admin = make_officer("admin", city, Role.ADMINISTRATOR)
    fields = {"event": "complaint_registered", "language": "ko", "body": "접수: $complaint_no"}
    with pytest.raises(ValidationFailed) as unknown:
        notification_template_update(
            actor=admin, subject="$complaint_no $rrn", short="$complaint_no", **fields
        )
    assert unknown.value.code == "template.unknown_placeholder"
    assert unknown.value.field == "subject"
    assert "$rrn" in str(unknown.value.message)
    with pytest.raises(ValidationFailed) as syntax:
        notification_template_update(actor=admin, subject="접수", short="${complaint_no", **fields)
    assert syntax.value.code == "template.syntax"
    with pytest.raises(PermissionDenied):
        notification_template_update(actor=road_officer, subject="접수", short="x", **fields)
    updated = notification_template_update(
        actor=admin, subject="[$site_name] 접수 $complaint_no", short="접수 $complaint_no", **fields
    )
    assert updated.subject == "[$site_name] 접수 $complaint_no"
    assert AuditEvent.objects.filter(action="notification_template.updated").count() == 1


def test_every_event_has_seeded_templates_in_both_languages(db: None) -> None:
    stored = set(NotificationTemplate.objects.values_list("event", "language"))
    assert stored == {(e.value, lang) for e in Event for lang in ("ko", "en")}


# --- deadline sweep -----------------------------------------------------------------------------


def _rows(officer: User, head: User) -> list[DeadlineRow]:
    start = NOON - timedelta(hours=100)

    def row(cid: int, hours: int, state: str = "in_progress") -> DeadlineRow:
        return DeadlineRow(
            cid,
            officer.pk,
            head.pk,
            start,
            start + timedelta(hours=hours),
            state,
            f"2026-{cid:04d}",
            "민원",
            None,
            officer.name,
        )

    return [
        row(1, 1000),  # 10 % used: nothing
        row(2, 150),  # 67 %: the 50 % warning
        row(3, 110),  # 91 %: the 80 % warning only
        row(4, 90),  # overdue: officer and head
        row(5, 90, "supplement_pending"),  # clock paused: nothing
        row(6, 90, "answered"),  # closed: nothing
    ]


def _sweep_result() -> set[tuple[str, int | None, str]]:
    return set(Notification.objects.values_list("event", "complaint_id", "idempotency_key"))


@pytest.fixture
def head(make_officer: Callable[..., User], road_unit: OrgUnit) -> User:
    return make_officer("roadhead", road_unit, Role.DEPARTMENT_HEAD)


def test_the_deadline_sweep_warns_escalates_and_runs_idempotently(
    road_officer: User, head: User
) -> None:
    report = deadline_warning_sweep(source=_rows(road_officer, head), now=NOON)
    assert report.examined == 6
    assert report.created == 4
    events = {(e, c) for e, c, _k in _sweep_result()}
    assert events == {
        ("deadline_warning", 2),
        ("deadline_warning", 3),
        ("deadline_overdue", 4),
        ("escalation_overdue", 4),
    }
    percent = Notification.objects.get(complaint_id=3).context["percent"]
    assert percent == 80
    again = deadline_warning_sweep(source=_rows(road_officer, head), now=NOON)
    assert again.created == 0
    assert Notification.objects.count() == 4


def test_the_set_based_sweep_gives_the_same_notifications(road_officer: User, head: User) -> None:
    rows = _rows(road_officer, head)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_src (complaint_id bigint, officer_id bigint, "
            "head_id bigint, clock_from timestamp with time zone, "
            "due_at timestamp with time zone, state varchar(20), complaint_no varchar(20), "
            "title varchar(200), org_unit_id bigint, officer_name varchar(100))"
        )
        for r in rows:
            cursor.execute(
                "INSERT INTO bench_src VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [
                    r.complaint_id,
                    r.officer_id,
                    r.head_id,
                    connection.ops.adapt_datetimefield_value(r.clock_from),
                    connection.ops.adapt_datetimefield_value(r.due_at),
                    r.state,
                    r.complaint_no,
                    r.title,
                    r.org_unit_id,
                    r.officer_name,
                ],
            )
    report = deadline_warning_sweep(source=SqlSource("SELECT * FROM bench_src"), now=NOON)
    assert report.created == 4
    sql_result = _sweep_result()
    Notification.objects.all().delete()
    deadline_warning_sweep(source=rows, now=NOON)
    assert _sweep_result() == sql_result
    assert (
        deadline_warning_sweep(source=SqlSource("SELECT * FROM bench_src"), now=NOON).created == 0
    )


def test_sweep_notifications_reach_officers_in_app_and_by_email(
    road_officer: User, head: User, transports: dict[DeliveryChannel, Any], smtp: Any
) -> None:
    road_officer.email = "road@paju.example"
    road_officer.save(update_fields=["email_encrypted", "email_index"])
    deadline_warning_sweep(source=_rows(road_officer, head), now=NOON)
    notifications_dispatch(now=NOON, transports=transports)
    assert Delivery.objects.exclude(status=DeliveryStatus.DELIVERED.value).count() == 0
    titles = sorted(n.title for n in in_app_notice_list(user=road_officer))
    assert titles[0].startswith("[처리기한 50% 경과]")
    assert {m.rcpt_tos[0] for m in smtp.messages} == {"road@paju.example"}
