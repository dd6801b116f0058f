"""Log in (password, then TOTP for officers), enrol a second factor, log out; the 본인확인
simulator's stand-in provider page. Thin views."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import segno
from django.contrib.auth import authenticate, login, logout
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from minwon.accounts.access import OTP_SESSION_KEY
from minwon.accounts.backends import LoginThrottled
from minwon.accounts.models import User
from minwon.accounts.providers import SimulatorProvider, identity_provider, simulator_answer
from minwon.accounts.services import (
    totp_confirm,
    totp_enroll_start,
    totp_provisioning_uri,
    totp_verify,
    user_logged_in_record,
    user_logged_out_record,
)
from minwon.core import crypto
from minwon.core.errors import ApplicationError, Throttled

PENDING_KEY = "minwon_pending_user"
NEXT_KEY = "minwon_login_next"


def _safe_next(request: HttpRequest, target: str | None, default: str) -> str:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _error_context(errors: list[tuple[str | None, str]]) -> dict[str, object]:
    """Errors for the templates: a summary list, one message per field, and a page-title flag."""
    return {
        "errors": errors,
        "field_errors": {field: message for field, message in errors if field},
        "has_errors": bool(errors),
    }


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    context: dict[str, object] = {"next": next_url, "username": ""}
    if request.method == "POST":
        username = request.POST.get("username", "").strip()
        password = request.POST.get("password", "")
        context["username"] = username
        errors: list[tuple[str | None, str]] = []
        if not username:
            errors.append(("username", _("Enter your user name.")))
        if not password:
            errors.append(("password", _("Enter your password.")))
        if errors:
            return render(
                request, "accounts/login.html", context | _error_context(errors), status=400
            )
        try:
            user = authenticate(request, username=username, password=password)
        except LoginThrottled as exc:
            minutes = max(1, -(-exc.retry_after // 60))
            message = ngettext(
                "Too many failed attempts from here. Wait %(minutes)s minute and try again, "
                "or ask an administrator.",
                "Too many failed attempts from here. Wait %(minutes)s minutes and try again, "
                "or ask an administrator.",
                minutes,
            ) % {"minutes": minutes}
            context |= _error_context([(None, message)])
            response = render(request, "accounts/login.html", context, status=429)
            response["Retry-After"] = str(exc.retry_after)
            return response
        if user is None:
            message = _("The user name or password is not correct.")
            context |= _error_context([("password", message)])
            return render(request, "accounts/login.html", context, status=400)
        assert isinstance(user, User)
        if user.is_officer:
            request.session.cycle_key()
            request.session[PENDING_KEY] = user.pk
            request.session[NEXT_KEY] = _safe_next(request, next_url, "/office/")
            if user.totp_confirmed_at is None:
                return HttpResponseRedirect("/accounts/otp/enroll/")
            return HttpResponseRedirect("/accounts/otp/")
        login(request, user)
        user_logged_in_record(user=user)
        return HttpResponseRedirect(_safe_next(request, next_url, "/"))
    return render(request, "accounts/login.html", context)


def _pending_user(request: HttpRequest) -> User | None:
    pk = request.session.get(PENDING_KEY)
    if pk is None:
        return None
    return User.objects.filter(pk=pk, is_active=True).first()


def _finish_login(request: HttpRequest, user: User) -> HttpResponse:
    next_url = request.session.get(NEXT_KEY, "/office/")
    login(request, user, backend="minwon.accounts.backends.ThrottledModelBackend")
    request.session[OTP_SESSION_KEY] = True
    user_logged_in_record(user=user)
    return HttpResponseRedirect(next_url)


@require_http_methods(["GET", "POST"])
def otp_view(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None or user.totp_confirmed_at is None:
        return HttpResponseRedirect("/accounts/login/")
    errors: list[tuple[str | None, str]] = []
    code = request.POST.get("code", "").strip()
    status = 200
    if request.method == "POST":
        try:
            totp_verify(user=user, code=code, ip=request.META.get("REMOTE_ADDR"))
        except Throttled as exc:
            errors.append((None, str(exc.message)))
            status = 429
        except ApplicationError as exc:
            errors.append(("code", str(exc.message)))
            status = 400
        else:
            return _finish_login(request, user)
    context = {"code": code} | _error_context(errors)
    return render(request, "accounts/otp.html", context, status=status)


@require_http_methods(["GET", "POST"])
def otp_enroll_view(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        return HttpResponseRedirect("/accounts/login/")
    if user.totp_confirmed_at is not None:
        return HttpResponseRedirect("/accounts/otp/")
    errors: list[tuple[str | None, str]] = []
    code = request.POST.get("code", "").strip()
    if request.method == "POST":
        try:
            totp_confirm(user=user, code=code)
        except ApplicationError as exc:
            errors.append(("code", str(exc.message)))
        else:
            return _finish_login(request, user)
    if not user.totp_secret_encrypted:
        totp_enroll_start(user=user)
    secret = crypto.decrypt(user.totp_secret_encrypted)
    qr_svg = segno.make(totp_provisioning_uri(user), error="m").svg_inline(
        scale=4, title=_("QR code for your authenticator app")
    )
    return render(
        request,
        "accounts/otp_enroll.html",
        {"secret": secret, "qr_svg": qr_svg, "code": code} | _error_context(errors),
        status=400 if errors else 200,
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if isinstance(request.user, User):
        user_logged_out_record(user=request.user)
    logout(request)
    return HttpResponseRedirect("/")


@require_http_methods(["GET", "POST"])
def identity_simulator_view(request: HttpRequest) -> HttpResponse:
    """The stand-in "provider page" of the 본인확인 simulator (404 unless it is configured): the
    person confirms (or cancels) and the browser goes back to the site with a signed answer, the
    way PASS or a 간편인증 gateway answers."""
    if identity_provider(SimulatorProvider.key) is None:
        raise Http404
    source = request.POST if request.method == "POST" else request.GET
    state = source.get("state", "")[:100]
    return_url = source.get("return_url", "")
    if not state or not url_has_allowed_host_and_scheme(
        return_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        raise Http404
    name = source.get("name", "").strip()[:100]
    birth_date = source.get("birth_date", "").strip()[:10]
    errors: list[tuple[str | None, str]] = []
    if request.method == "POST":
        if "cancel" in request.POST:
            return HttpResponseRedirect(f"{return_url}?{urlencode({'cancelled': '1'})}")
        if not name:
            errors.append(("name", _("Enter the name to confirm.")))
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", birth_date):
            errors.append(("birth_date", _("Enter the birth date as YYYY-MM-DD.")))
        if not errors:
            answer = simulator_answer(state=state, name=name, birth_date=birth_date)
            return HttpResponseRedirect(f"{return_url}?{urlencode({'answer': answer})}")
    context = {
        "state": state,
        "return_url": return_url,
        "name": name,
        "birth_date": birth_date,
    } | _error_context(errors)
    return render(
        request, "accounts/identity_simulator.html", context, status=400 if errors else 200
    )
