"""나의 민원: the complainant's list and one complaint, with withdrawal, supplement, rating and
the downloads (a file of the complaint, the 접수증)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from minwon.accounts.models import User
from minwon.complaints.access import access_complaint_followed, access_complaint_for_citizen
from minwon.complaints.domain import OPEN_STATUSES, RATEABLE_STATUSES, ComplaintStatus
from minwon.complaints.models import Complaint
from minwon.complaints.selectors import (
    attachment_list,
    complaint_list_for_citizen,
    complaint_timeline_for_citizen,
    satisfaction_for_latest_answer,
    supplement_request_latest,
)
from minwon.complaints.services import (
    complaint_satisfaction_rate,
    complaint_supplement_submit,
    complaint_withdraw,
)
from minwon.core.errors import ApplicationError, NotFound
from minwon.portal.schemas import RatingForm, SupplementForm, WithdrawForm
from minwon.portal.views.session import followed_ids, session_account, session_citizen
from minwon.web.downloads import attachment_download, receipt_download
from minwon.web.files import file_inputs, file_limits
from minwon.web.forms import form_errors, service_error


@login_required
@require_GET
def my_complaints(request: HttpRequest) -> HttpResponse:
    complaints = complaint_list_for_citizen(citizen=session_citizen(request))[:200]
    return render(request, "portal/my_complaints.html", {"complaints": complaints})


class _LoginNeeded(Exception):
    pass


def _visible(request: HttpRequest, complaint_id: int) -> Complaint:
    """The complainant's own complaint (account), or one this browser session follows. Anyone
    else is sent to log in (without an account and without a followed complaint) or gets 404."""
    account = session_account(request)
    followed = followed_ids(request)
    if account is None and not followed:
        raise _LoginNeeded
    try:
        if account is not None and complaint_id not in followed:
            return access_complaint_for_citizen(account, complaint_id)
        return access_complaint_followed(complaint_id, followed)
    except NotFound as exc:
        raise Http404 from exc


def complainant_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Send visitors with neither an account nor a followed complaint to log in."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except _LoginNeeded:
            return redirect_to_login(request.get_full_path())

    return wrapper


def _actor(request: HttpRequest) -> User | None:
    return session_account(request)


def _complaint_page(
    request: HttpRequest,
    complaint: Complaint,
    *,
    supplement_form: SupplementForm | None = None,
    rating_form: RatingForm | None = None,
    withdraw_form: WithdrawForm | None = None,
    status: int = 200,
) -> HttpResponse:
    rateable = complaint.status in RATEABLE_STATUSES
    rating = satisfaction_for_latest_answer(complaint) if rateable else None
    context: dict[str, Any] = {
        "complaint": complaint,
        "events": complaint_timeline_for_citizen(complaint),
        "attachments": attachment_list(complaint),
        "supplement_request": supplement_request_latest(complaint),
        "is_open": complaint.status in OPEN_STATUSES,
        "can_withdraw": complaint.status in OPEN_STATUSES
        and complaint.status != ComplaintStatus.OBJECTION_PENDING,
        "withdraw_form": withdraw_form or WithdrawForm(),
        "supplement_form": supplement_form or SupplementForm(prefix="supplement"),
        "can_supplement": complaint.status == ComplaintStatus.SUPPLEMENT_PENDING,
        "rating": rating,
        "can_rate": rateable and rating is None,
        "rating_form": rating_form or RatingForm(prefix="rating"),
        "followed_without_account": not complaint.citizen_id,
        **file_limits(),
    }
    context |= form_errors(supplement_form, rating_form, withdraw_form)
    return render(request, "portal/my_complaint.html", context, status=status)


@complainant_page
@require_GET
def my_complaint(request: HttpRequest, complaint_id: int) -> HttpResponse:
    return _complaint_page(request, _visible(request, complaint_id))


@complainant_page
@require_POST
def my_complaint_withdraw(request: HttpRequest, complaint_id: int) -> HttpResponse:
    complaint = _visible(request, complaint_id)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return _complaint_page(request, complaint, withdraw_form=form, status=400)
    try:
        complaint_withdraw(
            complaint=complaint, actor=_actor(request), reason=form.cleaned_data["reason"]
        )
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Your complaint has been withdrawn."))
    return HttpResponseRedirect(reverse("portal:my-complaint", args=[complaint.pk]))


@complainant_page
@require_POST
def my_complaint_supplement(request: HttpRequest, complaint_id: int) -> HttpResponse:
    """Send the information the department asked for (보완): words, files or both."""
    complaint = _visible(request, complaint_id)
    form = SupplementForm(request.POST, request.FILES, prefix="supplement")
    if not form.is_valid():
        return _complaint_page(request, complaint, supplement_form=form, status=400)
    try:
        complaint_supplement_submit(
            complaint=complaint,
            actor=_actor(request),
            text=form.cleaned_data["text"],
            files=file_inputs(form.cleaned_data["attachments"]),
        )
    except ApplicationError as exc:
        service_error(form, exc)
        return _complaint_page(request, complaint, supplement_form=form, status=400)
    messages.success(
        request, _("Thank you: the department has your information and works on again.")
    )
    return HttpResponseRedirect(reverse("portal:my-complaint", args=[complaint.pk]))


@complainant_page
@require_POST
def my_complaint_rating(request: HttpRequest, complaint_id: int) -> HttpResponse:
    """만족도 평가 of the answer."""
    complaint = _visible(request, complaint_id)
    form = RatingForm(request.POST, prefix="rating")
    if not form.is_valid():
        return _complaint_page(request, complaint, rating_form=form, status=400)
    try:
        complaint_satisfaction_rate(
            complaint=complaint,
            actor=_actor(request),
            score=form.cleaned_data["score"],
            comment=form.cleaned_data["comment"],
        )
    except ApplicationError as exc:
        service_error(form, exc)
        return _complaint_page(request, complaint, rating_form=form, status=400)
    messages.success(request, _("Thank you for rating the answer."))
    return HttpResponseRedirect(reverse("portal:my-complaint", args=[complaint.pk]))


@complainant_page
@require_GET
def my_complaint_attachment(
    request: HttpRequest, complaint_id: int, attachment_id: int
) -> HttpResponse:
    """A file of the complaint, after the access check; always downloaded, never shown inline."""
    return attachment_download(_visible(request, complaint_id), attachment_id)[1]


@complainant_page
@require_GET
def my_complaint_receipt_pdf(request: HttpRequest, complaint_id: int) -> HttpResponse:
    """The 접수증 as PDF; before registration the page says why there is none yet."""
    complaint = _visible(request, complaint_id)
    response = receipt_download(request, complaint)
    return response or HttpResponseRedirect(reverse("portal:my-complaint", args=[complaint.pk]))
