"""`minwon carewatch replay` and `simulate` as the issue states them (no Django needed)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from minwon.carewatch.cli import main
from minwon.carewatch.domain.timebase import HOUR, MINUTE, parse_iso

T0 = parse_iso("2026-03-02T08:00:00+09:00")  # a Monday
REGISTRY: dict[str, Any] = {
    "hh": "h1",
    "dev": "d1",
    "enrolled_at": "2026-03-02T07:00:00+09:00",
    "area": "a1",
    "morning_time": None,
    "heartbeat_s": 900,
    "away": [],
}


def _rec(seq: int, t: int, kind: str = "input", **extra: Any) -> dict[str, Any]:
    return {"hh": "h1", "dev": "d1", "seq": seq, "ts": t, "rx": t + 500, "type": kind, **extra}


def _silent_day(heartbeats_until: int) -> list[dict[str, Any]]:
    """TV switched on and off in the morning, then nothing but the device's heartbeats."""
    recs = [_rec(1, T0, "tv_on"), _rec(2, T0 + 10 * MINUTE), _rec(3, T0 + 20 * MINUTE, "tv_off")]
    t, seq = T0, 4
    while t < heartbeats_until:
        t += 15 * MINUTE
        recs.append(_rec(seq, t, "heartbeat", hb={"tv": "off", "n_input": 0}))
        seq += 1
    return recs


def _run(tmp: Path, lines: list[bytes], *args: str) -> tuple[int, list[dict[str, Any]], str]:
    events = tmp / "events.jsonl"
    events.write_bytes(b"\n".join(lines) + b"\n")
    registry = tmp / "registry.jsonl"
    registry.write_text(json.dumps(REGISTRY) + "\n")
    out, err = io.StringIO(), io.StringIO()
    code = main(["replay", str(events), "--registry", str(registry), *args], stdout=out, stderr=err)
    alerts = [json.loads(line) for line in out.getvalue().splitlines()]
    return code, alerts, err.getvalue()


def _lines(recs: list[dict[str, Any]]) -> list[bytes]:
    return [json.dumps(r).encode() for r in recs]


def test_replay_prints_alerts_in_time_order_with_the_issue_s_keys(tmp_path: Path) -> None:
    code, alerts, err = _run(tmp_path, _lines(_silent_day(T0 + 30 * HOUR)), "--detector", "paju")
    assert code == 0
    assert alerts, err
    for a in alerts:
        assert set(a) == {"hh", "at", "rule", "severity", "kind"}
        assert a["at"].endswith("+09:00")
        assert a["kind"] == "person"
        assert a["severity"] in {"low", "medium", "high"}
    ats = [parse_iso(a["at"]) for a in alerts]
    assert ats == sorted(ats)
    # the safety net falls due 24 h after the last press (the tv_off at 08:20) and is raised
    # when the next heartbeat (08:30) proves the device alive: silence, not a dead device
    assert {"hh": "h1", "at": "2026-03-03T08:30:00+09:00", "rule": "R3", "severity": "high",
            "kind": "person"} in alerts  # fmt: skip
    summary = json.loads(err.split(": ", 1)[1])
    assert summary["alerts"] == len(alerts)


def test_bad_records_are_counted_dropped_and_never_alert(tmp_path: Path) -> None:
    clean = _lines(_silent_day(T0 + 30 * HOUR))
    _, expected, _ = _run(tmp_path, clean, "--detector", "paju")
    at = T0 + 2 * HOUR
    bad = [
        b"{not json",
        b"\xff\xfe\x00 not utf-8",
        b"[1, 2, 3]",
        b"[" * 100_000,  # nested too deeply for the JSON parser
        json.dumps(_rec(2, T0 + 10 * MINUTE)).encode(),  # duplicate of seq 2
        json.dumps({**_rec(900, at), "dev": "unknown"}).encode(),
        json.dumps({**_rec(901, at), "hh": "h2"}).encode(),  # device of another household
        json.dumps({**_rec(902, at), "ts": at + 30 * 24 * HOUR}).encode(),  # future-dated
        json.dumps({**_rec(903, at), "type": ["input"]}).encode(),
        json.dumps({**_rec(904, at), "rx": 10**20}).encode(),  # centuries away
        json.dumps({**_rec(905, at), "channel": 11}).encode(),  # viewing content: refused
        json.dumps({**_rec(906, at), "seq": -1}).encode(),
    ]
    mixed = clean[:6] + bad + clean[6:]
    code, alerts, err = _run(tmp_path, mixed, "--detector", "paju")
    assert code == 0
    assert alerts == expected
    summary = json.loads(err.split(": ", 1)[1])
    assert summary["malformed"] == 7
    assert summary["duplicate"] == 1
    assert summary["unknown_device"] == 2
    assert summary["future_dated"] == 1
    assert summary["content"] == 1
    assert summary["records"] == len(mixed)


def test_late_and_out_of_order_records_update_state_without_stale_alerts(tmp_path: Path) -> None:
    recs = _silent_day(T0 + 30 * HOUR)
    # a press at 14:00 that the device buffered and delivered only at 18:00
    late = _rec(10_000, T0 + 6 * HOUR, "input")
    late["rx"] = T0 + 10 * HOUR
    recs.append(late)
    recs.sort(key=lambda r: r["rx"])
    code, alerts, err = _run(tmp_path, _lines(recs), "--detector", "paju")
    assert code == 0
    r3 = [a for a in alerts if a["rule"] == "R3"]
    assert r3 == [{"hh": "h1", "at": "2026-03-03T14:00:00+09:00", "rule": "R3",
                   "severity": "high", "kind": "person"}]  # fmt: skip
    assert json.loads(err.split(": ", 1)[1])["late"] == 1


