"""Writes of the counter: one transaction each, with an audit row.

Call next (`window_call_next`) is the hot path. It locks its own window row (so a double press at
one window waits for the first and is then refused), reads the group's priority run from the
committed call history without locking anything shared, and claims the first waiting ticket of
the preferred line with `SELECT … ORDER BY … LIMIT 1 FOR UPDATE SKIP LOCKED`: a ticket another
window is claiming at that instant is skipped, never taken twice. The claim is then a conditional
`UPDATE … WHERE status = 'waiting'` (the one guard SQLite, which has no row locks, relies on);
a lost claim tries the next ticket. `counter/tests/test_race.py` runs windows on real
PostgreSQL connections at once.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.db import connection, transaction
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from minwon.accounts.models import User
from minwon.core import clock
from minwon.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from minwon.core.services import audit_record
from minwon.counter.access import may_run_windows, may_set_up_counter
from minwon.counter.domain import (
    Line,
    PriorityReason,
    TicketAction,
    TicketStatus,
    WindowKind,
    next_status,
    preferred_line,
    service_day,
    ticket_label,
)
from minwon.counter.models import (
    ServiceCategory,
    Ticket,
    TicketEvent,
    TicketSequence,
    Window,
    WindowGroup,
)
from minwon.counter.selectors import group_priority_run

# How a ticket's state reads in a message (never its code).
STATUS_WORDS: dict[str, Promise] = {
    TicketStatus.WAITING: pgettext_lazy("ticket status", "waiting"),
    TicketStatus.CALLED: pgettext_lazy("ticket status", "being called"),
    TicketStatus.SERVED: pgettext_lazy("ticket status", "served"),
    TicketStatus.NO_SHOW: pgettext_lazy("ticket status", "no-show"),
    TicketStatus.CANCELLED: pgettext_lazy("ticket status", "cancelled"),
}

# What is refused, per action, when the ticket's state does not allow it.
REFUSED: dict[TicketAction, Promise] = {
    TicketAction.CALL: _("Ticket %(label)s is “%(status)s”, so it cannot be called."),
    TicketAction.RECALL: _("Ticket %(label)s is “%(status)s”, so it cannot be called again."),
    TicketAction.TRANSFER: _("Ticket %(label)s is “%(status)s”, so it cannot be transferred."),
    TicketAction.SERVE: _("Ticket %(label)s is “%(status)s”, so it cannot be marked served."),
    TicketAction.NO_SHOW: _("Ticket %(label)s is “%(status)s”, so it cannot be marked no-show."),
    TicketAction.CANCEL: _("Ticket %(label)s is “%(status)s”, so it cannot be cancelled."),
}

_CLAIM_TRIES = 5


class CounterConflict(Conflict):
    code = "counter_conflict"


def _refuse(code: str, message: Promise | str, **params: Any) -> CounterConflict:
    return CounterConflict(
        message % params if params else message, code=f"counter_{code}", params=params
    )


def _invalid(ticket: Ticket, action: TicketAction) -> CounterConflict:
    return _refuse(
        "invalid_transition",
        REFUSED[action],
        label=ticket.label,
        status=STATUS_WORDS[ticket.status],
    )


# --- set-up -------------------------------------------------------------------------------------


def _require_setup(actor: User | None) -> None:
    if actor is not None and not may_set_up_counter(actor):
        raise PermissionDenied()


@transaction.atomic
def window_group_create(
    *,
    actor: User | None,
    code: str,
    name_ko: str,
    prefix: str,
    name_en: str = "",
    ordering: int = 0,
) -> WindowGroup:
    _require_setup(actor)
    if not prefix or not prefix.isalpha() or not prefix.isascii():
        raise ValidationFailed(_("The number prefix must be one or two letters."), field="prefix")
    group = WindowGroup(
        code=code, name_ko=name_ko, name_en=name_en, prefix=prefix.upper(), ordering=ordering
    )
    group.full_clean()
    group.save()
    audit_record(actor=actor, action="counter.group_created", target=group, data={"code": code})
    return group


@transaction.atomic
def service_category_create(
    *,
    actor: User | None,
    group: WindowGroup,
    code: str,
    name_ko: str,
    name_en: str = "",
    name_easy: str = "",
    default_service_seconds: int = 300,
    ordering: int = 0,
) -> ServiceCategory:
    _require_setup(actor)
    category = ServiceCategory(
        group=group,
        code=code,
        name_ko=name_ko,
        name_en=name_en,
        name_easy=name_easy,
        default_service_seconds=default_service_seconds,
        ordering=ordering,
    )
    category.full_clean()
    category.save()
    audit_record(
        actor=actor, action="counter.category_created", target=category, data={"code": code}
    )
    return category


@transaction.atomic
def window_create(
    *, actor: User | None, group: WindowGroup, number: int, kind: WindowKind = WindowKind.ORDINARY
) -> Window:
    _require_setup(actor)
    window = Window(group=group, number=number, kind=kind)
    window.full_clean()
    window.save()
    audit_record(
        actor=actor,
        action="counter.window_created",
        target=window,
        data={"number": number, "kind": str(kind), "group": group.code},
    )
    return window


# --- tickets ------------------------------------------------------------------------------------


def _next_number(group_id: int, day: Any) -> int:
    """The group's next number for the day, in one statement (no read-then-write race)."""
    table = TicketSequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (group_id, day, last_number) VALUES (%s, %s, 1) "
            f"ON CONFLICT (group_id, day) DO UPDATE SET last_number = {table}.last_number + 1 "
            "RETURNING last_number",
            [group_id, day],
        )
        row = cursor.fetchone()
    assert row is not None
    return int(row[0])


