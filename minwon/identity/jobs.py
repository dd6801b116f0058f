"""Background work of the identity context (thin: one service call, idempotent)."""

from __future__ import annotations

from minwon.core.jobs import task
from minwon.identity.services import identity_retention_sweep


@task("identity.retention_sweep", periodic=True)
def retention_sweep() -> dict[str, int]:
    """Erase expired result screens, expire waiting sessions, delete records past retention."""
    return identity_retention_sweep()