def test_the_clock_advances_to_until(tmp_path: Path) -> None:
    recs = _silent_day(T0 + 2 * HOUR)  # the device stops at 10:00
    code, alerts, _ = _run(tmp_path, _lines(recs), "--detector", "paju")
    assert code == 0
    assert all(a["kind"] == "device" for a in alerts)
    code, later, err = _run(
        tmp_path, _lines(recs), "--detector", "paju", "--until", "2026-03-04T12:00:00+09:00"
    )
    assert code == 0
    # an offline device raises device alerts (R4, then its welfare escalation), never a person's
    assert later and {a["kind"] for a in later} == {"device"}
    assert {a["rule"] for a in later} == {"R4"}
    assert len(later) > len(alerts)
    assert json.loads(err.split(": ", 1)[1])["records"] == len(recs)


def test_records_after_until_are_not_read(tmp_path: Path) -> None:
    recs = _silent_day(T0 + 30 * HOUR)
    code, alerts, err = _run(tmp_path, _lines(recs), "--until", "2026-03-02T12:00:00+09:00")
    assert code == 0
    assert alerts == []
    summary = json.loads(err.split(": ", 1)[1])
    assert summary["after_until"] == len([r for r in recs if r["rx"] > T0 + 4 * HOUR])


def test_usage_errors_exit_2_with_one_line(tmp_path: Path) -> None:
    events = tmp_path / "e.jsonl"
    events.write_text("")
    registry = tmp_path / "r.jsonl"
    registry.write_text(json.dumps(REGISTRY) + "\n" + json.dumps({**REGISTRY, "hh": "h9"}) + "\n")
    cases = [
        (["replay", str(events), "--registry", str(tmp_path / "missing")], "cannot read"),
        (["replay", str(events), "--registry", str(registry)], "registry line 2"),
        (["replay", str(events), "--registry", str(events), "--until", "noon"], "--until"),
        (["replay", str(events), "--registry", str(events), "--detector", "x"], "invalid choice"),
        (["simulate", "--households", "0", "--days", "3", "--seed", "1"], "between 1"),
        (["simulate", "--households", "2", "--days", "3", "--seed", "1", "--plot", "a.gif"], "svg"),
    ]
    for argv, needle in cases:
        out, err = io.StringIO(), io.StringIO()
        assert main(argv, stdout=out, stderr=err) == 2, argv
        assert needle in err.getvalue(), (argv, err.getvalue())
        assert out.getvalue() == ""
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({**REGISTRY, "enrolled_at": "yesterday"}) + "\n")
    err = io.StringIO()
    assert main(["replay", str(events), "--registry", str(bad)], stderr=err) == 2
    assert "registry line 1" in err.getvalue()


ARM_KEYS = {
    "delay_hours": {"median", "p90", "p95"},
    "detected_within_hours": {"2", "6", "12", "24"},
    "false_alerts_per_1000_household_days": {"auto_check", "officer", "visit", "by_cause"},
}


def test_simulate_prints_both_arms_and_is_seeded(tmp_path: Path) -> None:
    runs = []
    for _ in range(2):
        out, err = io.StringIO(), io.StringIO()
        argv = ["simulate", "--households", "6", "--days", "20", "--seed", "5"]
        assert main(argv, stdout=out, stderr=err) == 0
        runs.append(out.getvalue())
        assert "simulating" in err.getvalue()  # the progress bar, on stderr
    assert runs[0] == runs[1]
    assert runs[0].count("\n") == 1
    result = json.loads(runs[0])
    assert set(result) == {"arms"}
    assert set(result["arms"]) == {"paju", "personalised"}
    for arm in result["arms"].values():
        for key, inner in ARM_KEYS.items():
            assert inner <= set(arm[key]), key
        assert isinstance(arm["missed"], int)
        assert isinstance(arm["incidents"], int)
        assert arm["person_alerts_in_device_offline"] == 0
    out = io.StringIO()
    main(["simulate", "--households", "6", "--days", "20", "--seed", "6", "--quiet"], stdout=out)
    assert out.getvalue() != runs[0]


def test_simulate_plot_writes_svg_and_png(tmp_path: Path) -> None:
    for name in ("tradeoff.svg", "tradeoff.png"):
        path = tmp_path / name
        argv = ["simulate", "--households", "4", "--days", "16", "--seed", "2", "--quiet"]
        out = io.StringIO()
        assert main([*argv, "--plot", str(path)], stdout=out) == 0
        assert json.loads(out.getvalue())["arms"]
        data = path.read_bytes()
        if name.endswith(".png"):
            assert data.startswith(b"\x89PNG\r\n\x1a\n")
        else:
            root = ET.fromstring(data)
            texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
            assert "R2 120 min" in texts
            assert "theta ln 1e3" in texts


def test_the_command_runs_without_django_settings(tmp_path: Path) -> None:
    registry = tmp_path / "r.jsonl"
    registry.write_text(json.dumps(REGISTRY) + "\n")
    events = tmp_path / "e.jsonl"
    events.write_bytes(b"\n".join(_lines(_silent_day(T0 + 30 * HOUR))) + b"\n")
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY"}}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "minwon.cli",
            "carewatch",
            "replay",
            str(events),
            "--registry",
            str(registry),
            "--detector",
            "paju",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[3],
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert any(json.loads(line)["rule"] == "R3" for line in result.stdout.splitlines())
