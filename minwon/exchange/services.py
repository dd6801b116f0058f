"""Writes of the national exchange: import complaints, remember the cursor, report back.

Nothing is lost and nothing is doubled: an item becomes a complaint in one transaction with its
link row, whose (agency, external_id) is unique, and the cursor moves only after a whole batch
was taken in; reports are derived from the complaint's current state, so a report that failed
is simply sent again by the next sweep (the national side de-duplicates on `report_id`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q

from minwon.complaints.domain import Channel, ComplaintKind
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
    retry_delay_seconds,
)
from minwon.exchange.models import ExchangeCursor, ExchangeLink, ExchangeRejection

CHANNEL_BY_AGENCY = {Agency.EPEOPLE: Channel.EPEOPLE, Agency.GOV24: Channel.GOV24}


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
                next_report_at=clock.now(),
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
    sent: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def _due_changed() -> Q:
    return (
        Q(reported_due_at__isnull=True, complaint__due_at__isnull=False)
        | Q(reported_due_at__isnull=False, complaint__due_at__isnull=True)
        | ~Q(reported_due_at=F("complaint__due_at"))
    )


def links_to_report(*, agency: Agency, now: datetime, limit: int) -> list[int]:
    return list(
        ExchangeLink.objects.filter(agency=agency.value)
        .filter(Q(next_report_at__isnull=True) | Q(next_report_at__lte=now))
        .filter(~Q(reported_status=F("complaint__status")) | _due_changed())
        .order_by("next_report_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def exchange_report_sweep(
    *, agency: Agency, client: ExchangeClient, limit: int = 500
) -> ReportResult:
    """Send every complaint's current state where it differs from what was last reported."""
    result = ReportResult()
    now = clock.now()
    for link_id in links_to_report(agency=agency, now=now, limit=limit):
        with transaction.atomic():
            link = (
                ExchangeLink.objects.select_for_update(skip_locked=True)
                .select_related("complaint")
                .filter(pk=link_id)
                .first()
            )
            if link is None:
                continue
            complaint = link.complaint
            report = report_for(
                external_id=link.external_id,
                sequence=link.reported_sequence + 1,
                status=complaint.status,
                occurred_at=complaint.updated_at,
                due_at=complaint.due_at,
                receipt_number=complaint.receipt_number or "",
                answer=complaint.answer,
                outcome=complaint.outcome,
                transferred_to=complaint.transferred_to,
            )
            try:
                client.report(report)
            except ExchangeUnavailable as exc:
                link.report_attempts += 1
                link.next_report_at = now + timedelta(
                    seconds=retry_delay_seconds(link.report_attempts)
                )
                link.last_error = str(exc)[:2000]
                link.save(update_fields=["report_attempts", "next_report_at", "last_error"])
                result.failed += 1
                result.errors.append(str(exc))
                continue
            link.reported_sequence += 1
            link.reported_status = complaint.status
            link.reported_due_at = complaint.due_at
            link.report_attempts = 0
            link.next_report_at = None
            link.last_error = ""
            link.save(
                update_fields=[
                    "reported_sequence",
                    "reported_status",
                    "reported_due_at",
                    "report_attempts",
                    "next_report_at",
                    "last_error",
                ]
            )
            audit_record(
                actor=None,
                action="exchange.reported",
                target=complaint,
                data={"report_id": report["report_id"], "status": complaint.status},
            )
            result.sent += 1
    return result
