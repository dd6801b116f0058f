"""End-to-end browser tests: Playwright for Python driving Debian's Chromium.

How the server runs: pytest-django's ``live_server`` (a real HTTP server in a thread of the test
process, static files served from the finders, so KRDS and htmx load from node_modules). Each test
gets a clean database (``transactional_db``) and makes its own actors with the services (the
fixtures in the root conftest.py), so second-factor codes are computed without waiting and no test
depends on another.

The browser is Debian's ``/usr/bin/chromium`` (``apt-get install chromium``); browsers are never
downloaded with ``playwright install``. Without it every test here is skipped with a message.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client

from minwon.accounts.models import User
from tests.e2e.browser import CHROMIUM, CHROMIUM_ARGS, DESKTOP, LOCALES

# Playwright's sync API runs an event loop in this thread; the ORM calls the fixtures make here
# are still plain synchronous calls, so Django's async-safety guard is switched off for e2e tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(
        reason="end-to-end tests need Debian's Chromium at /usr/bin/chromium "
        "(apt-get install chromium); it is not installed here"
    )
    for item in items:
        if item.get_closest_marker("e2e"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's Chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser: Any, live_server: Any) -> Iterator[Callable[..., Any]]:
    """Open a page in a fresh browser context: ``new_page(lang="ko", viewport=DESKTOP)``."""
    contexts: list[Any] = []

    def make(*, lang: str = "ko", viewport: dict[str, int] | None = None) -> Any:
        context = browser.new_context(
            locale=LOCALES[lang],
            viewport=viewport or DESKTOP,
            base_url=live_server.url,
            service_workers="block",  # each test sees the server, never a cached copy
        )
        context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def login_as(live_server: Any, officer_client: Callable[[User], Client]) -> Callable[..., None]:
    """Give a page's browser context the session of a logged-in user (second factor passed)."""

    def login(page: Any, user: User) -> None:
        if user.is_officer:
            client = officer_client(user)
        else:
            client = Client()
            client.force_login(user, backend="minwon.accounts.backends.ThrottledModelBackend")
        session_id = client.cookies["sessionid"].value
        page.context.add_cookies(
            [{"name": "sessionid", "value": session_id, "url": live_server.url}]
        )

    return login
