"""The counter's writes: issuing, opening and closing windows, calling by the fairness rule,
recall, transfer, served and no-show; every bad transition refused in words, nothing changed."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.utils import translation

from minwon.accounts.domain import Role
from minwon.accounts.models import OrgUnit, User
from minwon.core.errors import ApplicationError, NotFound, PermissionDenied, ValidationFailed
from minwon.core.models import AuditEvent
from minwon.counter import selectors, services
from minwon.counter.domain import TicketStatus
from minwon.counter.models import Ticket, TicketEvent
from minwon.counter.tests.factories import Counter, counter_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def counter(db: None) -> Counter:
    return counter_make()


@pytest.fixture
def second_officer(make_officer: Callable[..., User], civil_unit: OrgUnit) -> User:
    return make_officer("counter2", civil_unit, Role.COUNTER_OFFICER)


def _issue(counter: Counter, n: int = 1, *, priority: bool = False) -> list[Ticket]:
    return [
        services.ticket_issue(
            category_code=counter.certificate.code,
            priority=priority,
            priority_reason="senior" if priority else "",
        )
        for _ in range(n)
    ]


def _refusal(exc: pytest.ExceptionInfo[ApplicationError]) -> tuple[str, str]:
    return exc.value.code, str(exc.value.message)


def test_tickets_are_numbered_per_group_and_day_with_an_unguessable_token(
    counter: Counter,
) -> None:
    a1, a2 = _issue(counter, 2)
    b1 = services.ticket_issue(category_code="passport")
    assert [a1.label, a2.label, b1.label] == ["A001", "A002", "B001"]
    assert a1.group == counter.group and b1.group == counter.other_group
    assert len(a1.token) >= 32 and a1.token != a2.token
    assert AuditEvent.objects.filter(action="counter.ticket_issued").count() == 3


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"category_code": "nope"}, "category"),
        ({"category_code": "seal", "priority": True}, "priority_reason"),
        ({"category_code": "seal", "priority": True, "priority_reason": "vip"}, "priority_reason"),
        ({"category_code": "seal", "priority_reason": "senior"}, "priority_reason"),
        ({"category_code": "seal", "channel": "fax"}, "channel"),
    ],
)
def test_bad_tickets_are_refused_and_nothing_is_numbered(
    counter: Counter, kwargs: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.ticket_issue(**kwargs)  # type: ignore[arg-type]
    assert exc.value.field == field
    assert not Ticket.objects.exists()
    assert services.ticket_issue(category_code="seal").label == "A001"


def test_a_window_calls_nothing_while_closed_and_twice_never(
    counter: Counter, counter_officer: User
) -> None:
    (ticket,) = _issue(counter)
    with translation.override("ko"), pytest.raises(ApplicationError) as exc:
        services.window_call_next(officer=counter_officer, window_id=counter.window1.pk)
    assert _refusal(exc) == (
        "counter_window_closed",
        "1번 창구가 닫혀 있습니다. 번호를 호출하려면 먼저 창구를 여세요.",
    )
    services.window_open(officer=counter_officer, window_id=counter.window1.pk)
    called = services.window_call_next(officer=counter_officer, window_id=counter.window1.pk)
    assert called is not None and called.pk == ticket.pk and called.status == TicketStatus.CALLED
    _issue(counter)
    with translation.override("en"), pytest.raises(ApplicationError) as exc:
        services.window_call_next(officer=counter_officer, window_id=counter.window1.pk)
    assert _refusal(exc) == (
        "counter_window_busy",
        "Window 1 is already calling ticket A001. Mark it served or no-show, or transfer it,"
        " before calling the next one.",
    )
    assert Ticket.objects.filter(status=TicketStatus.CALLED).count() == 1


def test_served_twice_is_refused_in_words(counter: Counter, counter_officer: User) -> None:
    _issue(counter)
    services.window_open(officer=counter_officer, window_id=counter.window1.pk)
    ticket = services.window_call_next(officer=counter_officer, window_id=counter.window1.pk)
    assert ticket is not None
    served = services.ticket_serve(
        officer=counter_officer, window_id=counter.window1.pk, ticket_id=ticket.pk
    )
    assert served.status == TicketStatus.SERVED and served.finished_at is not None
    for language, message in [
        ("en", "Ticket A001 is “served”, so it cannot be marked served."),
        ("ko", "A001번 번호표는 ‘처리 완료’ 상태라 처리 완료로 표시할 수 없습니다."),
    ]:
        with translation.override(language), pytest.raises(ApplicationError) as exc:
            services.ticket_serve(
                officer=counter_officer, window_id=counter.window1.pk, ticket_id=ticket.pk
            )
        assert _refusal(exc) == ("counter_invalid_transition", message)
    with translation.override("en"), pytest.raises(ApplicationError, match="no-show"):
        services.ticket_no_show(
            officer=counter_officer, window_id=counter.window1.pk, ticket_id=ticket.pk
        )
    assert TicketEvent.objects.filter(action="serve").count() == 1


def test_a_waiting_ticket_cannot_be_served(counter: Counter, counter_officer: User) -> None:
    (ticket,) = _issue(counter)
    services.window_open(officer=counter_officer, window_id=counter.window1.pk)
    with pytest.raises(ApplicationError) as exc:
        services.ticket_serve(
            officer=counter_officer, window_id=counter.window1.pk, ticket_id=ticket.pk
        )
    assert exc.value.code == "counter_invalid_transition"
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.WAITING


def test_windows_belong_to_the_officer_who_opened_them(
    counter: Counter, counter_officer: User, second_officer: User, citizen: User
) -> None:
    services.window_open(officer=counter_officer, window_id=counter.window1.pk)
    with pytest.raises(ApplicationError) as exc:
        services.window_open(officer=counter_officer, window_id=counter.window1.pk)
    assert exc.value.code == "counter_window_open"
    with pytest.raises(ApplicationError) as exc:
        services.window_open(officer=second_officer, window_id=counter.window1.pk)
    assert exc.value.code == "counter_window_taken"
    with pytest.raises(ApplicationError) as exc:
        services.window_call_next(officer=second_officer, window_id=counter.window1.pk)
    assert exc.value.code == "counter_window_taken"
    with pytest.raises(ApplicationError) as exc:
        services.window_open(officer=counter_officer, window_id=counter.window2.pk)
    assert exc.value.code == "counter_officer_busy"
    with pytest.raises(PermissionDenied):
        services.window_open(officer=citizen, window_id=counter.window2.pk)
    with pytest.raises(NotFound):
        services.window_open(officer=second_officer, window_id=99999)


def test_close_refuses_with_a_called_ticket_and_returns_transferred_ones(
    counter: Counter, counter_officer: User, second_officer: User
) -> None:
    first, second = _issue(counter, 2)
    services.window_open(officer=counter_officer, window_id=counter.window1.pk)
    services.window_open(officer=second_officer, window_id=counter.window2.pk)
    services.window_call_next(officer=counter_officer, window_id=counter.window1.pk)
    with pytest.raises(ApplicationError) as exc:
        services.window_close(officer=counter_officer, window_id=counter.window1.pk)
    assert exc.value.code == "counter_window_busy"
    services.ticket_transfer(
        officer=counter_officer,
        window_id=counter.window1.pk,
        ticket_id=first.pk,
        to_window_id=counter.window2.pk,
    )
    first.refresh_from_db()
    assert first.status == TicketStatus.WAITING and first.target_window == counter.window2
    services.window_close(officer=second_officer, window_id=counter.window2.pk)
    assert Ticket.objects.get(pk=first.pk).target_window_id is None  # back in the group's line
    assert [t.pk for t in selectors.group_queue(group_id=counter.group.pk)] == [first.pk, second.pk]
    with pytest.raises(ApplicationError) as exc:
        services.window_close(officer=second_officer, window_id=counter.window2.pk)
    assert exc.value.code == "counter_window_closed"


def test_a_ticket_transferred_to_a_window_is_called_there_first(
    counter: Counter, counter_officer: User, second_officer: User
) -> None:
    first, second, third = _issue(counter, 3)
    services.window_open(officer=counter_officer, window_id=counter.window1.pk)
    services.window_open(officer=second_officer, window_id=counter.window2.pk)
    services.window_call_next(officer=counter_officer, window_id=counter.window1.pk)
    services.window_call_next(officer=second_officer, window_id=counter.window2.pk)
    services.ticket_transfer(
        officer=second_officer,
        window_id=counter.window2.pk,
        ticket_id=second.pk,
        to_window_id=counter.window1.pk,
    )
    # Window 2 does not get it back; window 1 gets it before the older-waiting third ticket.
    assert services.window_call_next(officer=second_officer, window_id=counter.window2.pk) == third
    services.ticket_serve(officer=counter_officer, window_id=counter.window1.pk, ticket_id=first.pk)
    again = services.window_call_next(officer=counter_officer, window_id=counter.window1.pk)
    assert again == second and again is not None and again.transfers == 1


def test_transfer_to_a_group_and_refusals(
    counter: Counter, counter_officer: User, second_officer: User
) -> None:
    (ticket,) = _issue(counter)
    services.window_open(officer=counter_officer, window_id=counter.window1.pk)
    services.window_call_next(officer=counter_officer, window_id=counter.window1.pk)
    for kwargs, code in [
        ({}, "invalid"),
        ({"to_window_id": counter.window1.pk}, "invalid"),
        ({"to_window_id": counter.window2.pk}, "counter_target_closed"),
        ({"to_group_code": "certificates"}, "invalid"),
        ({"to_group_code": "nope"}, "invalid"),
        ({"to_window_id": counter.window2.pk, "to_group_code": "passports"}, "invalid"),
    ]:
        with pytest.raises(ApplicationError) as exc:
            services.ticket_transfer(
                officer=counter_officer,
                window_id=counter.window1.pk,
                ticket_id=ticket.pk,
                **kwargs,  # type: ignore[arg-type]
            )
        assert exc.value.code == code, kwargs
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CALLED and ticket.transfers == 0
    services.ticket_transfer(
        officer=counter_officer,
        window_id=counter.window1.pk,
        ticket_id=ticket.pk,
        to_group_code="passports",
    )
    services.window_open(officer=second_officer, window_id=counter.window9.pk)
    assert services.window_call_next(officer=second_officer, window_id=counter.window9.pk) == ticket


def test_only_the_calling_window_acts_on_its_ticket(
    counter: Counter, counter_officer: User, second_officer: User
) -> None:
    (ticket,) = _issue(counter)
    services.window_open(officer=counter_officer, window_id=counter.window1.pk)
    services.window_open(officer=second_officer, window_id=counter.window2.pk)
    services.window_call_next(officer=counter_officer, window_id=counter.window1.pk)
    with translation.override("en"), pytest.raises(ApplicationError) as exc:
        services.ticket_serve(
            officer=second_officer, window_id=counter.window2.pk, ticket_id=ticket.pk
        )
    assert _refusal(exc) == (
        "counter_other_window",
        "Ticket A001 is being called at window 1, not at this one.",
    )


def test_recall_and_no_show(counter: Counter, counter_officer: User) -> None:
    (ticket,) = _issue(counter)
    services.window_open(officer=counter_officer, window_id=counter.window1.pk)
    services.window_call_next(officer=counter_officer, window_id=counter.window1.pk)
    services.window_recall(
        officer=counter_officer, window_id=counter.window1.pk, ticket_id=ticket.pk
    )
    calls = selectors.latest_calls()
    assert [(e.action, e.ticket.label, e.window.number) for e in calls if e.window] == [
        ("recall", "A001", 1),
        ("call", "A001", 1),
    ]
    done = services.ticket_no_show(
        officer=counter_officer, window_id=counter.window1.pk, ticket_id=ticket.pk
    )
    assert done.status == TicketStatus.NO_SHOW and done.recalls == 1
    with pytest.raises(ApplicationError) as exc:
        services.window_recall(
            officer=counter_officer, window_id=counter.window1.pk, ticket_id=ticket.pk
        )
    assert exc.value.code == "counter_invalid_transition"


def test_nobody_waiting_returns_none_and_changes_nothing(
    counter: Counter, counter_officer: User
) -> None:
    services.window_open(officer=counter_officer, window_id=counter.window1.pk)
    assert services.window_call_next(officer=counter_officer, window_id=counter.window1.pk) is None
    assert not TicketEvent.objects.exists()


def test_calls_follow_the_fairness_rule(
    counter: Counter, counter_officer: User, second_officer: User
) -> None:
    ordinary = _issue(counter, 2)
    priority = _issue(counter, 5, priority=True)
    services.window_open(officer=counter_officer, window_id=counter.window1.pk)
    services.window_open(officer=second_officer, window_id=counter.care.pk)
    order: list[Ticket] = []

    def call(officer: User, window_id: int) -> None:
        ticket = services.window_call_next(officer=officer, window_id=window_id)
        assert ticket is not None
        order.append(ticket)
        services.ticket_serve(officer=officer, window_id=window_id, ticket_id=ticket.pk)

    # The predicted order before anyone is called: three priority, one ordinary, …
    assert [t.pk for t in selectors.group_queue(group_id=counter.group.pk)] == [
        priority[0].pk,
        priority[1].pk,
        priority[2].pk,
        ordinary[0].pk,
        priority[3].pk,
        priority[4].pk,
        ordinary[1].pk,
    ]
    for _ in range(3):
        call(counter_officer, counter.window1.pk)
    assert selectors.group_priority_run(group_id=counter.group.pk) == 3
    call(second_officer, counter.care.pk)  # the care window still takes priority (run 3 < 6)
    call(counter_officer, counter.window1.pk)  # run 4 ≥ 3: the ordinary window takes ordinary
    assert selectors.group_priority_run(group_id=counter.group.pk) == 0
    assert order == [*priority[:4], ordinary[0]]


def test_place_and_wait_estimate(counter: Counter, counter_officer: User) -> None:
    tickets = _issue(counter, 4)
    last = tickets[-1]
    place = selectors.ticket_place(ticket=last)
    assert place.ahead == 3 and place.open_windows == 0 and place.wait_minutes is None
    services.window_open(officer=counter_officer, window_id=counter.window1.pk)
    # No served tickets yet: the category's default (180 s): (3 + 0.5) × 3 min = 10.5 → 11.
    assert selectors.ticket_place(ticket=last).wait_minutes == 11
    called = services.window_call_next(officer=counter_officer, window_id=counter.window1.pk)
    assert called is not None
    place = selectors.ticket_place(ticket=last)
    assert place.ahead == 2
    called_place = selectors.ticket_place(ticket=called)
    assert called_place.ahead is None and called_place.wait_minutes is None
