"""Error responses for everything Django answers itself (issue 14 item 6, issue 11 item 10).

Under /api/ every error is the project's JSON error document (`{"code", "message"}`, see
config/api.py), under /open311/ the GeoReport error document, elsewhere a page in the site's
layout, translated, with the ways back (templates 400/403/404.html and errors/csrf.html on
errors/page.html; 500.html stands alone). A database that
cannot be reached (OperationalError/InterfaceError anywhere in the request, a cut connection
included: minwon.core.timeouts) is 503 with Retry-After, not 500: the client should come back.
"""

from __future__ import annotations

import sys
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views import defaults

from minwon.core.errors import (
    ApplicationError,
    BadRequest,
    NotFound,
    PermissionDenied,
    ServerError,
    ServiceUnavailable,
)

DATABASE_ERRORS = (OperationalError, InterfaceError)


def database_unreachable(exc: BaseException | None) -> bool:
    """True when the exception (or one it was raised from) says the database is unreachable."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, DATABASE_ERRORS):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _is_open311(request: HttpRequest) -> bool:
    return request.path.startswith("/open311/")


def _open311(request: HttpRequest, status: int, description: str) -> HttpResponse:
    from minwon.open311.domain import Format, Open311Error
    from minwon.open311.schemas import render_errors

    fmt = Format.XML if request.path.endswith(".xml") else Format.JSON
    return render_errors(fmt, [Open311Error(status, description)])


def _document(request: HttpRequest, error: ApplicationError) -> HttpResponse | None:
    """The API's or Open311's error document, or None for a page."""
    if _is_api(request):
        return JsonResponse(error.as_dict(), status=error.http_status)
    if _is_open311(request):
        return _open311(request, error.http_status, str(error.message))
    return None


def unavailable(request: HttpRequest) -> HttpResponse:
    error = ServiceUnavailable()
    response = _document(request, error)
    if response is None:
        # A standalone page: base.html reads the session and the database, which is down.
        html = loader.render_to_string("errors/unavailable.html", {"message": error.message})
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(int(getattr(settings, "RETRY_AFTER_SECONDS", 30)))
    return response


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _document(request, BadRequest()) or defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _document(request, PermissionDenied()) or defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _document(request, NotFound()) or defaults.page_not_found(request, exception)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a form sent without a valid token (expired page, another tab logged in
    or out, cookies blocked) gets the site's page saying what to do, not Django's English one."""
    response = _document(request, PermissionDenied())
    if response is not None:
        return response
    return render(request, "errors/csrf.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this inside its `except` block: the exception is the one being handled.
    if database_unreachable(sys.exc_info()[1]):
        return unavailable(request)
    return _document(request, ServerError()) or defaults.server_error(request)
