"""Who is asking in this browser session: the account, and the complaints followed without one."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from minwon.accounts.models import User
from minwon.complaints.models import Complaint


def safe_next(request: HttpRequest, target: str | None) -> str:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


FOLLOWED_SESSION_KEY = "portal_followed_complaints"


def session_account(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) and user.is_authenticated else None


def session_citizen(request: HttpRequest) -> User:
    user = session_account(request)
    assert user is not None
    return user


def followed_ids(request: HttpRequest) -> list[int]:
    return [int(pk) for pk in request.session.get(FOLLOWED_SESSION_KEY, [])]


def follow_in_session(request: HttpRequest, complaint: Complaint) -> None:
    """This browser session may now open the complaint (filed here, or found by password)."""
    followed = [pk for pk in followed_ids(request) if pk != complaint.pk][-19:]
    request.session[FOLLOWED_SESSION_KEY] = [*followed, complaint.pk]
