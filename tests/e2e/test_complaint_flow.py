"""A citizen files a complaint, an officer answers it, the citizen reads the answer: by mouse (in
Korean and English) and by keyboard alone. Every page on the way passes axe-core."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from minwon.accounts.models import User
from tests.e2e.browser import assert_no_axe_violations, save_screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "시청로 50 앞 보도블록 파손"
BODY = "보도블록이 깨져서 유모차가 지나가기 어렵습니다. 고쳐 주세요."
ANSWER = "현장을 확인하고 보도블록을 교체했습니다. 알려 주셔서 고맙습니다."


class Driver:
    """Mouse or keyboard: the same steps, two ways of doing them."""

    def __init__(self, page: Any, keyboard: bool) -> None:
        self.page, self.keyboard = page, keyboard

    def _tab_to(self, selector: str) -> None:
        target = self.page.locator(selector)
        for _ in range(200):
            if target.evaluate("element => element === document.activeElement"):
                return
            self.page.keyboard.press("Tab")
        raise AssertionError(f"Tab never reached {selector}")

    def fill(self, selector: str, text: str) -> None:
        if self.keyboard:
            self._tab_to(selector)
            self.page.keyboard.press("Control+A")
            self.page.keyboard.type(text)
        else:
            self.page.locator(selector).click()
            self.page.locator(selector).fill(text)

    def check(self, selector: str) -> None:
        if self.keyboard:
            self._tab_to(selector)
            self.page.keyboard.press("Space")
        else:
            self.page.locator(f"label[for='{selector.removeprefix('#')}']").click()
        assert self.page.locator(selector).is_checked()

    def press(self, selector: str) -> None:
        """Activate a button or link and wait for the next page."""
        with self.page.expect_navigation():
            if self.keyboard:
                self._tab_to(selector)
                self.page.keyboard.press("Enter")
            else:
                self.page.locator(selector).click()


@pytest.mark.parametrize(("mode", "lang"), [("mouse", "ko"), ("mouse", "en"), ("keyboard", "ko")])
def test_citizen_files_officer_answers_citizen_reads(
    new_page: Callable[..., Any],
    login_as: Callable[..., None],
    citizen: User,
    supervisor: User,
    mode: str,
    lang: str,
) -> None:
    keyboard = mode == "keyboard"
    shots = mode == "mouse" and lang == "ko"

    # The citizen fills in the form, checks it and sends it.
    citizen_page = new_page(lang=lang)
    login_as(citizen_page, citizen)
    citizen_page.goto("/")
    you = Driver(citizen_page, keyboard)
    you.press("main a[href='/complaints/new/']")
    assert_no_axe_violations(citizen_page, f"filing form ({lang})")
    if shots:
        save_screenshot(citizen_page, "portal-complaint-new-desktop")
    you.check("#id_kind_0")
    you.fill("#id_title", TITLE)
    you.fill("#id_body", BODY)
    you.fill("#id_location_text", "경기도 파주시 시청로 50")
    you.fill("#id_address", "경기도 파주시 금정로 1")
    # Forgetting the consent brings the form back with the error and everything typed kept.
    you.press("button[name='step'][value='preview']")
    assert citizen_page.locator("#id_consent[aria-invalid='true']").count() == 1
    assert citizen_page.locator("#id_title").input_value() == TITLE
    assert_no_axe_violations(citizen_page, f"filing form with an error ({lang})")
    you.check("#id_consent")
    you.press("button[name='step'][value='preview']")
    assert_no_axe_violations(citizen_page, f"filing preview ({lang})")
    if shots:
        save_screenshot(citizen_page, "portal-complaint-preview-desktop")
    you.press("button[name='step'][value='submit']")
    assert "/my/" in citizen_page.url
    assert citizen_page.locator("h1").inner_text() == TITLE
    assert_no_axe_violations(citizen_page, f"receipt ({lang})")
    if shots:
        save_screenshot(citizen_page, "portal-receipt-desktop")
    receipt_url = citizen_page.url

    # The officer finds it in the queue, registers it, takes it on and answers it.
    officer_page = new_page(lang=lang)
    login_as(officer_page, supervisor)
    officer_page.goto("/office/?scope=unit")
    assert_no_axe_violations(officer_page, f"office queue ({lang})")
    officer = Driver(officer_page, keyboard)
    officer.press(f"main a:text-is('{TITLE}')")
    assert_no_axe_violations(officer_page, f"office complaint ({lang})")
    officer.press("form[action$='/register/'] button")
    officer.press("form[action$='/assign-me/'] button")
    if shots:
        save_screenshot(officer_page, "office-complaint-desktop")
    officer.fill("#id_answer-answer", ANSWER)
    officer.press("form[action$='/answer/'] button[type='submit']")
    assert officer_page.locator(".answer-panel").count() == 1
    assert_no_axe_violations(officer_page, f"office complaint answered ({lang})")
    officer_page.goto("/office/?scope=unit")
    if shots:
        save_screenshot(officer_page, "office-queue-desktop")

    # The citizen reads the answer.
    citizen_page.goto(receipt_url)
    assert ANSWER in citizen_page.locator(".answer-panel").inner_text()
    assert_no_axe_violations(citizen_page, f"answered complaint ({lang})")
    if shots:
        save_screenshot(citizen_page, "portal-answered-desktop")
    citizen_page.goto("/my/")
    assert_no_axe_violations(citizen_page, f"my complaints ({lang})")
