"""The pure backoff of failure throttles (core.domain)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from minwon.core.domain import FailureCount, ThrottlePolicy, backoff_seconds, throttle_wait

POLICY = ThrottlePolicy(
    scope="t",
    per_key=5,
    per_client=20,
    per_pair=None,
    base_seconds=30,
    max_seconds=900,
    window_seconds=3600,
)
NOW = datetime(2026, 3, 9, 1, 0, tzinfo=UTC)


def test_backoff_doubles_from_the_free_allowance_up_to_the_cap() -> None:
    waits = [backoff_seconds(n, free=5, base=30, cap=900) for n in range(4, 12)]
    assert waits == [0, 30, 60, 120, 240, 480, 900, 900]


def test_the_wait_is_the_longest_any_dimension_asks_counted_from_its_last_failure() -> None:
    counts = [
        FailureCount(free=5, count=6, last_at=NOW - timedelta(seconds=10)),  # 60 s from then
        FailureCount(free=20, count=3, last_at=NOW),  # within its allowance
        FailureCount(free=None, count=99, last_at=NOW),  # not counted
    ]
    assert throttle_wait(POLICY, counts, NOW) == 50
    assert throttle_wait(POLICY, counts, NOW + timedelta(seconds=50)) == 0
