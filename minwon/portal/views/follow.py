"""Following a complaint filed without an account: follow-up or receipt number and password."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from minwon.accounts.domain import throttle_exceeded
from minwon.accounts.services import login_failure_record, login_failures_in_window
from minwon.complaints.access import access_complaint_by_receipt
from minwon.complaints.domain import typed_follow_number, typed_receipt_number
from minwon.core.errors import NotFound
from minwon.portal.schemas import FollowForm
from minwon.portal.views.session import follow_in_session
from minwon.web.forms import form_errors

FOLLOW_THROTTLE_PREFIX = "receipt:"


@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest) -> HttpResponse:
    """Follow a complaint filed without an account: receipt number and password. A wrong number
    and a wrong password get the same answer; repeated failures are throttled like logins."""
    form = FollowForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        typed = form.cleaned_data["receipt_number"]
        number = typed_follow_number(typed) or typed_receipt_number(typed)
        key = f"{FOLLOW_THROTTLE_PREFIX}{number}"
        ip = request.META.get("REMOTE_ADDR")
        if number is None:  # its shape alone is wrong: saying so tells nothing about any complaint
            form.add_error(
                "receipt_number",
                _(
                    "This is neither a follow-up number (12 letters and digits, such as "
                    "K7QF-3MXA-9RTB) nor a receipt number (such as 2026-0000042)."
                ),
            )
        elif throttle_exceeded(
            login_failures_in_window(username=key, ip=ip), limit=settings.LOGIN_FAILURE_LIMIT
        ):
            form.add_error(None, _("Too many attempts. Try again in 15 minutes."))
        else:
            try:
                complaint = access_complaint_by_receipt(number, form.cleaned_data["password"])
            except NotFound:
                login_failure_record(username=key, ip=ip)
                form.add_error(
                    "receipt_number", _("No complaint matches this number and password.")
                )
            else:
                follow_in_session(request, complaint)
                return HttpResponseRedirect(reverse("portal:my-complaint", args=[complaint.pk]))
    status = 400 if form.errors else 200
    context = {"form": form} | form_errors(form if form.is_bound else None)
    return render(request, "portal/follow.html", context, status=status)
