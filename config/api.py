"""The JSON API (/api/v1/): one NinjaAPI; each context adds its router in `register_routers`.

ApplicationError from any service becomes the same error document everywhere:
{"code": "...", "message": "...", "field": "..."} with the error's HTTP status. So do ninja's own
errors (404, HttpError); anything else reaches Django's handler500 (config/handlers.py), which
answers the same document with 500, or 503 and Retry-After when the database is unreachable.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from minwon.accounts.access import API_AUTH
from minwon.core.errors import ApplicationError, Throttled

# Default-deny: each router names who may call it (`Router(auth=...)`), and an operation of a
# router that names no one still needs a person or a key (this default). A public operation opts
# out with `auth=None`; `tests/test_api_access.py` walks every operation as every actor.
api = NinjaAPI(
    title="Minwon API",
    version="1",
    description="Civil-complaint (민원) platform: citizen and officer operations.",
    urls_namespace="api",
    auth=API_AUTH,
)


@api.exception_handler(ApplicationError)
def _application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    response = api.create_response(request, exc.as_dict(), status=exc.http_status)
    if isinstance(exc, Throttled):
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    from django.utils.translation import gettext as _

    first = exc.errors[0] if exc.errors else {}
    loc = [
        str(part)
        for part in first.get("loc", [])
        if part not in {"body", "query", "path", "payload"}
    ]
    body = {
        "code": "invalid",
        "message": _("The request is not valid: %(detail)s") % {"detail": first.get("msg", "")},
        "field": ".".join(loc),
        "errors": exc.errors,
    }
    return api.create_response(request, body, status=422)


@api.exception_handler(AuthenticationError)
def _authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    from django.utils.translation import gettext as _

    return api.create_response(
        request,
        {"code": "unauthorized", "message": _("Log in or give a valid API key.")},
        status=401,
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    from django.utils.translation import gettext as _

    return api.create_response(
        request, {"code": "not_found", "message": _("Not found.")}, status=404
    )


_HTTP_CODES = {400: "bad_request", 403: "forbidden", 404: "not_found", 405: "method_not_allowed"}


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = _HTTP_CODES.get(exc.status_code, "rate_limited" if exc.status_code == 429 else "error")
    return api.create_response(
        request, {"code": code, "message": exc.message}, status=exc.status_code
    )


def register_routers() -> None:
    """Contexts add their routers here (imported lazily so the apps are loaded first)."""
    from minwon.accounts.api import router as accounts_router

    api.add_router("/accounts", accounts_router)
    from minwon.complaints.api import citizen_router, integrator_router, officer_router

    api.add_router("/", citizen_router)
    api.add_router("/office", officer_router)
    api.add_router("/integrations", integrator_router)
    from minwon.catalog.api import router as catalog_router

    api.add_router("/catalog", catalog_router)
    from minwon.exchange.api import router as exchange_router

    api.add_router("/exchange", exchange_router)
    from minwon.routing.api import router as routing_router

    api.add_router("/routing", routing_router)
    from minwon.webhooks.api import router as webhooks_router

    api.add_router("/webhooks", webhooks_router)
    from minwon.counter.api import router as counter_router

    api.add_router("/counter", counter_router)


register_routers()
