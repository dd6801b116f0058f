"""Windows pressing "call next" at the same instant never get the same ticket.

Real threads, each on its own PostgreSQL connection, on committed data (a transactional test);
a barrier releases every window's press together, round after round. SQLite has one writer at a
time, so the race cannot happen there and these tests are skipped."""

from __future__ import annotations

import threading
from collections import Counter as Tally
from collections.abc import Callable

import pytest
from django.db import connection

from minwon.accounts.domain import Role
from minwon.accounts.models import OrgUnit, User
from minwon.core.errors import ApplicationError
from minwon.counter import services
from minwon.counter.domain import TicketStatus
from minwon.counter.models import Ticket, TicketEvent
from minwon.counter.tests.factories import counter_make

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs concurrent writers on separate connections (PostgreSQL row locks)",
    ),
]

WINDOWS = 8
TICKETS = 120


def test_eight_windows_at_once_never_share_a_ticket(
    make_officer: Callable[..., User], civil_unit: OrgUnit
) -> None:
    counter = counter_make(extra_windows=WINDOWS - 3)
    windows = [
        counter.window1,
        counter.window2,
        counter.care,
        *list(counter.group.windows.filter(number__gte=20)),
    ]
    assert len(windows) == WINDOWS
    officers = [
        make_officer(f"window{n}", civil_unit, Role.COUNTER_OFFICER, enrol=False)
        for n in range(WINDOWS)
    ]
    for officer, window in zip(officers, windows, strict=True):
        services.window_open(officer=officer, window_id=window.pk)
    for n in range(TICKETS):
        services.ticket_issue(
            category_code="resident-copy",
            priority=n % 4 == 0,
            priority_reason="senior" if n % 4 == 0 else "",
        )

    barrier = threading.Barrier(WINDOWS, timeout=60)
    called: list[tuple[int, int]] = []  # (window number, ticket id)
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(officer: User, window_id: int, number: int) -> None:
        try:
            while True:
                barrier.wait()  # every window presses at the same instant
                ticket = services.window_call_next(officer=officer, window_id=window_id)
                if ticket is None:
                    barrier.abort()  # the queue is empty: let the others stop too
                    return
                with lock:
                    called.append((number, ticket.pk))
                services.ticket_serve(officer=officer, window_id=window_id, ticket_id=ticket.pk)
        except threading.BrokenBarrierError:
            return
        except BaseException as exc:
            errors.append(exc)
            barrier.abort()
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(officer, window.pk, window.number))
        for officer, window in zip(officers, windows, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    tally = Tally(ticket_id for _number, ticket_id in called)
    assert max(tally.values()) == 1  # no ticket went to two windows
    # Every ticket was called; the last rounds may end with some windows finding nobody.
    assert len(tally) == TICKETS - Ticket.objects.filter(status=TicketStatus.WAITING).count()
    assert Ticket.objects.filter(status=TicketStatus.SERVED).count() == len(tally)
    assert TicketEvent.objects.filter(action="call").count() == len(called)
    assert len({number for number, _ticket in called}) == WINDOWS  # all windows took part


def test_a_double_press_at_one_window_calls_one_ticket(
    make_officer: Callable[..., User], civil_unit: OrgUnit
) -> None:
    counter = counter_make()
    officer = make_officer("double", civil_unit, Role.COUNTER_OFFICER, enrol=False)
    services.window_open(officer=officer, window_id=counter.window1.pk)
    for _ in range(3):
        services.ticket_issue(category_code="resident-copy")
    barrier = threading.Barrier(2, timeout=60)
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def press() -> None:
        try:
            barrier.wait()
            ticket = services.window_call_next(officer=officer, window_id=counter.window1.pk)
            outcomes.append("called" if ticket else "none")
        except ApplicationError as exc:
            outcomes.append(exc.code)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=press) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(outcomes) == ["called", "counter_window_busy"]
    assert Ticket.objects.filter(status=TicketStatus.CALLED).count() == 1
