"""A seedable simulator of TV telemetry from elderly single households (care-monitor.md §5.6).

Everything comes from one `random.Random(seed)`: the same seed gives the same registry, events
and ground truth. `Habits` holds the population and fault parameters; `TUNING` is the population
the detector was tuned on and `OTHER` one with other habits and faults (night owls, long
programme stretches without input, more outings and unannounced absences, counter resets at
boot, more duplicates, late and future-dated records, malformed lines and unknown devices) to
check that the tuning holds.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from typing import Any

from .timebase import DAY, HOUR, MINUTE, to_iso

START = 1_767_193_200_000  # 2026-01-01 00:00 KST


@dataclass(frozen=True)
class Habits:
    name: str = "tuning"
    wake_from_min: int = 5 * 60
    wake_to_min: int = 8 * 60 + 30
    wake_sd_min: tuple[int, int] = (30, 45)
    sleep_from_min: int = 21 * 60
    sleep_to_min: int = 24 * 60
    viewing_mean_min: float = 300.0
    sessions_mean: float = 4.5
    session_mean_min: float = 70.0
    inputs_per_hour: tuple[float, float] = (2.0, 12.0)
    stretch_per_hour: float = 0.15  # chance per viewing hour of a 60–120 min stretch, no input
    stretch_min: tuple[int, int] = (60, 120)
    tv_on_asleep: tuple[float, float] = (0.10, 0.30)
    auto_off_min: tuple[int, int] = (90, 240)  # a TV left on switches itself off
    outing_days: tuple[float, float] = (0.30, 0.60)
    outing_min: tuple[int, int] = (60, 240)
    away_per_month: tuple[float, float] = (1.0, 2.0)
    away_days: tuple[int, int] = (1, 5)
    away_announced: float = 0.6
    strip_off_homes: float = 0.10  # the power strip (TV + meter) is switched off at night
    outage_per_day: float = 1 / 60  # device outage (network down: buffered; power: lost)
    outage_min: tuple[int, int] = (10, 360)
    area_outage_per_day: float = 1 / 90
    area_share: tuple[float, float] = (0.05, 0.20)
    duplicate: float = 0.005
    late: float = 0.01
    skew_ms: int = 2 * MINUTE
    heartbeat_s: int = 900
    agreed_morning: float = 0.5
    incident_per_day: float = 1 / 300
    night_owls: float = 0.0  # share of residents who sleep by day (night shifts, habits)
    seq_reset_at_boot: float = 0.0
    future_dated: float = 0.0
    malformed: float = 0.0
    unknown_device: float = 0.0
    households_per_area: int = 50


TUNING = Habits()
OTHER = Habits(
    name="other",
    wake_from_min=4 * 60 + 30,
    wake_to_min=10 * 60,
    wake_sd_min=(20, 70),
    sleep_from_min=20 * 60,
    sleep_to_min=26 * 60,
    viewing_mean_min=240.0,
    sessions_mean=3.5,
    session_mean_min=85.0,
    inputs_per_hour=(1.0, 8.0),
    stretch_per_hour=0.3,
    stretch_min=(60, 150),
    tv_on_asleep=(0.05, 0.40),
    outing_days=(0.2, 0.8),
    outing_min=(45, 300),
    away_per_month=(0.5, 3.0),
    away_announced=0.3,
    strip_off_homes=0.15,
    outage_per_day=1 / 40,
    area_outage_per_day=1 / 60,
    duplicate=0.02,
    late=0.03,
    skew_ms=4 * MINUTE,
    heartbeat_s=600,
    agreed_morning=0.3,
    night_owls=0.05,
    seq_reset_at_boot=0.5,
    future_dated=0.002,
    malformed=0.002,
    unknown_device=0.002,
    households_per_area=30,
)
PROFILES = {"tuning": TUNING, "other": OTHER}


@dataclass
class Truth:
    """What really happened, for scoring: incidents and the periods that explain false alerts."""

    incidents: list[tuple[str, int, str]] = field(default_factory=list)  # (hh, onset, type)
    periods: dict[str, list[tuple[int, int, str]]] = field(default_factory=dict)
    offline: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    excluded_days: dict[str, float] = field(default_factory=dict)  # household-days not counted
    start: int = START
    days: int = 0


@dataclass
class Trace:
    registry: list[dict[str, Any]]
    events: list[dict[str, Any]]  # in arrival order; a few are malformed on purpose
    truth: Truth


def _lognormal(rng: random.Random, mean: float, sigma: float) -> float:
    return rng.lognormvariate(math.log(mean) - sigma * sigma / 2, sigma)


def _poisson(rng: random.Random, lam: float) -> int:
    # Knuth; lam is small here
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _subtract(spans: list[tuple[int, int]], cut: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = spans
    for c0, c1 in cut:
        nxt: list[tuple[int, int]] = []
        for a, b in out:
            if b <= c0 or a >= c1:
                nxt.append((a, b))
                continue
            if a < c0:
                nxt.append((a, c0))
            if b > c1:
                nxt.append((c1, b))
        out = nxt
    return out


@dataclass
class _Person:
    hh: str
    dev: str
    area: str
    wake: float
    wake_sd: float
    sleep: float
    viewing: float
    sessions: float
    input_rate: float
    asleep_on: float
    outing_p: float
    strip_off: bool
    morning: int | None
    skew: int
    owl: bool


def _person(rng: random.Random, i: int, h: Habits) -> _Person:
    wake = rng.uniform(h.wake_from_min, h.wake_to_min)
    sleep = rng.uniform(h.sleep_from_min, h.sleep_to_min)
    owl = rng.random() < h.night_owls
    if owl:  # awake from the afternoon to the early morning
        wake, sleep = rng.uniform(13 * 60, 15 * 60), rng.uniform(28 * 60, 30 * 60)
    morning = None
    if rng.random() < h.agreed_morning:
        morning = int(min(wake + rng.uniform(120, 210), 23 * 60) // 30 * 30)
    return _Person(
        hh=f"h{i:06d}",
        dev=f"d{i:06d}",
        area=f"a{i // h.households_per_area:04d}",
        wake=wake,
        wake_sd=rng.uniform(*h.wake_sd_min),
        sleep=sleep,
        viewing=_lognormal(rng, h.viewing_mean_min, 0.4),
        sessions=max(1.5, h.sessions_mean * rng.uniform(0.7, 1.3)),
        input_rate=math.exp(
            rng.uniform(math.log(h.inputs_per_hour[0]), math.log(h.inputs_per_hour[1]))
        ),
        asleep_on=rng.uniform(*h.tv_on_asleep),
        outing_p=rng.uniform(*h.outing_days),
        strip_off=rng.random() < h.strip_off_homes,
        morning=morning,
        skew=int(rng.uniform(-h.skew_ms, h.skew_ms)),
        owl=owl,
    )


def simulate(households: int, days: int, seed: int, habits: Habits = TUNING) -> Trace:
    rng = random.Random(seed)
    truth = Truth(days=days)
    people = [_person(rng, i, habits) for i in range(households)]
    # Area outages: (area, start, end, share)
    area_outages: dict[str, list[tuple[int, int, float]]] = {}
    n_areas = max(1, math.ceil(households / habits.households_per_area))
    for a in range(n_areas):
        area = f"a{a:04d}"
        for d in range(days):
            if rng.random() < habits.area_outage_per_day:
                t = START + d * DAY + int(rng.uniform(0, DAY))
                dur = int(rng.uniform(10, 180) * MINUTE)
                area_outages.setdefault(area, []).append(
                    (t, t + dur, rng.uniform(*habits.area_share))
                )
    registry: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    for p in people:
        reg, evs = _household(rng, p, days, habits, truth, area_outages.get(p.area, []))
        registry.append(reg)
        events.extend(evs)
    for k in range(int(len(events) * habits.unknown_device)):
        src = events[rng.randrange(len(events))]
        events.append({**src, "dev": f"x{k:06d}", "seq": k})
    n_bad = int(len(events) * habits.malformed)
    for k in range(n_bad):
        src = dict(events[rng.randrange(len(events))])
        choice = k % 4
        if choice == 0:
            src["type"] = "channel_change"
        elif choice == 1:
            src["ts"] = str(src["ts"])
        elif choice == 2:
            src.pop("seq")
        else:
            src["channel"] = 7
        events.append(src)
    events.sort(key=lambda e: (e["rx"], e.get("hh", ""), e.get("seq", 0)))
    return Trace(registry, events, truth)


def _household(
    rng: random.Random,
    p: _Person,
    days: int,
    h: Habits,
    truth: Truth,
    area_outages: list[tuple[int, int, float]],
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    end_all = START + days * DAY
    periods: list[tuple[int, int, str]] = []
    offline: list[tuple[int, int, str]] = []  # (start, end, "buffer" | "lost")
    # multi-day absences
    away_periods: list[tuple[int, int]] = []
    announced: list[tuple[int, int]] = []
    rate = rng.uniform(*h.away_per_month) / 30
    d = 0
    while d < days:
        if rng.random() < rate:
            length = rng.randint(*h.away_days)
            a = START + d * DAY + int(rng.uniform(9, 14) * HOUR)
            b = a + length * DAY + int(rng.uniform(-3, 5) * HOUR)
            away_periods.append((a, b))
            periods.append((a, b, "away"))
            if rng.random() < h.away_announced:
                announced.append((a, b))
            d += length + 2
        else:
            d += 1
    # incidents
    incidents: list[tuple[int, str]] = []
    for d in range(14, days):  # not during the first fortnight (the cold start)
        if rng.random() < h.incident_per_day:
            incidents.append((d, rng.choice("aabbc")))
    activity: list[tuple[int, str]] = []  # (true time, type)
    tv_spans: list[tuple[int, int, bool]] = []  # (on, off, off_is_auto)
    stop_until = 0
    incident_marks: list[tuple[int, str]] = []
    for d in range(days):
        day0 = START + d * DAY  # local midnight (START is 00:00 KST)
        weekend = (d + 3) % 7 >= 5  # 2026-01-01 is a Thursday
        wake = day0 + int((p.wake + rng.gauss(0, p.wake_sd) + (30 if weekend else 0)) * MINUTE)
        sleep = day0 + int((p.sleep + rng.gauss(0, 30)) * MINUTE)
        if sleep <= wake + 4 * HOUR:
            sleep = wake + 12 * HOUR
        if any(a < sleep and b > wake for a, b in away_periods):
            continue
        if wake < stop_until:
            continue
        # outings
        outs: list[tuple[int, int]] = []
        if rng.random() < p.outing_p:
            for _ in range(rng.choice((1, 1, 2))):
                o0 = wake + int(rng.uniform(1, max(1.5, (sleep - wake) / HOUR - 3)) * HOUR)
                o1 = o0 + int(rng.uniform(*h.outing_min) * MINUTE)
                outs.append((o0, min(o1, sleep - 30 * MINUTE)))
                periods.append((o0, o1, "outing"))
        # sessions: a long evening one and a few others
        spans: list[tuple[int, int]] = []
        ev_len = int(min(_lognormal(rng, 150, 0.4), 300) * MINUTE)
        spans.append((max(wake, sleep - ev_len), sleep))
        k = max(0, _poisson(rng, p.sessions) - 1)
        for _ in range(k):
            s0 = wake + int(rng.uniform(0, max(1, (sleep - wake) / MINUTE - 60)) * MINUTE)
            s1 = s0 + int(min(_lognormal(rng, p.viewing / p.sessions, 0.6), 240) * MINUTE)
            spans.append((s0, min(s1, sleep)))
        # the morning news; a resident who agreed a morning time switches on before it
        if rng.random() < (0.98 if p.morning is not None else 0.7):
            spans.append(
                (wake + int(rng.uniform(5, 40) * MINUTE), wake + int(rng.uniform(30, 100) * MINUTE))
            )
        spans.sort()
        merged: list[tuple[int, int]] = []
        for a, b in spans:
            if merged and a <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], b))
            else:
                merged.append((a, b))
        merged = [s for s in _subtract(merged, outs) if s[1] - s[0] >= 5 * MINUTE]
        asleep_on = rng.random() < p.asleep_on
        # incident today?
        inc = next((t for dd, t in incidents if dd == d), None)
        onset = None
        if inc is not None:
            if inc == "c":
                onset = sleep + int(rng.uniform(0.5, 5) * HOUR)
            elif inc == "b" and merged:
                s0, s1 = merged[rng.randrange(len(merged))]
                onset = s0 + int(rng.uniform(0.2, 0.8) * (s1 - s0))
            else:
                onset = wake + int(rng.uniform(1, max(1.5, (sleep - wake) / HOUR - 1)) * HOUR)
                inc = "a"
            if any(a <= onset < b for a, b in outs):
                onset = None
        for i, (s0, s1) in enumerate(merged):
            last = i == len(merged) - 1
            if onset is not None and s0 >= onset:
                break
            activity.append((s0, "tv_on"))
            t = s0
            stretch_until = 0
            end = s1
            while True:
                gap = rng.expovariate(p.input_rate / HOUR)
                t += int(gap)
                if t < stretch_until:
                    t = stretch_until
                if t >= end:
                    break
                if onset is not None and t >= onset:
                    break
                activity.append((t, "input"))
                if rng.random() < h.stretch_per_hour * gap / HOUR * 3:
                    stretch_until = t + int(rng.uniform(*h.stretch_min) * MINUTE)
            if onset is not None and s0 <= onset < s1 and inc == "b":
                tv_spans.append((s0, onset + 3 * DAY, False))  # TV stays on
                break
            if last and asleep_on:
                off = s1 + int(rng.uniform(*h.auto_off_min) * MINUTE)
                periods.append((s1, off, "asleep_tv_on"))
                activity.append((off, "auto_off"))
                tv_spans.append((s0, off, True))
            else:
                if onset is None or s1 <= onset:
                    activity.append((s1, "tv_off"))
                tv_spans.append((s0, s1, False))
        if onset is not None:
            incident_marks.append((onset, inc or "a"))
            truth.incidents.append((p.hh, onset, inc or "a"))
            stop_until = onset + 3 * DAY
            periods.append((onset, stop_until, "incident"))
            truth.excluded_days[p.hh] = truth.excluded_days.get(p.hh, 0) + 3
        if p.strip_off and onset is None:
            nxt_wake = day0 + DAY + int(p.wake * MINUTE)
            off0 = (sleep + 5 * MINUTE) if not asleep_on else (sleep + 4 * HOUR)
            offline.append((off0, nxt_wake - int(rng.uniform(1, 20) * MINUTE), "night"))
        if rng.random() < h.outage_per_day:
            o0 = day0 + int(rng.uniform(0, DAY))
            offline.append(
                (o0, o0 + int(rng.uniform(*h.outage_min) * MINUTE), rng.choice(("buffer", "lost")))
            )
    for a, b, share in area_outages:
        if rng.random() < share * 3:  # a share of the area's homes lose power
            offline.append((a, b, "lost"))
    offline.sort()
    truth.periods[p.hh] = sorted(periods)
    truth.offline[p.hh] = [(a, min(b, end_all)) for a, b, _ in offline]
    # render events: activity + heartbeats, with device downtime and message faults
    hb = h.heartbeat_s * 1000
    phase = int(rng.uniform(0, hb))
    tv_state_at = _Sweep([(a, b, "on") for a, b, _ in tv_spans])
    down_at = _Sweep(offline)
    recs: list[tuple[int, str]] = [(t, kind) for t, kind in activity if t < end_all]
    t = START + phase
    while t < end_all:
        recs.append((t, "heartbeat"))
        t += hb
    for _a, b, kind in offline:
        if kind == "night" or kind == "lost":
            recs.append((b, "boot"))
    recs.sort()
    out: list[dict[str, Any]] = []
    seq = 0
    inputs_since_hb = 0
    for t, kind in recs:
        down = down_at(t)
        if kind == "auto_off":
            kind = "tv_off"
        rx = t + int(rng.uniform(50, 1500))
        if down is not None:
            _d0, d1, dk = down
            if dk == "buffer" and kind != "heartbeat":
                rx = d1 + int(rng.uniform(1000, 60000))
            else:
                continue  # lost (powered off) or heartbeats while down
        if kind == "input":
            inputs_since_hb += 1
        seq += 1
        if kind == "boot" and rng.random() < h.seq_reset_at_boot:
            seq = 1
        rec: dict[str, Any] = {
            "v": 1,
            "hh": p.hh,
            "dev": p.dev,
            "seq": seq,
            "ts": t + p.skew,
            "rx": rx,
            "type": kind,
            "src": "peoplemeter",
        }
        if kind == "heartbeat":
            rec["hb"] = {"tv": "on" if tv_state_at(t) else "off", "n_input": inputs_since_hb}
            inputs_since_hb = 0
        if rng.random() < h.late:
            rec["rx"] = rx + int(rng.uniform(1, 60) * MINUTE)
        if rng.random() < h.future_dated:
            rec["ts"] = rec["rx"] + int(rng.uniform(1, 400) * DAY)
        out.append(rec)
        if rng.random() < h.duplicate:
            out.append({**rec, "rx": rec["rx"] + int(rng.uniform(1000, 120000))})
    reg = {
        "hh": p.hh,
        "dev": p.dev,
        "enrolled_at": to_iso(START),
        "area": p.area,
        "morning_time": None
        if p.morning is None
        else f"{p.morning // 60:02d}:{p.morning % 60:02d}",
        "heartbeat_s": h.heartbeat_s,
        "away": [[to_iso(a), to_iso(b)] for a, b in announced],
    }
    return reg, out


class _Sweep:
    """Which of the periods (start, end, label) contains t, for t non-decreasing: the earliest
    started one, as a linear scan would find it, in amortised constant time per query."""

    def __init__(self, periods: list[tuple[int, int, str]]) -> None:
        self.periods = sorted(periods)
        self.next = 0
        self.active: list[tuple[int, int, str]] = []

    def __call__(self, t: int) -> tuple[int, int, str] | None:
        while self.next < len(self.periods) and self.periods[self.next][0] <= t:
            self.active.append(self.periods[self.next])
            self.next += 1
        self.active = [p for p in self.active if p[1] > t]
        return self.active[0] if self.active else None
