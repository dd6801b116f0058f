"""Service guidance in a real browser (issue 11 item 7): the home search's examples find their
services by keyboard, in Korean and English, on a desktop and a phone; 민원 안내 lists every
service by category before any search; a visit-only service says so. axe-clean."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from minwon.accounts.services import org_chart_import_csv
from minwon.catalog.services import catalog_seed_examples
from tests.e2e.browser import PHONE, assert_no_axe_violations, save_screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
ORG_CSV = (
    Path(__file__).resolve().parents[2] / "minwon" / "accounts" / "data" / "paju_org_units.csv"
)


@pytest.fixture
def catalogue() -> None:
    org_chart_import_csv(
        actor=None,
        path=ORG_CSV,
        city_code="paju",
        city_name_ko="파주시",
        city_name_en="Paju City",
        city_admin_code="4148000000",
    )
    assert catalog_seed_examples().ok


def search_by_keyboard(page: Any, words: str) -> None:
    page.goto("/")
    page.keyboard.press("Tab")  # the skip link first
    field = page.locator("#hero-q")
    field.focus()
    page.keyboard.type(words)
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.mark.parametrize(
    ("lang", "words", "expected"),
    [
        ("ko", "도로 파임", "도로 파손 신고 (포트홀·보도블록)"),
        ("ko", "등본", "주민등록표 등·초본 발급"),
        ("en", "passport", "Passport issue"),
        ("en", "street light", "Street light or security light out of order"),
    ],
)
def test_the_examples_find_their_service(
    new_page: Callable[..., Any], catalogue: None, lang: str, words: str, expected: str
) -> None:
    page = new_page(lang=lang)
    search_by_keyboard(page, words)
    first = page.locator(".result-item").first
    assert first.locator(".entry-title").inner_text() == expected
    assert_no_axe_violations(page, f"search {words} ({lang})")
    if words in {"도로 파임", "passport"}:
        save_screenshot(page, f"service-search-{lang}")


def test_a_visit_only_service_says_so_on_a_phone(
    new_page: Callable[..., Any], catalogue: None
) -> None:
    page = new_page(lang="ko", viewport=PHONE)
    search_by_keyboard(page, "주민등록증 신규 발급")
    first = page.locator(".result-item").first
    assert "방문 필요" in first.inner_text()
    assert first.locator("a", has_text="온라인 신청").count() == 0
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "the result scrolls sideways on a phone"
    assert_no_axe_violations(page, "visit-only service on a phone")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_guide_lists_every_service_before_any_search(
    new_page: Callable[..., Any], catalogue: None, lang: str
) -> None:
    page = new_page(lang=lang)
    page.goto("/services/")
    assert page.locator(".service-category").count() >= 5
    assert page.locator(".result-item").count() == 31
    heading = "생활불편" if lang == "ko" else "Everyday problems"
    page.locator(".category-nav a", has_text=heading).click()
    assert page.evaluate("location.hash").startswith("#category-")
    assert_no_axe_violations(page, f"service guide ({lang})")
    save_screenshot(page, f"service-guide-{lang}")
