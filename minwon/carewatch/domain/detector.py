"""The detector: `step(state, event | tick) → (state, outputs, next_deadline)`, pure.

Rules (care-monitor.md §5.3–5.4; every parameter is in `Settings`):

- R1 MORNING_NO_ACTIVITY (LOW): no tv_on/tv_off/input/ack (or device boot) in the care day
  (from 04:00 KST) by the agreed morning time; without one, the learned first-activity time
  (personalised, after the cold start) or 10:00.
- R2 NO_INPUT_WHILE_ON (MEDIUM, Paju arm and cold start): the TV is on and nothing was pressed
  for `no_input_min` inside the awake window; outside it the limit is `no_input_night_min`.
- MODEL (MEDIUM at θ, HIGH at θ_high, personalised after the cold start): the silence since the
  last activity is improbable under the household's own Gamma–Poisson activity rates per
  half-hour slot (weekday/weekend) AND longer than its learned gap line (p97 of the silence seen
  in that slot, max over ±2 slots, plus a buffer).
- R3 LONG_SILENCE (HIGH): no activity of any kind for `long_silence_h` (always on).
- R4 DEVICE_OFFLINE: no message for `heartbeat_misses` × the heartbeat interval. The detector
  reports the liveness change (`Liveness`); `area.AreaWatch` turns it into an R4 alert or folds
  it into R5. Offline for `offline_welfare_h` → R4 at MEDIUM (still kind "device").

Person rules run only while the device is known to be alive, the household is enrolled and not
in an announced away period; the silence clock restarts when the device comes back online or an
away period ends, so a device-offline period never produces a person alert. A person alert that
falls due while the device has not been heard from since is held until the next message proves
the device alive (the heartbeat), and dropped if the device turns out to be offline.

One alert per severity level per silence episode: a new alert in an episode must be more severe
than the last one (LOW → MEDIUM → HIGH); activity starts a new episode.

The state is owned by the caller: `step` updates it in place and returns it; everything the
timers need is in it (`next_deadline` is re-derived from it after a restart, `deadline()`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from .events import ACTIVITY_TYPES, Event, Household
from .timebase import (
    DAY,
    HOUR,
    MINUTE,
    SLOT,
    SLOTS,
    care_day,
    care_day_start,
    is_weekend_day,
    minute_of_local_day,
    slot_of,
    slot_start,
)

LOW, MEDIUM, HIGH = 1, 2, 3
SEVERITY = {LOW: "low", MEDIUM: "medium", HIGH: "high"}
PERSON, DEVICE = "person", "device"

# Gap-line histogram: upper edges in minutes; the last bin is open.
GAP_EDGES = (30, 60, 90, 120, 150, 180, 240, 300, 360, 480, 600, 720, 900, 1080, 1440, 2880)
FIRST_BINS = 48  # first activity of the care day, half-hours after 04:00


@dataclass(frozen=True, slots=True)
class Settings:
    detector: str = "personalised"  # or "paju"
    # R1
    morning_fallback_min: int = 10 * 60
    learned_morning: bool = True
    morning_quantile: float = 0.97
    morning_margin_min: int = 30
    # R2
    no_input_min: int = 120
    no_input_night_min: int = 360
    awake_start_min: int = 7 * 60
    awake_end_min: int = 22 * 60
    # R3
    long_silence_h: int = 24
    # R4
    heartbeat_misses: int = 3
    offline_welfare_h: int = 24
    # personalised model
    cold_start_days: int = 14
    theta: float = math.log(1000)
    theta_high: float = math.log(100_000)
    gap_quantile: float = 0.97
    gap_buffer_frac: float = 0.3
    gap_buffer_min: int = 30
    gap_floor_min: int = 90
    gap_neighbours: int = 2
    half_life_days: float = 21.0
    prior_strength: float = 2.0
    max_units_per_event_slot: int = 6
    # events
    future_tolerance_ms: int = 5 * MINUTE
    late_after_ms: int = 5 * MINUTE
    seq_window: int = 64

    def replace(self, **changes: Any) -> Settings:
        values = {name: getattr(self, name) for name in self.__dataclass_fields__}
        values.update(changes)
        return Settings(**values)


PAJU = Settings(detector="paju")
PERSONALISED = Settings()


@dataclass(frozen=True, slots=True)
class Tick:
    now: int


@dataclass(frozen=True, slots=True)
class Alert:
    hh: str | None
    at: int
    rule: str
    severity: int
    kind: str
    since: int = 0  # start of the silence / offline period that fired
    area: str = ""


@dataclass(frozen=True, slots=True)
class Liveness:
    """The device went offline (`online` False, `last_seen`) or came back (`online` True)."""

    hh: str
    area: str
    online: bool
    at: int
    last_seen: int
    heartbeat_ms: int


@dataclass(frozen=True, slots=True)
class Note:
    """An input the detector counted and did not use as evidence (duplicate, late, …)."""

    reason: str


Output = Alert | Liveness | Note


def _prior_rate(slot: int) -> float:
    hour = slot // 2
    if hour < 6:
        return 0.1
    if hour < 9:
        return 1.0
    if hour < 18:
        return 1.2
    if hour < 23:
        return 2.0
    return 0.5


PRIOR_RATE = tuple(_prior_rate(s) for s in range(SLOTS))


@dataclass(slots=True)
class Baseline:
    """The household's learned habits (§5.4), with exponential forgetting by growing weights."""

    weight: float = 1.0  # weight of today's observations (grows by the half-life per day)
    weight_day: int = -1
    rate_c: list[float] = field(default_factory=lambda: [0.0] * (2 * SLOTS))
    rate_e: list[float] = field(default_factory=lambda: [0.0] * (2 * SLOTS))
    gap: list[list[float]] = field(default_factory=lambda: [[0.0] * 16 for _ in range(SLOTS)])
    gap_q: list[int] = field(default_factory=lambda: [GAP_EDGES[-1]] * SLOTS)
    first: list[float] = field(default_factory=lambda: [0.0] * FIRST_BINS)
    days: int = 0


