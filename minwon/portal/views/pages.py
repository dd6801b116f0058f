"""The portal's plain pages: home, service search, display settings, privacy, accessibility."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from minwon.portal.domain import (
    CONTRAST_COOKIE,
    PREFERENCE_COOKIE_AGE,
    TEXT_SIZE_COOKIE,
    Contrast,
    TextSize,
    display_preferences,
)
from minwon.portal.selectors import service_browse
from minwon.portal.selectors import service_search as service_search_select
from minwon.portal.views.session import safe_next


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


GOV24_URL = "https://www.gov.kr/"  # 정부24, where many 법정민원 are also applied for online


@require_GET
def service_search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    results = service_search_select(query=query) if query else []
    groups = [] if query else service_browse()
    context = {
        "query": query,
        "results": results,
        "groups": groups,
        "language": request.LANGUAGE_CODE,
        "gov24_url": GOV24_URL,
    }
    return render(request, "portal/service_search.html", context)


@require_http_methods(["GET", "POST"])
def display_settings(request: HttpRequest) -> HttpResponse:
    """Text size and contrast, kept in cookies so they work on every page without JavaScript."""
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
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
