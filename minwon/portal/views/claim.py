"""Attach a complaint filed without an account to the citizen's account (issue 11 item 2)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from minwon.accounts.domain import throttle_exceeded
from minwon.accounts.services import login_failure_record, login_failures_in_window
from minwon.complaints.domain import typed_follow_number, typed_receipt_number
from minwon.complaints.services import complaint_claim
from minwon.core.errors import NotFound
from minwon.portal.schemas import FollowForm
from minwon.portal.views.session import session_citizen
from minwon.web.forms import form_errors

CLAIM_THROTTLE_PREFIX = "claim:"


@login_required
@require_http_methods(["GET", "POST"])
def my_complaint_claim(request: HttpRequest) -> HttpResponse:
    """The follow-up (or receipt) number and the password chosen at filing; then the complaint
    is in 나의 민원. Failures get one message and are throttled like logins."""
    citizen = session_citizen(request)
    if citizen.is_officer:
        return HttpResponseRedirect(reverse("portal:my-complaints"))
    form = FollowForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        typed = form.cleaned_data["receipt_number"]
        number = typed_follow_number(typed) or typed_receipt_number(typed)
        key = f"{CLAIM_THROTTLE_PREFIX}{citizen.pk}"
        ip = request.META.get("REMOTE_ADDR")
        if number is None:
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
                complaint = complaint_claim(
                    citizen=citizen, number=typed, password=form.cleaned_data["password"]
                )
            except NotFound:
                login_failure_record(username=key, ip=ip)
                form.add_error(
                    "receipt_number",
                    _("No complaint filed without an account matches this number and password."),
                )
            else:
                messages.success(
                    request,
                    _("“%(title)s” is now in My complaints.") % {"title": complaint.title},
                )
                return HttpResponseRedirect(reverse("portal:my-complaints"))
    context = {"form": form} | form_errors(form if form.is_bound else None)
    return render(request, "portal/claim.html", context, status=400 if form.errors else 200)
