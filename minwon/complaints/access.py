"""The only ways an interface obtains a complaint. Missing and forbidden look the same."""

from __future__ import annotations

from collections.abc import Collection

from django.contrib.auth.hashers import check_password

from minwon.accounts.models import ApiKey, User
from minwon.complaints.domain import typed_follow_number, typed_receipt_number
from minwon.complaints.models import Complaint
from minwon.complaints.selectors import integrator_scope, officer_scope
from minwon.core.errors import NotFound


def _not_found() -> NotFound:
    return NotFound(code="complaint.not_found")


def access_complaint_for_citizen(citizen: User, complaint_id: int) -> Complaint:
    """A citizen reaches only their own complaints, to read or to act (what an action may do in
    the complaint's state is the lifecycle's rule, checked by the service)."""
    complaint = Complaint.objects.filter(pk=complaint_id, citizen_id=citizen.pk).first()
    if complaint is None:
        raise _not_found()
    return complaint


def access_complaint_for_officer(officer: User, complaint_id: int) -> Complaint:
    """An officer reaches the complaints of the org units their roles cover, to read or to act
    (the services check what each role may do)."""
    if not officer.is_officer:
        raise _not_found()
    complaint = Complaint.objects.filter(officer_scope(officer), pk=complaint_id).first()
    if complaint is None:
        raise _not_found()
    return complaint


def access_complaint_by_receipt(receipt_number: str, password: str) -> Complaint:
    """Status lookup without an account: the follow-up number (given when it was sent) or the
    receipt number (given at registration), as typed, and the password chosen at filing."""
    complaint = None
    if (follow := typed_follow_number(receipt_number)) is not None:
        complaint = Complaint.objects.filter(follow_number=follow).first()
    elif (number := typed_receipt_number(receipt_number)) is not None:
        complaint = Complaint.objects.filter(receipt_number=number).first()
    if complaint is None or not complaint.status_password:
        check_password(password, "pbkdf2_sha256$1$x$x")  # same work whether or not it exists
        raise _not_found()
    if not check_password(password, complaint.status_password):
        raise _not_found()
    return complaint


def access_complaint_followed(complaint_id: int, followed: Collection[int]) -> Complaint:
    """A visitor without an account reaches a complaint their browser session was given: by
    filing it, or by `access_complaint_by_receipt` (receipt number and password)."""
    if complaint_id not in followed:
        raise _not_found()
    complaint = Complaint.objects.filter(pk=complaint_id).exclude(status_password="").first()
    if complaint is None:
        raise _not_found()
    return complaint


def access_complaint_for_integrator(api_key: ApiKey, complaint_id: int) -> Complaint:
    """An integrator's key reaches the complaints of its org unit (all, when unbound)."""
    complaint = Complaint.objects.filter(integrator_scope(api_key), pk=complaint_id).first()
    if complaint is None:
        raise _not_found()
    return complaint
