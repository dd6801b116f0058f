"""Following a complaint by its follow-up number (with the filing password, or signed in)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from minwon.accounts.models import User
from minwon.complaints.access import access_complaint_of_citizen_by_follow_number
from minwon.complaints.domain import typed_follow_number
from minwon.complaints.models import Complaint
from minwon.complaints.services import complaint_lookup
from minwon.core.errors import NotFound, Throttled, ValidationFailed
from minwon.portal.schemas import FollowForm
from minwon.portal.views.session import follow_in_session, session_account
from minwon.web.forms import form_errors


def _own_complaint(account: User | None, typed: str) -> Complaint | None:
    """The signed-in citizen's own complaint with this follow-up number, if it is theirs."""
    number = typed_follow_number(typed)
    if account is None or number is None:
        return None
    try:
        return access_complaint_of_citizen_by_follow_number(account, number)
    except NotFound:
        return None


@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest) -> HttpResponse:
    """Follow a complaint by its follow-up number: with the password chosen at filing, or, for
    a signed-in citizen's own complaint, with the number alone (another's number still needs
    its password and goes through the lookup and its throttle). A wrong
    number and a wrong password get the same answer; repeated failures wait behind the lookup
    throttle the JSON API shares (complaints.services.complaint_lookup)."""
    account = session_account(request)
    signed_in = account is not None and not account.is_officer
    form = FollowForm(request.POST or None, signed_in=signed_in)
    status, retry_after = 200, 0
    if request.method == "POST" and form.is_valid():
        own = _own_complaint(account, form.cleaned_data["follow_number"]) if signed_in else None
        if own is not None:
            return HttpResponseRedirect(reverse("portal:my-complaint", args=[own.pk]))
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
    context = {"form": form, "signed_in": signed_in} | form_errors(form if form.is_bound else None)
    response = render(request, "portal/follow.html", context, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response