@transaction.atomic
def ticket_issue(
    *,
    category_code: str,
    priority: bool = False,
    priority_reason: str = "",
    channel: str = Ticket.KIOSK,
    actor: User | None = None,
    actor_label: str = "",
) -> Ticket:
    """A numbered ticket for the category's window group. `actor` is the officer issuing it at
    the desk (None at a kiosk; `actor_label` names an integrator's key)."""
    category = ServiceCategory.objects.select_related("group").filter(code=category_code).first()
    if category is None or not category.is_active:
        raise ValidationFailed(_("Choose a service from the list."), field="category")
    if priority:
        if priority_reason not in {r.value for r in PriorityReason}:
            raise ValidationFailed(
                _("Choose why the visitor is served at the priority window."),
                field="priority_reason",
            )
    elif priority_reason:
        raise ValidationFailed(
            _("A priority reason goes only with a priority ticket."), field="priority_reason"
        )
    if channel not in {c for c, _label in Ticket.CHANNELS}:
        raise ValidationFailed(_("Unknown channel."), field="channel")
    now = clock.now()
    day = service_day(clock.local_now())
    number = _next_number(category.group_id, day)
    ticket = Ticket.objects.create(
        token=secrets.token_urlsafe(24),
        group=category.group,
        category=category,
        day=day,
        number=number,
        label=ticket_label(category.group.prefix, number),
        priority=priority,
        priority_reason=priority_reason if priority else "",
        channel=channel,
        queued_at=now,
        issued_at=now,
        issued_by=actor,
    )
    audit_record(
        actor=actor,
        actor_label=actor_label or channel,
        action="counter.ticket_issued",
        target=ticket,
        data={
            "label": ticket.label,
            "category": category.code,
            "priority": priority,
            "reason": ticket.priority_reason,
            "channel": channel,
        },
    )
    return ticket


# --- windows ------------------------------------------------------------------------------------


def _locked_window(officer: User, window_id: int) -> Window:
    """The officer's window, its row locked for the rest of the transaction."""
    if not may_run_windows(officer):
        raise PermissionDenied()
    window = Window.objects.select_for_update().filter(pk=window_id).first()
    if window is None:
        raise NotFound()
    return window


def _require_own_open_window(officer: User, window: Window) -> None:
    if not window.is_open:
        raise _refuse(
            "window_closed",
            _("Window %(number)s is closed. Open it before calling tickets."),
            number=window.number,
        )
    if window.officer_id != officer.pk:
        raise _refuse(
            "window_taken",
            _("Window %(number)s is open for another officer."),
            number=window.number,
        )


def _event(
    ticket: Ticket, action: TicketAction, *, actor: User | None, window: Window | None
) -> None:
    TicketEvent.objects.create(
        ticket=ticket,
        group_id=ticket.group_id,
        window=window,
        action=action,
        priority=ticket.priority,
        at=clock.now(),
        actor=actor,
    )


@transaction.atomic
def window_open(*, officer: User, window_id: int) -> Window:
    window = _locked_window(officer, window_id)
    if window.is_open:
        if window.officer_id == officer.pk:
            raise _refuse(
                "window_open", _("Window %(number)s is already open."), number=window.number
            )
        raise _refuse(
            "window_taken",
            _("Window %(number)s is open for another officer."),
            number=window.number,
        )
    other = Window.objects.filter(officer=officer, is_open=True).exclude(pk=window.pk).first()
    if other is not None:
        raise _refuse(
            "officer_busy",
            _("You already have window %(number)s open. Close it first."),
            number=other.number,
        )
    window.is_open = True
    window.officer = officer
    window.opened_at = clock.now()
    window.save(update_fields=["is_open", "officer", "opened_at", "updated_at"])
    audit_record(actor=officer, action="counter.window_opened", target=window)
    return window


