"""Password authentication behind the login failure throttle (THROTTLES["login"], backoff)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from minwon.accounts.domain import login_name
from minwon.accounts.models import User
from minwon.accounts.services import (
    login_failure_record,
    login_success_record,
    login_wait_seconds,
)


class LoginThrottled(Exception):
    """Too many failures for this account from this address (or from this address, or for
    this account from everywhere); nothing was checked; try again in `retry_after` seconds."""

    def __init__(self, username: str, retry_after: int) -> None:
        super().__init__(username)
        self.retry_after = retry_after


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
        wait = login_wait_seconds(username=username, ip=ip)
        if wait:
            raise LoginThrottled(username, wait)
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            login_failure_record(username=username, ip=ip)
            return None
        login_success_record(username=username, ip=ip)
        return user
