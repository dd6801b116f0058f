"""Writes of the national exchange: import complaints, remember the cursor, report back.

Nothing is lost and nothing is doubled: an item becomes a complaint in one transaction with its
link row, whose (agency, external_id) is unique, and the cursor moves only after a whole batch
was taken in. Reports are outbox rows (ExchangeReport): each state change not yet reported gets
one row whose id and body are fixed when it is made; a failed report is sent again, unchanged,
by a later sweep, and a 409 is settled by reading what the national side holds.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q

from minwon.complaints.domain import IntakeChannel
from minwon.complaints.services import ApplicantInput, FilingInput, complaint_file
from minwon.core import clock
from minwon.core.errors import ApplicationError
from minwon.core.services import audit_record
from minwon.exchange.clients import ExchangeClient, ExchangeUnavailable
from minwon.exchange.domain import (
    Agency,
    ExchangeFormatError,
    parse_incoming,
    report_for,
    report_matches,
    retry_delay_seconds,
)
from minwon.exchange.models import (
    ExchangeCursor,
    ExchangeLink,
    ExchangeRejection,
    ExchangeReport,
    ReportState,
)
from minwon.lawclock.kinds import ComplaintKind

CHANNEL_BY_AGENCY = {Agency.EPEOPLE: IntakeChannel.EPEOPLE, Agency.GOV24: IntakeChannel.GOV24}


@dataclass(frozen=True)
class ImportOutcome:
    external_id: str
    result: str  # "created", "duplicate" or "rejected"
    receipt_number: str = ""
    field: str = ""
    reason: str = ""


def _reject(agency: Agency, item: Any, field_name: str, reason: str) -> ImportOutcome:
    external_id = str(item.get("external_id", ""))[:60] if isinstance(item, dict) else ""
    with transaction.atomic():
        ExchangeRejection.objects.create(
            agency=agency.value,
            external_id=external_id,
            field=field_name,
            reason=reason,
            payload=item if isinstance(item, dict) else {"raw": repr(item)[:1000]},
        )
        audit_record(
            actor=None,
            action="exchange.item_rejected",
            target_type="exchange.item",
            target_id=external_id,
            data={"agency": agency.value, "field": field_name},
        )
    return ImportOutcome(
        external_id=external_id, result="rejected", field=field_name, reason=reason
    )


def exchange_import(*, agency: Agency, item: Any) -> ImportOutcome:
    """Take in one item from a national system: a new complaint, a duplicate, or a rejection."""
    try:
        incoming = parse_incoming(item, agency=agency)
    except ExchangeFormatError as exc:
        return _reject(agency, item, exc.field, exc.message)
    existing = ExchangeLink.objects.filter(
        agency=agency.value, external_id=incoming.external_id
    ).first()
    if existing is not None:
        return ImportOutcome(
            incoming.external_id, "duplicate", existing.complaint.receipt_number or ""
        )
    data = FilingInput(
        kind=ComplaintKind(incoming.kind),
        title=incoming.title,
        body=incoming.body,
        channel=CHANNEL_BY_AGENCY[agency],
        applicant=ApplicantInput(
            name=incoming.applicant.name,
            address=incoming.applicant.address,
            phone=incoming.applicant.phone,
            email=incoming.applicant.email,
        ),
        complaint_type_code=incoming.service_code,
        external_ref=incoming.external_id,
        arrived_at=min(incoming.registered_at, clock.now()),
    )
    try:
        with transaction.atomic():
            complaint = complaint_file(data=data, register_now=True)
            ExchangeLink.objects.create(
                agency=agency.value,
                external_id=incoming.external_id,
                complaint=complaint,
                external_registered_at=incoming.registered_at,
                external_due_at=incoming.due_at,
            )
            audit_record(
                actor=None,
                action="exchange.imported",
                target=complaint,
                data={"agency": agency.value, "external_id": incoming.external_id},
            )
    except IntegrityError:
        # The same item arrived through another path at the same moment (a push and a poll).
        return ImportOutcome(incoming.external_id, "duplicate")
    except ApplicationError as exc:
        return _reject(agency, item, exc.field or "item", str(exc.message))
    return ImportOutcome(incoming.external_id, "created", complaint.receipt_number or "")


@dataclass
class PollResult:
    created: int = 0
    duplicates: int = 0
    rejected: int = 0
    batches: int = 0
    error: str = ""
    outcomes: list[ImportOutcome] = field(default_factory=list)


def exchange_poll(
    *, agency: Agency, client: ExchangeClient, limit: int = 100, max_batches: int = 20
) -> PollResult:
    """Fetch new items after the stored cursor until none are left (or `max_batches`).

    When the national side is down the cursor stays where it was and the error is recorded;
    intake on every other channel goes on, and the next poll resumes from the same place.
    """
    result = PollResult()
    cursor_row, _ = ExchangeCursor.objects.get_or_create(agency=agency.value)
    cursor = cursor_row.cursor
    for _ in range(max_batches):
        try:
            batch = client.fetch(agency=agency.value, after=cursor, limit=limit)
        except ExchangeUnavailable as exc:
            result.error = str(exc)
            ExchangeCursor.objects.filter(pk=cursor_row.pk).update(
                last_error=result.error[:2000], last_error_at=clock.now()
            )
            return result
        for item in batch.items:
            outcome = exchange_import(agency=agency, item=item)
            result.outcomes.append(outcome)
            if outcome.result == "created":
                result.created += 1
            elif outcome.result == "duplicate":
                result.duplicates += 1
            else:
                result.rejected += 1
        result.batches += 1
        cursor = batch.next_cursor
        ExchangeCursor.objects.filter(pk=cursor_row.pk).update(
            cursor=cursor, polled_at=clock.now(), last_error=""
        )
        if not batch.items:
            break
    return result


@dataclass
class ReportResult:
    queued: int = 0
    sent: int = 0
    reconciled: int = 0
    conflicts: int = 0
    failed: int = 0
    busy: bool = False  # another sweep holds this agency's lease; nothing was done
    errors: list[str] = field(default_factory=list)


def _due_changed() -> Q:
    return (
        Q(queued_due_at__isnull=True, complaint__due_at__isnull=False)
        | Q(queued_due_at__isnull=False, complaint__due_at__isnull=True)
        | ~Q(queued_due_at=F("complaint__due_at"))
    )


def links_to_report(*, agency: Agency, limit: int) -> list[int]:
    """Links whose complaint's status or deadline differs from the newest report queued."""
    return list(
        ExchangeLink.objects.filter(agency=agency.value)
        .filter(~Q(queued_status=F("complaint__status")) | _due_changed())
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )


