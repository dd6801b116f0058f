"""The notification pages of both web interfaces (thin: parse, check access, call one service or
selector, render). The office and portal URLconfs route to them; the templates live beside the
other pages of each interface (templates/office/notifications/, templates/portal/notices/).

Office: the delivery problems of the officer's units, and (administrators only) the templates.
Portal: the citizen's in-app notices and channel choices.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from minwon.accounts.access import officer_required
from minwon.accounts.domain import Role
from minwon.accounts.models import User
from minwon.accounts.selectors import user_has_role
from minwon.core.errors import ApplicationError, NotFound
from minwon.notifications.channels.recording import recorded_messages
from minwon.notifications.domain import LANGUAGES, QUIET_END, QUIET_START, Event
from minwon.notifications.domain import allowed_placeholders as event_placeholders
from minwon.notifications.schemas import ChannelPreferenceForm, NotificationTemplateForm
from minwon.notifications.selectors import (
    channel_preference_get,
    delivery_problem_list,
    in_app_notice_list,
    notification_template_get,
)
from minwon.notifications.services import (
    channel_preference_update,
    in_app_notice_mark_read,
    notification_template_update,
)

NOTICES_SHOWN = 100
Errors = list[tuple[str | None, str]]


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _form_errors(form: Any) -> Errors:
    return [
        (None if name == "__all__" else name, str(errors[0]))
        for name, errors in form.errors.items()
    ]


# --- office -------------------------------------------------------------------------------------


@officer_required
@require_GET
def delivery_problems(request: HttpRequest) -> HttpResponse:
    """Failed notifications and those waiting to retry, of the officer's units, newest first."""
    problems = delivery_problem_list(officer=_user(request))
    return render(request, "office/notifications/problems.html", {"problems": problems})


def _administrator(request: HttpRequest) -> User:
    """Only administrators see the templates; to anyone else the pages do not exist."""
    user = _user(request)
    if not user_has_role(user, Role.ADMINISTRATOR):
        raise Http404
    return user


def _event(value: str, language: str) -> Event:
    try:
        event = Event(value)
    except ValueError:
        raise Http404 from None
    if language not in LANGUAGES:
        raise Http404
    return event


@officer_required
@require_GET
def template_list(request: HttpRequest) -> HttpResponse:
    _administrator(request)
    events = [(event.value, LANGUAGES) for event in Event]
    return render(request, "office/notifications/templates.html", {"events": events})


@officer_required
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, event: str, language: str) -> HttpResponse:
    """Edit the words of one event in one language. A malformed template (an unknown placeholder,
    a lone `$`) comes back next to its field and nothing is saved."""
    actor = _administrator(request)
    found = _event(event, language)
    current = notification_template_get(event=found, language=language)
    if request.method == "POST":
        form = NotificationTemplateForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                notification_template_update(
                    actor=actor,
                    event=found,
                    language=language,
                    subject=data["subject"],
                    body=data["body"],
                    short=data["short"],
                    alimtalk_code=data["alimtalk_code"],
                )
            except ApplicationError as exc:
                field = exc.field if exc.field in form.fields else None
                form.add_error(field, str(exc.message))
            else:
                messages.success(request, _("The template has been saved."))
                return HttpResponseRedirect(
                    reverse("office:notification-template", args=[found.value, language])
                )
        status = 400
    else:
        form = NotificationTemplateForm(
            initial={
                "subject": current.subject,
                "body": current.body,
                "short": current.short,
                "alimtalk_code": current.alimtalk_code,
            }
        )
        status = 200
    errors = _form_errors(form)
    context = {
        "event": found.value,
        "language": language,
        "form": form,
        "placeholders": sorted(event_placeholders(found)),
        "errors": errors,
        "has_errors": bool(errors),
    }
    return render(request, "office/notifications/template_edit.html", context, status=status)


# --- portal -------------------------------------------------------------------------------------


@login_required
@require_GET
def notices(request: HttpRequest) -> HttpResponse:
    """The citizen's in-app notices, newest first (officers read theirs in the office)."""
    rows = in_app_notice_list(user=_user(request))[:NOTICES_SHOWN]
    return render(request, "portal/notices/list.html", {"notices": rows})


@login_required
@require_POST
def notice_read(request: HttpRequest, notice_id: int) -> HttpResponse:
    try:
        in_app_notice_mark_read(user=_user(request), notice_id=notice_id)
    except NotFound as exc:
        raise Http404 from exc
    return HttpResponseRedirect(f"{reverse('portal:notices')}#notice-{notice_id}")


def _preference_page(
    request: HttpRequest, form: ChannelPreferenceForm, *, status: int = 200
) -> HttpResponse:
    user = _user(request)
    context = {
        "form": form,
        "has_email": bool(user.email),
        "has_phone": bool(user.phone),
        "quiet_start": QUIET_START.strftime("%H:%M"),
        "quiet_end": QUIET_END.strftime("%H:%M"),
    }
    return render(request, "portal/notices/preferences.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def channel_preferences(request: HttpRequest) -> HttpResponse:
    """Which channels besides in-app notices a citizen allows (no row: all of them)."""
    user = _user(request)
    if request.method == "POST":
        form = ChannelPreferenceForm(request.POST)
        if not form.is_valid():  # booleans: only a tampered form gets here
            return _preference_page(request, form, status=400)
        channel_preference_update(user=user, **form.cleaned_data)
        messages.success(request, _("Your choices have been saved."))
        return HttpResponseRedirect(reverse("portal:channel-preferences"))
    prefs = channel_preference_get(user=user)
    initial = {"email": prefs.email, "sms": prefs.sms, "alimtalk": prefs.alimtalk}
    return _preference_page(request, ChannelPreferenceForm(initial=initial))


@require_GET
def demo_messages(request: HttpRequest) -> HttpResponse:
    """The demo's "phone and mailbox": what the local recording channel delivered (404 when the
    recording channel is off, i.e. wherever real providers send)."""
    if not settings.NOTIFICATIONS_RECORDING:
        raise Http404
    rows = recorded_messages(Path(settings.NOTIFICATIONS_RECORDING_FILE))
    response = render(request, "portal/notices/demo_messages.html", {"recorded": rows})
    response["Cache-Control"] = "no-store"
    return response
