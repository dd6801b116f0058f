"""The complaints context's reaction to a working-calendar change (a durable row, not a hook).

The catalog writes a `CalendarChange` row in the holiday change's transaction; the scheduled job
`complaints.deadlines_recompute` calls `complaint_deadlines_catch_up`, which claims every waiting
change under a lease, re-computes the open deadlines once for all of them (the recompute is
idempotent: a second run changes nothing) and records the progress on the claimed rows.
"""

from __future__ import annotations

from minwon.catalog.services import (
    calendar_changes_claim,
    calendar_changes_finish,
    calendar_changes_progress,
)
from minwon.complaints.domain import ClockKind
from minwon.complaints.models import Complaint
from minwon.complaints.services.deadlines import RecomputeResult, complaint_deadlines_recompute
from minwon.complaints.services.moved_dates import MoveCause


def complaint_deadlines_catch_up(*, batch_size: int = 5000) -> RecomputeResult | None:
    """Re-compute open deadlines if a calendar change waits; None when none does (or another
    worker's run holds the lease)."""
    claim = calendar_changes_claim()
    if claim is None:
        return None

    def progress(rows: int) -> None:  # each batch: the count, and the lease renewed
        calendar_changes_progress(claim=claim, scanned=rows)

    try:
        total = Complaint.objects.exclude(clock=ClockKind.NONE.value).count()
        calendar_changes_progress(claim=claim, total=total)
        result = complaint_deadlines_recompute(
            batch_size=batch_size,
            progress=progress,
            cause=MoveCause.of_changes(claim.change_ids),
        )
    except Exception as exc:  # the rows wait again; the next scheduled run retries
        calendar_changes_finish(claim=claim, scanned=0, changed=0, failed=0, error=repr(exc))
        raise
    calendar_changes_finish(
        claim=claim, scanned=result.scanned, changed=result.changed, failed=result.failed
    )
    return result
