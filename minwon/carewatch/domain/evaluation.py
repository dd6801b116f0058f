"""Scoring a detector arm on a simulated trace (care-monitor.md §5.6 metrics).

Tiers: every person alert that does not merge into an open incident is an automated check
(tier 0). A benign check is answered within T0 (15 min; 5 min at HIGH) with probability
`answer_p`, or cancelled by activity within T0; otherwise it reaches an officer. The officer
reaches the resident or a guardian with probability `reach_p`; otherwise someone visits.
Detection delay is onset → first person alert (or the R4 welfare escalation). An incident still
undetected when the run ends before its 48 h are up is `censored` (neither missed nor counted).
"""

from __future__ import annotations

import bisect
import heapq
import math
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .detector import DEVICE, HIGH, MEDIUM, PERSON, Alert, Settings
from .events import parse_registry_line
from .fleet import Fleet
from .simulation import Trace
from .timebase import DAY, HOUR, MINUTE, care_day


@dataclass(frozen=True)
class Workflow:
    answer_p: float = 0.7
    reach_p: float = 0.8
    t0_ms: int = 15 * MINUTE
    t0_high_ms: int = 5 * MINUTE
    open_ms: int = 2 * HOUR  # how long an incident stays open after it reached an officer
    cold_start_days: int = 14