@dataclass(slots=True)
class State:
    hh: str
    area: str
    enrolled_at: int
    morning_min: int | None
    heartbeat_ms: int
    away: tuple[tuple[int, int], ...]
    clock: int = 0
    seqs: dict[str, list[int]] = field(default_factory=dict)  # dev → [max seq, mask, max ts]
    tv_on: bool = False
    tv_ts: int = 0
    last_act: int = 0
    last_input: int = 0
    first_day: int = -1  # last care day with person activity
    boot_day: int = -1  # last care day with a device boot
    last_seen: int = 0
    online_since: int = 0
    offline: bool = False
    offline_escalated: bool = False
    hb_prev: int | None = None
    ep_t0: int = 0
    ep_sev: int = 0
    r1_day: int = -1
    pending: tuple[str, int, int] | None = None  # (rule, severity, due) awaiting liveness proof
    # The model's alert times for the current episode, fixed when it starts: (t0, medium, high)
    model_cache: tuple[int, int, int] | None = None
    cur_slot: int = 0
    slot_max: int = 0
    slot_units: int = 0
    base: Baseline = field(default_factory=Baseline)

    @classmethod
    def enrol(cls, household: Household) -> State:
        t = household.enrolled_at
        return cls(
            hh=household.hh,
            area=household.area,
            enrolled_at=t,
            morning_min=household.morning_min,
            heartbeat_ms=household.heartbeat_ms,
            away=household.away,
            clock=t,
            tv_ts=t,
            last_act=t,
            last_input=t,
            last_seen=t,
            online_since=t,
            ep_t0=t,
            cur_slot=slot_start(t),
        )

    # -- helpers on the state -------------------------------------------------------------
    def away_at(self, t: int) -> bool:
        return any(a <= t < b for a, b in self.away)

    def away_overlaps(self, start: int, end: int) -> bool:
        return any(a < end and b > start for a, b in self.away)

    def last_away_end(self, t: int) -> int:
        ends = [b for _a, b in self.away if b <= t]
        return max(ends) if ends else 0

    def silence_start(self, t: int) -> int:
        return max(self.last_act, self.online_since, self.last_away_end(t), self.enrolled_at)

    def person_rules_on(self, t: int) -> bool:
        return t >= self.enrolled_at and not self.offline and not self.away_at(t)

    def snapshot(self) -> dict[str, Any]:
        """Plain JSON-able data: what a consumer stores and restores on rebalance."""
        data = {name: getattr(self, name) for name in self.__slots__ if name != "base"}
        data["away"] = [list(p) for p in self.away]
        data["pending"] = list(self.pending) if self.pending else None
        data["model_cache"] = list(self.model_cache) if self.model_cache else None
        data["base"] = {name: getattr(self.base, name) for name in Baseline.__slots__}
        return data

    @classmethod
    def restore(cls, data: dict[str, Any]) -> State:
        values = dict(data)
        values["away"] = tuple((int(a), int(b)) for a, b in values["away"])
        values["pending"] = tuple(values["pending"]) if values["pending"] else None
        values["model_cache"] = tuple(values["model_cache"]) if values["model_cache"] else None
        values["seqs"] = {k: list(v) for k, v in values["seqs"].items()}
        values["base"] = Baseline(**values["base"])
        return cls(**values)


