"""Background entry points of the complaints context (on the one schedule, config/schedule.py)."""

from __future__ import annotations

from minwon.complaints.services import complaint_progress_notices_sweep
from minwon.core.jobs import task


@task("complaints.progress_notices", periodic=True)
def complaint_progress_notices_job() -> int:
    """중간통지 (영 제23조): record the notice for every complaint whose 30 days have run."""
    return complaint_progress_notices_sweep()
