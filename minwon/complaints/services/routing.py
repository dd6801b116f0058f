"""Routing reads the complaints (issue 15): the lifecycle hands ``minwon.routing`` each new
complaint's text and, later, where it was handled, after the fact and never in intake's way.

Intake only asks for the reading once its transaction has committed (``routing_wake``); the
``complaints.routing_read`` job (on the one schedule, so a lost wake-up only delays it) reads the
complaint history after routing's cursor: an arrival (도달, any channel) becomes a routing case
with its suggestions, a transfer after a suggestion records a miss, an answer records the unit
that finally handled it (the training label). A routing failure is logged and skipped: it never
fails, undoes or blocks a filing, and the cursor moves on so one bad text cannot stop the rest.
"""

from __future__ import annotations

import contextlib
import logging
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _

from minwon.accounts.models import OrgUnit, User
from minwon.complaints.domain import Action, TransferKind
from minwon.complaints.models import Complaint, ComplaintEvent
from minwon.complaints.services.common import lock
from minwon.complaints.services.relations import _complainant_marks
from minwon.complaints.services.workflow import complaint_transfer
from minwon.core import crypto, jobs
from minwon.lawclock.kinds import ComplaintKind
from minwon.routing import selectors as routing_reads
from minwon.routing import services as routing
from minwon.routing.domain import RepeatEvidence
from minwon.routing.models import Decision, Target

logger = logging.getLogger(__name__)

ROUTING_CURSOR = "complaints"
ROUTING_TASK = "complaints.routing_read"
ROUTING_WAKE_CACHE_KEY = "complaints:routing-wake"
ROUTING_WAKE_SECONDS = 5
ROUTING_RUN_CACHE_KEY = "complaints:routing-read-running"
ROUTING_RUN_SECONDS = 300
TRANSFERS = (Action.TRANSFER_INTERNAL.value, Action.TRANSFER_EXTERNAL.value)
ROUTED_ACTIONS = (Action.ARRIVE.value, Action.ANSWER.value, *TRANSFERS)


def routing_wake() -> None:
    """After a commit that filed a complaint: ask for its reading now. Never raises (the
    schedule re-drives the job).

    On Celery at most one message per ROUTING_WAKE_SECONDS: one run reads every row after the
    cursor, so a message per filing only queued sweeps with nothing left to read (700 of them
    after a burst of 700 filings, in the one queue, ahead of the notices' jobs)."""
    try:
        if settings.BACKGROUND_RUNNER == "thread":
            jobs.wake()
        elif settings.BACKGROUND_RUNNER == "celery" and cache.add(
            ROUTING_WAKE_CACHE_KEY, 1, timeout=ROUTING_WAKE_SECONDS
        ):
            jobs.send(ROUTING_TASK)
    except Exception:  # the cache is unreachable: the schedule reads within a sweep
        logger.warning("routing: could not ask for a reading; the schedule will")


def complainant_key(complaint: Complaint) -> str:
    """One opaque key of who filed it (a blind index; never a name): the citizen account if
    there is one, else the applicant's name at their household. Campaigns count distinct keys."""
    marks = sorted(_complainant_marks(complaint))
    citizen = [m for m in marks if m.startswith("citizen:")]
    chosen = citizen[0] if citizen else (marks[0] if marks else "")
    return crypto.blind_index(chosen, purpose="routing-complainant")[:64] if chosen else ""


def complaint_text(complaint: Complaint) -> str:
    return f"{complaint.title}\n{complaint.body}"


def _route(event: ComplaintEvent) -> None:
    complaint = event.complaint
    if event.action == Action.ARRIVE.value:
        routing.case_read(
            complaint_id=complaint.pk,
            text=complaint_text(complaint),
            complainant_key=complainant_key(complaint),
        )
        repeat_check(complaint)
    elif event.action in TRANSFERS:
        routing.outcome_record(
            complaint_id=complaint.pk,
            transferred=True,
            transferred_to=str(event.data.get("to_org_unit") or ""),
        )
    elif event.action == Action.ANSWER.value:
        routing.outcome_record(
            complaint_id=complaint.pk,
            department=complaint.org_unit.code if complaint.org_unit else "",
            kind=complaint.kind,
        )


