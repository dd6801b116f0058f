"""Fixtures shared by every test folder: the organisation and one actor of each kind."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory

from minwon.accounts.access import OTP_SESSION_KEY
from minwon.accounts.domain import OrgUnitKind, Role
from minwon.accounts.models import OrgUnit, User
from minwon.accounts.services import org_unit_create
from tests.factories import citizen_make, officer_make


@pytest.fixture
def city(db: None) -> OrgUnit:
    return org_unit_create(
        actor=None,
        code="paju",
        name_ko="파주시",
        name_en="Paju City",
        kind=OrgUnitKind.CITY,
        parent=None,
    )


@pytest.fixture
def road_unit(city: OrgUnit) -> OrgUnit:
    bureau = org_unit_create(
        actor=None,
        code="city-mgmt",
        name_ko="도시관리사업본부",
        kind=OrgUnitKind.AGENCY,
        parent=city,
    )
    return org_unit_create(
        actor=None,
        code="road",
        name_ko="도로관리과",
        name_en="Road Maintenance Division",
        kind=OrgUnitKind.DIVISION,
        parent=bureau,
    )


@pytest.fixture
def civil_unit(city: OrgUnit) -> OrgUnit:
    return org_unit_create(
        actor=None, code="civil", name_ko="민원여권과", kind=OrgUnitKind.DIVISION, parent=city
    )


@pytest.fixture
def make_officer(db: None) -> Callable[..., User]:
    return officer_make


@pytest.fixture
def road_officer(make_officer: Callable[..., User], road_unit: OrgUnit) -> User:
    return make_officer("road", road_unit, Role.DEPARTMENT_OFFICER)


@pytest.fixture
def supervisor(make_officer: Callable[..., User], civil_unit: OrgUnit) -> User:
    return make_officer("supervisor", civil_unit, Role.COMPLAINT_SUPERVISOR)


@pytest.fixture
def counter_officer(make_officer: Callable[..., User], civil_unit: OrgUnit) -> User:
    return make_officer("counter", civil_unit, Role.COUNTER_OFFICER)


@pytest.fixture
def citizen(db: None) -> User:
    return citizen_make()


class BrowserClient(Client):
    """A test client that enforces CSRF and, like a page's form or script, sends the token.

    Django's test client skips the CSRF check unless asked; the session-authenticated tests run
    with it enforced so a session request without the token is refused as it would be live.
    `csrf=False` on a request leaves the token out (to test the refusal).
    """

    def __init__(self, **defaults: Any) -> None:
        super().__init__(enforce_csrf_checks=True, **defaults)
        request = RequestFactory().get("/")
        self.csrf_token = get_token(request)
        self.cookies[settings.CSRF_COOKIE_NAME] = request.META["CSRF_COOKIE"]

    def request(self, **request: Any) -> Any:
        send = request.pop("csrf", True)
        if send and request.get("REQUEST_METHOD", "GET") not in {"GET", "HEAD", "OPTIONS", "TRACE"}:
            request.setdefault("HTTP_X_CSRFTOKEN", self.csrf_token)
        return super().request(**request)


@pytest.fixture
def officer_client() -> Callable[[User], Client]:
    """A test client logged in as the officer, second factor passed (CSRF enforced)."""

    def make(user: User) -> Client:
        client = BrowserClient()
        client.force_login(user, backend="minwon.accounts.backends.ThrottledModelBackend")
        session = client.session
        session[OTP_SESSION_KEY] = True
        session.save()
        return client

    return make


@pytest.fixture
def citizen_client(citizen: User) -> Client:
    client = BrowserClient()
    client.force_login(citizen, backend="minwon.accounts.backends.ThrottledModelBackend")
    return client
