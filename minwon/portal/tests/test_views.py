"""Citizen pages that need no complaint data: home, search, display preferences, PWA files."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from minwon.core.links import FOLLOW_PATH
from minwon.portal.domain import (
    CONTRAST_COOKIE,
    TEXT_SIZE_COOKIE,
    Contrast,
    TextSize,
    display_preferences,
)

pytestmark = pytest.mark.django_db


def test_home_has_the_search_box_and_the_entry_points(client: Client) -> None:
    page = client.get("/").content.decode()
    assert 'role="search"' in page
    assert 'href="/complaints/new/"' in page
    assert 'href="/my/"' in page


def test_every_page_has_a_skip_link_to_the_main_content(client: Client) -> None:
    for path in ["/", "/services/", "/display/", "/accounts/login/"]:
        page = client.get(path).content.decode()
        assert 'href="#main-content"' in page
        assert 'id="main-content"' in page


def test_the_page_language_follows_the_language_chosen(client: Client) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert '<html lang="en"' in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "ko", "next": "/"})
    assert '<html lang="ko"' in client.get("/").content.decode()


def test_search_keeps_what_was_typed(client: Client) -> None:
    page = client.get("/services/", {"q": "가로등 고장"}).content.decode()
    assert 'value="가로등 고장"' in page


def test_my_complaints_needs_a_login(client: Client) -> None:
    response = client.get("/my/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/my/")


def test_display_preferences_are_kept_and_applied(client: Client) -> None:
    response = client.post(
        "/display/", {"text_size": "xlarge", "contrast": "high", "next": "/privacy/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/privacy/"
    assert response.cookies[TEXT_SIZE_COOKIE].value == "xlarge"
    page = client.get("/privacy/").content.decode()
    assert 'class="text-xlarge"' in page
    assert 'data-krds-mode="high-contrast"' in page


def test_display_preferences_ignore_unknown_values_and_foreign_next(client: Client) -> None:
    response = client.post(
        "/display/", {"text_size": "huge", "contrast": "neon", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"
    assert response.cookies[TEXT_SIZE_COOKIE].value == TextSize.MEDIUM
    assert response.cookies[CONTRAST_COOKIE].value == Contrast.SYSTEM


def test_display_preferences_default_when_cookies_are_missing_or_wrong() -> None:
    assert display_preferences(text_size=None, contrast=None).text_size is TextSize.MEDIUM
    prefs = display_preferences(text_size="large", contrast="bogus")
    assert prefs.text_size is TextSize.LARGE
    assert prefs.contrast is Contrast.SYSTEM
    assert display_preferences(text_size=None, contrast="high").is_high_contrast


def test_manifest_describes_an_installable_app(client: Client) -> None:
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["start_url"] == "/"
    assert manifest["display"] == "standalone"
    assert {icon["sizes"] for icon in manifest["icons"]} >= {"192x192", "512x512"}
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_service_worker_is_served_from_the_root(client: Client) -> None:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert b"/offline/" in response.content


def test_the_follow_page_is_where_the_receipt_says_it_is(client: Client) -> None:
    """The 접수증 (complaints, also sent by the JSON API) prints `core.links.FOLLOW_PATH`
    without knowing the portal's URL names; the portal must route its page there."""
    assert reverse("portal:follow") == FOLLOW_PATH
    assert client.get(FOLLOW_PATH).status_code == 200
