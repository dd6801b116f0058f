"""Screening every citizen text (issue 16): the stored result of the pure screen.

The lifecycle (``complaints``, above this context) hands a text here after its own transaction
has committed, never inside it: a complaint is a right and the screen only informs its handling,
so nothing here can fail, undo or delay a filing. A screen that raises is logged and stored as
``reason="failed"`` (nothing found) so the stream goes on; the same text read twice by the same
screen is the same row.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import IntegrityError, transaction

from minwon.accounts.models import User
from minwon.core import clock, jobs
from minwon.core.services import audit_record
from minwon.protection.domain import (
    SCREEN_VERSION,
    MorphemeFn,
    ScreenResult,
    Severity,
    Source,
    screen,
    text_digest,
)
from minwon.protection.models import Screening, ScreeningCursor

logger = logging.getLogger(__name__)

# The notifications context turns new flagged screenings into messages to the department head
# and, for a threat, the security desk (its job of this name; the schedule re-drives it).
ALERTS_TASK = "notifications.protection_alerts"


def _morphemes() -> MorphemeFn | None:
    if not getattr(settings, "PROTECTION_SCREEN_MORPHEMES", False):
        return None
    from minwon.protection.text import lemmas  # kiwipiepy, loaded only when asked for

    return lemmas


def _storable(value: str) -> str:
    """Text PostgreSQL's JSON takes: no NUL, no lone surrogate (a citizen may send either)."""
    return value.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")


def _screen_guarded(text: str) -> tuple[ScreenResult | None, str]:
    """The screen's result, or None and "failed" when it raised (logged, never re-raised)."""
    try:
        return screen(text, morphemes=_morphemes()), ""
    except Exception:
        logger.exception("protection: the screen failed on a text of %d characters", len(text))
        return None, "failed"


def screening_record(*, complaint_id: int, source: Source, source_id: int, text: str) -> Screening:
    """Screen ``text`` (a citizen's words about complaint ``complaint_id``, carried by row
    ``source_id`` of ``source``) and store the result. Idempotent: the same text of the same row
    under the same screen returns the row already stored. Never raises because of the text."""
    digest = text_digest(text)
    found = Screening.objects.filter(
        source=source.value, source_id=source_id, text_sha256=digest, screen_version=SCREEN_VERSION
    ).first()
    if found is not None:
        return found
    result, failure = _screen_guarded(text)  # before the transaction: the database waits not
    row = Screening(
        complaint_id=complaint_id,
        source=source.value,
        source_id=source_id,
        text_sha256=digest,
        text_length=len(text),
        screen_version=SCREEN_VERSION,
        reason=failure,
    )
    if result is not None:
        row.abusive = result.abusive
        row.urgent = result.urgent
        row.severity = result.severity.value
        row.severity_rank = result.severity.rank
        row.categories = [c.value for c in result.categories]
        row.spans = [{**s.as_dict(), "masked": _storable(s.masked)} for s in result.spans]
        row.truncated = result.truncated
        row.reason = result.reason or ""
    try:
        with transaction.atomic():
            row.save()
            audit_record(
                actor=None,
                action="protection.screened",
                target=row,
                data={
                    "complaint_id": complaint_id,
                    "source": source.value,
                    "severity": row.severity,
                    "categories": row.categories,
                    "screen_version": SCREEN_VERSION,
                    **({"reason": row.reason} if row.reason else {}),
                },
            )
            if row.abusive and row.severity_rank >= Severity.MEDIUM.rank:
                transaction.on_commit(alerts_wake)
    except IntegrityError:  # another reader stored the same reading first
        return Screening.objects.get(
            source=source.value,
            source_id=source_id,
            text_sha256=digest,
            screen_version=SCREEN_VERSION,
        )
    return row


def alerts_wake() -> None:
    """After a flagged screening committed: the alerts go out now, not at the next sweep.
    Never raises (the schedule re-drives the job)."""
    try:
        if settings.BACKGROUND_RUNNER == "thread":
            jobs.wake()
        elif settings.BACKGROUND_RUNNER == "celery":
            jobs.send(ALERTS_TASK)
    except Exception:
        logger.warning("protection: could not ask for the alerts; the schedule will")


def cursor_position(name: str) -> int:
    """The last event id of stream ``name`` that was screened (0 before the first)."""
    row = ScreeningCursor.objects.filter(name=name).values_list("last_event_id", flat=True).first()
    return int(row or 0)


@transaction.atomic
def cursor_move(*, name: str, from_id: int, to_id: int) -> bool:
    """Move stream ``name`` from ``from_id`` to ``to_id``; False (nothing changed) when another
    reader moved it first. No audit row: the position is bookkeeping, the screenings are
    audited."""
    ScreeningCursor.objects.get_or_create(name=name)
    return bool(
        ScreeningCursor.objects.filter(name=name, last_event_id=from_id).update(
            last_event_id=to_id, updated_at=clock.now()
        )
    )


@transaction.atomic
def screening_reveal(
    *, actor: User, complaint_id: int, screening_ids: list[int], org_unit_id: int | None
) -> None:
    """An officer chose to see a complaint's masked words as written (issue 16: exposure is
    itself a harm, so the screen's masks are the default and every reveal is recorded). One
    audit row: who, which complaint, which screenings; never the words."""
    audit_record(
        actor=actor,
        action="protection.text_revealed",
        target_type="complaints.complaint",
        target_id=complaint_id,
        org_unit_id=org_unit_id,
        data={"screenings": sorted(screening_ids)},
    )
