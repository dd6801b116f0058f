"""Layout, focus and times on small screens (issue 11 items 8, 9, 11), in Korean and English: the
office complaint page reflows at 320 px; 나의 민원 on a phone shows status and deadline on cards
without sideways scrolling; a field focused after an error is not hidden behind anything (WCAG
2.2 2.4.11) at the largest text on a phone; text fields get a focus ring as strong as buttons';
dates and times read as Koreans write them. axe on every page; the Korean run saves screenshots.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from minwon.accounts.models import OrgUnit, User
from minwon.complaints.domain import IntakeChannel
from minwon.lawclock.kinds import ComplaintKind
from tests.e2e.browser import PHONE, assert_no_axe_violations, save_screenshot
from tests.factories import complaint_filed

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NARROW = {"width": 320, "height": 640}
KOREAN_DATETIME = re.compile(r"\d{4}\. \d{1,2}\. \d{1,2}\.\([월화수목금토일]\) \d{2}:\d{2}")
LONG_TITLE = "금촌역2번출구앞보도블록파손으로인한보행불편및야간안전사고위험신고" * 2


def _no_sideways_scroll(page: Any, label: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    view = page.evaluate("window.innerWidth")
    assert width <= view, f"{label}: the page is {width} px wide in a {view} px window"


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_office_complaint_page_reflows_at_320_px(
    new_page: Callable[..., Any],
    login_as: Callable[..., None],
    road_officer: User,
    road_unit: OrgUnit,
    lang: str,
) -> None:
    complaint = complaint_filed(ComplaintKind.GRIEVANCE, org_unit=road_unit, title=LONG_TITLE)
    page = new_page(lang=lang, viewport=NARROW)
    login_as(page, road_officer)
    page.goto(f"/office/complaints/{complaint.pk}/")
    wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > innerWidth + 0.5)
            .slice(0, 8).map(e => e.tagName + '.' + e.className + '#' + e.id + ' '
                             + Math.round(e.getBoundingClientRect().right))"""
    )
    _no_sideways_scroll(page, f"office complaint at 320 px ({lang}): {wide}")
    if lang == "ko":
        # Dates as Koreans write them: "2026. 12. 3.(목) 14:58".
        assert KOREAN_DATETIME.search(page.locator("main").inner_text())
        save_screenshot(page, "office-complaint-320")
    assert_no_axe_violations(page, f"office complaint at 320 px ({lang})")
    page.goto("/office/?scope=unit")
    _no_sideways_scroll(page, f"office queue at 320 px ({lang})")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_my_complaints_on_a_phone_are_cards_with_status_and_deadline(
    new_page: Callable[..., Any], login_as: Callable[..., None], citizen: User, lang: str
) -> None:
    complaint_filed(
        ComplaintKind.GRIEVANCE, channel=IntakeChannel.WEB, citizen=citizen, title=LONG_TITLE
    )
    page = new_page(lang=lang, viewport=PHONE)
    login_as(page, citizen)
    page.goto("/my/")
    _no_sideways_scroll(page, f"my complaints on a phone ({lang})")
    card = page.locator(".complaint-card").first
    assert card.is_visible()
    assert page.locator(".complaints-table").is_hidden()
    text = card.inner_text()
    assert ("접수 대기" in text) if lang == "ko" else ("waiting to be registered" in text)
    if lang == "ko":
        assert KOREAN_DATETIME.search(text), text
    box = card.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert_no_axe_violations(page, f"my complaints on a phone ({lang})")
    if lang == "ko":
        save_screenshot(page, "portal-my-complaints-cards-phone")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_focused_field_is_not_hidden_and_has_a_strong_ring(
    new_page: Callable[..., Any], login_as: Callable[..., None], citizen: User, lang: str
) -> None:
    page = new_page(lang=lang, viewport=PHONE)
    login_as(page, citizen)
    page.goto("/complaints/new/")
    # A failed submit: the focus goes to the first field in error, which must be fully visible.
    with page.expect_navigation():
        page.locator("button[name='step'][value='preview']").click()
    page.wait_for_function("document.activeElement && document.activeElement.id !== ''")
    focused = page.evaluate(
        """() => {
          const e = document.activeElement, r = e.getBoundingClientRect();
          const x = r.left + Math.min(r.width / 2, 10), y = r.top + Math.min(r.height / 2, 10);
          const hit = document.elementFromPoint(x, y);
          return {id: e.id, top: r.top, bottom: r.bottom, height: innerHeight,
                  own: !!hit && (hit === e || e.contains(hit) || hit.contains(e)
                                 || (hit.htmlFor && hit.htmlFor === e.id))};
        }"""
    )
    assert focused["top"] >= 0 and focused["top"] < focused["height"], focused
    assert focused["own"], f"the focused field is covered: {focused}"
    # Text fields: a focus ring at least as strong as a button's.
    page.focus("#id_title")
    ring = page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
                   return {style: s.outlineStyle, width: parseFloat(s.outlineWidth),
                           shadow: s.boxShadow}; }"""
    )
    page.focus("button[name='step'][value='preview']")
    button = page.evaluate(
        "() => parseFloat(getComputedStyle(document.activeElement).outlineWidth)"
    )
    assert ring["style"] != "none" and ring["width"] >= max(2.0, button), (ring, button)
    assert_no_axe_violations(page, f"filing form after an error on a phone ({lang})")
    if lang == "ko":
        save_screenshot(page, "portal-complaint-error-focus-phone")
