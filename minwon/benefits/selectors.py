"""Reads of the life-event bundles: a citizen's applications, the office queue, the wait-list."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from minwon.accounts.models import User
from minwon.benefits.domain.applications import CareCandidate, Status, bundle_status, care_rank
from minwon.benefits.models import BundleApplication, ProgrammeApplication

OPEN = (Status.SUBMITTED, Status.UNDER_REVIEW, Status.WAITLISTED)


def bundle_applications_for_citizen(*, user: User) -> QuerySet[BundleApplication]:
    return BundleApplication.objects.filter(applicant=user).prefetch_related("programmes")


def bundle_application_status(application: BundleApplication) -> str:
    """The bundle's derived status (``domain.applications.bundle_status``)."""
    return bundle_status(Status(p.status) for p in application.programmes.all()).value


def programme_queue(*, programme_code: str = "") -> QuerySet[ProgrammeApplication]:
    """Open programme applications, the nearest processing deadline first (none last)."""
    rows = ProgrammeApplication.objects.filter(status__in=[s.value for s in OPEN])
    if programme_code:
        rows = rows.filter(programme_code=programme_code)
    return rows.select_related("bundle").order_by("due_at", "id")


@dataclass(frozen=True)
class WaitlistEntry:
    application: ProgrammeApplication
    rank: int
    tier: int


def care_waitlist(*, programme_code: str) -> list[WaitlistEntry]:
    """The ranked wait-list of one care programme (docs/benefits.md "The 온종일돌봄 wait-list")."""
    rows = {
        row.pk: row
        for row in ProgrammeApplication.objects.filter(
            programme_code=programme_code,
            status__in=[s.value for s in OPEN],
        ).select_related("bundle")
    }
    ranked = care_rank(
        [
            CareCandidate(pk, frozenset(row.priority_flags), row.bundle.submitted_at)
            for pk, row in rows.items()
        ]
    )
    return [WaitlistEntry(rows[pk], rank, tier) for pk, rank, tier in ranked]
