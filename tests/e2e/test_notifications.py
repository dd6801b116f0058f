"""The notification pages in the browser: axe-core (WCAG 2.1 A and AA) in Korean and English, with
data on them, and the main tasks by keyboard alone: a citizen marks a notice read and changes the
channels; an administrator meets a template error and corrects it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
import time_machine

from minwon.accounts.domain import Role
from minwon.accounts.models import OrgUnit, User
from minwon.notifications.domain import SEOUL, Event
from minwon.notifications.models import ChannelPreference, InAppNotice, NotificationTemplate
from minwon.notifications.services import notification_enqueue, notifications_dispatch
from tests.e2e.browser import DESKTOP, assert_no_axe_violations, save_screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CONTEXT = {
    "complaint_no": "2026-0042",
    "title": "보도블록 파손",
    "registered_at": "2026-03-10",
    "due_date": "2026-03-17",
}
EDIT = "/office/notifications/templates/complaint_registered/ko/"


@pytest.fixture
def data(citizen: User, road_unit: OrgUnit) -> None:
    """Two notices for the citizen (one read) and two delivery problems of the road unit."""
    with time_machine.travel(datetime(2026, 3, 10, 12, 0, tzinfo=SEOUL), tick=False):
        for n in (1, 2):
            notification_enqueue(
                event=Event.COMPLAINT_REGISTERED,
                idempotency_key=f"e2e:{n}",
                context={**CONTEXT, "complaint_no": f"2026-000{n}"},
                recipient=citizen,
            )
        notification_enqueue(
            event=Event.COMPLAINT_REGISTERED,
            idempotency_key="e2e:problem",
            context=CONTEXT,
            email="nobody@example.kr",
            org_unit_id=road_unit.pk,
        )
        notifications_dispatch(transports={})
    first = InAppNotice.objects.filter(user=citizen).order_by("created_at", "id").first()
    assert first is not None
    first.read_at = first.created_at
    first.save(update_fields=["read_at"])


@pytest.fixture
def administrator(make_officer: Callable[..., User], civil_unit: OrgUnit) -> User:
    return make_officer("admin", civil_unit, Role.ADMINISTRATOR)


PAGES = [
    ("portal-notices", "/my/notices/", "citizen"),
    ("portal-channel-preferences", "/my/notifications/", "citizen"),
    ("office-delivery-problems", "/office/notifications/problems/", "officer"),
    ("office-notification-templates", "/office/notifications/templates/", "administrator"),
    ("office-notification-template", EDIT, "administrator"),
]


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize(("name", "path", "who"), PAGES, ids=[p[0] for p in PAGES])
def test_notification_pages_have_no_wcag_violations(
    new_page: Callable[..., Any],
    login_as: Callable[..., None],
    data: None,
    citizen: User,
    road_officer: User,
    administrator: User,
    name: str,
    path: str,
    who: str,
    lang: str,
) -> None:
    actors = {"citizen": citizen, "officer": road_officer, "administrator": administrator}
    page = new_page(lang=lang, viewport=DESKTOP)
    login_as(page, actors[who])
    response = page.goto(path)
    assert response is not None and response.status == 200, f"{path} answered {response}"
    assert page.locator("html").get_attribute("lang") == lang
    assert_no_axe_violations(page, f"{name} ({lang})")
    if lang == "ko":
        save_screenshot(page, f"{name}-desktop")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_citizen_reads_notices_and_chooses_channels_by_keyboard(
    new_page: Callable[..., Any],
    login_as: Callable[..., None],
    data: None,
    citizen: User,
    lang: str,
) -> None:
    page = new_page(lang=lang)
    login_as(page, citizen)
    page.goto("/")
    badge = page.locator("#krds-header .notice-count")
    assert badge.inner_text().startswith("1")
    # From the header to the list, then "mark as read", by keyboard.
    page.locator("#krds-header a[href='/my/notices/']").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/my/notices/")
    button = page.locator(".notice-item.is-unread button[type='submit']")
    assert button.count() == 1
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".notice-item.is-unread").count() == 0
    assert page.locator("#krds-header .notice-count").count() == 0
    assert_no_axe_violations(page, f"notices after reading ({lang})")
    # Channels: turn AlimTalk and SMS off with the space bar, save with Enter.
    page.goto("/my/notifications/")
    for name in ("alimtalk", "sms"):
        page.locator(f"#id_{name}").focus()
        page.keyboard.press("Space")
    page.locator("main button[type='submit']").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    stored = ChannelPreference.objects.get(user=citizen)
    assert (stored.email, stored.alimtalk, stored.sms) == (True, False, False)
    assert page.locator(".page-message").count() == 1
    assert_no_axe_violations(page, f"channel preferences saved ({lang})")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_an_administrator_meets_a_template_error_and_corrects_it_by_keyboard(
    new_page: Callable[..., Any],
    login_as: Callable[..., None],
    administrator: User,
    lang: str,
) -> None:
    page = new_page(lang=lang)
    login_as(page, administrator)
    page.goto("/office/")
    page.locator(".office-nav a[href='/office/notifications/templates/']").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.locator(f"main a[href='{EDIT}']").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    body = page.locator("#id_body")
    original = body.input_value()
    stored = NotificationTemplate.objects.filter(event="complaint_registered", language="ko")
    body.focus()
    page.keyboard.press("End")
    page.keyboard.type(" $password")
    page.locator("main button[type='submit']").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#id_body[aria-invalid='true']").count() == 1
    assert "$password" in page.locator("#body-error").inner_text()
    assert page.evaluate("document.activeElement.id") in {"id_body", ""}
    assert_no_axe_violations(page, f"template with an error ({lang})")
    if lang == "ko":
        save_screenshot(page, "office-notification-template-error-desktop")
    assert not stored.filter(body__contains="$password").exists()  # nothing saved
    # Correct it: remove what was typed, save.
    body.focus()
    page.keyboard.press("End")
    for _ in range(len(" $password")):
        page.keyboard.press("Backspace")
    page.locator("main button[type='submit']").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("[aria-invalid='true']").count() == 0
    assert page.locator(".page-message").count() == 1
    assert [t.body for t in stored] == [original.strip()]