# -- learning ---------------------------------------------------------------------------


def _day_weight(base: Baseline, day: int, cfg: Settings) -> float:
    if base.weight_day < 0:
        base.weight_day = day
    if day != base.weight_day:
        base.weight *= 2.0 ** ((day - base.weight_day) / cfg.half_life_days)
        base.weight_day = day
        if base.weight > 1e12:  # rescale everything; ratios are unchanged
            scale = 1.0 / base.weight
            base.rate_c = [v * scale for v in base.rate_c]
            base.rate_e = [v * scale for v in base.rate_e]
            base.gap = [[v * scale for v in row] for row in base.gap]
            base.first = [v * scale for v in base.first]
            base.weight = 1.0
    return base.weight


def _quantile_edge(hist: list[float], q: float) -> int:
    total = sum(hist)
    if total <= 0:
        return GAP_EDGES[-1]
    target, acc = q * total, 0.0
    for i, v in enumerate(hist):
        acc += v
        if acc >= target - 1e-12:
            return GAP_EDGES[i]
    return GAP_EDGES[-1]


def _close_slot(st: State, start: int, cfg: Settings) -> None:
    end = start + SLOT
    t0 = st.silence_start(end)
    learnable = (
        start >= st.enrolled_at
        and not st.offline
        and st.online_since <= start
        and not st.away_overlaps(start, end)
        and st.ep_sev == 0
    )
    if learnable:
        day = care_day(start)
        w = _day_weight(st.base, day, cfg)
        s = slot_of(start)
        idx = s + (SLOTS if is_weekend_day(day) else 0)
        st.base.rate_c[idx] += w * min(st.slot_units, cfg.max_units_per_event_slot)
        st.base.rate_e[idx] += w
        observed = max(st.slot_max, end - t0 if t0 < end else 0) // MINUTE
        row = st.base.gap[s]
        for i, edge in enumerate(GAP_EDGES):
            if observed <= edge or i == len(GAP_EDGES) - 1:
                row[i] += w
                break
        st.base.gap_q[s] = _quantile_edge(row, cfg.gap_quantile)
        if start + SLOT == care_day_start(day + 1):  # the care day's last slot (03:30–04:00)
            st.base.days += 1
    st.slot_max = 0
    st.slot_units = 0


def _learn_until(st: State, now: int, cfg: Settings) -> None:
    while st.cur_slot + SLOT <= now:
        _close_slot(st, st.cur_slot, cfg)
        st.cur_slot += SLOT


def gap_line_min(st: State, slot: int, cfg: Settings) -> int:
    n = cfg.gap_neighbours
    q = max(st.base.gap_q[(slot + k) % SLOTS] for k in range(-n, n + 1))
    return max(cfg.gap_floor_min, q + max(cfg.gap_buffer_min, int(q * cfg.gap_buffer_frac)))


# -- rules ------------------------------------------------------------------------------


