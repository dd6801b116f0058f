"""R5 AREA_OUTAGE and the technical R4 queue: liveness changes of the households of one area.

A household's detector reports `Liveness(offline)` when its device missed its heartbeats. The
watch holds that report for one heartbeat interval plus `window` (the other devices of the area
that died at the same moment report within that time), then either raises R4 for the household
or, when at least `fraction` of the area's devices (and at least `min_devices`) went silent
within `window` of each other, raises one R5 for the area and suppresses R4 for every member
until its device is back (§5.3).
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field
from typing import Any

from .detector import DEVICE, LOW, MEDIUM, Alert, Liveness
from .timebase import MINUTE


@dataclass(slots=True)
class AreaWatch:
    area: str
    size: int
    fraction: float = 0.10
    min_devices: int = 3
    window: int = 10 * MINUTE
    suspects: dict[str, tuple[int, int]] = field(default_factory=dict)  # hh → (last seen, hb)
    members: set[str] = field(default_factory=set)  # households inside the outage
    outage_since: int | None = None
    pending: list[tuple[int, str]] = field(default_factory=list)  # heap of (release, hh)

    @property
    def threshold(self) -> int:
        return max(self.min_devices, math.ceil(self.fraction * self.size))

    def on_liveness(self, lv: Liveness) -> list[Alert]:
        if lv.online:
            self.suspects.pop(lv.hh, None)
            self.members.discard(lv.hh)
            if self.outage_since is not None and len(self.members) < self.threshold:
                self.outage_since = None  # most of the area is back; stragglers stay muted
            return []
        self.suspects[lv.hh] = (lv.last_seen, lv.heartbeat_ms)
        if self.outage_since is not None:
            self.members.add(lv.hh)
            return []
        heapq.heappush(self.pending, (lv.at + lv.heartbeat_ms + self.window, lv.hh))
        return []

    def snapshot(self) -> dict[str, Any]:
        return {
            "suspects": {hh: list(v) for hh, v in self.suspects.items()},
            "members": sorted(self.members),
            "outage_since": self.outage_since,
            "pending": [list(p) for p in self.pending],
        }

    def restore(self, data: dict[str, Any]) -> None:
        self.suspects = {hh: (int(a), int(b)) for hh, (a, b) in data["suspects"].items()}
        self.members = set(data["members"])
        self.outage_since = data["outage_since"]
        self.pending = [(int(a), str(b)) for a, b in data["pending"]]
        heapq.heapify(self.pending)

    def filter(self, alert: Alert) -> list[Alert]:
        """The household's own R4 escalation is muted inside an area outage."""
        return [] if alert.hh in self.members else [alert]

    def deadline(self) -> int | None:
        return self.pending[0][0] if self.pending else None

    def tick(self, now: int) -> list[Alert]:
        out: list[Alert] = []
        while self.pending and self.pending[0][0] <= now:
            release, hh = heapq.heappop(self.pending)
            if hh not in self.suspects or hh in self.members:
                continue
            seen, hb = self.suspects[hh]
            near = [h for h, (s, _) in self.suspects.items() if abs(s - seen) <= hb + self.window]
            if len(near) >= self.threshold:
                if self.outage_since is None:
                    self.outage_since = min(self.suspects[h][0] for h in near)
                    out.append(
                        Alert(None, release, "R5", MEDIUM, DEVICE, self.outage_since, self.area)
                    )
                self.members.update(near)
            else:
                out.append(Alert(hh, release, "R4", LOW, DEVICE, seen, self.area))
        return out
