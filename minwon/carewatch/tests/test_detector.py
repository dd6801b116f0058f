"""The detector on hand-made traces: bad input is dropped, offline is not inactivity."""

from __future__ import annotations

from minwon.carewatch.domain.detector import PAJU, Settings, State, step
from minwon.carewatch.domain.events import Event, Household
from minwon.carewatch.domain.fleet import Fleet
from minwon.carewatch.domain.timebase import HOUR, MINUTE, parse_iso

T0 = parse_iso("2026-01-05T08:00:00+09:00")
HOME = Household("h1", "d1", T0, "a1", None, 900_000)


def _ev(seq: int, t: int, kind: str = "input", rx: int | None = None) -> dict[str, object]:
    return {
        "hh": "h1",
        "dev": "d1",
        "seq": seq,
        "ts": t,
        "rx": t if rx is None else rx,
        "type": kind,
    }


def test_a_huge_sequence_number_does_not_blow_up_the_window() -> None:
    st = State.enrol(HOME)
    st, _, _ = step(st, Event("h1", "d1", 10**9, T0, T0, "input"), Settings())
    assert st.seqs["d1"][1] == 0


def test_bad_records_are_counted_and_never_alert() -> None:
    fleet = Fleet([HOME], PAJU)
    out = []
    out += fleet.feed(_ev(1, T0, "tv_on"))
    out += fleet.feed(_ev(1, T0, "tv_on"))  # duplicate
    out += fleet.feed({"hh": "h1", "dev": "zz", "seq": 2, "ts": T0, "rx": T0, "type": "input"})
    out += fleet.feed({"hh": "h1", "dev": "d1", "seq": "x", "ts": T0, "rx": T0, "type": "input"})
    out += fleet.feed(_ev(3, T0 + 400 * 24 * HOUR, "input", rx=T0 + MINUTE))  # future-dated
    assert out == []
    assert fleet.counts["duplicate"] == 1
    assert fleet.counts["unknown_device"] == 1
    assert fleet.counts["malformed"] == 1
    assert fleet.counts["future_dated"] == 1


def test_a_silent_offline_device_gives_device_alerts_only() -> None:
    fleet = Fleet([HOME], PAJU)
    fleet.feed(_ev(1, T0, "tv_off"))
    alerts = fleet.advance_to(T0 + 30 * HOUR)
    assert alerts
    assert {a.kind for a in alerts} == {"device"}


def test_silence_with_a_live_device_raises_a_person_alert() -> None:
    fleet = Fleet([HOME], PAJU)
    alerts = fleet.feed(_ev(1, T0, "tv_off"))
    seq = 2
    t = T0
    while t < T0 + 26 * HOUR:
        t += 15 * MINUTE
        alerts += fleet.feed(_ev(seq, t, "heartbeat"))
        seq += 1
    assert any(a.kind == "person" and a.rule == "R3" for a in alerts)


def test_the_baseline_counts_each_learned_care_day_once() -> None:
    """The learned morning needs `days` of history; a day used to be counted twice (at 23:30
    and again at the care day's end, 04:00)."""
    st = State.enrol(HOME)
    seq = 0
    for day in range(20):
        for k in range(14 * 4):  # 08:00–22:00: a press every 15 min (and the heartbeat)
            seq += 1
            t = T0 + day * 24 * HOUR + k * 15 * MINUTE
            step(st, Event("h1", "d1", seq, t, t, "input"), Settings())
        for k in range(10 * 4):  # the night: heartbeats only
            seq += 1
            t = T0 + day * 24 * HOUR + 14 * HOUR + k * 15 * MINUTE
            step(st, Event("h1", "d1", seq, t, t, "heartbeat", "off", 0), Settings())
    assert st.base.days == 20