def _steady(st: State, t: int, cfg: Settings) -> bool:
    return cfg.detector == "personalised" and t - st.enrolled_at >= cfg.cold_start_days * DAY


def _morning_deadline(st: State, day: int, cfg: Settings) -> int | None:
    minute = st.morning_min
    if minute is None and cfg.learned_morning and _steady(st, care_day_start(day), cfg):
        hist = st.base.first
        total = sum(hist)
        if total > 0 and st.base.days >= 10:
            target, acc = cfg.morning_quantile * total, 0.0
            for i, v in enumerate(hist):
                acc += v
                if acc >= target - 1e-12:
                    minute = (4 * 60 + (i + 1) * 30 + cfg.morning_margin_min) % (24 * 60)
                    break
    if minute is None:
        minute = cfg.morning_fallback_min
    return care_day_start(day) + ((minute - 4 * 60) % (24 * 60)) * MINUTE


def _r1_due(st: State, now: int, cfg: Settings) -> int | None:
    day = care_day(now)
    if st.r1_day >= day or st.first_day >= day or st.boot_day >= day:
        return None
    start = care_day_start(day)
    due = _morning_deadline(st, day, cfg)
    if due is None or st.enrolled_at > start or st.online_since > due:
        return None
    if st.away_overlaps(start, due + 1):
        return None
    return due


def _in_awake(t: int, cfg: Settings) -> bool:
    m = minute_of_local_day(t)
    return cfg.awake_start_min <= m < cfg.awake_end_min


def _r2_due(st: State, now: int, cfg: Settings) -> int | None:
    if not st.tv_on:
        return None
    t_in = max(st.last_input, st.online_since, st.last_away_end(now), st.enrolled_at)
    first = t_in + cfg.no_input_min * MINUTE
    night = t_in + cfg.no_input_night_min * MINUTE
    if _in_awake(first, cfg):
        return first
    m = minute_of_local_day(first)
    wait = (cfg.awake_start_min - m) % (24 * 60)
    return min(first + wait * MINUTE, night)


def _model_due(st: State, t0: int, theta: float, cfg: Settings) -> int | None:
    """Earliest t where the silence since t0 passes both the gap line and −log P0 > θ."""
    base = st.base
    w = base.weight
    acc, t, limit = 0.0, t0, t0 + cfg.long_silence_h * HOUR
    while t < limit:
        s_end = slot_start(t) + SLOT
        s = slot_of(t)
        idx = s + (SLOTS if is_weekend_day(care_day(t)) else 0)
        beta = cfg.prior_strength + base.rate_e[idx] / w
        alpha = PRIOR_RATE[s] * cfg.prior_strength + base.rate_c[idx] / w
        lo = max(t, t0 + gap_line_min(st, s, cfg) * MINUTE)
        if lo < s_end:
            need = theta - acc
            x = lo
            if need > 0 and alpha > 0:
                x = max(lo, t + math.ceil(SLOT * beta * math.expm1(need / alpha)))
            if x < s_end:
                return x
        if alpha > 0:
            acc += alpha * math.log1p((s_end - t) / SLOT / beta)
        t = s_end
    return None


def _person_due(st: State, now: int, t0: int, cfg: Settings) -> tuple[int, str, int] | None:
    """The next person rule that can fire in this episode: (due, rule, severity)."""
    found: list[tuple[int, str, int]] = []
    r1 = _r1_due(st, now, cfg)
    if r1 is not None and st.ep_sev < LOW:
        found.append((r1, "R1", LOW))
    if st.ep_sev < HIGH:
        found.append((t0 + cfg.long_silence_h * HOUR, "R3", HIGH))
    if _steady(st, now, cfg):
        cache = st.model_cache
        if (cache is None or cache[0] != t0) and now < t0 + cfg.gap_floor_min * MINUTE:
            # No line is shorter than the floor: look again then (cheap during sessions).
            found.append((t0 + cfg.gap_floor_min * MINUTE, "WAKE", 0))
        elif cache is None or cache[0] != t0:
            # The alert line of a silence is the one in force when it began (the silence
            # itself does not move it); computed once per episode.
            none = -1
            medium = _model_due(st, t0, cfg.theta, cfg)
            high = _model_due(st, t0, cfg.theta_high, cfg)
            cache = (t0, none if medium is None else medium, none if high is None else high)
            st.model_cache = cache
        if cache is not None and cache[0] == t0:
            if st.ep_sev < MEDIUM and cache[1] >= 0:
                found.append((cache[1], "MODEL", MEDIUM))
            if st.ep_sev < HIGH and cache[2] >= 0:
                found.append((cache[2], "MODEL", HIGH))
    elif st.ep_sev < MEDIUM:
        r2 = _r2_due(st, now, cfg)
        if r2 is not None:
            found.append((r2, "R2", MEDIUM))
    return min(found) if found else None


