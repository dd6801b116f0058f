"""Password authentication behind the login failure throttle (THROTTLES["login"], backoff)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from minwon.accounts.domain import login_name
from minwon.accounts.models import User
from minwon.accounts.services import (
    login_account,
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
    """The account is found by `accounts.services.login_account`: the user name as typed
    (officers, case kept), else a citizen's e-mail address or mobile number by its blind index.
    Failures count against the account's user name, so every spelling of one address shares
    one count; for a name without an account, against the name typed (addresses normalised)."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not username or password is None:
            return None
        ip = request.META.get("REMOTE_ADDR") if request is not None else None
        account = login_account(username)
        name = account.username if account is not None else login_name(username)
        wait = login_wait_seconds(username=name, ip=ip)
        if wait:
            raise LoginThrottled(name, wait)
        if account is None:
            # The same hashing work as a wrong password, so the answer's time does not tell
            # whether the account exists (as ModelBackend does).
            User().set_password(password)
        elif account.check_password(password) and self.user_can_authenticate(account):
            login_success_record(username=name, ip=ip)
            return account
        login_failure_record(username=name, ip=ip, user=account)
        return None
