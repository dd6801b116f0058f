"""How much of its legal period a complaint in the queue has used: as the law counts the period
(working time), not calendar time. 2026: 3/9 is a Monday; no holiday in March after 3/2."""

from __future__ import annotations

from datetime import datetime

import pytest

from minwon.complaints.domain import DEADLINE_URGENT_SHARE, DEADLINE_WATCH_SHARE, ClockKind
from minwon.core.clock import SEOUL
from minwon.lawclock import WorkingCalendar, compute_deadline, extension_deadline
from minwon.notifications.domain import WARNING_PERCENTS
from minwon.office.domain import (
    Scope,
    TimeLeft,
    Urgency,
    default_scope,
    period_used,
    time_left,
    urgency,
)
from tests.factories import seoul

CAL = WorkingCalendar.default()


def _used(**given: object) -> float | None:
    values: dict[str, object] = {
        "clock": ClockKind.PROCESSING.value,
        "period": "7d",
        "excluded": [],
        "extended": False,
        "calendar": CAL,
    }
    values.update(given)
    return period_used(**values)  # type: ignore[arg-type]


def test_a_weekend_does_not_use_up_a_day_period() -> None:
    # 7일 (법 제19조②: days, the first day counted), registered Wed 3/11 10:00: day 7 is
    # Thu 3/19 (11, 12, 13, 16, 17, 18, 19), due at 18:00.
    start = seoul(2026, 3, 11, 10)
    due = compute_deadline(registered_at=start, period="7d", calendar=CAL).due_at
    assert due == seoul(2026, 3, 19, 18)
    monday = seoul(2026, 3, 16, 9)
    used = _used(started_at=start, due_at=due, now=monday)
    # Three working days (Wed, Thu, Fri) of seven are gone: 43 %. Calendar time would say 119 h
    # of 200 h (60 %: "watch"); the law counts the weekend out.
    assert used == pytest.approx(3 / 7)
    assert urgency(used) == Urgency.OK
    assert _used(started_at=start, due_at=due, now=due) == pytest.approx(1.0)


def test_an_hour_period_counts_working_hours() -> None:
    # 3일 = 24 working hours (법 제19조①), Mon 15:00: by Tue 18:00 3 h + 8 h are used.
    start = seoul(2026, 3, 9, 15)
    due = seoul(2026, 3, 12, 15)
    assert _used(started_at=start, due_at=due, period="3d", now=seoul(2026, 3, 10, 18)) == (
        pytest.approx(11 / 24)
    )
    # Registration (영 제6조⑧): 8 working hours whatever the stored period.
    used = _used(
        clock=ClockKind.REGISTRATION.value,
        period="",
        started_at=start,
        due_at=seoul(2026, 3, 10, 14),
        now=seoul(2026, 3, 10, 10),
    )
    assert used == pytest.approx(4 / 8)
    assert urgency(used) == Urgency.WATCH


def test_after_an_extension_the_share_runs_to_the_new_deadline() -> None:
    start = seoul(2026, 3, 11, 10)
    own = compute_deadline(registered_at=start, period="7d", calendar=CAL).due_at
    extended = extension_deadline(
        current_due_at=own,
        original_period="7d",
        extension_period="7d",
        previous_extensions=0,
        complainant_consent=False,
        calendar=CAL,
    ).due_at
    used = _used(started_at=start, due_at=extended, extended=True, now=own)
    assert used == pytest.approx(0.5)
    early = _used(started_at=start, due_at=own, extended=True, now=seoul(2026, 3, 13, 18))
    assert early == pytest.approx(3 / 7)
    # A stored extended deadline earlier than the period's own (the calendar changed and the
    # recompute has not reached the row): measured against the period's own deadline meanwhile.
    stale = own.replace(hour=10)
    assert _used(started_at=start, due_at=stale, extended=True, now=own) == pytest.approx(1.0)


def test_no_running_clock_has_no_share() -> None:
    start, due, now = seoul(2026, 3, 11, 10), seoul(2026, 3, 20, 18), seoul(2026, 3, 12, 10)
    assert _used(started_at=start, due_at=due, excluded=None, now=now) is None  # 보완 중
    assert _used(started_at=None, due_at=due, now=now) is None
    assert _used(started_at=start, due_at=None, now=now) is None
    assert _used(started_at=start, due_at=due, period="", now=now) is None
    assert urgency(None) == Urgency.NONE


def test_one_set_of_thresholds_for_the_queue_and_the_warnings() -> None:
    assert urgency(DEADLINE_WATCH_SHARE - 0.001) == Urgency.OK
    assert urgency(DEADLINE_WATCH_SHARE) == Urgency.WATCH
    assert urgency(DEADLINE_URGENT_SHARE) == Urgency.URGENT
    assert urgency(1.0) == Urgency.OVERDUE
    assert WARNING_PERCENTS == (50, 80)  # the notifications' deadline warnings: the same shares


# --- the work queue: time left and the view it opens on -----------------------------------------


@pytest.mark.parametrize(
    ("due", "now", "expected"),
    [
        (seoul(2026, 3, 19, 18), seoul(2026, 3, 16, 9), TimeLeft(False, 3, 0)),
        (seoul(2026, 3, 19, 18), seoul(2026, 3, 19, 15), TimeLeft(False, 0, 3)),
        (seoul(2026, 3, 19, 18), seoul(2026, 3, 19, 17, 30), TimeLeft(False, 0, 1)),
        (seoul(2026, 3, 20, 9), seoul(2026, 3, 19, 18), TimeLeft(False, 0, 15)),
        (seoul(2026, 3, 19, 18), seoul(2026, 3, 19, 20), TimeLeft(True, 0, 2)),
        (seoul(2026, 3, 19, 18), seoul(2026, 3, 21, 10), TimeLeft(True, 2, 0)),
    ],
)
def test_time_left(due: datetime, now: datetime, expected: TimeLeft) -> None:
    assert time_left(due_at=due, now=now, tz=SEOUL) == expected


@pytest.mark.parametrize(
    ("counter", "waiting", "mine", "total", "expected"),
    [
        (True, 2, 1, 5, Scope.REGISTER),  # the counter registers first
        (False, 2, 1, 5, Scope.MINE),
        (False, 0, 0, 3, Scope.UNIT),  # nothing of mine: never an empty view while work waits
        (True, 0, 0, 3, Scope.UNIT),
        (False, 2, 0, 2, Scope.REGISTER),
        (True, 0, 0, 0, Scope.REGISTER),
        (False, 0, 0, 0, Scope.MINE),
    ],
)
def test_default_scope(counter: bool, waiting: int, mine: int, total: int, expected: Scope) -> None:
    assert (
        default_scope(counter_officer=counter, waiting=waiting, mine=mine, total=total) == expected
    )
