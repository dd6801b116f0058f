"""Every page of both interfaces passes axe-core (WCAG 2.1 A and AA), in Korean and in English.

The Korean desktop run also saves the screenshots docs/ui.md shows; a phone-width run checks the
small-screen layout of the main pages (and saves their phone screenshots).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from minwon.accounts.domain import Role
from minwon.accounts.models import OrgUnit, User
from tests.constants import PASSWORD
from tests.e2e.browser import DESKTOP, PHONE, assert_no_axe_violations, save_screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# (name for ids and screenshots, path, who is logged in: None | "citizen" | "officer")
PAGES: list[tuple[str, str, str | None]] = [
    ("portal-home", "/", None),
    ("portal-service-search", "/services/?q=%EB%8F%84%EB%A1%9C", None),
    ("portal-complaint-new", "/complaints/new/", "citizen"),
    ("portal-complaint-new-anonymous", "/complaints/new/", None),
    ("portal-follow", "/follow/", None),
    ("portal-my-complaints", "/my/", "citizen"),
    ("portal-display", "/display/", None),
    ("portal-privacy", "/privacy/", None),
    ("portal-accessibility", "/accessibility/", None),
    ("portal-offline", "/offline/", None),
    ("login", "/accounts/login/", None),
    ("office-home", "/office/", "officer"),
    ("office-watch", "/office/watch/", "officer"),
    ("office-intake", "/office/intake/", "officer"),
    ("office-audit", "/office/audit/", "admin"),
]
MAIN_PAGES = {"portal-home", "login", "office-home", "portal-my-complaints", "office-audit"}


@pytest.fixture
def actors(
    citizen: User, road_officer: User, make_officer: Callable[..., User], city: OrgUnit
) -> dict[str, User]:
    admin = make_officer("admin", city, Role.ADMINISTRATOR)
    return {"citizen": citizen, "officer": road_officer, "admin": admin}


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize(("name", "path", "who"), PAGES, ids=[p[0] for p in PAGES])
def test_page_has_no_wcag_violations(
    new_page: Callable[..., Any],
    login_as: Callable[..., None],
    actors: dict[str, User],
    name: str,
    path: str,
    who: str | None,
    lang: str,
) -> None:
    page = new_page(lang=lang, viewport=DESKTOP)
    if who:
        login_as(page, actors[who])
    response = page.goto(path)
    assert response is not None and response.status == 200, f"{path} answered {response}"
    assert page.locator("html").get_attribute("lang") == lang
    assert_no_axe_violations(page, f"{name} ({lang})")
    if lang == "ko":
        save_screenshot(page, f"{name}-desktop")


@pytest.mark.parametrize(
    ("name", "path", "who"),
    [p for p in PAGES if p[0] in MAIN_PAGES],
    ids=[p[0] for p in PAGES if p[0] in MAIN_PAGES],
)
def test_page_on_a_phone_has_no_wcag_violations(
    new_page: Callable[..., Any],
    login_as: Callable[..., None],
    actors: dict[str, User],
    name: str,
    path: str,
    who: str | None,
) -> None:
    page = new_page(lang="ko", viewport=PHONE)
    if who:
        login_as(page, actors[who])
    page.goto(path)
    assert_no_axe_violations(page, f"{name} (phone)")
    # Nothing wider than the screen: the page reflows instead of scrolling sideways (WCAG 1.4.10).
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    save_screenshot(page, f"{name}-phone")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_login_errors_have_no_wcag_violations(new_page: Callable[..., Any], lang: str) -> None:
    page = new_page(lang=lang)
    page.goto("/accounts/login/")
    with page.expect_navigation():
        page.locator("main button[type='submit']").click()
    assert page.locator("[aria-invalid='true']").count() == 2
    assert_no_axe_violations(page, f"login with errors ({lang})")
    if lang == "ko":
        save_screenshot(page, "login-errors-desktop")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_second_factor_pages_have_no_wcag_violations(
    new_page: Callable[..., Any],
    make_officer: Callable[..., User],
    road_unit: Any,
    lang: str,
) -> None:
    new_officer = make_officer("newcomer", road_unit, enrol=False)
    enrolled = make_officer("enrolled", road_unit)
    for user, path in ((new_officer, "/accounts/otp/enroll/"), (enrolled, "/accounts/otp/")):
        page = new_page(lang=lang)
        page.goto("/accounts/login/")
        page.locator("#id_username").fill(user.username)
        page.locator("#id_password").fill(PASSWORD)
        with page.expect_navigation():
            page.locator("#id_password").press("Enter")
        assert page.url.endswith(path)
        assert_no_axe_violations(page, f"{path} ({lang})")
        page.locator("#id_code").fill("000000")
        with page.expect_navigation():
            page.locator("#id_code").press("Enter")
        assert page.locator("#id_code[aria-invalid='true']").count() == 1
        assert_no_axe_violations(page, f"{path} with an error ({lang})")
        if lang == "ko":
            save_screenshot(page, f"{path.strip('/').replace('/', '-')}-error-desktop")


def test_high_contrast_mode_has_no_wcag_violations(
    new_page: Callable[..., Any], live_server: Any
) -> None:
    page = new_page(lang="ko")
    page.context.add_cookies([{"name": "minwon_contrast", "value": "high", "url": live_server.url}])
    page.goto("/")
    assert page.locator("html").get_attribute("data-krds-mode") == "high-contrast"
    assert_no_axe_violations(page, "home in high contrast")
    save_screenshot(page, "portal-home-high-contrast-desktop")