# -- step -------------------------------------------------------------------------------


def _duplicate(st: State, ev: Event, cfg: Settings) -> bool:
    """Per-device sequence window: (max seq, bitmask of the `seq_window` seqs below it, max ts)."""
    entry = st.seqs.get(ev.dev)
    if entry is None:
        st.seqs[ev.dev] = [ev.seq, 0, ev.ts]
        return False
    top, mask, top_ts = entry
    if ev.seq > top:
        shift = ev.seq - top
        full = (1 << cfg.seq_window) - 1
        mask = ((mask << shift) | (1 << (shift - 1))) & full if shift <= cfg.seq_window else 0
        entry[0], entry[1], entry[2] = ev.seq, mask, max(top_ts, ev.ts)
        return False
    if ev.seq == top:
        return True
    back = top - ev.seq
    if back <= cfg.seq_window:
        bit = 1 << (back - 1)
        if mask & bit:
            return True
        entry[1] = mask | bit
        return False
    # Far below the window: a device that restarted its counter (a boot, or newer than anything
    # seen) starts a new window; otherwise it is an old copy.
    if ev.type == "boot" or ev.ts > top_ts:
        st.seqs[ev.dev] = [ev.seq, 0, ev.ts]
        return False
    return True


def _apply_event(st: State, ev: Event, now: int, cfg: Settings, out: list[Output]) -> None:
    if _duplicate(st, ev, cfg):
        out.append(Note("duplicate"))
        return
    if ev.ts < st.enrolled_at:
        out.append(Note("before_enrolment"))
        return
    if now - ev.ts > cfg.late_after_ms:
        out.append(Note("late"))
    if st.offline:
        st.offline = False
        st.offline_escalated = False
        st.online_since = now
        out.append(Liveness(st.hh, st.area, True, now, st.last_seen, st.heartbeat_ms))
    st.last_seen = max(st.last_seen, now)
    kind = ev.type
    activity = kind in ACTIVITY_TYPES
    if kind == "heartbeat":
        if ev.hb_tv is not None and ev.ts >= st.tv_ts:
            st.tv_on, st.tv_ts = ev.hb_tv == "on", ev.ts
        n = ev.hb_inputs
        if n is not None and n > 0 and st.hb_prev is not None and n != st.hb_prev:
            activity = True  # the device counted presses we have no event for
        st.hb_prev = n
    elif kind == "boot":
        st.boot_day = max(st.boot_day, care_day(ev.ts))
    if not activity:
        return
    t = min(ev.ts, now)
    if t > st.last_act:
        if t >= st.cur_slot:
            st.slot_max = max(st.slot_max, t - st.silence_start(t))
        st.last_act = t
    if t >= st.cur_slot:
        st.slot_units += 1
    day = care_day(t)
    if day > st.first_day:
        if st.first_day >= 0 or day == care_day(st.enrolled_at):
            w = _day_weight(st.base, day, cfg)
            offset = (t - care_day_start(day)) // SLOT
            if 0 <= offset < FIRST_BINS and not st.away_overlaps(care_day_start(day), t):
                st.base.first[offset] += w
        st.first_day = day
    if kind in ("input", "tv_on", "ack") or kind == "heartbeat":
        st.last_input = max(st.last_input, t)
    if kind in ("tv_on", "tv_off") and ev.ts >= st.tv_ts:
        st.tv_on, st.tv_ts = kind == "tv_on", ev.ts
    elif kind == "input" and not st.tv_on and ev.ts >= st.tv_ts:
        st.tv_on, st.tv_ts = True, ev.ts


