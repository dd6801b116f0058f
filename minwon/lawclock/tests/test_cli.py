"""``minwon deadline``: single mode and JSON Lines batch, called in-process and as a module."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from minwon.lawclock.cli import main


def run(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


def test_single_contract_example() -> None:
    status, out, err = run("--registered-at", "2026-03-09T15:00:00+09:00", "--period", "3d")
    assert (status, err) == (0, "")
    result = json.loads(out)
    assert result["due_at"] == "2026-03-12T15:00:00+09:00"
    assert (result["rule"], result["legal_basis"]) == ("hours", "민원처리법 제19조 제1항")
    assert result["working_hours"] == 24


def test_single_with_exclude_and_holiday() -> None:
    # 화 09–18 불산입(8h) + 3/12 임시공휴일: 월 15–18 3h, 수 8h, 금 8h, 월 3/16 09–12 3h + 13–15 2h → 3/16 15:00
    status, out, _ = run(
        "--registered-at",
        "2026-03-09T15:00:00+09:00",
        "--period",
        "3d",
        "--exclude",
        "2026-03-10T09:00:00+09:00/2026-03-10T18:00:00+09:00",
        "--holiday",
        "2026-03-12",
    )
    assert status == 0
    result = json.loads(out)
    assert result["due_at"] == "2026-03-16T15:00:00+09:00"
    assert result["excluded_working_hours"] == 8.0
    assert {"date": "2026-03-12", "reason": "extra holiday"}.items() <= result["skipped"][0].items()


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (
            ["--registered-at", "2026-03-09T15:00:00", "--period", "3d"],
            "--registered-at has no UTC offset",
        ),
        (["--registered-at", "2026-03-09T15:00:00+09:00", "--period", "0d"], "--period: "),
        (["--registered-at", "2026-03-09T15:00:00+09:00", "--period", "-2d"], "--period: "),
        (
            ["--registered-at", "2026-03-09T15:00:00+09:00", "--period", "3q"],
            "--period: Unknown period",
        ),
        (["--registered-at", "2026-02-30T15:00:00+09:00", "--period", "3d"], "--registered-at: "),
        (
            [
                "--registered-at",
                "2026-03-09T15:00:00+09:00",
                "--period",
                "3d",
                "--exclude",
                "2026-03-10T09:00:00+09:00",
            ],
            "--exclude[0]: ",
        ),
        (
            [
                "--registered-at",
                "2026-03-09T15:00:00+09:00",
                "--period",
                "3d",
                "--exclude",
                "2026-03-10T09:00:00+09:00/2026-03-09T09:00:00+09:00",
            ],
            "--exclude[0] ends",
        ),
        (
            [
                "--registered-at",
                "2026-03-09T15:00:00+09:00",
                "--period",
                "3d",
                "--holiday",
                "2026-3-1x",
            ],
            "--holiday[0]: ",
        ),
        (["--period", "3d"], "give --registered-at and --period"),
        (["--batch", "-", "--period", "3d"], "--batch takes its input from the file only"),
        (["--bogus"], "unrecognized arguments"),
    ],
)
def test_single_errors(argv: list[str], needle: str) -> None:
    status, out, err = run(*argv)
    assert (status, out) == (2, "")
    assert err.count("\n") == 1 and needle in err, err


def test_help() -> None:
    status, out, err = run("--help")
    assert status == 0 and "minwon deadline" in out and err == ""


BATCH: list[dict[str, Any]] = [
    {"id": 1, "registered_at": "2026-03-09T15:00:00+09:00", "period": "3d"},
    {
        "id": "b",
        "registered_at": "2026-03-09T10:00:00+09:00",
        "period": "7d",
        "holidays": ["2026-03-12"],
        "exclude": [["2026-03-10T10:00:00+09:00", "2026-03-10T11:00:00+09:00"]],
    },
    {"id": 3, "registered_at": "2026-03-09T15:00:00", "period": "3d"},
    {"id": 4, "registered_at": "2026-03-09T15:00:00+09:00", "period": "fortnight"},
    {"id": 5, "registered_at": "2026-03-09T15:00:00+09:00", "period": "0d"},
    {"id": 6, "registered_at": "2026-03-09T15:00:00+09:00", "period": "-2d"},
    {
        "id": 7,
        "registered_at": "2026-03-09T15:00:00+09:00",
        "period": "3d",
        "exclude": [["2026-03-10T10:00:00+09:00", "2026-03-09T10:00:00+09:00"]],
    },
    {"id": 8, "registered_at": "2026-03-32", "period": "3d"},
    {"id": 9, "period": "3d"},
    {"id": 10, "registered_at": "2026-03-09T15:00:00+09:00"},
    {"id": 11, "registered_at": 20260309, "period": "3d"},
    {"id": 12, "registered_at": "2026-03-09T15:00:00+09:00", "period": 3},
    {
        "id": 13,
        "registered_at": "2026-03-09T15:00:00+09:00",
        "period": "3d",
        "holidays": "2026-03-12",
    },
    {
        "id": 14,
        "registered_at": "2026-03-09T15:00:00+09:00",
        "period": "3d",
        "holidays": ["someday"],
    },
    {"id": 15, "registered_at": "2026-03-09T15:00:00+09:00", "period": "3d", "exclude": "x"},
    {"id": 16, "registered_at": "2026-03-09T15:00:00+09:00", "period": "3d", "exclude": [["a"]]},
    {
        "id": 17,
        "registered_at": "2026-03-09T15:00:00+09:00",
        "period": "3d",
        "holidays": ["2026-03-12"],
    },
]
EXPECTED = [
    ("due_at", "2026-03-12T15:00:00+09:00"),
    ("due_at", "2026-03-19T18:00:00+09:00"),  # 3/10(불산입)·3/12(휴일) 제외 → 7일차 3/19
    ("error", "registered_at has no UTC offset"),
    ("error", "period: Unknown period"),
    ("error", "period: A period must be positive"),
    ("error", "period: A period must be positive"),
    ("error", "exclude[0] ends"),
    ("error", "registered_at: '2026-03-32' is not an ISO 8601"),
    ("error", "registered_at: missing"),
    ("error", "period: missing"),
    ("error", "registered_at: expected an ISO 8601 date-time string"),
    ("error", "period: expected text"),
    ("error", "holidays: expected a list"),
    ("error", "holidays[0]: "),
    ("error", "exclude: expected a list"),
    ("error", "exclude[0]: expected a [start, end] pair"),
    ("due_at", "2026-03-13T15:00:00+09:00"),
]


def test_batch_good_and_bad_lines(tmp_path: Path) -> None:
    lines = [json.dumps(item) for item in BATCH] + ["", "not json", "[1, 2]"]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    status, out, err = run("--batch", str(path))
    assert (status, err) == (0, "")
    results = [json.loads(line) for line in out.splitlines()]
    assert len(results) == len(BATCH) + 2  # the blank line is not an input
    for item, result, (key, needle) in zip(BATCH, results, EXPECTED, strict=False):
        assert result["id"] == item["id"]
        assert key in result and needle in result[key], (item, result)
        assert set(result) == {"id", key}
    assert (
        results[-2]["error"].startswith("line is not JSON")
        and results[-1]["error"] == "line is not a JSON object"
    )


def test_batch_from_stdin_reuses_calendars() -> None:
    many = [
        json.dumps(
            {
                "id": i,
                "registered_at": "2026-03-09T15:00:00+09:00",
                "period": "3d",
                "holidays": [f"2027-01-{1 + i % 70 % 28:02d}", f"2028-{1 + i // 28 % 12:02d}-01"],
            }
        )
        for i in range(200)
    ]
    status, out, _ = run("--batch", "-", stdin="\n".join(many))
    assert status == 0
    assert {json.loads(line)["due_at"] for line in out.splitlines()} == {
        "2026-03-12T15:00:00+09:00"
    }


def test_batch_unreadable_file(tmp_path: Path) -> None:
    status, out, err = run("--batch", str(tmp_path / "missing.jsonl"))
    assert (status, out) == (2, "")
    assert err.startswith("minwon deadline: error: --batch: cannot read")


def test_as_a_module(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(BATCH[0]) + "\n" + json.dumps(BATCH[2]) + "\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "minwon.lawclock.cli", "--batch", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert [json.loads(line)["id"] for line in done.stdout.splitlines()] == [1, 3]
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "minwon.lawclock.cli",
            "--registered-at",
            "2026-03-09T15:00:00",
            "--period",
            "3d",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2 and "no UTC offset" in bad.stderr
