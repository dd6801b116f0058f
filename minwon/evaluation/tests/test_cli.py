"""``minwon evaluation compute FILE`` as an analyst runs it: a real process, a file and stdin.

The lines are the hand-worked set of test_indicators.py (the sums are worked out there).
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from minwon.evaluation.cli import main

ROOT = Path(__file__).resolve().parents[3]

# Through the `minwon` entry point; fail if Django was set up (the indicators need none).
CODE = (
    "import sys; from minwon.cli import main; rc = main(sys.argv[1:]);"
    "import django.apps; assert not django.apps.apps.ready, 'Django was set up';"
    "raise SystemExit(rc)"
)


def row(
    id_: str,
    kind: str,
    unit: str,
    period: str | None,
    reg: str,
    ans: str,
    due: str | None,
    excluded: list[list[str]] | None = None,
) -> dict[str, Any]:
    r: dict[str, Any] = {
        "id": id_,
        "kind": kind,
        "org_unit": unit,
        "period": period,
        "registered_at": f"2026-03-{reg}+09:00",
        "answered_at": f"2026-03-{ans}+09:00",
        "due_at": None if due is None else f"2026-03-{due}+09:00",
    }
    if excluded is not None:
        r["excluded"] = [[f"2026-03-{a}+09:00", f"2026-03-{b}+09:00"] for a, b in excluded]
    return r


ROWS = [
    row("S1", "statutory", "A", "10d", "09T10:00", "12T15:00", "20T18:00"),
    row(
        "S2", "statutory", "A", "7d", "13T16:00", "19T10:00", "25T18:00", [["16T09:00", "17T11:00"]]
    ),
    row("S3", "statutory", "B", "6d", "14T11:00", "25T09:30", "23T18:00"),
    row("S4", "statutory", "B", "10d", "09T09:00", "26T14:00", "27T18:00"),
    row("S5", "statutory", "A", "3d", "09T15:00", "12T16:00", "12T15:00"),
    row("Q1", "inquiry_procedure", "A", "7d", "10T09:00", "11T10:00", "18T18:00"),
    row("T1", "tip", "B", None, "10T09:00", "10T11:00", None),
]


def _env() -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "SECRET_KEY"}
    }
    env["DATABASE_URL"] = "postgres://nobody@127.0.0.1:1/none"  # would fail if anything used it
    return env


def _jsonl(rows: list[Any]) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows)


def _run(*argv: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", CODE, "evaluation", "compute", *argv],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=_env(),
        timeout=120,
        check=False,
    )


def test_a_file_gives_the_rates_overall_and_by_unit_with_their_counts(tmp_path):
    path = tmp_path / "answered.jsonl"
    path.write_text(_jsonl(ROWS), encoding="utf-8")
    done = _run(str(path))
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    # 단축률: (33 − 29) / 33 = 12.12 %; A (17 − 7) / 17 = 58.82 %; B (16 − 22) / 16 = −37.5 %.
    assert out["reduction_rate"]["overall"] == 12.12
    assert out["reduction_rate"]["by_unit"] == {"A": 58.82, "B": -37.5}
    assert out["reduction_rate"]["unit"] == "working_days"
    assert out["reduction_rate"]["counts"] == {
        "overall": {"cases": 4, "legal": 33, "actual": 29, "reduced": 4},
        "by_unit": {
            "A": {"cases": 2, "legal": 17, "actual": 7, "reduced": 10},
            "B": {"cases": 2, "legal": 16, "actual": 22, "reduced": -6},
        },
    }
    # 지연율: S3 and S5 late of the 6 with a deadline; A 1 of 4, B 1 of 2.
    assert out["delay_rate"]["overall"] == 33.33
    assert out["delay_rate"]["by_unit"] == {"A": 25.0, "B": 50.0}
    assert out["delay_rate"]["counts"] == {
        "overall": {"answered": 6, "late": 2},
        "by_unit": {"A": {"answered": 4, "late": 1}, "B": {"answered": 2, "late": 1}},
    }
    assert out["on_time_rate"]["overall"] == 66.67
    # 35 working days / 6 = 5.8333; 243.5 working hours / 6 = 40.5833.
    assert out["average_processing"]["working_days"]["overall"] == 5.8333
    assert out["average_processing"]["working_hours"]["overall"] == 40.5833
    assert out["reading"] == {
        "aggregate": "sum",
        "unit": "days",
        "legal": "catalogue",
        "negative": "keep",
        "excluded": "subtract",
    }
    assert (out["cases"], out["skipped"]) == (7, 0)


def test_stdin_and_the_other_readings():
    done = _run("-", "--negative", "zero", stdin=_jsonl(ROWS))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["reduction_rate"]["overall"] == 30.30  # 10 / 33
    done = _run("-", "--legal", "extended", "--aggregate", "mean", stdin=_jsonl(ROWS))
    # Per-case rates 60, 57.14, −33.33 and S4's 1/15 = 6.67: mean 22.62 %.
    assert json.loads(done.stdout)["reduction_rate"]["overall"] == 22.62
    done = _run("-", "--unit", "hours", stdin=_jsonl(ROWS))
    out = json.loads(done.stdout)
    assert out["reduction_rate"]["overall"] == 20.64  # 54.5 / 264
    assert out["reduction_rate"]["counts"]["overall"]["actual"] == 209.5
    assert out["reduction_rate"]["unit"] == "working_hours"


def test_an_extra_holiday_moves_the_count():
    # Fri 3/13 declared a holiday: S1 and S3 do not span it; S2 starts on Mon 3/16 (3 → 2) and
    # S4 loses one day (14 → 13): Σ실제 29 − 2 = 27, (33 − 27) / 33 = 18.18 %.
    done = _run("-", "--holiday", "2026-03-13", stdin=_jsonl(ROWS[:4]))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["reduction_rate"]["overall"] == 18.18


def test_a_bad_line_stops_with_its_number_and_field():
    bad = dict(ROWS[0], id="X", registered_at="2026-03-09T10:00:00")
    done = _run("-", stdin=_jsonl([ROWS[0], "not json", bad]))
    assert done.returncode == 2
    assert done.stdout == ""
    assert "line 2: not valid JSON" in done.stderr
    done = _run("-", stdin=_jsonl([ROWS[0], bad]))
    assert "line 2: registered_at: '2026-03-09T10:00:00' has no UTC offset" in done.stderr


def test_each_kind_of_bad_line_is_named():
    cases = {
        "kind: 'statute' is not one of": dict(ROWS[0], kind="statute"),
        "period: Unknown period 'ten days'": dict(ROWS[0], period="ten days"),
        "period: missing": dict(ROWS[0], period=None),
        "due_at: missing": dict(ROWS[0], due_at=None),
        "org_unit: missing": dict(ROWS[0], org_unit=""),
        "id: missing": {k: v for k, v in ROWS[0].items() if k != "id"},
        "answered_at: answered_at (2026-03-08": dict(ROWS[0], answered_at="2026-03-08T10:00+09:00"),
        "excluded[0]: ends before it starts": dict(
            ROWS[0], excluded=[["2026-03-11T10:00+09:00", "2026-03-10T10:00+09:00"]]
        ),
        "excluded: must be a list": dict(ROWS[0], excluded="none"),
        "not a JSON object": [1, 2],
    }
    for expected, bad in cases.items():
        err = io.StringIO()
        status = main(
            ["compute", "-"], stdin=io.StringIO(_jsonl([bad])), stdout=io.StringIO(), stderr=err
        )
        assert status == 2, expected
        assert f"line 1: {expected}" in err.getvalue(), (expected, err.getvalue())
    err = io.StringIO()
    main(
        ["compute", "-"],
        stdin=io.StringIO(_jsonl([ROWS[0], ROWS[0]])),
        stdout=io.StringIO(),
        stderr=err,
    )
    assert "line 2: id: 'S1' is already on line 1" in err.getvalue()


def test_skip_invalid_counts_the_bad_lines_and_computes_the_rest():
    out, err = io.StringIO(), io.StringIO()
    lines = _jsonl([ROWS[0], "{", dict(ROWS[1], kind="x"), ROWS[1]])
    status = main(
        ["compute", "-", "--skip-invalid"], stdin=io.StringIO(lines), stdout=out, stderr=err
    )
    assert status == 0
    result = json.loads(out.getvalue())
    assert (result["cases"], result["skipped"]) == (2, 2)
    assert result["reduction_rate"]["counts"]["overall"] == {
        "cases": 2,
        "legal": 17,
        "actual": 7,
        "reduced": 10,
    }
    assert err.getvalue().count("(skipped)") == 2


def test_unreadable_file_and_bad_options(tmp_path):
    done = _run(str(tmp_path / "missing.jsonl"))
    assert done.returncode == 2
    assert "cannot read" in done.stderr
    err = io.StringIO()
    assert (
        main(
            ["compute", "-", "--holiday", "3/13"],
            stdin=io.StringIO(""),
            stdout=io.StringIO(),
            stderr=err,
        )
        == 2
    )
    assert "--holiday '3/13' is not a date" in err.getvalue()
    err = io.StringIO()
    assert (
        main(
            ["compute", "-", "--unit", "weeks"],
            stdin=io.StringIO(""),
            stdout=io.StringIO(),
            stderr=err,
        )
        == 2
    )
    assert "invalid choice" in err.getvalue()


def test_an_empty_file_gives_nulls():
    out = io.StringIO()
    assert main(["compute", "-"], stdin=io.StringIO(""), stdout=out, stderr=io.StringIO()) == 0
    result = json.loads(out.getvalue())
    assert result["reduction_rate"]["overall"] is None
    assert result["delay_rate"] == {
        "overall": None,
        "by_unit": {},
        "counts": {"overall": {"answered": 0, "late": 0}, "by_unit": {}},
    }
