"""Pure rules: no database, no settings."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from minwon.notifications.defaults import DEFAULT_TEMPLATES
from minwon.notifications.domain import (
    LANGUAGES,
    MAX_ATTEMPTS,
    Audience,
    Contact,
    DeliveryChannel,
    Event,
    FailureKind,
    Preferences,
    TemplateError,
    after_failure,
    allowed_placeholders,
    deadline_event_due,
    fallback_for,
    http_failure_kind,
    idempotency_key,
    normalize_mobile,
    plan_channels,
    quiet_hours_release,
    retry_delay,
    template_render,
    template_validate,
)
from tests.factories import seoul


@pytest.mark.parametrize(
    ("channel", "at", "urgent", "release"),
    [
        (DeliveryChannel.SMS, seoul(2026, 3, 10, 20, 59), False, None),  # before 21:00: send
        (DeliveryChannel.SMS, seoul(2026, 3, 10, 21, 0), False, seoul(2026, 3, 11, 8, 0)),  # quiet
        (DeliveryChannel.ALIMTALK, seoul(2026, 3, 10, 23, 30), False, seoul(2026, 3, 11, 8, 0)),
        (
            DeliveryChannel.SMS,
            seoul(2026, 3, 11, 2, 0),
            False,
            seoul(2026, 3, 11, 8, 0),
        ),  # after midnight
        (DeliveryChannel.SMS, seoul(2026, 3, 11, 8, 0), False, None),  # 08:00 sharp: send
        (DeliveryChannel.SMS, seoul(2026, 3, 10, 23, 0), True, None),  # urgent: never held
        (DeliveryChannel.EMAIL, seoul(2026, 3, 10, 23, 0), False, None),  # e-mail wakes no one
        (DeliveryChannel.IN_APP, seoul(2026, 3, 10, 23, 0), False, None),
    ],
)
def test_quiet_hours_hold_sms_and_alimtalk_until_eight(
    channel: DeliveryChannel, at: datetime, urgent: bool, release: datetime | None
) -> None:
    assert quiet_hours_release(channel, at, urgent=urgent) == release


def test_quiet_hours_use_seoul_time_whatever_the_zone_of_the_instant() -> None:
    utc_1300 = datetime.fromisoformat("2026-03-10T13:00:00+00:00")  # 22:00 in Seoul
    assert quiet_hours_release(DeliveryChannel.SMS, utc_1300, urgent=False) == seoul(
        2026, 3, 11, 8, 0
    )


def test_backoff_doubles_and_is_capped() -> None:
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert retry_delay(30) == timedelta(hours=2)
    with pytest.raises(ValueError, match="1-based"):
        retry_delay(0)


def test_failures_are_retried_until_the_limit_and_permanent_ones_never() -> None:
    now = seoul(2026, 3, 10, 10, 0)
    assert after_failure(1, FailureKind.TRANSIENT, now) == now + timedelta(seconds=30)
    assert after_failure(MAX_ATTEMPTS, FailureKind.TRANSIENT, now) is None
    assert after_failure(1, FailureKind.PERMANENT, now) is None


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (400, FailureKind.PERMANENT),
        (401, FailureKind.PERMANENT),
        (404, FailureKind.PERMANENT),
        (408, FailureKind.TRANSIENT),
        (429, FailureKind.TRANSIENT),
        (500, FailureKind.TRANSIENT),
        (503, FailureKind.TRANSIENT),
    ],
)
def test_provider_statuses_map_to_retry_or_not(status: int, kind: FailureKind) -> None:
    assert http_failure_kind(status) is kind


def test_citizens_get_alimtalk_with_sms_as_its_fallback() -> None:
    contact = Contact(email="a@b.kr", phone="010-1234-5678", has_account=True)
    assert plan_channels(Audience.CITIZEN, contact, Preferences()) == [
        DeliveryChannel.IN_APP,
        DeliveryChannel.EMAIL,
        DeliveryChannel.ALIMTALK,
    ]
    assert fallback_for(DeliveryChannel.ALIMTALK, Preferences()) is DeliveryChannel.SMS
    assert fallback_for(DeliveryChannel.ALIMTALK, Preferences(sms=False)) is None
    assert fallback_for(DeliveryChannel.EMAIL, Preferences()) is None


def test_preferences_remove_channels_but_never_in_app() -> None:
    contact = Contact(email="a@b.kr", phone="01012345678", has_account=True)
    prefs = Preferences(email=False, alimtalk=False, sms=True)
    assert plan_channels(Audience.CITIZEN, contact, prefs) == [
        DeliveryChannel.IN_APP,
        DeliveryChannel.SMS,
    ]
    none = Preferences(email=False, alimtalk=False, sms=False)
    assert plan_channels(Audience.CITIZEN, contact, none) == [DeliveryChannel.IN_APP]


def test_officers_are_not_sent_text_messages() -> None:
    contact = Contact(email="o@paju.go.kr", phone="01012345678", has_account=True)
    assert plan_channels(Audience.OFFICER, contact, Preferences()) == [
        DeliveryChannel.IN_APP,
        DeliveryChannel.EMAIL,
    ]


def test_template_validation_refuses_unknown_placeholders_and_bad_syntax() -> None:
    allowed = allowed_placeholders(Event.COMPLAINT_REGISTERED)
    assert template_validate("$complaint_no 접수 (${due_date})", allowed) == [
        "complaint_no",
        "due_date",
    ]
    with pytest.raises(TemplateError) as unknown:
        template_validate("$complaint_no $password", allowed)
    assert unknown.value.code == "template.unknown_placeholder"
    assert "$password" in unknown.value.detail
    with pytest.raises(TemplateError) as syntax:
        template_validate("요금 $ 100 ${title", allowed)
    assert syntax.value.code == "template.syntax"


def test_rendering_substitutes_text_only_and_reports_missing_values() -> None:
    assert template_render("$name님 {0.__class__} $$5", {"name": "홍길동"}) == (
        "홍길동님 {0.__class__} $5"
    )
    with pytest.raises(TemplateError) as missing:
        template_render("$name $due", {"name": "x"})
    assert missing.value.code == "template.missing_value"


def test_every_event_has_a_valid_default_template_in_every_language() -> None:
    for event in Event:
        for language in LANGUAGES:
            template = DEFAULT_TEMPLATES[(event, language)]
            for text in (template.subject, template.body, template.short):
                template_validate(text, allowed_placeholders(event))
            assert template.alimtalk_code


@pytest.mark.parametrize(
    ("hours_passed", "expected"),
    [
        (39, None),  # 39 % of 100 hours
        (50, (Event.DEADLINE_WARNING, 50)),
        (79, (Event.DEADLINE_WARNING, 50)),
        (80, (Event.DEADLINE_WARNING, 80)),
        (99, (Event.DEADLINE_WARNING, 80)),
        (100, (Event.DEADLINE_OVERDUE, 100)),
        (250, (Event.DEADLINE_OVERDUE, 100)),
    ],
)
def test_deadline_thresholds(hours_passed: int, expected: tuple[Event, int] | None) -> None:
    registered = seoul(2026, 3, 2, 9, 0)
    due = registered + timedelta(hours=100)
    assert deadline_event_due(registered, due, registered + timedelta(hours=hours_passed)) == (
        expected
    )


def test_mobile_numbers_are_normalised() -> None:
    assert normalize_mobile("010-1234-5678") == "01012345678"
    assert normalize_mobile("+82 10 1234 5678") == "01012345678"
    assert normalize_mobile("02-940-5000") is None


def test_idempotency_keys_refuse_ambiguous_parts() -> None:
    assert idempotency_key("deadline", 7, 80) == "deadline:7:80"
    with pytest.raises(ValueError, match="colon"):
        idempotency_key("a:b", 1)
