"""Citizen web interface (/): thin views (parse, check access, call a service or selector)."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods

from minwon.portal.domain import (
    CONTRAST_COOKIE,
    PREFERENCE_COOKIE_AGE,
    TEXT_SIZE_COOKIE,
    Contrast,
    TextSize,
    display_preferences,
)


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
    return render(request, "portal/service_search.html", {"query": query})


@require_GET
def complaint_new(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/complaint_new.html")


@login_required
@require_GET
def my_complaints(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/my_complaints.html")


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