def _emit_person(
    st: State, due: int, rule: str, sev: int, now: int, t0: int, out: list[Output]
) -> None:
    st.ep_sev = sev
    if st.heartbeat_ms and st.last_seen < due:
        st.pending = (rule, sev, due)  # wait for the device to prove it is alive
        return
    out.append(Alert(st.hh, max(due, min(now, due)), rule, sev, PERSON, t0))


def _evaluate(st: State, now: int, cfg: Settings, out: list[Output]) -> None:
    if st.heartbeat_ms and not st.offline:
        gone = st.last_seen + cfg.heartbeat_misses * st.heartbeat_ms
        if now >= gone:
            st.offline = True
            st.pending = None
            out.append(Liveness(st.hh, st.area, False, gone, st.last_seen, st.heartbeat_ms))
    if st.offline and not st.offline_escalated:
        due = st.last_seen + cfg.offline_welfare_h * HOUR
        if now >= due:
            st.offline_escalated = True
            out.append(Alert(st.hh, due, "R4", MEDIUM, DEVICE, st.last_seen, st.area))
    if not st.person_rules_on(now):
        st.pending = None
        day = care_day(now)
        r1 = _r1_due(st, now, cfg)
        if r1 is not None and r1 <= now:
            st.r1_day = day
        return
    t0 = st.silence_start(now)
    if t0 != st.ep_t0:
        st.ep_t0, st.ep_sev, st.pending = t0, 0, None
    if st.pending is not None:
        rule, sev, due = st.pending
        if st.last_seen >= due:
            st.pending = None
            out.append(Alert(st.hh, now, rule, sev, PERSON, t0))
    # Several rules may be due at once (a long gap between ticks): only the most severe is raised.
    best: tuple[int, str, int] | None = None
    while True:
        nxt = _person_due(st, now, t0, cfg)
        if nxt is None or nxt[0] > now:
            break
        best = nxt
        st.ep_sev = nxt[2]
    r1 = _r1_due(st, now, cfg)
    if r1 is not None and r1 <= now:
        st.r1_day = care_day(now)
    if best is not None:
        _emit_person(st, best[0], best[1], best[2], now, t0, out)


def deadline(st: State, cfg: Settings) -> int | None:
    """The earliest time at which any rule could fire without new input (a lower bound is fine:
    a tick that finds nothing due only re-arms)."""
    now = st.clock
    found: list[int] = []
    if st.heartbeat_ms and not st.offline:
        found.append(st.last_seen + cfg.heartbeat_misses * st.heartbeat_ms)
    if st.offline and not st.offline_escalated:
        found.append(st.last_seen + cfg.offline_welfare_h * HOUR)
    if st.person_rules_on(now):
        if st.pending is None:
            nxt = _person_due(st, now, st.silence_start(now), cfg)
            if nxt is not None and nxt[0] > now:
                found.append(nxt[0])
        r1 = _r1_due(st, now, cfg)
        if r1 is not None and r1 > now:
            found.append(r1)
    # away periods start and end; the care day turns (R1 of the next day)
    found.extend(b for a, b in st.away if b > now)
    found.extend(a for a, b in st.away if a > now)
    day = care_day(now)
    found.append(care_day_start(day + 1))
    return min(found) if found else None


def step(
    st: State, inp: Event | Tick, cfg: Settings = PERSONALISED
) -> tuple[State, list[Output], int | None]:
    """Advance one household by one event or one clock tick."""
    now = max(st.clock, inp.rx if isinstance(inp, Event) else inp.now)
    out: list[Output] = []
    _learn_until(st, now, cfg)
    st.clock = now
    if isinstance(inp, Event):
        _apply_event(st, inp, now, cfg, out)
    _evaluate(st, now, cfg, out)
    return st, out, deadline(st, cfg)
