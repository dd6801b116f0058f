"""The installable web app: its manifest, its service worker and the offline page."""

from __future__ import annotations

import json

from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET


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