def repeat_check(complaint: Complaint) -> None:
    """법 제23조① at arrival: routing compares the complaint with the same complainant's earlier
    ones; the lifecycle tells which of those were answered (a result notice) and which are
    법정민원 (never counted). Routing stores the flag and its evidence; an officer decides."""
    similar = routing_reads.same_complainant_similar(complaint_id=complaint.pk)
    if not similar:
        return
    facts = {
        pk: (notices > 0, kind == ComplaintKind.STATUTORY.value)
        for pk, notices, kind in Complaint.objects.filter(
            pk__in=[pk for pk, _sim in similar]
        ).values_list("pk", "result_notices", "kind")
    }
    routing.repeat_flag_record(
        complaint_id=complaint.pk,
        statutory=complaint.kind == ComplaintKind.STATUTORY.value,
        earlier=[
            RepeatEvidence(pk, sim, result_notified=facts[pk][0], statutory=facts[pk][1])
            for pk, sim in similar
            if pk in facts
        ],
    )


def complaint_routing_sweep_alone(*, limit: int = 200) -> int:
    """The job's sweep, one run at a time across workers: while another run holds the mark, this
    one returns 0 at once and leaves its worker process to other jobs (the notices' among them)
    instead of reading the same rows beside it. The mark expires after ROUTING_RUN_SECONDS, so a
    killed worker holds nothing longer; with the cache unreachable the sweep runs anyway (the
    cursor's compare-and-set keeps two runs correct)."""
    token = secrets.token_hex(8)
    try:
        mine: bool | None = cache.add(ROUTING_RUN_CACHE_KEY, token, timeout=ROUTING_RUN_SECONDS)
    except Exception:  # the cache is unreachable
        logger.warning("routing: the cache is unreachable; reading without the one-run mark")
        mine = None
    if mine is False:
        return 0
    try:
        return complaint_routing_sweep(limit=limit)
    finally:
        if mine:
            with contextlib.suppress(Exception):  # the mark expires on its own
                if cache.get(ROUTING_RUN_CACHE_KEY) == token:
                    cache.delete(ROUTING_RUN_CACHE_KEY)


def complaint_routing_sweep(*, limit: int = 200) -> int:
    """Hand routing the history rows after its cursor, one at a time (each its own
    transaction); the number of rows read. Safe to run twice at once: the cursor moves only
    from where this run found it, and a reading repeated is the same reading."""
    done = 0
    for _step in range(limit):
        at = routing.cursor_position(ROUTING_CURSOR)
        event = (
            ComplaintEvent.objects.filter(pk__gt=at, action__in=ROUTED_ACTIONS)
            .select_related("complaint", "complaint__org_unit")
            .order_by("pk")
            .first()
        )
        if event is None:
            break
        try:
            _route(event)
        except Exception:
            logger.exception(
                "routing: complaint %s (%s) was not read", event.complaint_id, event.action
            )
        if routing.cursor_move(name=ROUTING_CURSOR, from_id=at, to_id=event.pk):
            done += 1
    return done


@transaction.atomic
def complaint_routing_decide(
    *, complaint: Complaint, actor: User, unit: OrgUnit, reason: str = ""
) -> tuple[Complaint, Decision]:
    """The officer's answer to the department suggestion: the unit that should handle the
    complaint. Recorded in routing as accepted (the top suggestion) or overridden (another unit),
    which makes it the case's training label; when the unit is not the complaint's own, the
    complaint is passed to it through the lifecycle's transfer (이송, 영 제13조②). One
    transaction: a refused transfer records no decision, and without a reading nothing moves."""
    complaint = lock(complaint)
    decision = routing.decision_record(
        actor=actor, complaint_id=complaint.pk, target=Target.DEPARTMENT, chosen_label=unit.code
    )
    if complaint.org_unit_id != unit.pk:
        default = (
            _("The department suggestion was accepted.")
            if decision.outcome == Decision.ACCEPTED
            else _("Another department was chosen than the one suggested.")
        )
        complaint = complaint_transfer(
            complaint=complaint,
            actor=actor,
            kind=TransferKind.INTERNAL,
            reason=reason.strip() or default,
            to_org_unit=unit,
        )
    return complaint, decision
