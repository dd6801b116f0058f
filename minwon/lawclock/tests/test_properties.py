"""Property tests: invariants every deadline must keep, over random registrations and exclusions."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from minwon.lawclock import (
    SEOUL,
    compute_deadline,
    compute_due_at,
    parse_period,
    working_time_between,
)
from minwon.lawclock.tests.helpers import CAL

START = datetime(2025, 12, 1, tzinfo=SEOUL)
instants = st.integers(min_value=0, max_value=2 * 365 * 24 * 60).map(
    lambda m: START + timedelta(minutes=m)
)
hour_periods = st.sampled_from(["instant", "1h", "3h", "8h", "1d", "2d", "3d", "5d", "13h"])
all_periods = st.sampled_from(
    [
        "instant",
        "1h",
        "8h",
        "1d",
        "3d",
        "5d",
        "6d",
        "7d",
        "14d",
        "30d",
        "1w",
        "2w",
        "1m",
        "3m",
        "1y",
    ]
)
intervals = st.tuples(instants, st.integers(min_value=0, max_value=6 * 24 * 60)).map(
    lambda pair: (pair[0], pair[0] + timedelta(minutes=pair[1]))
)
interval_lists = st.lists(intervals, max_size=3)


@settings(max_examples=300, deadline=None)
@given(registered_at=instants, period=hour_periods, excluded=interval_lists)
def test_hour_rule_due_is_working_time(
    registered_at: datetime, period: str, excluded: list[tuple[datetime, datetime]]
) -> None:
    due = compute_deadline(
        registered_at=registered_at, period=period, calendar=CAL, excluded=excluded
    ).due_at
    # due_at is inside working hours, or exactly at a segment end (12:00, 18:00)
    just_before = due - timedelta(microseconds=1)
    assert CAL.is_working_time(just_before)


@settings(max_examples=300, deadline=None)
@given(registered_at=instants, period=all_periods, excluded=interval_lists, extra=intervals)
def test_more_exclusion_never_earlier(
    registered_at: datetime,
    period: str,
    excluded: list[tuple[datetime, datetime]],
    extra: tuple[datetime, datetime],
) -> None:
    before = compute_deadline(
        registered_at=registered_at, period=period, calendar=CAL, excluded=excluded
    )
    after = compute_deadline(
        registered_at=registered_at, period=period, calendar=CAL, excluded=[*excluded, extra]
    )
    assert after.due_at >= before.due_at


@settings(max_examples=300, deadline=None)
@given(a=instants, b=instants, period=all_periods)
def test_monotone_in_registration(a: datetime, b: datetime, period: str) -> None:
    early, late = sorted((a, b))
    assert compute_due_at(registered_at=early, period=period, calendar=CAL) <= compute_due_at(
        registered_at=late, period=period, calendar=CAL
    )


@settings(max_examples=300, deadline=None)
@given(registered_at=instants, period=hour_periods, excluded=interval_lists)
def test_working_time_matches_hour_rule(
    registered_at: datetime, period: str, excluded: list[tuple[datetime, datetime]]
) -> None:
    due = compute_deadline(
        registered_at=registered_at, period=period, calendar=CAL, excluded=excluded
    ).due_at
    used = working_time_between(registered_at, due, calendar=CAL, excluded=excluded)
    assert used == timedelta(hours=parse_period(period).working_hours)


@settings(max_examples=200, deadline=None)
@given(registered_at=instants, period=all_periods, excluded=interval_lists)
def test_due_at_paths_agree(
    registered_at: datetime, period: str, excluded: list[tuple[datetime, datetime]]
) -> None:
    full = compute_deadline(
        registered_at=registered_at, period=period, calendar=CAL, excluded=excluded
    )
    assert (
        compute_due_at(registered_at=registered_at, period=period, calendar=CAL, excluded=excluded)
        == full.due_at
    )
    assert full.due_at.tzinfo is SEOUL
