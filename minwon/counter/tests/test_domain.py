"""The counter's pure rules: the fairness rule (property tests over random arrivals and calls),
the predicted queue order, wait estimates and the ticket transitions."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minwon.counter.domain import (
    CARE_RUN_LIMIT,
    FINISHED,
    PRIORITY_RUN_LIMIT,
    Line,
    TicketAction,
    TicketStatus,
    Waiting,
    WindowKind,
    ahead_of,
    choose,
    estimate_wait_minutes,
    line_to_call,
    next_status,
    preferred_line,
    priority_run,
    queue_order,
    run_after,
    ticket_label,
    typical_service_seconds,
)

T0 = datetime(2026, 12, 4, 9, 0, tzinfo=ZoneInfo("Asia/Seoul"))

# A day at the counter: arrivals (True = priority) and calls by a window of some kind, in bursts
# (a coach of seniors arrives; the care window calls alone for a while), so long priority runs
# and lone care windows are common in the examples, not rare.
_event = st.one_of(
    st.tuples(st.just("arrive"), st.booleans()),
    st.tuples(st.just("call"), st.sampled_from(list(WindowKind))),
)
events = st.lists(st.tuples(_event, st.integers(1, 12)), max_size=40).map(
    lambda bursts: [event for event, times in bursts for _ in range(times)]
)


def _simulate(
    day: Sequence[tuple[str, object]], *, kinds_allowed: set[WindowKind] | None = None
) -> Iterator[tuple[WindowKind, int, list[Waiting], Waiting | None]]:
    """Run the rule exactly as the service does, one call at a time. Yields, per call, the
    window kind, the run before the call, the tickets waiting and the ticket called."""
    waiting: list[Waiting] = []
    run = 0
    next_id = 1
    for step, (what, arg) in enumerate(day):
        if what == "arrive":
            assert isinstance(arg, bool)
            waiting.append(
                Waiting(id=next_id, priority=arg, queued_at=T0 + timedelta(seconds=step))
            )
            next_id += 1
            continue
        assert isinstance(arg, WindowKind)
        if kinds_allowed is not None and arg not in kinds_allowed:
            continue
        before = list(waiting)
        called = choose(arg, waiting, run=run)
        yield arg, run, before, called
        if called is not None:
            waiting.remove(called)
            run = run_after(run, Line.PRIORITY if called.priority else Line.ORDINARY)


@settings(max_examples=400, deadline=None)
@given(day=events)
def test_a_call_takes_a_waiting_ticket_and_only_none_when_nobody_waits(day) -> None:
    for _kind, _run, before, called in _simulate(day):
        assert (called is None) == (not before)
        if called is not None:
            assert called in before


@settings(max_examples=400, deadline=None)
@given(day=events)
def test_priority_goes_first_while_the_run_is_below_the_windows_limit(day) -> None:
    limits = {WindowKind.ORDINARY: PRIORITY_RUN_LIMIT, WindowKind.CARE: CARE_RUN_LIMIT}
    for kind, run, before, called in _simulate(day):
        if any(t.priority for t in before) and run < limits[kind]:
            assert called is not None and called.priority


@settings(max_examples=400, deadline=None)
@given(day=events)
def test_each_line_is_first_come_first_served(day) -> None:
    for _kind, _run, before, called in _simulate(day):
        if called is None:
            continue
        same_line = [t for t in before if t.priority == called.priority]
        assert called == min(same_line, key=lambda t: (t.queued_at, t.id))


def _longest_wait_in_calls(day, kinds_allowed=None) -> int:
    """Over the day, the most group calls an ordinary ticket sat at the head of its line
    (counting the call that took it)."""
    worst = 0
    head_since: dict[int, int] = {}
    calls = 0
    for _kind, _run, before, called in _simulate(day, kinds_allowed=kinds_allowed):
        calls += 1
        ordinary = sorted((t for t in before if not t.priority), key=lambda t: (t.queued_at, t.id))
        if ordinary:
            head_since.setdefault(ordinary[0].id, calls)
        if called is not None and not called.priority:
            worst = max(worst, calls - head_since.pop(called.id) + 1)
    # A head still waiting at the end of the day counts too.
    for since in head_since.values():
        worst = max(worst, calls - since)
    return worst


@settings(max_examples=400, deadline=None)
@given(day=events)
def test_no_starvation_the_ordinary_head_is_called_within_the_care_limit_plus_one(day) -> None:
    assert _longest_wait_in_calls(day) <= CARE_RUN_LIMIT + 1


@settings(max_examples=400, deadline=None)
@given(day=events)
def test_with_ordinary_windows_only_the_head_waits_at_most_the_ordinary_limit_plus_one(
    day,
) -> None:
    assert _longest_wait_in_calls(day, {WindowKind.ORDINARY}) <= PRIORITY_RUN_LIMIT + 1


def test_the_bound_is_reached_so_the_limits_are_the_real_ones() -> None:
    # Seven priority tickets and one ordinary ticket, a care window alone: six priority calls,
    # then the ordinary ticket (the run reached CARE_RUN_LIMIT), then the last priority one.
    day = [("arrive", True)] * 7 + [("arrive", False)] + [("call", WindowKind.CARE)] * 8
    called = [c for _k, _r, _b, c in _simulate(day)]
    assert [c.priority for c in called if c] == [True] * 6 + [False, True]
    day = [("arrive", True)] * 7 + [("arrive", False)] + [("call", WindowKind.ORDINARY)] * 8
    called = [c for _k, _r, _b, c in _simulate(day)]
    assert [c.priority for c in called if c] == [True] * 3 + [False] + [True] * 4


waiting_sets = st.lists(st.tuples(st.booleans(), st.integers(0, 50)), max_size=40).map(
    lambda rows: [
        Waiting(id=i + 1, priority=p, queued_at=T0 + timedelta(minutes=m))
        for i, (p, m) in enumerate(rows)
    ]
)


@settings(max_examples=300, deadline=None)
@given(waiting=waiting_sets, run=st.integers(0, 10))
def test_queue_order_is_the_calls_ordinary_windows_would_make(waiting, run) -> None:
    order = queue_order(waiting, run=run)
    assert sorted(t.id for t in order) == sorted(t.id for t in waiting)
    left, r = list(waiting), run
    for expected in order:
        called = choose(WindowKind.ORDINARY, left, run=r)
        assert called == expected
        left.remove(called)
        r = run_after(r, Line.PRIORITY if called.priority else Line.ORDINARY)
    for index, ticket in enumerate(order):
        assert ahead_of(ticket.id, waiting, run=run) == index
    assert ahead_of(10_000, waiting, run=run) is None


def test_queue_order_example_three_priority_then_one_ordinary() -> None:
    waiting = [
        Waiting(id=i, priority=p, queued_at=T0 + timedelta(minutes=i))
        for i, p in enumerate([False, False, True, True, True, True, False], start=1)
    ]
    assert [t.id for t in queue_order(waiting, run=0)] == [3, 4, 5, 1, 6, 2, 7]
    # A run already at the limit lets the oldest ordinary ticket go first.
    assert [t.id for t in queue_order(waiting, run=3)] == [1, 3, 4, 5, 2, 6, 7]


def test_priority_run_counts_the_priority_calls_since_the_last_ordinary_one() -> None:
    assert priority_run([]) == 0
    assert priority_run([False, True, True]) == 0
    assert priority_run([True, True, False, True]) == 2
    assert priority_run([True] * 9) == 9


def test_line_to_call_when_one_line_is_empty() -> None:
    for kind in WindowKind:
        assert line_to_call(kind, priority_waiting=False, ordinary_waiting=False, run=0) is None
        assert line_to_call(kind, priority_waiting=True, ordinary_waiting=False, run=99) == (
            Line.PRIORITY
        )
        assert line_to_call(kind, priority_waiting=False, ordinary_waiting=True, run=0) == (
            Line.ORDINARY
        )


@given(
    kind=st.sampled_from(list(WindowKind)),
    priority_waiting=st.booleans(),
    ordinary_waiting=st.booleans(),
    run=st.integers(0, 20),
)
def test_the_preferred_line_first_then_the_other_is_the_rule(
    kind, priority_waiting, ordinary_waiting, run
) -> None:
    # What the service's one ordered query does, against the rule.
    preferred = preferred_line(kind, run=run)
    waiting = {Line.PRIORITY: priority_waiting, Line.ORDINARY: ordinary_waiting}
    other = Line.ORDINARY if preferred == Line.PRIORITY else Line.PRIORITY
    by_query = preferred if waiting[preferred] else (other if waiting[other] else None)
    assert by_query == line_to_call(
        kind, priority_waiting=priority_waiting, ordinary_waiting=ordinary_waiting, run=run
    )


# --- estimates ---


@settings(max_examples=300, deadline=None)
@given(
    ahead=st.integers(0, 200),
    windows=st.integers(1, 12),
    seconds=st.floats(1, 3600, allow_nan=False),
)
def test_wait_estimate_grows_with_the_queue_and_shrinks_with_windows(ahead, windows, seconds):
    here = estimate_wait_minutes(ahead=ahead, open_windows=windows, service_seconds=seconds)
    assert here is not None and here >= 0
    more_ahead = estimate_wait_minutes(
        ahead=ahead + 1, open_windows=windows, service_seconds=seconds
    )
    more_windows = estimate_wait_minutes(
        ahead=ahead, open_windows=windows + 1, service_seconds=seconds
    )
    assert more_ahead is not None and more_ahead >= here
    assert more_windows is not None and more_windows <= here
    # Never more than everybody ahead, and the one at the window, served one after the other.
    assert here <= -(-((ahead + 1) * seconds) // 60)
    assert here >= (ahead // windows) * seconds // 60


def test_wait_estimate_examples() -> None:
    # Next in line: the window's current visitor is half done on average (2.5 min) → 3 minutes.
    assert estimate_wait_minutes(ahead=0, open_windows=2, service_seconds=300) == 3
    # 3 ahead, 2 windows: one full round (5 min) and half a service (2.5 min) → 8 minutes.
    assert estimate_wait_minutes(ahead=3, open_windows=2, service_seconds=300) == 8
    assert estimate_wait_minutes(ahead=3, open_windows=0, service_seconds=300) is None
    with pytest.raises(ValueError, match="negative"):
        estimate_wait_minutes(ahead=-1, open_windows=1, service_seconds=300)


def test_typical_service_time_is_the_median_or_the_default() -> None:
    assert typical_service_seconds([100, 200]) == 300  # too few samples: the default
    assert typical_service_seconds([100, 200, 3000]) == 200  # one long case does not count much
    assert typical_service_seconds([60, 60, 60], default_seconds=500) == 60
    assert typical_service_seconds([], default_seconds=120) == 120
    assert typical_service_seconds([10.0] * 50 + [1000.0] * 50) == 10.0  # only the latest 20


# --- transitions and labels ---


def test_finished_tickets_accept_no_action() -> None:
    for status in FINISHED:
        for action in TicketAction:
            assert next_status(status, action) is None


def test_transitions() -> None:
    assert next_status(TicketStatus.WAITING, TicketAction.CALL) == TicketStatus.CALLED
    assert next_status(TicketStatus.CALLED, TicketAction.CALL) is None  # a double call
    assert next_status(TicketStatus.CALLED, TicketAction.SERVE) == TicketStatus.SERVED
    assert next_status(TicketStatus.WAITING, TicketAction.SERVE) is None
    assert next_status(TicketStatus.CALLED, TicketAction.TRANSFER) == TicketStatus.WAITING


def test_ticket_label() -> None:
    assert ticket_label("A", 7) == "A007"
    assert ticket_label("B", 1234) == "B1234"
