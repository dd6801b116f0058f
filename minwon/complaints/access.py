"""The only ways an interface obtains a complaint. Missing and forbidden look the same."""

from __future__ import annotations

import secrets
from collections.abc import Collection

from django.contrib.auth.hashers import check_password, make_password

from minwon.accounts.models import ApiKey, User
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


_dummy_hash: str | None = None


def _dummy_password_check(password: str) -> None:
    """The work of one real check (the default hasher, Argon2, at its configured cost) against a
    hash no password matches: a missing number costs what a wrong password costs."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = make_password(secrets.token_urlsafe(24))
    check_password(password, _dummy_hash)


def access_complaint_by_follow_number(follow_number: str, password: str) -> Complaint:
    """Status lookup without an account: the follow-up number (random, given when the complaint
    was sent, in its stored form: `domain.typed_follow_number`) and the password chosen at
    filing. The public, sequential 접수번호 never opens a complaint. A missing number, a
    complaint without a password and a wrong password cost the same hashing work and get the
    same "not found". Throttling is the caller's (`services.complaint_lookup`)."""
    complaint = Complaint.objects.filter(follow_number=follow_number).first()
    if complaint is None or not complaint.status_password:
        _dummy_password_check(password)
        raise _not_found()
    if not check_password(password, complaint.status_password):
        raise _not_found()
    return complaint


def access_complaint_followed(complaint_id: int, followed: Collection[int]) -> Complaint:
    """A visitor without an account reaches a complaint their browser session was given: by
    filing it, or by `services.complaint_lookup` (follow-up number and password)."""
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


def access_complaint_of_citizen_by_follow_number(citizen: User, follow_number: str) -> Complaint:
    """A signed-in citizen's own complaint by its follow-up number (stored form), no password:
    the account already proves whose it is. Anyone else's number, or none, is "not found"."""
    complaint = Complaint.objects.filter(follow_number=follow_number, citizen=citizen).first()
    if complaint is None or citizen.is_officer:
        raise _not_found()
    return complaint
