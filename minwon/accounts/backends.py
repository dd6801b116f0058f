"""Password authentication with throttling after repeated failures."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from minwon.accounts.domain import login_name, throttle_exceeded
from minwon.accounts.models import User
from minwon.accounts.services import (
    login_failure_record,
    login_failures_clear,
    login_failures_in_window,
)


class LoginThrottled(Exception):
    """Too many failures for this account or address; try again after the window."""


class ThrottledModelBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not username or password is None:
            return None
        username = login_name(username)
        ip = request.META.get("REMOTE_ADDR") if request is not None else None
        failures = login_failures_in_window(username=username, ip=ip)
        if throttle_exceeded(failures, limit=settings.LOGIN_FAILURE_LIMIT):
            raise LoginThrottled(username)
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            login_failure_record(username=username, ip=ip)
            return None
        login_failures_clear(username=username)
        return user