def _sweep_lease_take(agency: Agency, owner: str, *, seconds: int) -> bool:
    ExchangeCursor.objects.get_or_create(agency=agency.value)
    now = clock.now()
    taken = (
        ExchangeCursor.objects.filter(agency=agency.value)
        .filter(
            Q(sweep_lease_until__isnull=True) | Q(sweep_lease_until__lt=now) | Q(sweep_owner=owner)
        )
        .update(sweep_owner=owner, sweep_lease_until=now + timedelta(seconds=seconds))
    )
    return taken == 1


def _sweep_lease_release(agency: Agency, owner: str) -> None:
    ExchangeCursor.objects.filter(agency=agency.value, sweep_owner=owner).update(
        sweep_owner="", sweep_lease_until=None
    )


@transaction.atomic
def exchange_report_queue(*, link_id: int) -> ExchangeReport | None:
    """Fix the content of the next report of a link if its complaint changed since the last one.

    The report's id and body are decided here, once: a retry sends the same body under the
    same id. Nothing is made when the state was already queued (so overlapping sweeps, or a
    sweep run twice, never double a report).
    """
    link = (
        ExchangeLink.objects.select_for_update()
        .select_related("complaint")
        .filter(pk=link_id)
        .first()
    )
    if link is None:
        return None
    complaint = link.complaint
    if link.queued_status == complaint.status and link.queued_due_at == complaint.due_at:
        return None
    sequence = link.queued_sequence + 1
    payload = report_for(
        external_id=link.external_id,
        sequence=sequence,
        status=complaint.status,
        occurred_at=complaint.updated_at,
        due_at=complaint.due_at,
        receipt_number=complaint.receipt_number or "",
        answer=complaint.answer,
        outcome=complaint.outcome,
        transferred_to=complaint.transferred_to,
    )
    report = ExchangeReport.objects.create(
        link=link,
        sequence=sequence,
        report_id=payload["report_id"],
        payload=payload,
        next_attempt_at=clock.now(),
    )
    link.queued_sequence = sequence
    link.queued_status = complaint.status
    link.queued_due_at = complaint.due_at
    link.save(update_fields=["queued_sequence", "queued_status", "queued_due_at", "updated_at"])
    return report


