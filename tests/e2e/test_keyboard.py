"""The office can be reached by keyboard alone: skip link, password, second factor (Tab and Enter)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from minwon.accounts.models import User
from tests.constants import PASSWORD
from tests.e2e.browser import next_totp_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def focused(page: Any) -> str:
    """The focused element, as tag#id or tag: text, for readable assertions."""
    return str(
        page.evaluate(
            "(() => { const e = document.activeElement;"
            " return e.id ? `${e.tagName.toLowerCase()}#${e.id}`"
            " : `${e.tagName.toLowerCase()}: ${e.textContent.trim()}`; })()"
        )
    )


def skip_to_main(page: Any) -> None:
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main-content"
    page.keyboard.press("Enter")
    assert focused(page) == "main#main-content"


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_officer_logs_in_by_keyboard_alone(
    new_page: Callable[..., Any], road_officer: User, lang: str
) -> None:
    page = new_page(lang=lang)
    page.goto("/office/")
    page.wait_for_url("**/accounts/login/?next=/office/")

    skip_to_main(page)
    page.keyboard.press("Tab")
    assert focused(page) == "input#id_username"
    page.keyboard.type(road_officer.username)
    page.keyboard.press("Tab")
    assert focused(page) == "input#id_password"
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/accounts/otp/" in page.url  # the #main-content fragment may follow the redirect

    skip_to_main(page)
    page.keyboard.press("Tab")
    assert focused(page) == "input#id_code"
    page.keyboard.type(next_totp_code(road_officer))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.split("#")[0].endswith("/office/")
    assert page.locator("h1").count() == 1
    assert page.locator("nav.office-nav [aria-current='page']").count() == 1


def test_errors_take_the_focus_and_keep_what_was_typed(
    new_page: Callable[..., Any], road_officer: User
) -> None:
    page = new_page(lang="ko")
    page.goto("/accounts/login/")
    skip_to_main(page)
    page.keyboard.press("Tab")
    page.keyboard.type(road_officer.username)
    page.keyboard.press("Tab")  # password left empty
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # The first field in error has the focus; what the officer typed is still there.
    assert focused(page) == "input#id_password"
    assert page.locator("#id_username").input_value() == road_officer.username
    assert page.locator("#id_password").get_attribute("aria-describedby") == "password-error"
    # The error summary links to the field.
    assert page.locator("[data-error-summary] a[href='#id_password']").count() == 1
