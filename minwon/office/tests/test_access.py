"""Every URL under /office/ requires an officer who passed the second factor (GOV.UK Notify's
"every route is authenticated" test): the list of URLs comes from the URLconf, so a new page is
covered the day it is added."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, reverse
from django.urls.converters import IntConverter, UUIDConverter

from minwon.accounts.models import User
from minwon.office import urls as office_urls


def _patterns(
    patterns: Sequence[URLPattern | URLResolver], namespace: str
) -> Iterator[tuple[str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if entry.namespace else namespace
            yield from _patterns(entry.url_patterns, inner)
        else:
            yield namespace, entry


def _sample_value(converter: Any) -> Any:
    if isinstance(converter, IntConverter):
        return 1
    if isinstance(converter, UUIDConverter):
        return uuid.UUID(int=1)
    return "x"


def office_paths() -> list[str]:
    paths = []
    for namespace, pattern in _patterns(office_urls.urlpatterns, office_urls.app_name):
        assert pattern.name, f"office URL {pattern.pattern} has no name"
        converters = getattr(pattern.pattern, "converters", {})
        kwargs = {name: _sample_value(conv) for name, conv in converters.items()}
        paths.append(reverse(f"{namespace}:{pattern.name}", kwargs=kwargs))
    return paths


OFFICE_PATHS = office_paths()


def _is_login_redirect(response: Any, path: str) -> bool:
    return bool(
        response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")
    )


def test_the_office_has_urls() -> None:
    assert "/office/" in OFFICE_PATHS


@pytest.mark.parametrize("path", OFFICE_PATHS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_are_sent_to_log_in(
    client: Client, db: None, path: str, method: str
) -> None:
    response = getattr(client, method)(path)
    assert _is_login_redirect(response, path), f"{method.upper()} {path}: {response.status_code}"


@pytest.mark.parametrize("path", OFFICE_PATHS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_citizens_are_sent_to_log_in(citizen_client: Client, path: str, method: str) -> None:
    response = getattr(citizen_client, method)(path)
    assert _is_login_redirect(response, path), f"{method.upper()} {path}: {response.status_code}"


@pytest.mark.parametrize("path", OFFICE_PATHS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_officers_without_the_second_factor_are_sent_to_log_in(
    road_officer: User, path: str, method: str
) -> None:
    client = Client()
    client.force_login(road_officer, backend="minwon.accounts.backends.ThrottledModelBackend")
    response = getattr(client, method)(path)
    assert _is_login_redirect(response, path), f"{method.upper()} {path}: {response.status_code}"


@pytest.mark.parametrize("path", OFFICE_PATHS)
def test_officers_with_the_second_factor_get_past_the_gate(
    officer_client: Callable[[User], Client], road_officer: User, path: str
) -> None:
    """The same requests succeed for a logged-in officer, so the tests above fail for the right
    reason (missing objects answer 404, which is not a login redirect)."""
    response = officer_client(road_officer).get(path)
    assert not _is_login_redirect(response, path)
    assert response.status_code in {200, 302, 404, 405}