def reports_due(*, agency: Agency, now: datetime, limit: int) -> list[int]:
    """Pending reports whose back-off is over, oldest link and sequence first."""
    return list(
        ExchangeReport.objects.filter(link__agency=agency.value, state=ReportState.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .order_by("link_id", "sequence")
        .values_list("pk", flat=True)[:limit]
    )


def _send_one(report: ExchangeReport, client: ExchangeClient) -> tuple[str, dict[str, Any] | None]:
    """Deliver one report: ("accepted"|"reconciled"|"conflict", what the national side holds)."""
    if client.report(report.payload) == "accepted":
        return "accepted", None
    held = client.report_read(report.report_id)
    if held is None:
        raise ExchangeUnavailable(
            f"POST /reports: 409 for {report.report_id}, which the national side does not show"
        )
    if report_matches(report.payload, held):
        return "reconciled", held
    return "conflict", held


@transaction.atomic
def _report_record(
    report_id: int, outcome: str, held: dict[str, Any] | None, error: str = ""
) -> None:
    report = ExchangeReport.objects.select_for_update().select_related("link").get(pk=report_id)
    if report.state != ReportState.PENDING:
        return  # an overlapping sweep (whose lease had run out) recorded it first
    now = clock.now()
    if outcome == "failed":
        report.attempts += 1
        report.next_attempt_at = now + timedelta(seconds=retry_delay_seconds(report.attempts))
        report.last_error = error[:2000]
        report.save(update_fields=["attempts", "next_attempt_at", "last_error", "updated_at"])
        return
    link = report.link
    if outcome == "conflict":
        report.state = ReportState.CONFLICT
        report.last_error = (
            f"the national side holds another report under {report.report_id}: "
            f"status {held.get('status') if held else '?'}"
        )
        report.save(update_fields=["state", "last_error", "updated_at"])
        if link.queued_sequence == report.sequence and held is not None:
            # What the national side shows is what it has; the next sweep queues a new report
            # (new id) wherever the complaint differs from that.
            link.queued_status = str(held.get("status") or "")
            link.queued_due_at = _instant_or_none(held.get("due_at"))
            link.save(update_fields=["queued_status", "queued_due_at", "updated_at"])
        audit_record(
            actor=None,
            action="exchange.report_conflict",
            target_type="complaints.complaint",
            target_id=str(link.complaint_id),
            data={"report_id": report.report_id, "held_status": (held or {}).get("status")},
        )
        return
    report.state = ReportState.DELIVERED
    report.delivered_at = now
    report.confirmed_by = outcome
    report.attempts += 1
    report.last_error = ""
    report.save(
        update_fields=[
            "state",
            "delivered_at",
            "confirmed_by",
            "attempts",
            "last_error",
            "updated_at",
        ]
    )
    audit_record(
        actor=None,
        action="exchange.reported",
        target_type="complaints.complaint",
        target_id=str(link.complaint_id),
        data={
            "report_id": report.report_id,
            "status": report.payload.get("status"),
            "confirmed_by": outcome,
        },
    )


def _instant_or_none(raw: object) -> datetime | None:
    if not isinstance(raw, str) or not raw:
        return None
    try:
        return datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None


def exchange_report_sweep(
    *, agency: Agency, client: ExchangeClient, limit: int = 500, lease_seconds: int | None = None
) -> ReportResult:
    """Queue a report for every state change not yet reported, then deliver the pending ones.

    One sweep at a time per agency: a sweep that finds the lease held by a live sweep returns
    `busy`. The holder renews the lease before every report, so a slow link (seconds a report)
    keeps it, and a sweep that died lets the next one in when the lease runs out. A link's
    reports go out in sequence: a later one waits while an earlier one is pending.
    """
    seconds = lease_seconds or settings.EXCHANGE_SWEEP_LEASE_SECONDS
    owner = uuid.uuid4().hex
    result = ReportResult()
    if not _sweep_lease_take(agency, owner, seconds=seconds):
        result.busy = True
        return result
    try:
        for link_id in links_to_report(agency=agency, limit=limit):
            if exchange_report_queue(link_id=link_id) is not None:
                result.queued += 1
        waiting: set[int] = set()  # links with an earlier report not delivered in this sweep
        for report_pk in reports_due(agency=agency, now=clock.now(), limit=limit):
            if not _sweep_lease_take(agency, owner, seconds=seconds):
                result.errors.append("the sweep lease was lost; another sweep goes on")
                break
            report = ExchangeReport.objects.get(pk=report_pk)
            earlier_pending = (
                report.link_id in waiting
                or ExchangeReport.objects.filter(
                    link_id=report.link_id,
                    sequence__lt=report.sequence,
                    state=ReportState.PENDING,
                ).exists()
            )
            if earlier_pending:
                waiting.add(report.link_id)
                continue
            try:
                outcome, held = _send_one(report, client)
            except ExchangeUnavailable as exc:
                _report_record(report.pk, "failed", None, str(exc))
                waiting.add(report.link_id)
                result.failed += 1
                result.errors.append(str(exc))
                continue
            _report_record(report.pk, outcome, held)
            if outcome == "accepted":
                result.sent += 1
            elif outcome == "reconciled":
                result.reconciled += 1
            else:
                result.conflicts += 1
                waiting.add(report.link_id)
    finally:
        _sweep_lease_release(agency, owner)
    return result
