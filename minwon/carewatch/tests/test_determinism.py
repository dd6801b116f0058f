"""The same seed gives identical alerts in replay and in live-clock mode (care-monitor.md §5.6).

Live mode: a `LiveHost` on a test clock receives each record at its arrival time, and its timer
loop wakes late by a random amount (as a loaded machine's does); halfway it is killed and a new
host restores its state from a JSON snapshot and re-arms the timers from it.
"""

from __future__ import annotations

import json
import random
from typing import Any

from minwon.carewatch.cli import replay
from minwon.carewatch.domain.detector import PAJU, PERSONALISED, Alert, Settings
from minwon.carewatch.domain.events import parse_registry_line
from minwon.carewatch.domain.fleet import Fleet, alert_json
from minwon.carewatch.domain.host import LiveHost
from minwon.carewatch.domain.simulation import OTHER, simulate

HOUSEHOLDS, DAYS, SEED = 8, 24, 11


class _Clock:
    def __init__(self) -> None:
        self.now = 0

    def __call__(self) -> int:
        return self.now


def _live(
    trace_events: list[dict[str, Any]], registry: list[dict[str, Any]], cfg: Settings, end: int
) -> list[Alert]:
    households = [parse_registry_line(r) for r in registry]
    clock = _Clock()
    host = LiveHost(Fleet(households, cfg), clock)
    rng = random.Random(99)
    alerts: list[Alert] = []
    half = len(trace_events) // 2
    for i, rec in enumerate(trace_events):
        rx = rec["rx"] if isinstance(rec.get("rx"), int) else clock.now
        assert isinstance(rx, int)
        # the timer loop: wake (late) for every deadline before this record arrives
        while host.fleet.clock is not None:
            wait = host.wait_ms(longest=3_600_000)
            wake = clock.now + wait + rng.randrange(0, 120_000)
            if wake >= rx:
                break
            clock.now = wake
            alerts.extend(host.fire())
        clock.now = max(clock.now, rx)
        alerts.extend(host.receive(rec))
        if i == half:  # SIGKILL and restart: only the snapshot survives
            saved = json.loads(json.dumps(host.snapshot()))
            host = LiveHost(Fleet(households, cfg), clock)
            host.restore(saved)
    while True:
        wake = clock.now + host.wait_ms(longest=3_600_000) + rng.randrange(0, 120_000)
        if wake > end:
            break
        clock.now = wake
        alerts.extend(host.fire())
    clock.now = end
    alerts.extend(host.fire())
    return sorted(alerts, key=lambda a: (a.at, a.hh or "", a.severity))


def test_replay_and_live_clock_raise_identical_alerts() -> None:
    trace = simulate(HOUSEHOLDS, DAYS, SEED, OTHER)
    again = simulate(HOUSEHOLDS, DAYS, SEED, OTHER)
    assert trace.events == again.events and trace.registry == again.registry
    lines = [json.dumps(r).encode() for r in trace.events]
    households = [parse_registry_line(r) for r in trace.registry]
    end = max(r["rx"] for r in trace.events)
    for cfg in (PERSONALISED, PAJU):
        replayed, counts = replay(iter(lines), households, cfg, end)
        live = _live(trace.events, trace.registry, cfg, end)
        assert [alert_json(a) for a in live] == [alert_json(a) for a in replayed]
        assert any(a.kind == "person" for a in replayed)
        assert any(a.kind == "device" for a in replayed)
        assert counts["duplicate"] > 0 and counts["malformed"] > 0


def test_a_restarted_host_re_arms_its_timers_from_the_snapshot() -> None:
    """A household that sends nothing after the restart still gets its alert on time."""
    from minwon.carewatch.domain.events import Household
    from minwon.carewatch.domain.timebase import HOUR, parse_iso, to_iso

    t0 = parse_iso("2026-03-02T08:00:00+09:00")
    homes = [Household("h1", "d1", t0, "a1", None, 0)]  # no heartbeats: liveness unknown
    clock = _Clock()
    clock.now = t0
    host = LiveHost(Fleet(homes, PAJU), clock)
    rec = {"hh": "h1", "dev": "d1", "seq": 1, "ts": t0, "type": "tv_off"}
    assert host.receive(rec) == []
    saved = json.loads(json.dumps(host.snapshot()))
    restarted = LiveHost(Fleet(homes, PAJU), clock)
    restarted.restore(saved)
    assert restarted.wait_ms(longest=10**9) > 0
    clock.now = t0 + 30 * HOUR
    alerts = restarted.fire()
    assert [(a.rule, to_iso(a.at)) for a in alerts] == [("R3", "2026-03-03T08:00:00+09:00")]
