"""The live-clock host: a `Fleet` driven by a clock instead of by a file.

A transport adapter (MQTT, the HTTP batch endpoint, a stream consumer) calls `receive()` for each
record as it arrives; the server stamps the receive time `rx` from the clock. A timer loop calls
`wait_ms()` to know how long it may sleep and `fire()` when it wakes. The clock is injected, so
the same code runs on the wall clock and on a test clock; because a record is processed only
after every timer due up to its `rx` has fired, a live host raises exactly the alerts a replay
of the same records raises, however late its timer loop wakes (the determinism test).

The host holds no timer only in memory: `snapshot()` is the fleet's state, and `restore()`
re-derives every timer from it (a restarted or rebalanced consumer re-arms them).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .detector import Alert
from .fleet import Fleet


class LiveHost:
    def __init__(self, fleet: Fleet, clock: Callable[[], int]) -> None:
        self.fleet = fleet
        self.clock = clock  # epoch milliseconds

    def receive(self, obj: Any) -> list[Alert]:
        """One decoded record as it arrives: stamped with the receive time, then fed."""
        now = self.clock()
        if isinstance(obj, dict):
            obj = {**obj, "rx": now}
        return self.fleet.feed(obj)

    def wait_ms(self, longest: int = 60_000) -> int:
        """How long the timer loop may sleep before the next deadline (at most `longest`)."""
        if self.fleet.clock is None:
            return longest
        nxt = self.fleet.next_deadline()
        if nxt is None:
            return longest
        return max(0, min(longest, nxt - self.clock()))

    def start(self) -> None:
        """Begin observing now (otherwise observation starts with the first record)."""
        if self.fleet.clock is None:
            self.fleet.start(self.clock())

    def fire(self) -> list[Alert]:
        """The timer loop woke: raise whatever fell due by now."""
        if self.fleet.clock is None:
            return []
        return self.fleet.advance_to(self.clock())

    def snapshot(self) -> dict[str, Any]:
        return self.fleet.snapshot()

    def restore(self, data: dict[str, Any]) -> None:
        self.fleet.restore(data)
