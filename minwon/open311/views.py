"""GeoReport v2 endpoints (thin): parse → check the key → one service or selector → render.

Every error is the spec's error document in the requested format with 400, 403 or 404, never a
server error page. See docs/open311.md for the choices and deviations.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from minwon.accounts.domain import ApiScope
from minwon.accounts.models import ApiKey
from minwon.accounts.selectors import api_key_get_active
from minwon.core import clock
from minwon.core.ratelimit import RateLimited, rate_limit_hit
from minwon.open311.domain import (
    Format,
    Open311Error,
    attribute_specs,
    clean,
    first,
    parse_datetime,
    parse_new_request,
    parse_request_query,
)
from minwon.open311.schemas import render, render_errors
from minwon.open311.selectors import (
    open311_request_get_by_token,
    open311_request_list,
    open311_service_get,
    open311_service_list,
    open311_update_list,
    request_document,
    service_request_id,
    update_document,
)
from minwon.open311.services import open311_request_create, open311_update_receive

View = Callable[..., HttpResponse]
_DAY = timedelta(days=1)
_MAX_UPDATES_WINDOW = timedelta(days=90)


def _format(raw: str) -> Format:
    return Format(raw)


def open311_view(methods: set[str]) -> Callable[[View], View]:
    """Format from the suffix, parameters cleaned, jurisdiction checked, errors rendered."""

    def decorate(view: View) -> View:
        @csrf_exempt
        @wraps(view)
        def wrapped(request: HttpRequest, fmt: str, **kwargs: Any) -> HttpResponse:
            out = _format(fmt)
            try:
                if request.method not in methods:
                    raise Open311Error(400, f"method {request.method} is not supported here")
                try:
                    params = clean(
                        [(k, v) for k, vs in request.GET.lists() for v in vs]
                        + [(k, v) for k, vs in request.POST.lists() for v in vs]
                    )
                except RequestDataTooBig as exc:
                    raise Open311Error(400, "the request body is too large") from exc
                jurisdiction = first(params, "jurisdiction_id")
                if jurisdiction is not None and jurisdiction != settings.OPEN311_JURISDICTION:
                    raise Open311Error(404, f"jurisdiction_id {jurisdiction} is not served here")
                return view(request, out, params, **kwargs)
            except Open311Error as error:
                return render_errors(out, [error])
            except RateLimited:
                return render_errors(
                    out, [Open311Error(400, "too many requests; wait a minute", code=429)]
                )

        return wrapped

    return decorate


def _key(params: list[tuple[str, str]], scope: ApiScope) -> ApiKey:
    key = api_key_get_active(first(params, "api_key") or "")
    if key is None or not key.has_scope(scope.value):
        raise Open311Error(403, "Invalid api_key received")
    rate_limit_hit(f"apikey:{key.pk}", limit=key.rate_limit_per_minute)
    return key


def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    out = _format(fmt)
    base = request.build_absolute_uri("/open311/v2")
    changeset = max((s.updated_at for s in open311_service_list()), default=clock.now())
    document = {
        "changeset": changeset.isoformat(),
        "contact": settings.OPEN311_CONTACT,
        "key_service": settings.OPEN311_KEY_SERVICE,
        "endpoints": [
            {
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": base,
                "changeset": changeset.isoformat(),
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return render(out, "discovery", None, document)


@open311_view({"GET"})
def services(request: HttpRequest, out: Format, params: list[tuple[str, str]]) -> HttpResponse:
    items = [
        {
            "service_code": s.service_code,
            "service_name": s.name_ko,
            "description": s.description_ko or s.name_ko,
            "metadata": bool(s.attributes),
            "type": s.service_type,
            "keywords": s.keywords or None,
            "group": s.group or None,
        }
        for s in open311_service_list()
    ]
    return render(out, "services", "service", items)


@open311_view({"GET"})
def service_definition(
    request: HttpRequest, out: Format, params: list[tuple[str, str]], code: str
) -> HttpResponse:
    service = open311_service_get(code)
    if service is None:
        raise Open311Error(404, f"service_code {code} not found")
    attributes = [
        {
            "variable": a.get("variable", True),
            "code": a["code"],
            "datatype": a.get("datatype", "string"),
            "required": a.get("required", False),
            "datatype_description": a.get("datatype_description") or None,
            "order": a.get("order", i + 1),
            "description": a.get("description", a["code"]),
            "values": [
                {"key": v["key"], "name": v.get("name", v["key"])} for v in a.get("values", [])
            ],
        }
        for i, a in enumerate(service.attributes)
    ]
    return render(
        out,
        "service_definition",
        None,
        {"service_code": service.service_code, "attributes": attributes},
    )


@open311_view({"GET", "POST"})
def requests(request: HttpRequest, out: Format, params: list[tuple[str, str]]) -> HttpResponse:
    if request.method == "POST":
        return _create(out, params)
    query = parse_request_query(params, now=clock.now())
    extensions = first(params, "extensions") == "true"
    items = [request_document(r, extensions=extensions) for r in open311_request_list(query)]
    return render(out, "service_requests", "request", items)


def _create(out: Format, params: list[tuple[str, str]]) -> HttpResponse:
    key = _key(params, ApiScope.OPEN311_POST)  # 403 first, as the spec orders it
    code = first(params, "service_code")
    if not code:
        raise Open311Error(400, "service_code is required")
    service = open311_service_get(code)
    if service is None:
        raise Open311Error(404, f"service_code {code} not found")
    new = parse_new_request(
        params, spatial=service.is_spatial, attributes=attribute_specs(service.attributes)
    )
    created = open311_request_create(api_key=key, service=service, new=new)
    receipt = service_request_id(created)
    # Never both: a registered complaint has its receipt number, a queued one a token.
    item: dict[str, Any] = (
        {"service_request_id": receipt} if receipt else {"token": created.token}
    ) | {"service_notice": None, "account_id": None}
    due = created.complaint.due_at
    if due is not None:
        item["service_notice"] = f"처리기한 {due.astimezone(clock.SEOUL):%Y-%m-%d %H:%M}"
    return render(out, "service_requests", "request", [item], status=201)


@open311_view({"GET"})
def request_detail(
    request: HttpRequest, out: Format, params: list[tuple[str, str]], request_id: str
) -> HttpResponse:
    query = parse_request_query([("service_request_id", request_id)], now=clock.now())
    found = open311_request_list(query)
    if not found:
        raise Open311Error(404, f"service_request_id {request_id} not found")
    extensions = first(params, "extensions") == "true"
    return render(
        out, "service_requests", "request", [request_document(found[0], extensions=extensions)]
    )


@open311_view({"GET"})
def token(
    request: HttpRequest, out: Format, params: list[tuple[str, str]], token: str
) -> HttpResponse:
    found = open311_request_get_by_token(token)
    if found is None:
        raise Open311Error(404, f"token {token} not found")
    return render(
        out,
        "service_requests",
        "request",
        [{"service_request_id": service_request_id(found), "token": found.token}],
    )


@open311_view({"GET", "POST"})
def updates(request: HttpRequest, out: Format, params: list[tuple[str, str]]) -> HttpResponse:
    key = _key(params, ApiScope.OPEN311_POST)
    if request.method == "POST":
        rid = first(params, "service_request_id") or ""
        found = (
            open311_request_list(
                parse_request_query([("service_request_id", rid)], now=clock.now())
            )
            if rid
            else []
        )
        if not found:
            raise Open311Error(404, f"service_request_id {rid or '(missing)'} not found")
        update = open311_update_receive(
            api_key=key,
            request=found[0],
            update_id=first(params, "update_id") or "",
            status=first(params, "status") or "",
            description=first(params, "description") or "",
            updated_datetime=first(params, "updated_datetime") or "",
            media_url=first(params, "media_url") or "",
        )
        return render(
            out, "service_request_updates", "request_update", [{"update_id": update.update_id}]
        )
    now = clock.now()
    start_raw, end_raw = first(params, "start_date"), first(params, "end_date")
    start = parse_datetime(start_raw, name="start_date") if start_raw else now - _DAY
    end = parse_datetime(end_raw, name="end_date") if end_raw else now
    if end < start or end - start > _MAX_UPDATES_WINDOW:
        raise Open311Error(400, "start_date and end_date must span at most 90 days, in order")
    items = [update_document(e) for e in open311_update_list(start=start, end=end)[:1000]]
    return render(out, "service_requests_updates", "request_update", items)
