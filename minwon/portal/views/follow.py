"""Following a complaint filed without an account: follow-up number and password."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from minwon.complaints.services import complaint_lookup
from minwon.core.errors import NotFound, Throttled, ValidationFailed
from minwon.portal.schemas import FollowForm
from minwon.portal.views.session import follow_in_session
from minwon.web.forms import form_errors


@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest) -> HttpResponse:
    """Follow a complaint filed without an account: follow-up number and password. A wrong
    number and a wrong password get the same answer; repeated failures wait behind the lookup
    throttle the JSON API shares (complaints.services.complaint_lookup)."""
    form = FollowForm(request.POST or None)
    status, retry_after = 200, 0
    if request.method == "POST" and form.is_valid():
        try:
            complaint = complaint_lookup(
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
            form.add_error("follow_number", _("No complaint matches this number and password."))
        else:
            follow_in_session(request, complaint)
            return HttpResponseRedirect(reverse("portal:my-complaint", args=[complaint.pk]))
    if form.errors and status == 200:
        status = 400
    context = {"form": form} | form_errors(form if form.is_bound else None)
    response = render(request, "portal/follow.html", context, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response
