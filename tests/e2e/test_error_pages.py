"""Every error page is the site's own (issue 11 item 10), in Korean and English, in the real
browser against the live server (DEBUG off, as in production): a missing page, a form sent with an
expired token (CSRF failure) and a server error each show the site's layout, what happened and a
way back, axe-clean; an officer who passes a complaint to another department lands on the work
queue with a message, not on "Not Found". The Korean run saves the screenshots docs/ui.md shows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from minwon.accounts.models import OrgUnit, User
from minwon.lawclock.kinds import ComplaintKind
from minwon.portal import selectors as portal_selectors
from tests.e2e.browser import assert_no_axe_violations, save_screenshot
from tests.factories import complaint_filed

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WORDS = {
    "ko": {
        404: "페이지를 찾을 수 없습니다",
        "csrf": "양식을 보낼 수 없었습니다",
        500: "서비스에 문제가 생겼습니다",
        "home": "첫 화면으로 가기",
        "left": "업무 목록에서 빠졌습니다",
    },
    "en": {
        404: "We cannot find this page",
        "csrf": "The form could not be sent",
        500: "Something went wrong on our side",
        "home": "Go to the first page",
        "left": "it has left your work queue",
    },
}


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_error_pages_are_the_sites_own_with_a_way_back(
    new_page: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    words = WORDS[lang]
    page = new_page(lang=lang)

    response = page.goto("/no-such-page/")
    assert response is not None and response.status == 404
    assert words[404] in page.locator("h1").inner_text()
    assert page.locator("#krds-header").count() == 1
    way_back = page.locator("main a[href='/']")
    assert words["home"] in way_back.first.inner_text()
    assert_no_axe_violations(page, f"404 ({lang})")
    if lang == "ko":
        save_screenshot(page, "error-404-desktop")

    # The language switch's form with its token gone, as after an expired session.
    page.goto("/")
    page.evaluate(
        "document.querySelectorAll('input[name=csrfmiddlewaretoken]').forEach(e => e.remove())"
    )
    with page.expect_navigation():
        page.locator("form[action$='/i18n/setlang/'] button").first.click()
    assert words["csrf"] in page.locator("h1").inner_text()
    assert page.locator("main a[href='/']").count() >= 1
    assert_no_axe_violations(page, f"CSRF failure ({lang})")
    if lang == "ko":
        save_screenshot(page, "error-csrf-desktop")

    def broken(**kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(portal_selectors, "complaint_type_list", broken)
    response = page.goto("/services/?q=%EC%97%AC%EA%B6%8C")
    assert response is not None and response.status == 500
    assert words[500] in page.locator("h1").inner_text()
    assert "RuntimeError" not in page.content()
    assert page.locator("main a[href='/']").count() == 1
    assert_no_axe_violations(page, f"500 ({lang})")
    if lang == "ko":
        save_screenshot(page, "error-500-desktop")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_an_officer_who_passes_a_complaint_away_lands_on_the_queue(
    new_page: Callable[..., Any],
    login_as: Callable[..., None],
    road_officer: User,
    road_unit: OrgUnit,
    civil_unit: OrgUnit,
    lang: str,
) -> None:
    complaint = complaint_filed(ComplaintKind.GRIEVANCE, org_unit=road_unit, title="가로등 고장")
    page = new_page(lang=lang)
    login_as(page, road_officer)
    page.goto(f"/office/complaints/{complaint.pk}/")
    page.select_option("#id_transfer-to_org_unit", civil_unit.code)
    page.fill("#id_transfer-reason", "여권 업무는 민원여권과 소관")
    with page.expect_navigation():
        page.locator("form[action$='/transfer/'] button[type='submit']").click()
    assert page.url.split("?")[0].endswith("/office/")
    message = page.locator("main").inner_text()
    assert "가로등 고장" in message and words_left(lang) in message
    assert_no_axe_violations(page, f"queue after a transfer ({lang})")
    if lang == "ko":
        save_screenshot(page, "office-transferred-away-desktop")


def words_left(lang: str) -> str:
    return str(WORDS[lang]["left"])
