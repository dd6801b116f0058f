"""Citizen web interface (/): thin views (parse, check access, call a service or selector)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from minwon.accounts.models import User
from minwon.complaints.access import access_complaint_for_citizen
from minwon.complaints.domain import OPEN_STATUSES, ComplaintStatus
from minwon.complaints.selectors import complaint_event_list, complaint_list_for_citizen
from minwon.complaints.services import complaint_file, complaint_withdraw
from minwon.core.errors import ApplicationError, NotFound
from minwon.portal.domain import (
    CONTRAST_COOKIE,
    PREFERENCE_COOKIE_AGE,
    TEXT_SIZE_COOKIE,
    Contrast,
    TextSize,
    display_preferences,
)
from minwon.portal.schemas import FilingForm, WithdrawForm
from minwon.portal.selectors import filing_type_choices
from minwon.portal.selectors import service_search as service_search_select


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


def _citizen(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _form_errors(form: FilingForm | WithdrawForm) -> dict[str, object]:
    """The error list for the summary (in field order) and the title flag."""
    errors: list[tuple[str | None, str]] = [
        (None if name == "__all__" else name, str(messages_[0]))
        for name, messages_ in form.errors.items()
    ]
    return {"errors": errors, "has_errors": bool(errors)}


@login_required
@require_http_methods(["GET", "POST"])
def complaint_new(request: HttpRequest) -> HttpResponse:
    """File a complaint in three steps on one URL: fill in, preview, send (nothing typed is lost:
    'change' goes back to the filled-in form)."""
    citizen = _citizen(request)
    choices = filing_type_choices(language=request.LANGUAGE_CODE)
    if request.method == "GET":
        initial = {"name": citizen.name, "phone": citizen.phone, "email": citizen.email}
        if request.GET.get("type"):
            initial |= {"kind": "statutory", "complaint_type": request.GET["type"]}
        form = FilingForm(initial=initial, type_choices=choices)
        return render(request, "portal/complaint_new.html", {"form": form})
    form = FilingForm(request.POST, type_choices=choices)
    step = request.POST.get("step", "preview")
    if step == "edit" or not form.is_valid():
        context = {"form": form} | (_form_errors(form) if step != "edit" else {})
        status = 400 if form.errors and step != "edit" else 200
        return render(request, "portal/complaint_new.html", context, status=status)
    if step == "preview":
        return render(request, "portal/complaint_preview.html", {"form": form})
    try:
        complaint = complaint_file(data=form.filing(), citizen=citizen)
    except ApplicationError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        context = {"form": form} | _form_errors(form)
        return render(request, "portal/complaint_new.html", context, status=400)
    messages.success(
        request, _("Your complaint has been sent. Keep this page: it is your receipt.")
    )
    return HttpResponseRedirect(reverse("portal:my-complaint", args=[complaint.pk]))


@login_required
@require_GET
def my_complaints(request: HttpRequest) -> HttpResponse:
    complaints = complaint_list_for_citizen(citizen=_citizen(request))[:200]
    return render(request, "portal/my_complaints.html", {"complaints": complaints})


@login_required
@require_GET
def my_complaint(request: HttpRequest, complaint_id: int) -> HttpResponse:
    try:
        complaint = access_complaint_for_citizen(_citizen(request), complaint_id)
    except NotFound as exc:
        raise Http404 from exc
    context = {
        "complaint": complaint,
        "events": complaint_event_list(complaint),
        "is_open": complaint.status in OPEN_STATUSES,
        "can_withdraw": complaint.status in OPEN_STATUSES
        and complaint.status != ComplaintStatus.OBJECTION_PENDING,
        "withdraw_form": WithdrawForm(),
    }
    return render(request, "portal/my_complaint.html", context)


@login_required
@require_POST
def my_complaint_withdraw(request: HttpRequest, complaint_id: int) -> HttpResponse:
    try:
        complaint = access_complaint_for_citizen(_citizen(request), complaint_id, write=True)
    except NotFound as exc:
        raise Http404 from exc
    form = WithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        complaint_withdraw(complaint=complaint, actor=_citizen(request), reason=reason)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Your complaint has been withdrawn."))
    return HttpResponseRedirect(reverse("portal:my-complaint", args=[complaint.pk]))


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
