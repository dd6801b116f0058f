"""Who may see a bundle application: its applicant, and officials (the office queue)."""

from __future__ import annotations

from minwon.accounts.models import User
from minwon.benefits.models import BundleApplication
from minwon.core.errors import NotFound


def access_bundle_application_for_citizen(*, user: User, receipt_no: str) -> BundleApplication:
    """The applicant's own application; anyone else's, or none, is the same "not found"."""
    found = (
        BundleApplication.objects.filter(receipt_no=receipt_no.strip().upper(), applicant=user)
        .prefetch_related("programmes", "programmes__documents")
        .first()
    )
    if found is None:
        raise NotFound
    return found


def access_bundle_application_for_officer(*, officer: User, pk: int) -> BundleApplication:
    found = (
        BundleApplication.objects.filter(pk=pk)
        .prefetch_related("programmes", "programmes__documents")
        .first()
        if officer.is_officer
        else None
    )
    if found is None:
        raise NotFound
    return found
