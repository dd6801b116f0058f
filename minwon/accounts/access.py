"""Who may enter the office interface: an officer who passed the second factor."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

from minwon.accounts.models import User

OTP_SESSION_KEY = "minwon_otp_verified"

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponse])


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
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if officer_from_request(request) is None:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return cast(ViewFunc, wrapped)
