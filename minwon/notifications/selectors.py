"""Reads of the notifications context: the delivery log officers see, in-app notices, templates."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from minwon.accounts.domain import Role
from minwon.accounts.models import OrgUnit, RoleAssignment, User
from minwon.accounts.selectors import org_units_visible_to
from minwon.complaints.domain import ClockKind
from minwon.complaints.models import Complaint, ComplaintEvent
from minwon.complaints.selectors import notice_pending_list
from minwon.core import clock
from minwon.notifications.contracts import (
    DEADLINE_STATES,
    REGISTRATION_STATES,
    DigestRow,
    SqlSource,
)
from minwon.notifications.defaults import DEFAULT_TEMPLATES
from minwon.notifications.domain import DeliveryStatus, Event, Preferences
from minwon.notifications.models import (
    ChannelPreference,
    Delivery,
    InAppNotice,
    Notification,
    NotificationTemplate,
)
from minwon.protection.domain import Severity
from minwon.protection.measures import IncidentSource
from minwon.protection.models import Incident, Screening

# Stable reason codes → what an officer reads. Unknown codes are shown as they are.
REASON_LABELS: dict[str, Promise] = {
    "notification.no_channel": _("No address or allowed channel for this person."),
    "channel.not_configured": _("This channel is not configured on the server."),
    "template.missing": _("No template exists for this event and language."),
    "template.missing_value": _("The message lacks a value its template needs."),
    "template.syntax": _("The template is malformed."),
    "template.unknown_placeholder": _("The template uses an unknown placeholder."),
    "email.invalid_address": _("The e-mail address is not valid."),
    "email.rejected": _("The mail server refused the address."),
    "email.smtp_error": _("The mail server refused the message."),
    "email.unreachable": _("The mail server could not be reached."),
    "sms.invalid_number": _("The phone number is not a mobile number."),
    "sms.rejected": _("The SMS provider refused the message."),
    "sms.timeout": _("The SMS provider did not answer in time."),
    "sms.unreachable": _("The SMS provider could not be reached."),
    "alimtalk.invalid_number": _("The phone number is not a mobile number."),
    "alimtalk.no_template_code": _("The AlimTalk template code is missing."),
    "alimtalk.rejected": _("KakaoTalk refused the AlimTalk message."),
    "alimtalk.timeout": _("The AlimTalk provider did not answer in time."),
    "alimtalk.unreachable": _("The AlimTalk provider could not be reached."),
    "in_app.no_account": _("The person has no account for in-app notices."),
    "delivery.too_many_attempts": _("Given up after too many attempts."),
}


def reason_label(code: str) -> str:
    label = REASON_LABELS.get(code)
    return str(label) if label is not None else code


@dataclass(frozen=True)
class DeliveryProblem:
    delivery_id: int
    notification_id: int
    event: str
    channel: str
    status: str
    attempts: int
    reason_code: str
    reason_label: str
    reason: str
    complaint_id: int | None
    complaint_no: str
    recipient_id: int | None
    next_attempt_at: datetime | None
    updated_at: datetime


def delivery_problem_list(*, officer: User, limit: int = 200) -> list[DeliveryProblem]:
    """Failed deliveries, and those waiting to retry after an error, that the officer may see
    (notifications of their org units; citywide roles see all), newest first."""
    rows = Delivery.objects.filter(
        Q(status=DeliveryStatus.FAILED.value)
        | (Q(status=DeliveryStatus.PENDING.value) & ~Q(reason_code=""))
    ).select_related("notification")
    units = org_units_visible_to(officer)
    if units is not None:
        rows = rows.filter(notification__org_unit_id__in=units.values("pk"))
    return [
        DeliveryProblem(
            delivery_id=d.pk,
            notification_id=d.notification_id,
            event=d.notification.event,
            channel=d.channel,
            status=d.status,
            attempts=d.attempts,
            reason_code=d.reason_code,
            reason_label=reason_label(d.reason_code),
            reason=d.reason,
            complaint_id=d.notification.complaint_id,
            complaint_no=str((d.notification.context or {}).get("complaint_no", "")),
            recipient_id=d.notification.recipient_id,
            next_attempt_at=d.next_attempt_at if d.status == DeliveryStatus.PENDING else None,
            updated_at=d.updated_at,
        )
        for d in rows.order_by("-updated_at", "-id")[:limit]
    ]


def delivery_list_for_complaint(*, complaint_id: int) -> QuerySet[Delivery]:
    """Every delivery about one complaint (the complaint page's notice history), oldest first.
    The caller has already checked the officer may see the complaint."""
    return (
        Delivery.objects.filter(notification__complaint_id=complaint_id)
        .select_related("notification")
        .order_by("created_at", "id")
    )


def in_app_notice_list(*, user: User, unread_only: bool = False) -> QuerySet[InAppNotice]:
    notices = InAppNotice.objects.filter(user=user)
    if unread_only:
        notices = notices.filter(read_at__isnull=True)
    return notices.order_by("-created_at", "-id")


def in_app_unread_count(*, user: User) -> int:
    return InAppNotice.objects.filter(user=user, read_at__isnull=True).count()


def channel_preference_get(*, user: User) -> Preferences:
    """A person's channel choices (no stored row: every channel allowed)."""
    stored = ChannelPreference.objects.filter(user=user).first()
    if stored is None:
        return Preferences()
    return Preferences(email=stored.email, sms=stored.sms, alimtalk=stored.alimtalk)


def notification_template_list() -> QuerySet[NotificationTemplate]:
    return NotificationTemplate.objects.order_by("event", "language")


def notification_template_get(*, event: Event, language: str) -> NotificationTemplate:
    """The stored words of one event in one language, or (not saved) the default ones."""
    stored = NotificationTemplate.objects.filter(event=event.value, language=language).first()
    if stored is not None:
        return stored
    default = DEFAULT_TEMPLATES.get((event, language)) or DEFAULT_TEMPLATES[(event, "ko")]
    return NotificationTemplate(
        event=event.value,
        language=language,
        subject=default.subject,
        body=default.body,
        short=default.short,
        alimtalk_code=default.alimtalk_code,
    )


# --- sources of the sweeps (the complaints context's table, read-only) --------------------------

# The Complaint fields and annotations that make a DeadlineRow (services/sweeps.py), in order.
_DEADLINE_FIELDS = (
    "complaint_id",
    "officer_id",
    "head_id",
    "clock_from",
    "due_at",
    "state",
    "complaint_no",
    "title",
    "org_unit_id",
    "officer_name",
)


def _holder(role: Role, *, same_unit: bool = True) -> Subquery:
    holders = RoleAssignment.objects.filter(role=role.value)
    if same_unit:
        holders = holders.filter(org_unit_id=OuterRef("org_unit_id"))
    return Subquery(holders.order_by("user_id").values("user_id")[:1])


def _as_source(rows: QuerySet[Complaint]) -> SqlSource | Iterable[tuple[Any, ...]]:
    """On PostgreSQL the sweep runs the query inside one INSERT ... SELECT; elsewhere it reads
    it in chunks (with the ORM's type conversion)."""
    if connection.vendor == "postgresql":
        inner, params = rows.values(*_DEADLINE_FIELDS).query.sql_with_params()
        columns = ", ".join(_DEADLINE_FIELDS)
        return SqlSource(sql=f"SELECT {columns} FROM ({inner}) AS q", params=params)
    return rows.values_list(*_DEADLINE_FIELDS).iterator(chunk_size=5000)


def _annotated(rows: QuerySet[Complaint], clock_from: Any) -> QuerySet[Complaint]:
    return rows.annotate(
        complaint_id=F("id"),
        clock_from=clock_from,
        state=F("status"),
        complaint_no=Coalesce("receipt_number", Value("")),
        officer_name=Coalesce("assignee__name", Value("")),
    )


def complaint_deadline_source() -> SqlSource | Iterable[tuple[Any, ...]]:
    """Open complaints whose processing (or objection) clock runs, as DeadlineRows: the officer
    is the assignee, the head a department head of the complaint's org unit."""
    rows = Complaint.objects.filter(
        status__in=sorted(DEADLINE_STATES),
        clock__in=[ClockKind.PROCESSING.value, ClockKind.OBJECTION.value],
        due_at__isnull=False,
    ).annotate(officer_id=F("assignee_id"), head_id=_holder(Role.DEPARTMENT_HEAD))
    return _as_source(_annotated(rows, Coalesce("clock_started_at", "registered_at")))


def complaint_registration_source() -> Iterable[tuple[Any, ...]]:
    """Online arrivals not yet registered (영 제6조⑧ clock) as DeadlineRows: the officer is a
    counter officer of the unit, the head its department head or else a 민원총괄 officer."""
    rows = Complaint.objects.filter(
        status__in=sorted(REGISTRATION_STATES),
        clock=ClockKind.REGISTRATION.value,
        due_at__isnull=False,
    ).annotate(
        officer_id=_holder(Role.COUNTER_OFFICER),
        head_id=Coalesce(
            _holder(Role.DEPARTMENT_HEAD), _holder(Role.COMPLAINT_SUPERVISOR, same_unit=False)
        ),
    )
    return _annotated(rows, F("arrived_at")).values_list(*_DEADLINE_FIELDS).iterator(2000)


def complaint_notice_source(*, limit: int = 2000) -> QuerySet[ComplaintEvent]:
    """Notice events of the complaints history that have no notification yet."""
    enqueued = Notification.objects.filter(
        idempotency_key=Concat(Value("notice:"), Cast(OuterRef("pk"), CharField()))
    )
    return (
        notice_pending_list()
        .filter(~Exists(enqueued))
        .select_related("complaint__citizen", "complaint__assignee", "complaint__org_unit")
        .select_related("complaint__applicant")[:limit]
    )


def daily_digest_source(*, now: datetime | None = None) -> list[DigestRow]:
    """Per org unit with open complaints: counts, and its department heads as recipients (the
    sweep's own `DigestRow`, so `daily_digest_enqueue` reads it as it is)."""
    now = now or clock.now()
    open_rows = Complaint.objects.filter(
        status__in=sorted(DEADLINE_STATES | REGISTRATION_STATES), org_unit__isnull=False
    )
    counts = open_rows.values("org_unit_id", "org_unit__name_ko").annotate(
        open_count=Count("id"),
        due_soon=Count("id", filter=Q(due_at__gte=now, due_at__lt=now + timedelta(days=2))),
        overdue=Count("id", filter=Q(due_at__lt=now)),
    )
    heads: dict[int, list[int]] = {}
    for unit_id, user_id in RoleAssignment.objects.filter(
        role=Role.DEPARTMENT_HEAD.value
    ).values_list("org_unit_id", "user_id"):
        heads.setdefault(unit_id, []).append(user_id)
    return [
        DigestRow(
            org_unit_id=row["org_unit_id"],
            unit_name=row["org_unit__name_ko"],
            open_count=row["open_count"],
            due_soon=row["due_soon"],
            overdue=row["overdue"],
            recipient_ids=tuple(heads[row["org_unit_id"]]),
        )
        for row in counts
        if row["org_unit_id"] in heads
    ]


@dataclass(frozen=True)
class OutboxMetrics:
    by_status: dict[tuple[str, str], int]  # (channel, status) -> deliveries in the log
    oldest_waiting: datetime | None  # the oldest pending/sending delivery's creation
    failed_recently: dict[str, int]  # channel -> deliveries failed for good in the window


def outbox_metrics(*, now: datetime, window: timedelta = timedelta(hours=24)) -> OutboxMetrics:
    """The outbox's depth and age and its recent failures per channel, for /metrics."""
    waiting = [DeliveryStatus.PENDING.value, DeliveryStatus.SENDING.value]
    by_status = {
        (row["channel"], row["status"]): row["n"]
        for row in Delivery.objects.values("channel", "status").annotate(n=Count("pk"))
    }
    oldest = Delivery.objects.filter(status__in=waiting).aggregate(o=Min("created_at"))["o"]
    failed = {
        row["channel"]: row["n"]
        for row in Delivery.objects.filter(
            status=DeliveryStatus.FAILED.value, updated_at__gte=now - window
        )
        .values("channel")
        .annotate(n=Count("pk"))
    }
    return OutboxMetrics(by_status=by_status, oldest_waiting=oldest, failed_recently=failed)


# --- protection alerts (issue 16) ----------------------------------------------------------------

ALERT_KEY_PREFIX = "screening:"
# A flagged screening older than this is no longer alerted (a sweep that finds no recipient for it
# tries again until then; the office queue's badge shows it all the same).
ALERT_WINDOW = timedelta(days=2)


@dataclass(frozen=True)
class AlertRow:
    screening: Screening
    complaint_no: str
    org_unit: OrgUnit | None


def protection_alert_source(*, now: datetime | None = None, limit: int = 500) -> list[AlertRow]:
    """Screenings of citizens' texts flagged medium or worse within ALERT_WINDOW that have no
    alert yet (no notification keyed ``screening:<id>:…``), oldest first, with their complaint's
    number and unit."""
    now = now or clock.now()
    alerted = Notification.objects.filter(
        idempotency_key__startswith=Concat(
            Value(ALERT_KEY_PREFIX), Cast(OuterRef("pk"), CharField()), Value(":")
        )
    )
    rows = list(
        Screening.objects.filter(
            abusive=True,
            severity_rank__gte=Severity.MEDIUM.rank,
            created_at__gte=now - ALERT_WINDOW,
        )
        .filter(~Exists(alerted))
        .order_by("pk")[:limit]
    )
    complaints = Complaint.objects.select_related("org_unit").in_bulk(
        {r.complaint_id for r in rows}
    )
    return [
        AlertRow(
            screening=r,
            complaint_no=c.receipt_number or c.follow_number or f"#{c.pk}",
            org_unit=c.org_unit,
        )
        for r in rows
        if (c := complaints.get(r.complaint_id)) is not None
    ]


# --- panic alarms (issue 16) --------------------------------------------------------------------

PANIC_KEY_PREFIX = "panic:"
PANIC_WINDOW = timedelta(hours=1)  # an alarm older than this is no longer sent


def panic_alert_source(*, now: datetime | None = None, limit: int = 100) -> list[Incident]:
    """Incidents the panic button made within PANIC_WINDOW that have no notification yet (keyed
    ``panic:<id>:…``), oldest first, with their unit and officer."""
    now = now or clock.now()
    alerted = Notification.objects.filter(
        idempotency_key__startswith=Concat(
            Value(PANIC_KEY_PREFIX), Cast(OuterRef("pk"), CharField()), Value(":")
        )
    )
    return list(
        Incident.objects.filter(
            source=IncidentSource.PANIC.value,
            root__isnull=True,
            created_at__gte=now - PANIC_WINDOW,
        )
        .filter(~Exists(alerted))
        .select_related("org_unit", "officer")
        .order_by("pk")[:limit]
    )
