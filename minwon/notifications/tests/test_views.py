"""The notification pages: who sees what (units, administrators, the citizen's own notices),
template errors next to their field with nothing saved, the unread count in one query."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from minwon.accounts.domain import Role
from minwon.accounts.models import OrgUnit, User
from minwon.accounts.services import citizen_register
from minwon.notifications.domain import SEOUL, Event
from minwon.notifications.models import ChannelPreference, InAppNotice, NotificationTemplate
from minwon.notifications.selectors import complaint_notice_source
from minwon.notifications.services import (
    complaint_notices_enqueue,
    notification_enqueue,
    notifications_dispatch,
)
from minwon.notifications.tests.servers import FAIL_500
from minwon.notifications.tests.test_notice_delivery import returned_complaint
from tests.constants import PASSWORD

NOON = datetime(2026, 3, 10, 12, 0, tzinfo=SEOUL)
CONTEXT = {
    "complaint_no": "2026-0042",
    "title": "도로 파손",
    "registered_at": "2026-03-10",
    "due_date": "2026-03-17",
}
PROBLEMS = "/office/notifications/problems/"
TEMPLATES = "/office/notifications/templates/"
EDIT = "/office/notifications/templates/complaint_registered/ko/"


def notify(key: str, **kwargs: Any) -> None:
    kwargs.setdefault("context", CONTEXT)
    notification_enqueue(event=Event.COMPLAINT_REGISTERED, idempotency_key=key, **kwargs)


@pytest.fixture
def administrator(make_officer: Callable[..., User], civil_unit: OrgUnit) -> User:
    return make_officer("admin", civil_unit, Role.ADMINISTRATOR)


@pytest.fixture
def other_citizen(db: None) -> User:
    return citizen_register(
        username="kim", password=PASSWORD, name="김영희", email="kim@example.kr", phone=""
    )


def citizen_client_for(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="minwon.accounts.backends.ThrottledModelBackend")
    return client


# --- office: delivery problems ------------------------------------------------------------------


def test_officers_see_the_delivery_problems_of_their_own_units_only(
    officer_client: Callable[[User], Client],
    road_officer: User,
    road_unit: OrgUnit,
    civil_unit: OrgUnit,
    make_officer: Callable[..., User],
    transports: dict[Any, Any],
    time_machine: Any,
) -> None:
    time_machine.move_to(NOON, tick=False)  # 알림톡 is not held for quiet hours
    notify("problem:road", email="nobody@example.kr", org_unit_id=road_unit.pk)
    notify("problem:civil", email="other@example.kr", org_unit_id=civil_unit.pk)
    notifications_dispatch(transports={})  # no e-mail here: "no channel" for both
    notify("retry:road", phone=FAIL_500, org_unit_id=road_unit.pk)
    notifications_dispatch(transports=transports)  # the provider answers 500: retried later
    civil_officer = make_officer("civil", civil_unit)

    with translation.override("en"):
        page = officer_client(road_officer).get(PROBLEMS, HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("<tr>") == 3  # the header row and the road unit's two problems
    assert "No address or allowed channel for this person." in html
    assert "will be tried again" in html and "KakaoTalk AlimTalk" in html
    assert "2026-0042" in html

    other = officer_client(civil_officer).get(PROBLEMS, HTTP_ACCEPT_LANGUAGE="en")
    other_html = other.content.decode()
    assert other_html.count("<tr>") == 2  # only the civil unit's own problem
    assert "will be tried again" not in other_html and "KakaoTalk" not in other_html


def test_the_side_navigation_links_the_problems_and_only_administrators_get_templates(
    officer_client: Callable[[User], Client], road_officer: User, administrator: User
) -> None:
    officer_page = officer_client(road_officer).get("/office/").content.decode()
    assert f'href="{PROBLEMS}"' in officer_page
    assert f'href="{TEMPLATES}"' not in officer_page
    admin_page = officer_client(administrator).get(PROBLEMS).content.decode()
    assert f'href="{TEMPLATES}"' in admin_page
    assert f'href="{PROBLEMS}" class="lnb-btn lnb-link" aria-current="page"' in admin_page


def test_the_complaint_history_shows_when_a_notice_was_delivered(
    officer_client: Callable[[User], Client],
    citizen: User,
    road_officer: User,
    road_unit: OrgUnit,
) -> None:
    complaint = returned_complaint(citizen, road_officer, road_unit)
    client = officer_client(road_officer)
    page = client.get(f"/office/complaints/{complaint.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.content.decode().count("Notice not yet delivered electronically") == 4
    complaint_notices_enqueue(events=complaint_notice_source())
    notifications_dispatch(transports={})
    page = client.get(f"/office/complaints/{complaint.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert html.count("Notice delivered at") == 4
    assert "Notice not yet delivered electronically" not in html


# --- office: templates --------------------------------------------------------------------------


def test_only_administrators_see_and_edit_templates(
    officer_client: Callable[[User], Client], road_officer: User, db: None
) -> None:
    client = officer_client(road_officer)
    before = NotificationTemplate.objects.get(event="complaint_registered", language="ko")
    assert client.get(TEMPLATES).status_code == 404
    assert client.get(EDIT).status_code == 404
    response = client.post(EDIT, {"subject": "x", "body": "x", "short": "x"})
    assert response.status_code == 404
    after = NotificationTemplate.objects.get(pk=before.pk)
    assert (after.subject, after.body) == (before.subject, before.body)


def test_administrators_see_every_event_and_the_allowed_placeholders(
    officer_client: Callable[[User], Client], administrator: User
) -> None:
    client = officer_client(administrator)
    listing = client.get(TEMPLATES).content.decode()
    for event in Event:
        assert f"{TEMPLATES}{event.value}/ko/" in listing
        assert f"{TEMPLATES}{event.value}/en/" in listing
    page = client.get(f"{TEMPLATES}complaint_returned/en/").content.decode()
    assert "<code>$reason</code>" in page and "<code>$officer_phone</code>" in page
    assert "<code>$outcome</code>" not in page
    assert "Your complaint was returned" in page  # the seeded words, ready to edit
    assert client.get(f"{TEMPLATES}no_such_event/ko/").status_code == 404
    assert client.get(f"{TEMPLATES}complaint_registered/fr/").status_code == 404


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("body", "안녕하세요 $recipient_name, $password", "Unknown placeholder"),
        ("short", "요금 100$ 입니다", "The template is malformed"),
        ("subject", "", "This field is required."),
    ],
)
def test_a_malformed_template_is_refused_next_to_its_field_and_nothing_changes(
    officer_client: Callable[[User], Client],
    administrator: User,
    field: str,
    text: str,
    message: str,
) -> None:
    before = NotificationTemplate.objects.get(event="complaint_registered", language="ko")
    data = {"subject": before.subject, "body": before.body, "short": before.short}
    data[field] = text
    with translation.override("en"):
        response = officer_client(administrator).post(EDIT, data, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 400
    assert f'id="{field}-error"' in html and message in html
    assert 'aria-invalid="true"' in html and f'href="#id_{field}"' in html
    assert "<title>Error:" in html
    assert text in html or not text  # what was typed is kept
    after = NotificationTemplate.objects.get(pk=before.pk)
    assert (after.subject, after.body, after.short) == (before.subject, before.body, before.short)


def test_administrators_save_a_template(
    officer_client: Callable[[User], Client], administrator: User
) -> None:
    response = officer_client(administrator).post(
        EDIT,
        {
            "subject": "[$site_name] 접수 완료 ($complaint_no)",
            "body": "$recipient_name님,\r\n「$title」 접수. 비용 $$0",
            "short": "접수 $complaint_no",
            "alimtalk_code": "MINWON_REGISTERED_02",
        },
    )
    assert response.status_code == 302 and response["Location"] == EDIT
    saved = NotificationTemplate.objects.get(event="complaint_registered", language="ko")
    assert saved.subject == "[$site_name] 접수 완료 ($complaint_no)"
    assert saved.alimtalk_code == "MINWON_REGISTERED_02"
    assert saved.body == "$recipient_name님,\n「$title」 접수. 비용 $$0"  # LF, as messages use


# --- portal: notices ----------------------------------------------------------------------------


def test_citizens_see_only_their_own_notices_newest_first(
    citizen: User, other_citizen: User, time_machine: Any
) -> None:
    sent = [
        ("mine:1", citizen, "2026-0001"),
        ("mine:2", citizen, "2026-0002"),
        ("theirs:1", other_citizen, "2026-0999"),
    ]
    for minute, (key, who, number) in enumerate(sent):
        time_machine.move_to(NOON + timedelta(minutes=minute), tick=False)
        notify(key, recipient=who, context={**CONTEXT, "complaint_no": number})
        notifications_dispatch(transports={})
    html = citizen_client_for(citizen).get("/my/notices/").content.decode()
    assert "2026-0001" in html and "2026-0002" in html and "2026-0999" not in html
    assert html.index("2026-0002") < html.index("2026-0001")  # newest first


def test_a_citizen_marks_a_notice_read_and_cannot_touch_anothers(
    citizen: User, other_citizen: User
) -> None:
    notify("mine:1", recipient=citizen)
    notify("theirs:1", recipient=other_citizen)
    notifications_dispatch(transports={})
    mine = InAppNotice.objects.get(user=citizen)
    theirs = InAppNotice.objects.get(user=other_citizen)
    client = citizen_client_for(citizen)
    assert client.get(f"/my/notices/{mine.pk}/read/").status_code == 405
    assert client.post(f"/my/notices/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    response = client.post(f"/my/notices/{mine.pk}/read/")
    assert response.status_code == 302
    assert response["Location"] == f"/my/notices/#notice-{mine.pk}"
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_visitors_are_sent_to_log_in(client: Client, db: None) -> None:
    for path in ("/my/notices/", "/my/notifications/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.post("/my/notices/1/read/").status_code == 302


def test_the_header_counts_unread_notices_in_one_query(
    citizen: User, django_assert_num_queries: Any
) -> None:
    client = citizen_client_for(citizen)
    client.get("/")  # warm up: session and user
    with django_assert_num_queries(3) as none:  # session, user, the count
        html = client.get("/").content.decode()
    assert "notice-count" not in html
    for n in range(5):
        notify(f"count:{n}", recipient=citizen)
    notifications_dispatch(transports={})
    with django_assert_num_queries(len(none.captured_queries)):
        html = client.get("/").content.decode()
    assert 'class="krds-badge bg-primary notice-count">5' in html
    InAppNotice.objects.filter(user=citizen).update(read_at="2026-03-10T12:00:00+09:00")
    assert "notice-count" not in client.get("/").content.decode()


def test_the_notice_list_takes_the_same_queries_for_one_or_many(
    citizen: User, django_assert_max_num_queries: Any
) -> None:
    client = citizen_client_for(citizen)
    notify("one", recipient=citizen)
    notifications_dispatch(transports={})
    client.get("/my/notices/")
    with django_assert_max_num_queries(5) as one:
        client.get("/my/notices/")
    for n in range(10):
        notify(f"many:{n}", recipient=citizen)
    notifications_dispatch(transports={})
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get("/my/notices/")


# --- portal: channel preferences ----------------------------------------------------------------


def test_a_citizen_chooses_channels(citizen: User) -> None:
    client = citizen_client_for(citizen)
    with translation.override("en"):
        page = client.get("/my/notifications/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert page.count("checked") == 3  # everything allowed until chosen
    assert "21:00" in page and "08:00" in page
    response = client.post("/my/notifications/", {"email": "on"})
    assert response.status_code == 302
    stored = ChannelPreference.objects.get(user=citizen)
    assert (stored.email, stored.sms, stored.alimtalk) == (True, False, False)
    page = client.get("/my/notifications/").content.decode()
    assert page.count("checked") == 1