def run_arm(
    trace: Trace,
    cfg: Settings,
    *,
    seed: int = 0,
    wf: Workflow | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[list[Alert], Counter[str], set[tuple[str, int]]]:
    """Replay the trace through a fleet. Closed loop: a resident who is not in an incident
    answers an automated check (an `ack` within T0) with probability `wf.answer_p`."""
    wf = wf or Workflow()
    rng = random.Random(seed ^ 0x5EED)
    fleet = Fleet([parse_registry_line(r) for r in trace.registry], cfg)
    by_hh: dict[str, list[int]] = {}
    for hh, onset, _ in trace.truth.incidents:
        by_hh.setdefault(hh, []).append(onset)
    acks: list[tuple[int, int, dict[str, Any]]] = []
    seqs: Counter[str] = Counter()
    alerts: list[Alert] = []
    acked: set[tuple[str, int]] = set()

    def handle(new: list[Alert]) -> None:
        for a in new:
            alerts.append(a)
            if a.kind != PERSON or a.hh is None:
                continue
            if any(o <= a.at < o + 3 * DAY for o in by_hh.get(a.hh, [])):
                continue  # incapacitated: nobody answers
            if rng.random() < wf.answer_p:
                t0 = wf.t0_high_ms if a.severity >= HIGH else wf.t0_ms
                at = a.at + int(rng.uniform(60_000, t0))
                seqs[a.hh] += 1
                dev = fleet.first[a.hh].dev
                rec = {
                    "hh": a.hh,
                    "dev": dev,
                    "seq": 10**9 + seqs[a.hh],
                    "ts": at,
                    "rx": at,
                    "type": "ack",
                }
                heapq.heappush(acks, (at, len(acked), rec))
                acked.add((a.hh, a.at))

    for n, rec in enumerate(trace.events, 1):
        if progress is not None and n % 10_000 == 0:
            progress(10_000)
        rx = rec.get("rx")
        while acks and isinstance(rx, int) and acks[0][0] <= rx:
            handle(fleet.feed(heapq.heappop(acks)[2]))
        handle(fleet.feed(rec))
    end = trace.truth.start + trace.truth.days * DAY
    while acks and acks[0][0] <= end:
        handle(fleet.feed(heapq.heappop(acks)[2]))
    handle(fleet.advance_to(end))
    if progress is not None:
        progress(len(trace.events) % 10_000)
    return alerts, fleet.counts, acked


def _pct(values: list[float], q: float) -> float | None:
    """Interpolated percentile; a missed incident counts as infinitely late, so a percentile
    that reaches a miss is None (null: not reached), never a flattering number."""
    if not values:
        return None
    v = sorted(values)
    k = (len(v) - 1) * q
    lo = int(k)
    hi = min(lo + 1, len(v) - 1)
    if math.isinf(v[hi]) and (k > lo or math.isinf(v[lo])):
        return None
    return round(v[lo] + (v[hi] - v[lo]) * (k - lo), 2)


def _in(periods: list[tuple[int, int, str]], t: int) -> str | None:
    for a, b, label in periods:
        if a <= t < b:
            return label
    return None


def score(
    trace: Trace,
    alerts: list[Alert],
    *,
    seed: int = 0,
    wf: Workflow = Workflow(),
    acked: set[tuple[str, int]] | None = None,
) -> dict[str, Any]:
    rng = random.Random(seed)
    truth = trace.truth
    start = truth.start
    n_hh = len(trace.registry)
    hh_days = n_hh * truth.days - sum(truth.excluded_days.values())
    steady_days = n_hh * max(0, truth.days - wf.cold_start_days) - sum(truth.excluded_days.values())
    incidents = {(hh, onset): kind for hh, onset, kind in truth.incidents}
    by_hh: dict[str, list[int]] = {}
    for hh, onset, _ in truth.incidents:
        by_hh.setdefault(hh, []).append(onset)
    first_detect: dict[tuple[str, int], int] = {}
    person_in_offline = 0
    open_until: dict[str, int] = {}
    tiers = Counter[str]()
    causes = Counter[str]()
    steady = Counter[str]()
    device = Counter[str]()
    events_by_hh: dict[str, list[int]] = {}
    for rec in trace.events:
        if rec.get("type") in ("tv_on", "tv_off", "input", "ack") and isinstance(
            rec.get("ts"), int
        ):
            events_by_hh.setdefault(rec["hh"], []).append(rec["ts"])
    for v in events_by_hh.values():
        v.sort()
    answered = set(acked or ())
    for a in sorted(alerts, key=lambda x: (x.at, x.hh or "")):
        if a.kind == DEVICE and not (a.rule == "R4" and a.severity >= MEDIUM):
            device[a.rule] += 1
            continue
        hh = a.hh or ""
        if a.kind == PERSON and any(s <= a.at < e for s, e in truth.offline.get(hh, [])):
            person_in_offline += 1
        hit = next((o for o in by_hh.get(hh, []) if o <= a.at < o + 3 * DAY), None)
        if hit is not None:
            first_detect.setdefault((hh, hit), a.at)
            continue
        if a.kind == DEVICE:
            device["R4_welfare"] += 1
            continue
        if open_until.get(hh, 0) > a.at:
            continue  # merges into the open incident
        t0 = wf.t0_high_ms if a.severity >= HIGH else wf.t0_ms
        acts = events_by_hh.get(hh, [])
        i = bisect.bisect_right(acts, a.at)
        resumed = i < len(acts) and acts[i] <= a.at + t0
        in_steady = a.at >= start + wf.cold_start_days * DAY
        label = _in(truth.periods.get(hh, []), a.at) or "routine"
        if not in_steady:
            label = "cold_start"
        tiers["auto_check"] += 1
        causes[label] += 1
        if in_steady:
            steady["auto_check"] += 1
        if resumed or (hh, a.at) in answered:
            open_until[hh] = a.at + t0
            continue
        tiers["officer"] += 1
        if in_steady:
            steady["officer"] += 1
        open_until[hh] = a.at + wf.open_ms
        if rng.random() >= wf.reach_p:
            tiers["visit"] += 1
            if in_steady:
                steady["visit"] += 1
    delays_day: list[float] = []
    delays_all: list[float] = []
    kinds = Counter[str]()
    missed = 0
    censored = 0
    run_end = start + truth.days * DAY
    for (hh, onset), kind in incidents.items():
        at = first_detect.get((hh, onset))
        if (at is None or at > onset + 2 * DAY) and onset + 2 * DAY > run_end:
            censored += 1  # undetected when the run ended, before its 48 h were up: unknown
            continue
        kinds[kind] += 1
        if at is None or at > onset + 2 * DAY:
            missed += 1
            delays_all.append(math.inf)
            if kind in ("a", "b"):
                delays_day.append(math.inf)
            continue
        hours = (at - onset) / HOUR
        delays_all.append(hours)
        if kind in ("a", "b"):
            delays_day.append(hours)
    n_inc = len(incidents) - censored

    def per_k(c: Counter[str], days: float) -> dict[str, float]:
        return {k: round(v * 1000 / days, 2) if days else 0.0 for k, v in sorted(c.items())}

    within = {
        str(h): round(sum(1 for d in delays_all if d <= h) / n_inc, 3) if n_inc else None
        for h in (2, 6, 12, 24)
    }
    finite = [d for d in delays_all if not math.isinf(d)]
    return {
        "household_days": round(hh_days, 1),
        "incidents": n_inc,
        "incidents_by_type": dict(sorted(kinds.items())),
        "missed": missed,
        "censored": censored,
        "delay_hours": {
            "median": _pct(delays_day, 0.5),
            "p90": _pct(delays_day, 0.9),
            "p95": _pct(delays_day, 0.95),
            "max_all": round(max(finite), 2) if finite else None,
            "daytime_onsets": len(delays_day),
        },
        "detected_within_hours": within,
        "false_alerts_per_1000_household_days": {
            "auto_check": round(tiers["auto_check"] * 1000 / hh_days, 2) if hh_days else 0.0,
            "officer": round(tiers["officer"] * 1000 / hh_days, 2) if hh_days else 0.0,
            "visit": round(tiers["visit"] * 1000 / hh_days, 2) if hh_days else 0.0,
            "by_cause": per_k(causes, hh_days),
            "steady_state": per_k(steady, steady_days),
        },
        "device_alerts_per_1000_household_days": per_k(device, hh_days),
        "person_alerts_in_device_offline": person_in_offline,
    }


def days_of(trace: Trace) -> int:
    return care_day(trace.truth.start + trace.truth.days * DAY) - care_day(trace.truth.start)
