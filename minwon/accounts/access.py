"""Who is calling: officers past their second factor (web), people and integrators (API)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext_lazy as _
from ninja.security import APIKeyHeader, HttpBearer, SessionAuth
from ninja.utils import check_csrf

from minwon.accounts.domain import PERSONAL_TOKEN_PREFIX, ApiScope
from minwon.accounts.models import ApiKey, User
from minwon.accounts.selectors import api_key_get_active, personal_token_get_active
from minwon.core import clock
from minwon.core.errors import PermissionDenied
from minwon.core.ratelimit import rate_limit_hit

OTP_SESSION_KEY = "minwon_otp_verified"

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponseBase])


def officer_from_request(request: HttpRequest) -> User | None:
    """The logged-in officer who passed the second factor in this session, else None."""
    user = request.user
    if not user.is_authenticated:
        return None
    officer = user
    if not officer.is_officer or not officer.is_active:
        return None
    if not request.session.get(OTP_SESSION_KEY):
        return None
    return officer


def officer_required(view: ViewFunc) -> ViewFunc:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if officer_from_request(request) is None:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return cast(ViewFunc, wrapped)


# --- the JSON API: who is calling -------------------------------------------------------------


@dataclass(frozen=True)
class ApiPrincipal:
    """The caller of an API endpoint: a person (session) or an integrator's key."""

    user: User | None = None
    api_key: ApiKey | None = None

    @property
    def is_officer(self) -> bool:
        return self.user is not None and self.user.is_officer

    def has_scope(self, scope: ApiScope) -> bool:
        return self.api_key is not None and self.api_key.has_scope(scope.value)


class ApiKeyAuth(APIKeyHeader):
    """`X-API-Key: mw_…` (or `Authorization: Bearer mw_…`), rate-limited per key."""

    param_name = "X-API-Key"

    def __call__(self, request: HttpRequest) -> ApiPrincipal | None:
        raw = request.headers.get("X-API-Key", "") or _bearer(request)
        if raw.startswith(PERSONAL_TOKEN_PREFIX):
            return None
        return self.authenticate(request, raw)

    def authenticate(self, request: HttpRequest, key: str | None) -> ApiPrincipal | None:
        api_key = api_key_get_active(key or "")
        if api_key is None:
            return None
        rate_limit_hit(f"apikey:{api_key.pk}", limit=api_key.rate_limit_per_minute)
        return ApiPrincipal(api_key=api_key)


def _carries_credential(request: HttpRequest) -> bool:
    """The request names its caller itself: a bearer token or an API key header."""
    return bool(_bearer(request) or request.headers.get("X-API-Key"))


class PersonSessionAuth(SessionAuth):
    """The session cookie, consulted only when the request carries no token or key.

    django-ninja's own cookie authentication runs the CSRF check *before* it knows whether the
    session belongs to anyone, so a POST that authenticates with `Authorization: Bearer` (a
    script, no CSRF cookie) was refused with 403 before its token was read. Here a request that
    brings its own credential is left to the token and key authenticators, and CSRF is checked
    only for a request this session actually authenticates — the case CSRF protects.
    """

    def __call__(self, request: HttpRequest) -> Any | None:
        if _carries_credential(request):
            return None
        principal = self.authenticate(request, request.COOKIES.get(self.param_name))
        if principal is None:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise PermissionDenied(
                _(
                    "The request came without the page's security token (CSRF). Reload the "
                    "page and try again, or use a personal token."
                ),
                code="csrf_failed",
            )
        return principal

    def authenticate(self, request: HttpRequest, key: str | None) -> Any | None:
        raise NotImplementedError  # pragma: no cover


class SessionPrincipalAuth(PersonSessionAuth):
    """A logged-in person; officers count only after their second factor."""

    def authenticate(self, request: HttpRequest, key: str | None) -> ApiPrincipal | None:
        user = request.user
        if not user.is_authenticated or not user.is_active:
            return None
        if user.is_officer and officer_from_request(request) is None:
            return None
        rate_limit_hit(f"user:{user.pk}", limit=600)
        return ApiPrincipal(user=user)


class CitizenSessionAuth(PersonSessionAuth):
    """A logged-in citizen (session cookie, CSRF checked)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = request.user
        if user.is_authenticated and user.is_active and not user.is_officer:
            return user
        return None


class OfficerSessionAuth(PersonSessionAuth):
    """A logged-in officer who passed the second factor in this session (CSRF checked)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        return officer_from_request(request)


def _bearer(request: HttpRequest) -> str:
    auth = request.headers.get("Authorization", "")
    return auth[7:].strip() if auth.lower().startswith("bearer ") else ""


def person_from_token(request: HttpRequest) -> User | None:
    """The person behind `Authorization: Bearer mwp_…`, rate-limited per person."""
    raw = _bearer(request)
    if not raw.startswith(PERSONAL_TOKEN_PREFIX):
        return None
    token = personal_token_get_active(raw, now=clock.now())
    if token is None:
        return None
    rate_limit_hit(f"user:{token.user_id}", limit=600)
    return token.user


class TokenPrincipalAuth(HttpBearer):
    """A person's bearer token (issued after the second factor, so it counts as passed)."""

    def __call__(self, request: HttpRequest) -> ApiPrincipal | None:
        user = person_from_token(request)
        return ApiPrincipal(user=user) if user is not None else None

    def authenticate(self, request: HttpRequest, token: str) -> ApiPrincipal | None:
        return self(request)  # pragma: no cover - __call__ does the work


class CitizenTokenAuth(HttpBearer):
    def __call__(self, request: HttpRequest) -> User | None:
        user = person_from_token(request)
        return user if user is not None and not user.is_officer else None

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        return self(request)  # pragma: no cover


class OfficerTokenAuth(HttpBearer):
    def __call__(self, request: HttpRequest) -> User | None:
        user = person_from_token(request)
        return user if user is not None and user.is_officer else None

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        return self(request)  # pragma: no cover


# Credentials the request carries come first, the session cookie last (see PersonSessionAuth).
API_AUTH = [TokenPrincipalAuth(), ApiKeyAuth(), SessionPrincipalAuth()]
CITIZEN_AUTH = [CitizenTokenAuth(), CitizenSessionAuth()]
OFFICER_AUTH = [OfficerTokenAuth(), OfficerSessionAuth()]
