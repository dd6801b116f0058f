"""Alerts of the 특이민원 screen (issue 16): a flagged citizen text tells the department head; a
threat to staff or of self-harm tells the head and the security desk at once (urgent); the
messages never carry the citizen's words; each alert goes out once."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from minwon.accounts.domain import Role
from minwon.accounts.models import OrgUnit, User
from minwon.complaints import services as complaints
from minwon.complaints.domain import IntakeChannel
from minwon.complaints.models import Complaint
from minwon.lawclock.kinds import ComplaintKind
from minwon.notifications import selectors, services
from minwon.notifications.domain import Event
from minwon.notifications.models import InAppNotice, Notification
from minwon.protection.models import Screening
from minwon.protection.services import screening
from tests.factories import complaint_filed

pytestmark = pytest.mark.django_db

THREAT = "담당자 너 퇴근길에 칼 들고 찾아가서 죽여버리겠다"
INSULT = "이 병신 같은 공무원 새끼들아 일 좀 해라"
MILD = "존나 늦네요 빨리 처리해 주세요"


@pytest.fixture
def head(make_officer: Callable[..., User], road_unit: OrgUnit) -> User:
    return make_officer("roadhead", road_unit, Role.DEPARTMENT_HEAD)


@pytest.fixture
def desk(make_officer: Callable[..., User], city: OrgUnit) -> User:
    return make_officer("desk", city, Role.SECURITY_DESK)


def _filed(body: str, unit: OrgUnit | None, citizen: User) -> Complaint:
    c = complaint_filed(
        ComplaintKind.GRIEVANCE,
        channel=IntakeChannel.WEB,
        citizen=citizen,
        body=body,
        org_unit=unit,
    )
    complaints.complaint_screening_sweep()
    return c


def _alerts() -> int:
    return services.protection_alerts_enqueue(rows=selectors.protection_alert_source())


def test_a_threat_alerts_the_head_and_the_security_desk_at_once(
    road_unit: OrgUnit, head: User, desk: User, citizen: User, road_officer: User
) -> None:
    c = _filed(THREAT, road_unit, citizen)
    assert _alerts() == 2
    rows = {n.recipient_id: n for n in Notification.objects.filter(complaint_id=c.pk)}
    assert set(rows) == {head.pk, desk.pk}  # the officer of the unit is not paged
    for n in rows.values():
        assert n.event == Event.PROTECTION_THREAT.value and n.urgent
        assert "죽여" not in str(n.context) and "칼" not in str(n.context)
        assert n.context["url"].endswith(f"/office/complaints/{c.pk}/")
    assert rows[head.pk].context["categories"] == "협박"  # in the recipient's language
    assert _alerts() == 0  # each alert once


def test_abuse_tells_only_the_head_and_is_not_urgent(
    road_unit: OrgUnit, head: User, desk: User, citizen: User
) -> None:
    _filed(INSULT, road_unit, citizen)
    assert _alerts() == 1
    n = Notification.objects.get(event=Event.PROTECTION_FLAGGED.value)
    assert n.recipient_id == head.pk and not n.urgent


def test_mild_words_are_a_badge_only_and_ordinary_text_nothing(
    road_unit: OrgUnit, head: User, desk: User, citizen: User
) -> None:
    _filed(MILD, road_unit, citizen)
    _filed("가로등이 고장났어요. 고쳐 주세요.", road_unit, citizen)
    assert Screening.objects.filter(abusive=True, severity="low").count() == 1
    assert _alerts() == 0 and not Notification.objects.exists()


def test_without_a_head_the_complaint_supervisor_is_told(
    civil_unit: OrgUnit, supervisor: User, citizen: User
) -> None:
    _filed(INSULT, civil_unit, citizen)
    assert _alerts() == 1
    assert Notification.objects.get().recipient_id == supervisor.pk


def test_the_nearest_head_only(
    make_officer: Callable[..., User], road_unit: OrgUnit, head: User, citizen: User
) -> None:
    assert road_unit.parent is not None
    make_officer("bureauhead", road_unit.parent, Role.DEPARTMENT_HEAD)
    _filed(INSULT, road_unit, citizen)
    assert _alerts() == 1 and Notification.objects.get().recipient_id == head.pk


def test_the_delivered_notice_names_what_was_found_never_the_words(
    road_unit: OrgUnit, head: User, desk: User, citizen: User, settings
) -> None:
    desk.preferred_language = "en"
    desk.save(update_fields=["preferred_language"])
    c = _filed(THREAT, road_unit, citizen)
    _alerts()
    services.notifications_dispatch()
    ko = InAppNotice.objects.get(user=head)
    en = InAppNotice.objects.get(user=desk)
    assert ko.title.startswith("[긴급·위협]") and "협박" in ko.body
    assert en.title.startswith("[URGENT: threat]") and "threat" in en.body
    for notice in (ko, en):
        assert notice.complaint_id == c.pk
        assert "죽여" not in notice.body + notice.title and "칼" not in notice.body


def test_the_screening_commit_asks_for_the_alerts(
    road_unit: OrgUnit, citizen: User, settings, django_capture_on_commit_callbacks
) -> None:
    settings.BACKGROUND_RUNNER = "thread"
    c = complaint_filed(
        ComplaintKind.GRIEVANCE,
        channel=IntakeChannel.WEB,
        citizen=citizen,
        body=THREAT,
        org_unit=road_unit,
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        complaints.complaint_screening_sweep()
    assert screening.alerts_wake in callbacks
    assert Screening.objects.get(complaint_id=c.pk).urgent
