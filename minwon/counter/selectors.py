"""Reads of the counter: queues, the priority run, a ticket's place and wait estimate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Avg, Count, QuerySet

from minwon.core import clock
from minwon.counter.domain import (
    CARE_RUN_LIMIT,
    DEFAULT_SERVICE_SECONDS,
    ESTIMATE_SAMPLE,
    ESTIMATE_WINDOW,
    TicketAction,
    TicketStatus,
    Waiting,
    ahead_of,
    estimate_wait_minutes,
    priority_run,
    queue_order,
    typical_service_seconds,
)
from minwon.counter.models import ServiceCategory, Ticket, TicketEvent, Window, WindowGroup


def window_group_list() -> QuerySet[WindowGroup]:
    return WindowGroup.objects.all()


def service_category_list(*, active_only: bool = True) -> QuerySet[ServiceCategory]:
    rows = ServiceCategory.objects.select_related("group")
    return rows.filter(is_active=True) if active_only else rows


def service_category_get(*, code: str) -> ServiceCategory | None:
    return ServiceCategory.objects.select_related("group").filter(code=code).first()


def window_list() -> QuerySet[Window]:
    return Window.objects.select_related("group")


def window_get(*, window_id: int) -> Window | None:
    return Window.objects.select_related("group").filter(pk=window_id).first()


def ticket_get(*, ticket_id: int) -> Ticket | None:
    return Ticket.objects.select_related("group", "category", "window").filter(pk=ticket_id).first()


def ticket_get_by_token(*, token: str) -> Ticket | None:
    if not token:
        return None
    return Ticket.objects.select_related("group", "category", "window").filter(token=token).first()


def window_current_ticket(*, window_id: int) -> Ticket | None:
    return (
        Ticket.objects.select_related("category")
        .filter(window_id=window_id, status=TicketStatus.CALLED)
        .first()
    )


def group_priority_run(*, group_id: int) -> int:
    """The group's priority run from its committed call history (domain.priority_run)."""
    flags = (
        TicketEvent.objects.filter(group_id=group_id, action=TicketAction.CALL)
        .order_by("-at", "-id")
        .values_list("priority", flat=True)[: CARE_RUN_LIMIT + 1]
    )
    return priority_run(flags)


def _group_line(group_id: int) -> QuerySet[Ticket]:
    # Tickets waiting for the group as a whole (not those transferred to one window).
    return Ticket.objects.filter(
        group_id=group_id, status=TicketStatus.WAITING, target_window__isnull=True
    )


def group_waiting(*, group_id: int) -> list[Waiting]:
    return [
        Waiting(id=pk, priority=priority, queued_at=queued_at)
        for pk, priority, queued_at in _group_line(group_id).values_list(
            "id", "priority", "queued_at"
        )
    ]


def group_queue(*, group_id: int) -> list[Ticket]:
    """The group's waiting tickets in the order ordinary windows will call them."""
    order = queue_order(group_waiting(group_id=group_id), run=group_priority_run(group_id=group_id))
    tickets = _group_line(group_id).select_related("category").in_bulk([w.id for w in order])
    return [tickets[w.id] for w in order]


def recent_service_seconds(*, category_id: int, now: datetime | None = None) -> list[float]:
    """Service times (called → served) of the category's latest served tickets, newest first."""
    now = now or clock.now()
    rows = (
        Ticket.objects.filter(
            category_id=category_id,
            status=TicketStatus.SERVED,
            finished_at__gte=now - ESTIMATE_WINDOW,
            called_at__isnull=False,
        )
        .order_by("-finished_at")
        .values_list("called_at", "finished_at")[:ESTIMATE_SAMPLE]
    )
    return [(finished - called).total_seconds() for called, finished in rows if finished and called]


def open_window_count(*, group_id: int) -> int:
    return Window.objects.filter(group_id=group_id, is_open=True).count()


@dataclass(frozen=True)
class TicketPlace:
    """Where a ticket stands: tickets ahead of it, open windows of its group, the estimate."""

    ahead: int | None  # None: not waiting (called, finished) or waiting for one window
    open_windows: int
    wait_minutes: int | None  # None: not waiting, or no window open


