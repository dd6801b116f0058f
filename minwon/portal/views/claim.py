"""Attach a complaint filed without an account to the citizen's account (issue 11 item 2)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from minwon.complaints.services import complaint_claim
from minwon.core.errors import NotFound, Throttled, ValidationFailed
from minwon.portal.schemas import FollowForm
from minwon.portal.views.session import session_citizen
from minwon.web.forms import form_errors


@login_required
@require_http_methods(["GET", "POST"])
def my_complaint_claim(request: HttpRequest) -> HttpResponse:
    """The follow-up number and the password chosen at filing; then the complaint is in 나의
    민원. Failures get one message and wait behind the lookup throttle `/follow/` uses."""
    citizen = session_citizen(request)
    if citizen.is_officer:
        return HttpResponseRedirect(reverse("portal:my-complaints"))
    form = FollowForm(request.POST or None)
    status, retry_after = 200, 0
    if request.method == "POST" and form.is_valid():
        try:
            complaint = complaint_claim(
                citizen=citizen,
                follow_number=form.cleaned_data["follow_number"],
                password=form.cleaned_data["password"],
                ip=request.META.get("REMOTE_ADDR"),
            )
        except Throttled as exc:
            form.add_error(None, str(exc.message))
            status, retry_after = 429, exc.retry_after
        except ValidationFailed as exc:
            form.add_error("follow_number", str(exc.message))
        except NotFound:
            form.add_error(
                "follow_number",
                _("No complaint filed without an account matches this number and password."),
            )
        else:
            messages.success(
                request, _("“%(title)s” is now in My complaints.") % {"title": complaint.title}
            )
            return HttpResponseRedirect(reverse("portal:my-complaints"))
    if form.errors and status == 200:
        status = 400
    context = {"form": form} | form_errors(form if form.is_bound else None)
    response = render(request, "portal/claim.html", context, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response
