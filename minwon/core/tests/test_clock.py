from datetime import UTC, datetime, timedelta

import pytest

from minwon.core import clock


def test_moved_to_shifts_now_inside_the_block_only() -> None:
    before = clock.now()
    target = datetime(2026, 3, 9, 1, 0, tzinfo=UTC)
    with clock.moved_to(target):
        assert abs(clock.now() - target) < timedelta(seconds=5)
        assert clock.local_now().tzinfo == clock.SEOUL
    assert clock.now() - before < timedelta(minutes=1)


def test_moved_to_refuses_naive_instants() -> None:
    with pytest.raises(ValueError, match="aware"), clock.moved_to(datetime(2026, 3, 9)):
        pass