def ticket_place(*, ticket: Ticket) -> TicketPlace:
    windows = open_window_count(group_id=ticket.group_id)
    if ticket.status != TicketStatus.WAITING or ticket.target_window_id is not None:
        return TicketPlace(ahead=None, open_windows=windows, wait_minutes=None)
    ahead = ahead_of(
        ticket.pk,
        group_waiting(group_id=ticket.group_id),
        run=group_priority_run(group_id=ticket.group_id),
    )
    if ahead is None:
        return TicketPlace(ahead=None, open_windows=windows, wait_minutes=None)
    seconds = typical_service_seconds(
        recent_service_seconds(category_id=ticket.category_id),
        default_seconds=ticket.category.default_service_seconds,
    )
    return TicketPlace(
        ahead=ahead,
        open_windows=windows,
        wait_minutes=estimate_wait_minutes(
            ahead=ahead, open_windows=windows, service_seconds=seconds
        ),
    )


def latest_calls(*, limit: int = 8) -> list[TicketEvent]:
    """What the board shows: the latest calls and recalls, newest first."""
    return list(
        TicketEvent.objects.filter(action__in=[TicketAction.CALL, TicketAction.RECALL])
        .select_related("ticket", "window")
        .order_by("-at", "-id")[:limit]
    )


def window_group_get(*, code: str) -> WindowGroup | None:
    return WindowGroup.objects.filter(code=code).first()


def called_by_window() -> dict[int, Ticket]:
    """Each window's called ticket, by window id."""
    return {
        t.window_id: t
        for t in Ticket.objects.select_related("category").filter(status=TicketStatus.CALLED)
        if t.window_id is not None
    }


def recent_group_service_seconds(*, group_id: int, now: datetime | None = None) -> list[float]:
    """Service times of the group's latest served tickets (all categories), newest first."""
    now = now or clock.now()
    rows = (
        Ticket.objects.filter(
            group_id=group_id,
            status=TicketStatus.SERVED,
            finished_at__gte=now - ESTIMATE_WINDOW,
            called_at__isnull=False,
        )
        .order_by("-finished_at")
        .values_list("called_at", "finished_at")[:ESTIMATE_SAMPLE]
    )
    return [(done - called).total_seconds() for called, done in rows if done and called]


@dataclass(frozen=True)
class BoardGroup:
    group: str
    name_ko: str
    name_en: str
    waiting: int
    open_windows: int
    wait_minutes: int | None  # for someone taking a ticket now


def board_groups() -> list[BoardGroup]:
    """Per group: who waits, open windows, and the wait for a ticket taken now."""
    waiting = dict(
        Ticket.objects.filter(status=TicketStatus.WAITING)
        .values_list("group_id")
        .annotate(n=Count("id"))
        .values_list("group_id", "n")
    )
    open_windows = dict(
        Window.objects.filter(is_open=True)
        .values_list("group_id")
        .annotate(n=Count("id"))
        .values_list("group_id", "n")
    )
    defaults = dict(
        ServiceCategory.objects.filter(is_active=True)
        .values_list("group_id")
        .annotate(s=Avg("default_service_seconds"))
        .values_list("group_id", "s")
    )
    rows = []
    for group in WindowGroup.objects.all():
        seconds = typical_service_seconds(
            recent_group_service_seconds(group_id=group.pk),
            default_seconds=float(defaults.get(group.pk) or DEFAULT_SERVICE_SECONDS),
        )
        rows.append(
            BoardGroup(
                group=group.code,
                name_ko=group.name_ko,
                name_en=group.name_en or group.name_ko,
                waiting=waiting.get(group.pk, 0),
                open_windows=open_windows.get(group.pk, 0),
                wait_minutes=estimate_wait_minutes(
                    ahead=waiting.get(group.pk, 0),
                    open_windows=open_windows.get(group.pk, 0),
                    service_seconds=seconds,
                ),
            )
        )
    return rows
