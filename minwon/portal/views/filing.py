"""Filing a complaint (민원 신청): fill in, check, send — files kept between the steps."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from minwon.complaints.services import complaint_file_limited, filing_wait_check
from minwon.core.errors import ApplicationError, Throttled
from minwon.portal.schemas import FilingForm, FollowPasswordForm
from minwon.portal.selectors import map_tile_url
from minwon.portal.services import upload_discard, upload_list, upload_read, upload_stage
from minwon.portal.views.session import follow_in_session, session_account
from minwon.web.choices import filing_type_choices
from minwon.web.files import file_inputs, file_limits
from minwon.web.forms import form_errors, service_error

UPLOADS_SESSION_KEY = "portal_filing_uploads"
# What was typed when the visitor switched language mid-form (the language button posts the form
# here; issue 11 item 3): kept in the session until the form is shown again. Passwords never.
DRAFT_SESSION_KEY = "portal_filing_draft"
_NOT_IN_DRAFT = {"csrfmiddlewaretoken", "switch_language", "step", "upload_token"}


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
    if template == "portal/complaint_new.html":
        context["language_form"] = "filing-form"  # the language switch posts the draft
    if show_errors:
        context |= form_errors(form, password_form)
    response = render(request, template, context, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _refused(
    request: HttpRequest, form: FilingForm, exc: ApplicationError, *, token: str
) -> HttpResponse:
    """The filled-in form again with the refusal beside its field; a filing limit answers 429
    with Retry-After. Nothing typed or staged is lost."""
    service_error(form, exc)
    throttled = isinstance(exc, Throttled)
    response = _filing_page(
        request, "portal/complaint_new.html", form, token=token, status=429 if throttled else 400
    )
    if isinstance(exc, Throttled):
        response["Retry-After"] = str(exc.retry_after)
    return response


def _stage_what_passed(
    request: HttpRequest, form: FilingForm, *, token: str
) -> tuple[str, ApplicationError | None]:
    """Stage the files sent with a form that has errors elsewhere, if the files themselves
    passed; returns the token and a refusal of the staging area (then nothing changed)."""
    files = form.cleaned_data.get("attachments") if "attachments" not in form.errors else None
    if not files:
        return token, None
    try:
        token = upload_stage(
            token=token,
            files=file_inputs(files),
            replace=bool(form.cleaned_data.get("remove_uploads")),
            visitor_tokens=request.session.get(UPLOADS_SESSION_KEY, []),
        )
    except ApplicationError as exc:
        return token, exc
    _remember_token(request, token)
    return token, None


def _switch_language(
    request: HttpRequest, form: FilingForm, *, token: str, language: str
) -> HttpResponse:
    """The language switch pressed mid-form: the form came with it. Its files are staged, what
    was typed is kept in the session, and the form comes back in the other language."""
    form.is_valid()
    token, _refusal = _stage_what_passed(request, form, token=token)
    request.session[DRAFT_SESSION_KEY] = {
        "data": {
            name: request.POST.getlist(name)
            for name in request.POST
            if name not in _NOT_IN_DRAFT and "password" not in name
        },
        "token": token,
    }
    response = HttpResponseRedirect(reverse("portal:complaint-new"))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


@require_http_methods(["GET", "POST"])
def complaint_new(request: HttpRequest) -> HttpResponse:
    """File a complaint in three steps on one URL: fill in, check, send. Nothing typed is lost
    ('change' goes back to the filled-in form, files included). Without an account the password
    to follow the complaint is chosen on the check page."""
    citizen = session_account(request)
    without_account = citizen is None
    choices = filing_type_choices(language=request.LANGUAGE_CODE)
    if request.method == "GET":
        initial: dict[str, Any] = {}
        if citizen is not None:
            initial = {"name": citizen.name, "phone": citizen.phone, "email": citizen.email}
        if request.GET.get("type"):
            initial |= {"kind": "statutory", "complaint_type": request.GET["type"]}
        if request.GET.get("title"):  # from a service-guide topic: the topic as a first title
            initial["title"] = request.GET["title"].strip()[:200]
            initial.setdefault("kind", "other")  # an everyday problem: 기타민원 (영 제2조 제4호)
        draft = request.session.pop(DRAFT_SESSION_KEY, None)
        token = ""
        if isinstance(draft, dict):
            initial |= {
                name: values if len(values) > 1 else values[0]
                for name, values in dict(draft.get("data", {})).items()
                if values
            }
            if draft.get("token") in request.session.get(UPLOADS_SESSION_KEY, []):
                token = str(draft["token"])
        form = FilingForm(initial=initial, type_choices=choices, without_account=without_account)
        return _filing_page(request, "portal/complaint_new.html", form, token=token)
    form = FilingForm(
        request.POST, request.FILES, type_choices=choices, without_account=without_account
    )
    step = request.POST.get("step", "preview")
    token = _staged_token(request, form)
    if step == "edit":
        return _filing_page(
            request, "portal/complaint_new.html", form, token=token, show_errors=False
        )
    language = request.POST.get("switch_language", "")
    if language in dict(settings.LANGUAGES):
        return _switch_language(request, form, token=token, language=language)
    if not form.is_valid():
        # Another field is wrong: the files sent with it are kept all the same (when they pass
        # their own checks), so nobody has to choose them again.
        token, refusal = _stage_what_passed(request, form, token=token)
        if refusal is not None:
            service_error(form, refusal)
        return _filing_page(request, "portal/complaint_new.html", form, token=token, status=400)
    ip = request.META.get("REMOTE_ADDR")
    if step == "preview":
        try:
            filing_wait_check(ip=ip)
            token = upload_stage(
                token=token,
                files=file_inputs(form.cleaned_data["attachments"]),
                replace=form.cleaned_data["remove_uploads"],
                visitor_tokens=request.session.get(UPLOADS_SESSION_KEY, []),
            )
        except ApplicationError as exc:
            return _refused(request, form, exc, token=token)
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
        complaint = complaint_file_limited(
            data=form.filing(files=upload_read(token=token), status_password=password),
            citizen=citizen,
            ip=ip,
        )
    except ApplicationError as exc:
        return _refused(request, form, exc, token=token)
    upload_discard(token=token)
    _remember_token(request, "")
    if without_account:
        follow_in_session(request, complaint)
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
