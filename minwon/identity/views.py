"""The identity pages (thin: parse, check access, call one service or selector, render).

Office (routed from the office URLconf, templates in templates/office/identity/): the counter
tablet's mobile-ID check — show a request QR code (OpenID4VP, or the government mobile ID's
QR-MPM), read the QR code the citizen's app shows with a USB scanner (QR-CPM), see the result
for the purpose's short display time, record a manual check, list the records.

Wallet (routed from identity/urls.py under /identity/, no session, no CSRF token: the wallet is
not a browser of ours): the OpenID4VP request object at request_uri and the direct_post
response endpoint.
"""

from __future__ import annotations

from typing import Any

import segno
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from minwon.accounts.access import officer_required
from minwon.accounts.models import User
from minwon.core import clock
from minwon.core.errors import ApplicationError, NotFound
from minwon.core.ratelimit import RateLimited, rate_limit_hit
from minwon.identity import configuration
from minwon.identity.access import access_verification_session_for_officer, may_verify
from minwon.identity.models import VerificationSession
from minwon.identity.schemas import ManualCheckForm, ScanForm, StartForm
from minwon.identity.selectors import verification_display, verification_record_list_for_officer
from minwon.identity.services import (
    manual_check_record,
    mip_session_poll,
    mip_session_start,
    oid4vp_request_object,
    oid4vp_response_accept,
    oid4vp_session_start,
    verification_display_clear,
)

Errors = list[tuple[str | None, str]]


