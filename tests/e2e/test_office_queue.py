"""The officer's morning at the work queue (issue 11 item 12), in Korean and English.

A counter officer opens the queue on what waits for registration (their default view is never
empty while work waits under "all of my units"), reads the counts per state at the top and the
time left beside each date, searches by the complainant's full name (shown masked) by keyboard,
orders the list, and opens a complaint: the side menu marks where they are throughout. axe runs
on every state; the Korean run saves the screenshots docs/ui.md shows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from minwon.accounts.models import OrgUnit, User
from minwon.complaints.domain import IntakeChannel
from minwon.complaints.services import ApplicantInput
from minwon.lawclock.kinds import ComplaintKind
from tests.e2e.browser import PHONE, assert_no_axe_violations, save_screenshot
from tests.factories import complaint_filed

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WORDS = {
    "ko": {"left": "남음", "queue": "처리할 민원", "waiting": "접수 대기"},
    "en": {"left": "left", "queue": "Work queue", "waiting": "Waiting for registration"},
}


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_counter_officer_queue_counts_search_sort_and_menu(
    new_page: Callable[..., Any],
    login_as: Callable[..., None],
    counter_officer: User,
    civil_unit: OrgUnit,
    lang: str,
) -> None:
    words = WORDS[lang]
    web = {"channel": IntakeChannel.WEB, "status_password": "follow-me-123"}
    lamp = complaint_filed(ComplaintKind.GRIEVANCE, title="가로등이 꺼져 있습니다", **web)  # type: ignore[arg-type]
    noise = complaint_filed(
        ComplaintKind.GRIEVANCE,
        title="밤마다 공사 소음",
        applicant=ApplicantInput(name="김민수", address="경기도 파주시 금정로 1"),
        **web,  # type: ignore[arg-type]
    )
    registered = complaint_filed(ComplaintKind.GRIEVANCE, org_unit=civil_unit, title="여권 문의")

    page = new_page(lang=lang)
    login_as(page, counter_officer)
    page.goto("/office/")
    # The default view: what waits for registration, both arrivals listed, the registered one not.
    assert page.locator("a[aria-current='page'][href='?scope=register']").count() == 1
    table = page.locator("table.queue")
    for complaint in (lamp, noise):
        assert table.locator(f"a[href='/office/complaints/{complaint.pk}/']").count() == 1
    assert table.locator(f"a[href='/office/complaints/{registered.pk}/']").count() == 0
    # The counts per state at the top.
    waiting = page.locator(".queue-count", has_text=words["waiting"]).first
    assert waiting.locator(".queue-count-num").inner_text() == "2"
    # The time left beside each date.
    assert words["left"] in table.locator(".time-left").first.inner_text()
    # The side menu marks the queue, by aria-current and visibly (a bar, not only bold).
    current = page.locator(".office-nav a[aria-current='page']")
    assert current.inner_text().strip() == words["queue"]
    bar = current.evaluate("e => getComputedStyle(e).borderLeftColor")
    assert bar not in ("rgba(0, 0, 0, 0)", "transparent")
    assert_no_axe_violations(page, f"work queue, counter officer ({lang})")
    if lang == "ko":
        save_screenshot(page, "office-queue-counter-desktop")

    # Search by the complainant's full name, by keyboard: only that complaint, its name masked.
    page.focus("#id_q")
    page.keyboard.type("김민수")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    table = page.locator("table.queue")
    assert table.locator(f"a[href='/office/complaints/{noise.pk}/']").count() == 1
    assert table.locator(f"a[href='/office/complaints/{lamp.pk}/']").count() == 0
    assert "김*수" in table.inner_text() and "김민수" not in table.inner_text()
    assert page.locator("#id_q").input_value() == "김민수"
    assert_no_axe_violations(page, f"work queue searched by name ({lang})")
    if lang == "ko":
        save_screenshot(page, "office-queue-search-desktop")

    # Newest first: the later arrival leads.
    page.goto("/office/?scope=register")
    page.select_option("#id_sort", "newest")
    with page.expect_navigation():
        page.locator("form.queue-filters button[type='submit']").click()
    first = page.locator("table.queue tbody tr").first
    assert first.locator(f"a[href='/office/complaints/{noise.pk}/']").count() == 1

    # All of my units: the registered complaint too; then open one, the menu still says where.
    page.goto("/office/?scope=unit")
    assert page.locator(f"table.queue a[href='/office/complaints/{registered.pk}/']").count() == 1
    with page.expect_navigation():
        page.locator(f"table.queue a[href='/office/complaints/{registered.pk}/']").click()
    assert page.locator(".office-nav a[aria-current='true']").inner_text().strip() == words["queue"]


def test_the_queue_on_a_phone(
    new_page: Callable[..., Any],
    login_as: Callable[..., None],
    counter_officer: User,
) -> None:
    complaint_filed(
        ComplaintKind.GRIEVANCE,
        channel=IntakeChannel.WEB,
        status_password="follow-me-123",
        title="가로등이 꺼져 있습니다",
    )
    page = new_page(lang="ko", viewport=PHONE)
    login_as(page, counter_officer)
    page.goto("/office/")
    assert page.locator(".queue-count-num").first.inner_text() == "1"
    assert_no_axe_violations(page, "work queue on a phone")
    save_screenshot(page, "office-queue-counter-phone")
