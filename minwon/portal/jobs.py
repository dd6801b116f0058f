"""Background entry points of the portal (on the one schedule, config/schedule.py)."""

from __future__ import annotations

from minwon.core.jobs import task
from minwon.portal.services import staging_sweep


@task("portal.staging_sweep", periodic=True)
def portal_staging_sweep_job() -> int:
    """Files staged on the filing form and never sent are removed after STAGING_MAX_AGE_SECONDS
    (issue 13 item 8)."""
    return staging_sweep()
