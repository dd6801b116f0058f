"""Citizen web interface (/): thin views (parse, check access, call a service or selector)."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from minwon.accounts.domain import throttle_exceeded
from minwon.accounts.models import User
from minwon.accounts.services import login_failure_record, login_failures_in_window
from minwon.complaints.access import (
    access_complaint_by_receipt,
    access_complaint_followed,
    access_complaint_for_citizen,
)
from minwon.complaints.domain import (
    OPEN_STATUSES,
    RATEABLE_STATUSES,
    ComplaintStatus,
    typed_follow_number,
    typed_receipt_number,
)
from minwon.complaints.models import Complaint
from minwon.complaints.selectors import (
    attachment_list,
    complaint_event_list,
    complaint_list_for_citizen,
    satisfaction_for_latest_answer,
    supplement_request_latest,
)
from minwon.complaints.services import (
    complaint_file,
    complaint_satisfaction_rate,
    complaint_supplement_submit,
    complaint_withdraw,
)
from minwon.core.errors import ApplicationError, NotFound
from minwon.portal.domain import (
    CONTRAST_COOKIE,
    PREFERENCE_COOKIE_AGE,
    TEXT_SIZE_COOKIE,
    Contrast,
    TextSize,
    display_preferences,
)
from minwon.portal.schemas import (
    FilingForm,
    FollowForm,
    FollowPasswordForm,
    RatingForm,
    SupplementForm,
    WithdrawForm,
)
from minwon.portal.selectors import map_tile_url
from minwon.portal.selectors import service_search as service_search_select
from minwon.portal.services import upload_discard, upload_list, upload_read, upload_stage
from minwon.web.choices import filing_type_choices
from minwon.web.downloads import attachment_download, receipt_download
from minwon.web.files import file_inputs, file_limits
from minwon.web.forms import form_errors, service_error


def _safe_next(request: HttpRequest, target: str | None) -> str:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


@require_GET
def service_search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    results = list(service_search_select(query=query)) if query else []
    context = {"query": query, "results": results, "language": request.LANGUAGE_CODE}
    return render(request, "portal/service_search.html", context)


FOLLOWED_SESSION_KEY = "portal_followed_complaints"
UPLOADS_SESSION_KEY = "portal_filing_uploads"
FOLLOW_THROTTLE_PREFIX = "receipt:"


def _account(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) and user.is_authenticated else None


def _citizen(request: HttpRequest) -> User:
    user = _account(request)
    assert user is not None
    return user


def _followed(request: HttpRequest) -> list[int]:
    return [int(pk) for pk in request.session.get(FOLLOWED_SESSION_KEY, [])]


def _follow(request: HttpRequest, complaint: Complaint) -> None:
    """This browser session may now open the complaint (filed here, or found by password)."""
    followed = [pk for pk in _followed(request) if pk != complaint.pk][-19:]
    request.session[FOLLOWED_SESSION_KEY] = [*followed, complaint.pk]


def _staged_token(request: HttpRequest, form: FilingForm) -> str:
    """The staging token the form carries, if this session made it."""
    raw = request.POST.get("upload_token", "")
    return raw if raw in request.session.get(UPLOADS_SESSION_KEY, []) else ""


def _remember_token(request: HttpRequest, token: str) -> None:
    tokens = [t for t in request.session.get(UPLOADS_SESSION_KEY, []) if t != token][-4:]
    request.session[UPLOADS_SESSION_KEY] = [*tokens, token] if token else tokens


def _filing_page(
    request: HttpRequest,
    template: str,
    form: FilingForm,
    *,
    token: str,
    password_form: FollowPasswordForm | None = None,
    status: int = 200,
    show_errors: bool = True,
) -> HttpResponse:
    context: dict[str, Any] = {
        "form": form,
        "password_form": password_form,
        "without_account": form.without_account,
        "upload_token": token,
        "staged": upload_list(token=token),
        "map_tile_url": map_tile_url(),
        **file_limits(),
    }
    if show_errors:
        context |= form_errors(form, password_form)
    response = render(request, template, context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def complaint_new(request: HttpRequest) -> HttpResponse:
    """File a complaint in three steps on one URL: fill in, check, send. Nothing typed is lost
    ('change' goes back to the filled-in form, files included). Without an account the password
    to follow the complaint is chosen on the check page."""
    citizen = _account(request)
    without_account = citizen is None
    choices = filing_type_choices(language=request.LANGUAGE_CODE)
    if request.method == "GET":
        initial: dict[str, Any] = {}
        if citizen is not None:
            initial = {"name": citizen.name, "phone": citizen.phone, "email": citizen.email}
        if request.GET.get("type"):
            initial |= {"kind": "statutory", "complaint_type": request.GET["type"]}
        form = FilingForm(initial=initial, type_choices=choices, without_account=without_account)
        return _filing_page(request, "portal/complaint_new.html", form, token="")
    form = FilingForm(
        request.POST, request.FILES, type_choices=choices, without_account=without_account
    )
    step = request.POST.get("step", "preview")
    token = _staged_token(request, form)
    if step == "edit":
        return _filing_page(
            request, "portal/complaint_new.html", form, token=token, show_errors=False
        )
    if not form.is_valid():
        return _filing_page(request, "portal/complaint_new.html", form, token=token, status=400)
    if step == "preview":
        try:
            token = upload_stage(
                token=token,
                files=file_inputs(form.cleaned_data["attachments"]),
                replace=form.cleaned_data["remove_uploads"],
            )
        except ApplicationError as exc:
            service_error(form, exc)
            return _filing_page(request, "portal/complaint_new.html", form, token=token, status=400)
        _remember_token(request, token)
        password_form = FollowPasswordForm() if without_account else None
        return _filing_page(
            request,
            "portal/complaint_preview.html",
            form,
            token=token,
            password_form=password_form,
            show_errors=False,
        )
    password = ""
    if without_account:
        password_form = FollowPasswordForm(request.POST)
        if not password_form.is_valid():
            return _filing_page(
                request,
                "portal/complaint_preview.html",
                form,
                token=token,
                password_form=password_form,
                status=400,
            )
        password = password_form.cleaned_data["status_password"]
    try:
        complaint = complaint_file(
            data=form.filing(files=upload_read(token=token), status_password=password),
            citizen=citizen,
        )
    except ApplicationError as exc:
        service_error(form, exc)
        return _filing_page(request, "portal/complaint_new.html", form, token=token, status=400)
    upload_discard(token=token)
    _remember_token(request, "")
    if without_account:
        _follow(request, complaint)
        messages.success(
            request,
            _(
                "Your complaint has been sent. Note its follow-up number %(number)s: with it and "
                "your password you can follow the complaint from any device."
            )
            % {"number": complaint.follow_number},
        )
    else:
        messages.success(
            request,
            _(
                "Your complaint has been sent. Its follow-up number is %(number)s; you also find "
                "it under “My complaints”."
            )
            % {"number": complaint.follow_number},
        )
    return HttpResponseRedirect(reverse("portal:my-complaint", args=[complaint.pk]))


@login_required
@require_GET
def my_complaints(request: HttpRequest) -> HttpResponse:
    complaints = complaint_list_for_citizen(citizen=_citizen(request))[:200]
    return render(request, "portal/my_complaints.html", {"complaints": complaints})


class _LoginNeeded(Exception):
    pass


def _visible(request: HttpRequest, complaint_id: int, *, write: bool = False) -> Complaint:
    """The complainant's own complaint (account), or one this browser session follows. Anyone
    else is sent to log in (without an account and without a followed complaint) or gets 404."""
    account = _account(request)
    followed = _followed(request)
    if account is None and not followed:
        raise _LoginNeeded
    try:
        if account is not None and complaint_id not in followed:
            return access_complaint_for_citizen(account, complaint_id, write=write)
        return access_complaint_followed(complaint_id, followed)
    except NotFound as exc:
        raise Http404 from exc


def complainant_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Send visitors with neither an account nor a followed complaint to log in."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except _LoginNeeded:
            return redirect_to_login(request.get_full_path())

    return wrapper


def _actor(request: HttpRequest) -> User | None:
    return _account(request)


def _complaint_page(
    request: HttpRequest,
    complaint: Complaint,
    *,
    supplement_form: SupplementForm | None = None,
    rating_form: RatingForm | None = None,
    status: int = 200,
) -> HttpResponse:
    rateable = complaint.status in RATEABLE_STATUSES
    rating = satisfaction_for_latest_answer(complaint) if rateable else None
    context: dict[str, Any] = {
        "complaint": complaint,
        "events": complaint_event_list(complaint),
        "attachments": attachment_list(complaint),
        "supplement_request": supplement_request_latest(complaint),
        "is_open": complaint.status in OPEN_STATUSES,
        "can_withdraw": complaint.status in OPEN_STATUSES
        and complaint.status != ComplaintStatus.OBJECTION_PENDING,
        "withdraw_form": WithdrawForm(),
        "supplement_form": supplement_form or SupplementForm(prefix="supplement"),
        "can_supplement": complaint.status == ComplaintStatus.SUPPLEMENT_PENDING,
        "rating": rating,
        "can_rate": rateable and rating is None,
        "rating_form": rating_form or RatingForm(prefix="rating"),
        "followed_without_account": not complaint.citizen_id,
        **file_limits(),
    }
    context |= form_errors(supplement_form, rating_form)
    return render(request, "portal/my_complaint.html", context, status=status)


@complainant_page
@require_GET
def my_complaint(request: HttpRequest, complaint_id: int) -> HttpResponse:
    return _complaint_page(request, _visible(request, complaint_id))


@complainant_page
@require_POST
def my_complaint_withdraw(request: HttpRequest, complaint_id: int) -> HttpResponse:
    complaint = _visible(request, complaint_id, write=True)
    form = WithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        complaint_withdraw(complaint=complaint, actor=_actor(request), reason=reason)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Your complaint has been withdrawn."))
    return HttpResponseRedirect(reverse("portal:my-complaint", args=[complaint.pk]))


@complainant_page
@require_POST
def my_complaint_supplement(request: HttpRequest, complaint_id: int) -> HttpResponse:
    """Send the information the department asked for (보완): words, files or both."""
    complaint = _visible(request, complaint_id, write=True)
    form = SupplementForm(request.POST, request.FILES, prefix="supplement")
    if not form.is_valid():
        return _complaint_page(request, complaint, supplement_form=form, status=400)
    try:
        complaint_supplement_submit(
            complaint=complaint,
            actor=_actor(request),
            text=form.cleaned_data["text"],
            files=file_inputs(form.cleaned_data["attachments"]),
        )
    except ApplicationError as exc:
        service_error(form, exc)
        return _complaint_page(request, complaint, supplement_form=form, status=400)
    messages.success(
        request, _("Thank you: the department has your information and works on again.")
    )
    return HttpResponseRedirect(reverse("portal:my-complaint", args=[complaint.pk]))


@complainant_page
@require_POST
def my_complaint_rating(request: HttpRequest, complaint_id: int) -> HttpResponse:
    """만족도 평가 of the answer."""
    complaint = _visible(request, complaint_id, write=True)
    form = RatingForm(request.POST, prefix="rating")
    if not form.is_valid():
        return _complaint_page(request, complaint, rating_form=form, status=400)
    try:
        complaint_satisfaction_rate(
            complaint=complaint,
            actor=_actor(request),
            score=form.cleaned_data["score"],
            comment=form.cleaned_data["comment"],
        )
    except ApplicationError as exc:
        service_error(form, exc)
        return _complaint_page(request, complaint, rating_form=form, status=400)
    messages.success(request, _("Thank you for rating the answer."))
    return HttpResponseRedirect(reverse("portal:my-complaint", args=[complaint.pk]))


@complainant_page
@require_GET
def my_complaint_attachment(
    request: HttpRequest, complaint_id: int, attachment_id: int
) -> HttpResponse:
    """A file of the complaint, after the access check; always downloaded, never shown inline."""
    return attachment_download(_visible(request, complaint_id), attachment_id)[1]


@complainant_page
@require_GET
def my_complaint_receipt_pdf(request: HttpRequest, complaint_id: int) -> HttpResponse:
    """The 접수증 as PDF; before registration the page says why there is none yet."""
    complaint = _visible(request, complaint_id)
    response = receipt_download(request, complaint)
    return response or HttpResponseRedirect(reverse("portal:my-complaint", args=[complaint.pk]))


@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest) -> HttpResponse:
    """Follow a complaint filed without an account: receipt number and password. A wrong number
    and a wrong password get the same answer; repeated failures are throttled like logins."""
    form = FollowForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        typed = form.cleaned_data["receipt_number"]
        number = typed_follow_number(typed) or typed_receipt_number(typed)
        key = f"{FOLLOW_THROTTLE_PREFIX}{number}"
        ip = request.META.get("REMOTE_ADDR")
        if number is None:  # its shape alone is wrong: saying so tells nothing about any complaint
            form.add_error(
                "receipt_number",
                _(
                    "This is neither a follow-up number (12 letters and digits, such as "
                    "K7QF-3MXA-9RTB) nor a receipt number (such as 2026-0000042)."
                ),
            )
        elif throttle_exceeded(
            login_failures_in_window(username=key, ip=ip), limit=settings.LOGIN_FAILURE_LIMIT
        ):
            form.add_error(None, _("Too many attempts. Try again in 15 minutes."))
        else:
            try:
                complaint = access_complaint_by_receipt(number, form.cleaned_data["password"])
            except NotFound:
                login_failure_record(username=key, ip=ip)
                form.add_error(
                    "receipt_number",
                    _("No complaint matches this number and password."),
                )
            else:
                _follow(request, complaint)
                return HttpResponseRedirect(reverse("portal:my-complaint", args=[complaint.pk]))
    status = 400 if form.errors else 200
    context = {"form": form} | form_errors(form if form.is_bound else None)
    return render(request, "portal/follow.html", context, status=status)


@require_http_methods(["GET", "POST"])
def display_settings(request: HttpRequest) -> HttpResponse:
    """Text size and contrast, kept in cookies so they work on every page without JavaScript."""
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.method == "POST":
        prefs = display_preferences(
            text_size=request.POST.get("text_size"), contrast=request.POST.get("contrast")
        )
        response = HttpResponseRedirect(next_url)
        for name, value in ((TEXT_SIZE_COOKIE, prefs.text_size), (CONTRAST_COOKIE, prefs.contrast)):
            response.set_cookie(
                name, value.value, max_age=PREFERENCE_COOKIE_AGE, samesite="Lax", httponly=True
            )
        return response
    prefs = display_preferences(
        text_size=request.COOKIES.get(TEXT_SIZE_COOKIE),
        contrast=request.COOKIES.get(CONTRAST_COOKIE),
    )
    text_sizes = [
        (TextSize.SMALL, _("Small")),
        (TextSize.MEDIUM, _("Normal")),
        (TextSize.LARGE, _("Slightly large")),
        (TextSize.XLARGE, _("Large")),
        (TextSize.XXLARGE, _("Largest")),
    ]
    contrasts = [
        (Contrast.SYSTEM, _("Follow my device's setting")),
        (Contrast.STANDARD, _("Standard")),
        (Contrast.HIGH, _("High contrast (light text on a dark background)")),
    ]
    context = {"prefs": prefs, "next": next_url, "text_sizes": text_sizes, "contrasts": contrasts}
    return render(request, "portal/display.html", context)


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/privacy.html")


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/accessibility.html")


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/offline.html")


@require_GET
@cache_control(max_age=3600)
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest, in the visitor's language."""
    body = {
        "name": _("Paju City civil complaints"),
        "short_name": _("Paju Minwon"),
        "description": _("File a complaint to Paju City and follow it until the answer arrives."),
        "lang": request.LANGUAGE_CODE,
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#256ef4",
        "icons": [
            {"src": static("minwon/icons/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
            {"src": static("minwon/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("minwon/icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("minwon/icons/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    return HttpResponse(
        json.dumps(body, ensure_ascii=False), content_type="application/manifest+json"
    )


@require_GET
@cache_control(no_cache=True)
def service_worker(request: HttpRequest) -> HttpResponse:
    """Served from the root so that its scope is the whole site."""
    path = finders.find("minwon/sw.js")
    if not isinstance(path, str):
        raise Http404
    with open(path, encoding="utf-8") as handle:
        return HttpResponse(handle.read(), content_type="text/javascript")