@transaction.atomic
def window_close(*, officer: User, window_id: int) -> Window:
    window = _locked_window(officer, window_id)
    if not window.is_open:
        raise _refuse(
            "window_closed", _("Window %(number)s is already closed."), number=window.number
        )
    if window.officer_id != officer.pk:
        raise _refuse(
            "window_taken",
            _("Window %(number)s is open for another officer."),
            number=window.number,
        )
    current = Ticket.objects.filter(window=window, status=TicketStatus.CALLED).first()
    if current is not None:
        raise _refuse(
            "window_busy",
            _("Finish ticket %(label)s first: mark it served or no-show, or transfer it."),
            label=current.label,
        )
    # Tickets transferred to this window go back to their group's line.
    returned = Ticket.objects.filter(target_window=window, status=TicketStatus.WAITING).update(
        target_window=None, updated_at=clock.now()
    )
    window.is_open = False
    window.officer = None
    window.opened_at = None
    window.save(update_fields=["is_open", "officer", "opened_at", "updated_at"])
    audit_record(
        actor=officer,
        action="counter.window_closed",
        target=window,
        data={"returned_to_group": returned},
    )
    return window


def _claim_next(window: Window) -> Ticket | None:
    """Lock and take the next ticket for `window` (see the module's docstring)."""
    run = group_priority_run(group_id=window.group_id)
    line = preferred_line(WindowKind(window.kind), run=run)
    for _try in range(_CLAIM_TRIES):
        candidate = (
            Ticket.objects.filter(status=TicketStatus.WAITING)
            .filter(
                Q(group_id=window.group_id, target_window__isnull=True) | Q(target_window=window)
            )
            .annotate(
                for_others=Case(
                    When(target_window=window, then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                )
            )
            .order_by(
                "for_others",
                "-priority" if line == Line.PRIORITY else "priority",
                "queued_at",
                "id",
            )
            .select_for_update(skip_locked=True)
            .only("id")
            .first()
        )
        if candidate is None:
            return None
        now = clock.now()
        claimed = Ticket.objects.filter(pk=candidate.pk, status=TicketStatus.WAITING).update(
            status=TicketStatus.CALLED,
            window=window,
            target_window=None,
            called_at=now,
            updated_at=now,
        )
        if claimed == 1:
            return Ticket.objects.select_related("category", "group").get(pk=candidate.pk)
    return None


@transaction.atomic
def window_call_next(*, officer: User, window_id: int) -> Ticket | None:
    """Call the next ticket at the officer's window (None: nobody waits)."""
    window = _locked_window(officer, window_id)
    _require_own_open_window(officer, window)
    current = Ticket.objects.filter(window=window, status=TicketStatus.CALLED).first()
    if current is not None:
        raise _refuse(
            "window_busy",
            _(
                "Window %(number)s is already calling ticket %(label)s. Mark it served or"
                " no-show, or transfer it, before calling the next one."
            ),
            number=window.number,
            label=current.label,
        )
    ticket = _claim_next(window)
    if ticket is None:
        return None
    _event(ticket, TicketAction.CALL, actor=officer, window=window)
    audit_record(
        actor=officer,
        action="counter.ticket_called",
        target=ticket,
        data={"label": ticket.label, "window": window.number, "priority": ticket.priority},
    )
    return ticket


def _locked_ticket(ticket_id: int) -> Ticket:
    ticket = Ticket.objects.select_for_update().filter(pk=ticket_id).first()
    if ticket is None:
        raise NotFound()
    return ticket


def _current_at(
    officer: User, window_id: int, ticket_id: int, action: TicketAction
) -> tuple[Window, Ticket]:
    """The window (locked, open, the officer's) and the ticket it is calling (locked); any
    other state of the ticket is refused in words."""
    window = _locked_window(officer, window_id)
    _require_own_open_window(officer, window)
    ticket = _locked_ticket(ticket_id)
    if ticket.status == TicketStatus.CALLED and ticket.window_id != window.pk:
        other = ticket.window
        assert other is not None
        raise _refuse(
            "other_window",
            _("Ticket %(label)s is being called at window %(number)s, not at this one."),
            label=ticket.label,
            number=other.number,
        )
    if ticket.status != TicketStatus.CALLED or next_status(TicketStatus.CALLED, action) is None:
        raise _invalid(ticket, action)
    return window, ticket


@transaction.atomic
def window_recall(*, officer: User, window_id: int, ticket_id: int) -> Ticket:
    """Call the window's current ticket again (the board shows it and chimes once more)."""
    window, ticket = _current_at(officer, window_id, ticket_id, TicketAction.RECALL)
    ticket.recalls += 1
    ticket.save(update_fields=["recalls", "updated_at"])
    _event(ticket, TicketAction.RECALL, actor=officer, window=window)
    audit_record(
        actor=officer,
        action="counter.ticket_recalled",
        target=ticket,
        data={"label": ticket.label, "window": window.number, "recalls": ticket.recalls},
    )
    return ticket


def _finish(officer: User, window_id: int, ticket_id: int, action: TicketAction) -> Ticket:
    window, ticket = _current_at(officer, window_id, ticket_id, action)
    status = next_status(TicketStatus.CALLED, action)
    assert status is not None
    ticket.status = status
    ticket.finished_at = clock.now()
    ticket.save(update_fields=["status", "finished_at", "updated_at"])
    _event(ticket, action, actor=officer, window=window)
    audit_record(
        actor=officer,
        action=f"counter.ticket_{status}",
        target=ticket,
        data={"label": ticket.label, "window": window.number},
    )
    return ticket


@transaction.atomic
def ticket_serve(*, officer: User, window_id: int, ticket_id: int) -> Ticket:
    return _finish(officer, window_id, ticket_id, TicketAction.SERVE)


@transaction.atomic
def ticket_no_show(*, officer: User, window_id: int, ticket_id: int) -> Ticket:
    return _finish(officer, window_id, ticket_id, TicketAction.NO_SHOW)


@transaction.atomic
def ticket_transfer(
    *,
    officer: User,
    window_id: int,
    ticket_id: int,
    to_window_id: int | None = None,
    to_group_code: str | None = None,
) -> Ticket:
    """Send the window's current ticket to another window (it is called there first) or to
    another group's line (it keeps its place by its queue instant)."""
    if (to_window_id is None) == (not to_group_code):
        raise ValidationFailed(
            _("Choose either a window or a group to transfer the ticket to."), field="to"
        )
    window, ticket = _current_at(officer, window_id, ticket_id, TicketAction.TRANSFER)
    target_window: Window | None = None
    if to_window_id is not None:
        target_window = Window.objects.filter(pk=to_window_id).first()
        if target_window is None:
            raise ValidationFailed(_("There is no such window."), field="to_window")
        if target_window.pk == window.pk:
            raise ValidationFailed(_("The ticket is already at this window."), field="to_window")
        if not target_window.is_open:
            raise _refuse(
                "target_closed",
                _("Window %(number)s is closed; transfer the ticket to an open window or a group."),
                number=target_window.number,
            )
        group_id = target_window.group_id
    else:
        group = WindowGroup.objects.filter(code=to_group_code).first()
        if group is None:
            raise ValidationFailed(_("There is no such window group."), field="to_group")
        if group.pk == ticket.group_id:
            raise ValidationFailed(
                _("The ticket is already in this group's line."), field="to_group"
            )
        group_id = group.pk
    ticket.status = TicketStatus.WAITING
    ticket.group_id = group_id
    ticket.target_window = target_window
    ticket.window = None
    ticket.called_at = None
    ticket.transfers += 1
    ticket.save(
        update_fields=[
            "status",
            "group",
            "target_window",
            "window",
            "called_at",
            "transfers",
            "updated_at",
        ]
    )
    _event(ticket, TicketAction.TRANSFER, actor=officer, window=window)
    audit_record(
        actor=officer,
        action="counter.ticket_transferred",
        target=ticket,
        data={
            "label": ticket.label,
            "from_window": window.number,
            "to_window": target_window.number if target_window else None,
            "to_group": to_group_code or "",
        },
    )
    return ticket


@transaction.atomic
def ticket_cancel(*, actor: User, ticket_id: int) -> Ticket:
    """Staff take a waiting ticket out of the line (the visitor left)."""
    if not may_run_windows(actor):
        raise PermissionDenied()
    ticket = _locked_ticket(ticket_id)
    status = next_status(TicketStatus(ticket.status), TicketAction.CANCEL)
    if status is None:
        raise _invalid(ticket, TicketAction.CANCEL)
    ticket.status = status
    ticket.finished_at = clock.now()
    ticket.target_window = None
    ticket.save(update_fields=["status", "finished_at", "target_window", "updated_at"])
    _event(ticket, TicketAction.CANCEL, actor=actor, window=None)
    audit_record(
        actor=actor, action="counter.ticket_cancelled", target=ticket, data={"label": ticket.label}
    )
    return ticket