def _officer(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    if not may_verify(user):
        raise Http404
    return user


def _form_errors(form: Any) -> Errors:
    return [
        (None if name == "__all__" else name, str(errors[0]))
        for name, errors in form.errors.items()
    ]


def _apply_error(form: Any, exc: ApplicationError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, str(exc.message))


def _home(
    request: HttpRequest, *, start: StartForm, scan: ScanForm, status: int = 200
) -> HttpResponse:
    language = get_language() or "ko"
    errors = _form_errors(start) + _form_errors(scan)
    context = {
        "start": start,
        "scan": scan,
        "purposes": [
            {"purpose": p, "label": p.label(language), "description": p.description(language)}
            for p in configuration.purposes().values()
        ],
        "mip_on": configuration.mip_adapter() is not None,
        "errors": errors,
        "has_errors": bool(errors),
    }
    return render(request, "office/identity/home.html", context, status=status)


@officer_required
@require_GET
def identity_home(request: HttpRequest) -> HttpResponse:
    _officer(request)
    return _home(request, start=StartForm(prefix="start"), scan=ScanForm(prefix="scan"))


@officer_required
@require_POST
def identity_start(request: HttpRequest) -> HttpResponse:
    officer = _officer(request)
    form = StartForm(request.POST, prefix="start")
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["channel"] == "mip":
                session = mip_session_start(
                    officer=officer, purpose_code=data["purpose"], reference=data["reference"]
                )
            else:
                session = oid4vp_session_start(
                    officer=officer,
                    purpose_code=data["purpose"],
                    reference=data["reference"],
                    response_uri=request.build_absolute_uri(reverse("identity:oid4vp-response")),
                    request_uri_prefix=request.build_absolute_uri(
                        reverse("identity:oid4vp-request", args=["x"])
                    )[:-1],
                )
        except ApplicationError as exc:
            _apply_error(form, exc)
        else:
            return HttpResponseRedirect(reverse("office:identity-session", args=[session.pk]))
    return _home(request, start=form, scan=ScanForm(prefix="scan"), status=400)


@officer_required
@sensitive_post_parameters("scan-m120")
@require_POST
def identity_scan(request: HttpRequest) -> HttpResponse:
    """QR-CPM: a USB scanner (keyboard wedge) typed the citizen's code into the field."""
    officer = _officer(request)
    form = ScanForm(request.POST, prefix="scan")
    if form.is_valid():
        data = form.cleaned_data
        try:
            session = mip_session_start(
                officer=officer,
                purpose_code=data["purpose"],
                reference=data["reference"],
                m120=data["m120"],
            )
        except ApplicationError as exc:
            _apply_error(form, exc)
        else:
            return HttpResponseRedirect(reverse("office:identity-session", args=[session.pk]))
    return _home(request, start=StartForm(prefix="start"), scan=form, status=400)


def _session(request: HttpRequest, session_id: int) -> VerificationSession:
    try:
        return access_verification_session_for_officer(
            officer=_officer(request), session_id=session_id
        )
    except NotFound:
        raise Http404 from None


def _state_context(session: VerificationSession) -> dict[str, Any]:
    """What the tablet shows now: the QR while waiting, the result while its time lasts."""
    now = clock.now()
    purpose = configuration.purpose_get(session.purpose)
    language = get_language() or "ko"
    pending = session.status == VerificationSession.Status.PENDING and now < session.expires_at
    record = session.record
    shown = verification_display(session, now=now)
    if pending:
        state = "pending"
    elif record is not None and record.outcome == "valid" and shown is not None:
        state = "showing"
    elif record is not None and record.outcome == "valid":
        state = "cleared"
    elif record is not None:
        state = "failed"
    else:
        state = "expired"
    qr_svg = ""
    if pending and session.qr_payload:
        qr_svg = segno.make(session.qr_payload, error="m").svg_inline(
            scale=5, title=_("QR code to scan with the wallet app")
        )
    return {
        "session": session,
        "purpose_label": purpose.label(language) if purpose else session.purpose,
        "state": state,
        "qr_svg": qr_svg,
        "record": record,
        "failed_checks": [c for c in (record.checks if record else []) if not c.get("ok")],
        "shown": shown or {},
        "seconds_left": int((session.display_until - now).total_seconds())
        if shown is not None and session.display_until
        else 0,
    }


@officer_required
@require_GET
def identity_session(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _session(request, session_id)
    response = render(request, "office/identity/session.html", _state_context(session))
    response["Cache-Control"] = "no-store"  # the result holds personal data: never cached
    return response


@officer_required
@require_GET
def identity_session_state(request: HttpRequest, session_id: int) -> HttpResponse:
    """The part of the session page that changes (the tablet's script polls it)."""
    session = _session(request, session_id)
    problem = ""
    if session.kind != VerificationSession.Kind.OID4VP:
        try:
            session = mip_session_poll(session=session)
        except ApplicationError as exc:
            problem = str(exc.message)
    context = _state_context(session) | {"problem": problem}
    response = render(request, "office/identity/includes/state.html", context)
    response["Cache-Control"] = "no-store"
    return response


@officer_required
@require_POST
def identity_session_clear(request: HttpRequest, session_id: int) -> HttpResponse:
    officer = _officer(request)
    session = _session(request, session_id)
    verification_display_clear(officer=officer, session=session)
    messages.success(request, _("The result has been cleared from the screen."))
    return HttpResponseRedirect(reverse("office:identity-home"))


@officer_required
@require_http_methods(["GET", "POST"])
def identity_manual(request: HttpRequest) -> HttpResponse:
    """The fallback when a wallet fails: the officer records what was checked and how."""
    officer = _officer(request)
    if request.method == "POST":
        form = ManualCheckForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                manual_check_record(
                    officer=officer,
                    purpose_code=data["purpose"],
                    method=data["method"],
                    document=data["document"],
                    passed=data["outcome"] == "passed",
                    reason=data["reason"],
                    reference=data["reference"],
                )
            except ApplicationError as exc:
                _apply_error(form, exc)
            else:
                messages.success(request, _("The manual check has been recorded."))
                return HttpResponseRedirect(reverse("office:identity-records"))
        status = 400
    else:
        form = ManualCheckForm()
        status = 200
    errors = _form_errors(form)
    context = {"form": form, "errors": errors, "has_errors": bool(errors)}
    return render(request, "office/identity/manual.html", context, status=status)


@officer_required
@require_GET
def identity_records(request: HttpRequest) -> HttpResponse:
    officer = _officer(request)
    language = get_language() or "ko"
    labels = {code: p.label(language) for code, p in configuration.purposes().items()}
    records = [
        {"record": r, "purpose_label": labels.get(r.purpose, r.purpose)}
        for r in verification_record_list_for_officer(officer=officer)
    ]
    return render(request, "office/identity/records.html", {"records": records})


# --- the wallet's side (OpenID4VP 1.0) ----------------------------------------------------------

# The wallet's endpoints are public: each client address may call them this often a minute (a
# counter serves one citizen at a time; a whole office behind one address stays well under it).
WALLET_CALLS_PER_MINUTE = 60


def _wallet_throttled(request: HttpRequest) -> JsonResponse | None:
    try:
        rate_limit_hit(
            f"oid4vp:{request.META.get('REMOTE_ADDR', '')}", limit=WALLET_CALLS_PER_MINUTE
        )
    except RateLimited as exc:
        response = JsonResponse(
            {"error": "too_many_requests", "error_description": str(exc.message)}, status=429
        )
        response["Retry-After"] = "60"
        return response
    return None


@csrf_exempt
@require_http_methods(["GET", "POST"])
def oid4vp_request(request: HttpRequest, state: str) -> HttpResponse:
    """request_uri: the request object (GET, or POST for request_uri_method=post)."""
    if (throttled := _wallet_throttled(request)) is not None:
        return throttled
    try:
        token = oid4vp_request_object(state=state, client_name=_("Paju City complaints office"))
    except ApplicationError:
        return JsonResponse({"error": "invalid_request_uri"}, status=404)
    response = HttpResponse(token, content_type="application/oauth-authz-req+jwt")
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt
@sensitive_post_parameters("vp_token")  # never in an error report or a debug page
@require_POST
def oid4vp_response(request: HttpRequest) -> HttpResponse:
    """response_uri (direct_post): `vp_token` and `state`, or `error` and `state`."""
    if (throttled := _wallet_throttled(request)) is not None:
        return throttled
    state = request.POST.get("state", "")
    try:
        oid4vp_response_accept(
            state=state,
            vp_token=request.POST.get("vp_token"),
            error=request.POST.get("error", ""),
        )
    except ApplicationError as exc:
        body = {"error": "invalid_request", "error_description": str(exc.message)}
        return JsonResponse(body, status=400)
    response = JsonResponse({})
    response["Cache-Control"] = "no-store"
    return response
