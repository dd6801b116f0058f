"""One process's worth of households: registry, detectors, area watches and the timer heap.

The same class runs replay (the clock advances with the events' receive times) and live hosts
(the clock is the wall clock): a host calls `advance_to(now)` to fire due timers and `feed()` for
each arriving record. Timers live in a heap re-derived from each household's state, so a
restored state re-arms exactly (`arm_all`).
"""

from __future__ import annotations

import heapq
import json
from collections import Counter
from collections.abc import Iterable
from typing import Any

from .area import AreaWatch
from .detector import PERSONALISED, Alert, Liveness, Note, Settings, State, Tick, deadline, step
from .events import Event, Household, Rejected, parse_event
from .timebase import to_iso


class Fleet:
    def __init__(self, households: Iterable[Household], cfg: Settings = PERSONALISED) -> None:
        self.cfg = cfg
        self.registry: dict[str, Household] = {}  # dev → household line
        self.first: dict[str, Household] = {}  # hh → its first registry line
        for h in households:
            self.registry[h.dev] = h
            self.first.setdefault(h.hh, h)
        sizes = Counter(h.area for h in self.first.values())
        self.areas = {area: AreaWatch(area, size) for area, size in sizes.items()}
        self.states: dict[str, State] = {}
        self.deadlines: dict[str, int] = {}
        self.heap: list[tuple[int, int, str]] = []  # (when, 0 household | 1 area, key)
        self.counts: Counter[str] = Counter()
        self.clock: int | None = None

    # -- timers ---------------------------------------------------------------------------
    def _arm(self, key: str, when: int | None, area: bool = False) -> None:
        name = ("a:" if area else "h:") + key
        if when is None:
            self.deadlines.pop(name, None)
            return
        if self.deadlines.get(name) == when:
            return
        self.deadlines[name] = when
        heapq.heappush(self.heap, (when, 1 if area else 0, key))

    def start(self, t: int) -> None:
        """Begin observing at `t`: households enrolled earlier are observed from `t`."""
        self.clock = t
        for hh, h in self.first.items():
            if hh not in self.states:
                line = h if h.enrolled_at >= t else _observed_from(h, t)
                self.states[hh] = State.enrol(line)
                self._arm(hh, deadline(self.states[hh], self.cfg))

    def next_deadline(self) -> int | None:
        """When the earliest armed timer falls due (a live host sleeps until then)."""
        while self.heap:
            when, is_area, key = self.heap[0]
            if self.deadlines.get(("a:" if is_area else "h:") + key) == when:
                return when
            heapq.heappop(self.heap)  # superseded by a later arming
        return None

    def snapshot(self) -> dict[str, Any]:
        """Everything a restarted host needs, as JSON-able data; timers are re-derived from it."""
        return {
            "clock": self.clock,
            "counts": dict(self.counts),
            "states": {hh: st.snapshot() for hh, st in self.states.items()},
            "areas": {area: w.snapshot() for area, w in self.areas.items()},
        }

    def restore(self, data: dict[str, Any]) -> None:
        self.clock = data["clock"]
        self.counts = Counter(data["counts"])
        self.states = {hh: State.restore(v) for hh, v in data["states"].items()}
        for area, v in data["areas"].items():
            if area in self.areas:
                self.areas[area].restore(v)
        self.deadlines.clear()
        self.heap.clear()
        self.arm_all()

    def arm_all(self) -> None:
        for hh, st in self.states.items():
            self._arm(hh, deadline(st, self.cfg))
        for area, watch in self.areas.items():
            self._arm(area, watch.deadline(), area=True)

    # -- processing -----------------------------------------------------------------------
    def _outputs(self, st: State, outputs: list[Any]) -> list[Alert]:
        alerts: list[Alert] = []
        watch = self.areas.get(st.area)
        for o in outputs:
            if isinstance(o, Note):
                self.counts[o.reason] += 1
            elif isinstance(o, Liveness):
                if watch is not None:
                    alerts.extend(watch.on_liveness(o))
                    self._arm(st.area, watch.deadline(), area=True)
            elif isinstance(o, Alert):
                if o.rule == "R4" and watch is not None:
                    alerts.extend(watch.filter(o))
                else:
                    alerts.append(o)
        return alerts

    def advance_to(self, t: int) -> list[Alert]:
        if self.clock is None:
            self.start(t)
        alerts: list[Alert] = []
        while self.heap and self.heap[0][0] <= t:
            when, is_area, key = heapq.heappop(self.heap)
            name = ("a:" if is_area else "h:") + key
            if self.deadlines.get(name) != when:
                continue
            del self.deadlines[name]
            if is_area:
                watch = self.areas[key]
                alerts.extend(watch.tick(when))
                self._arm(key, watch.deadline(), area=True)
            else:
                st, outputs, nxt = step(self.states[key], Tick(when), self.cfg)
                alerts.extend(self._outputs(st, outputs))
                self._arm(key, nxt)
        self.clock = max(self.clock or t, t)
        return alerts

    def feed(self, obj: Any) -> list[Alert]:
        """One decoded record. Bad records are counted and dropped; they never raise, never
        move the clock and never alert."""
        try:
            ev = parse_event(obj)
        except Rejected as exc:
            self.counts[exc.reason] += 1
            return []
        return self.feed_event(ev)

    def feed_event(self, ev: Event) -> list[Alert]:
        line = self.registry.get(ev.dev)
        if line is None or line.hh != ev.hh:
            self.counts["unknown_device"] += 1
            return []
        if ev.ts > ev.rx + self.cfg.future_tolerance_ms:
            self.counts["future_dated"] += 1
            return []
        if self.clock is None:
            self.start(ev.rx)
        if ev.rx < (self.clock or 0):
            self.counts["out_of_order"] += 1
        # every timer due by the record's arrival fires first (replay and live agree)
        alerts = self.advance_to(ev.rx)
        self.counts["accepted"] += 1
        st, outputs, nxt = step(self.states[ev.hh], ev, self.cfg)
        self._arm(ev.hh, nxt)
        alerts.extend(self._outputs(st, outputs))
        return alerts

    def feed_line(self, text: str) -> list[Alert]:
        try:
            obj = json.loads(text)
        except ValueError:
            self.counts["malformed"] += 1
            return []
        return self.feed(obj)


def _observed_from(h: Household, t: int) -> Household:
    return Household(h.hh, h.dev, t, h.area, h.morning_min, h.heartbeat_ms, h.away)


def alert_json(alert: Alert) -> dict[str, Any]:
    data: dict[str, Any] = {
        "hh": alert.hh,
        "at": to_iso(alert.at),
        "rule": alert.rule,
        "severity": {1: "low", 2: "medium", 3: "high"}[alert.severity],
        "kind": alert.kind,
    }
    if alert.hh is None:
        data["area"] = alert.area
    return data
