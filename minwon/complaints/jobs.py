"""Background entry points of the complaints context (on the one schedule, config/schedule.py)."""

from __future__ import annotations

from minwon.complaints.services import (
    complaint_deadlines_catch_up,
    complaint_progress_notices_sweep,
    complaint_routing_sweep_alone,
    complaint_screening_sweep_alone,
)
from minwon.core.jobs import task


@task("complaints.progress_notices", periodic=True)
def complaint_progress_notices_job() -> int:
    """중간통지 (영 제23조): record the notice for every complaint whose 30 days have run."""
    return complaint_progress_notices_sweep()


@task("complaints.deadlines_recompute", periodic=True)
def complaint_deadlines_recompute_job() -> int:
    """A holiday was declared or removed (catalog.CalendarChange waits): re-compute open
    deadlines once for every waiting change. Safe on two workers (a lease); 0 when none waits."""
    result = complaint_deadlines_catch_up()
    return 0 if result is None else result.changed


@task("complaints.routing_read", periodic=True)
def complaint_routing_read_job() -> int:
    """Routing reads what the history recorded after its cursor: new complaints get their
    suggestions, transfers and answers their outcome (issue 15). A failure skips one row. One
    run at a time: a second returns at once and frees its worker for other jobs."""
    return complaint_routing_sweep_alone()


@task("complaints.protection_screen", periodic=True)
def complaint_protection_screen_job() -> int:
    """Protection screens the citizens' texts the history recorded after its cursor (issue 16):
    complaints, supplements, objections and messages. A failure skips one row; never a filing's."""
    return complaint_screening_sweep_alone()
