"""Protection screens the citizens' texts (issue 16): the lifecycle hands ``minwon.protection``
every text a citizen wrote about a complaint, after the fact and never in intake's way.

Which texts: the complaint as filed (title and body, any channel), the words of a 보완 the
complainant sent, the grounds of an 이의신청, and the citizen's other messages in the history
(the reason given for a 취하 or a 재민원, a 만족도 comment). Officers' words are not screened.

A commit that recorded one of them only asks for the screening (``screening_wake``, from
``common.record``); the ``complaints.protection_screen`` job (on the one schedule, so a lost
wake-up only delays it) reads the history after protection's cursor. A failure is logged and
skipped: it never fails, undoes or blocks a filing, and the cursor moves on so one bad text cannot
stop the rest. Measured (docs/benchmarks.md): screening inside intake would add the screen's own
time to every filing; after the commit it adds only the wake-up.
"""

from __future__ import annotations

import contextlib
import logging
import secrets

from django.conf import settings
from django.core.cache import cache

from minwon.complaints.domain import Action
from minwon.complaints.models import ComplaintEvent, SatisfactionRating
from minwon.core import jobs
from minwon.protection.domain import Source
from minwon.protection.services import screening

logger = logging.getLogger(__name__)

SCREENING_CURSOR = "complaints"
SCREENING_TASK = "complaints.protection_screen"
SCREENING_WAKE_CACHE_KEY = "complaints:screening-wake"
SCREENING_WAKE_SECONDS = 2
SCREENING_RUN_CACHE_KEY = "complaints:screening-running"
SCREENING_RUN_SECONDS = 300
SCREENED_ACTIONS = (
    Action.ARRIVE.value,
    Action.RECEIVE_SUPPLEMENT.value,
    Action.FILE_OBJECTION.value,
    Action.WITHDRAW.value,
    Action.REOPEN.value,
    Action.RATE.value,
)


def screening_wake() -> None:
    """After a commit that recorded a citizen's text: ask for its screening now. Never raises
    (the schedule re-drives the job). On Celery at most one message per SCREENING_WAKE_SECONDS:
    one run reads every row after the cursor."""
    try:
        if settings.BACKGROUND_RUNNER == "thread":
            jobs.wake()
        elif settings.BACKGROUND_RUNNER == "celery" and cache.add(
            SCREENING_WAKE_CACHE_KEY, 1, timeout=SCREENING_WAKE_SECONDS
        ):
            jobs.send(SCREENING_TASK)
    except Exception:  # the cache is unreachable: the schedule screens within a sweep
        logger.warning("protection: could not ask for a screening; the schedule will")


def _by_citizen(event: ComplaintEvent) -> bool:
    """Written by the complainant: no actor (a complaint filed without an account, an
    integrator) or a citizen account; an officer recording something is not screened."""
    actor = event.actor
    return actor is None or not actor.is_officer


def citizen_text(event: ComplaintEvent) -> tuple[Source, str] | None:
    """The citizen's words this history row carries, and what they are; None when none."""
    data = event.data or {}
    if event.action == Action.ARRIVE.value:
        complaint = event.complaint
        return Source.COMPLAINT, f"{complaint.title}\n{complaint.body}"
    if event.action == Action.RECEIVE_SUPPLEMENT.value:
        if not data.get("by_complainant"):
            return None  # an officer recorded that the papers arrived
        return Source.SUPPLEMENT, str(data.get("note") or "")
    if event.action == Action.FILE_OBJECTION.value:
        return Source.OBJECTION, str(data.get("grounds") or "")
    if event.action in (Action.WITHDRAW.value, Action.REOPEN.value):
        reason = str(data.get("reason") or "")
        return (Source.MESSAGE, reason) if reason.strip() and _by_citizen(event) else None
    if event.action == Action.RATE.value:
        comment = (
            SatisfactionRating.objects.filter(
                complaint_id=event.complaint_id, answer_number=int(data.get("answer_number") or 0)
            )
            .values_list("comment", flat=True)
            .first()
        )
        return (Source.MESSAGE, comment) if comment and comment.strip() else None
    return None


def complaint_screening_sweep(*, limit: int = 200) -> int:
    """Screen the citizens' texts of the history rows after protection's cursor, one at a
    time; the number of rows read. Safe to run twice at once: the cursor moves only from where
    this run found it, and a screening repeated is the same row."""
    done = 0
    for _step in range(limit):
        at = screening.cursor_position(SCREENING_CURSOR)
        event = (
            ComplaintEvent.objects.filter(pk__gt=at, action__in=SCREENED_ACTIONS)
            .select_related("complaint", "actor")
            .order_by("pk")
            .first()
        )
        if event is None:
            break
        try:
            found = citizen_text(event)
            if found is not None:
                source, text = found
                screening.screening_record(
                    complaint_id=event.complaint_id, source=source, source_id=event.pk, text=text
                )
        except Exception:
            logger.exception(
                "protection: complaint %s (%s) was not screened", event.complaint_id, event.action
            )
        if screening.cursor_move(name=SCREENING_CURSOR, from_id=at, to_id=event.pk):
            done += 1
    return done


def complaint_screening_sweep_alone(*, limit: int = 200) -> int:
    """The job's sweep, one run at a time across workers (as routing's): while another run holds
    the mark this one returns 0 at once; with the cache unreachable it runs anyway (the cursor's
    compare-and-set keeps two runs correct)."""
    token = secrets.token_hex(8)
    try:
        mine: bool | None = cache.add(SCREENING_RUN_CACHE_KEY, token, timeout=SCREENING_RUN_SECONDS)
    except Exception:
        logger.warning("protection: the cache is unreachable; screening without the one-run mark")
        mine = None
    if mine is False:
        return 0
    try:
        return complaint_screening_sweep(limit=limit)
    finally:
        if mine:
            with contextlib.suppress(Exception):
                if cache.get(SCREENING_RUN_CACHE_KEY) == token:
                    cache.delete(SCREENING_RUN_CACHE_KEY)
