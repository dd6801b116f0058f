"""A citizen's account: sign up with a code sent to an e-mail address or a mobile phone, and
choose a new password the same way. Thin: parse, call one service, render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from minwon.accounts.domain import VerificationPurpose
from minwon.accounts.services import (
    TooManyCodes,
    citizen_signup_complete,
    password_reset_complete,
)
from minwon.core.errors import ApplicationError
from minwon.portal.schemas import AddressForm, ResetCodeForm, SignupCodeForm
from minwon.portal.services import verification_code_send
from minwon.web.forms import form_errors, service_error

SIGNUP_KEY = "portal_signup_verification"
RESET_KEY = "portal_reset_verification"
_KEYS = {VerificationPurpose.SIGNUP: SIGNUP_KEY, VerificationPurpose.PASSWORD_RESET: RESET_KEY}
_STEPS = {
    VerificationPurpose.SIGNUP: ("portal/account/signup.html", "portal:signup-code"),
    VerificationPurpose.PASSWORD_RESET: (
        "portal/account/reset.html",
        "portal:password-reset-code",
    ),
}


def _language() -> str:
    return "en" if (get_language() or "ko").startswith("en") else "ko"


def _address_step(request: HttpRequest, purpose: VerificationPurpose) -> HttpResponse:
    template, next_step = _STEPS[purpose]
    form = AddressForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            verification = verification_code_send(
                purpose=purpose,
                address=form.cleaned_data["address"],
                client_ip=request.META.get("REMOTE_ADDR"),
                language=_language(),
            )
        except TooManyCodes as exc:
            service_error(form, exc)
            status = 429
        except ApplicationError as exc:
            service_error(form, exc)
        else:
            request.session[_KEYS[purpose]] = verification.pk
            return HttpResponseRedirect(reverse(next_step))
    if form.errors and status == 200:
        status = 400
    context = {"form": form} | form_errors(form if form.is_bound else None)
    return render(request, template, context, status=status)


def _code_page(
    request: HttpRequest, template: str, form: SignupCodeForm | ResetCodeForm
) -> HttpResponse:
    context = {
        "form": form,
        "demo_messages": settings.NOTIFICATIONS_RECORDING,
    } | form_errors(form if form.is_bound else None)
    return render(request, template, context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Step 1 of 2: the e-mail address or mobile number to prove."""
    if request.user.is_authenticated:
        return HttpResponseRedirect(reverse("portal:my-complaints"))
    return _address_step(request, VerificationPurpose.SIGNUP)


@require_http_methods(["GET", "POST"])
def signup_code(request: HttpRequest) -> HttpResponse:
    """Step 2 of 2: the code, the name and a password; then the citizen is logged in."""
    verification_id = request.session.get(SIGNUP_KEY)
    if verification_id is None:
        return HttpResponseRedirect(reverse("portal:signup"))
    form = SignupCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = citizen_signup_complete(
                verification_id=int(verification_id),
                code=data["code"],
                name=data["name"],
                password=data["password"],
                password_again=data["password_again"],
                language=_language(),
            )
        except ApplicationError as exc:
            service_error(form, exc)
        else:
            request.session.pop(SIGNUP_KEY, None)
            login(request, user, backend="minwon.accounts.backends.ThrottledModelBackend")
            messages.success(request, _("Welcome. Your account is ready."))
            return HttpResponseRedirect(reverse("portal:my-complaints"))
    return _code_page(request, "portal/account/signup_code.html", form)


@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    """Step 1 of 2: the account's e-mail address or mobile number."""
    return _address_step(request, VerificationPurpose.PASSWORD_RESET)


@require_http_methods(["GET", "POST"])
def password_reset_code(request: HttpRequest) -> HttpResponse:
    """Step 2 of 2: the code and the new password; every session of the account ends."""
    verification_id = request.session.get(RESET_KEY)
    if verification_id is None:
        return HttpResponseRedirect(reverse("portal:password-reset"))
    form = ResetCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            password_reset_complete(
                verification_id=int(verification_id),
                code=data["code"],
                password=data["password"],
                password_again=data["password_again"],
            )
        except ApplicationError as exc:
            service_error(form, exc)
        else:
            request.session.flush()  # a new session; the account's others no longer match
            messages.success(request, _("Your password has been changed. Log in with it."))
            return HttpResponseRedirect(reverse("accounts:login"))
    return _code_page(request, "portal/account/reset_code.html", form)
