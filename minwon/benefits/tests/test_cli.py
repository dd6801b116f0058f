"""``minwon benefits evaluate``: the contract of issue 19 and its bad input."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from minwon.benefits.cli import main

GOOD = {
    "id": "f-1",
    "as_of": "2026-04-20",
    "month": "2026-05",
    "child": {"birth_date": "2026-03-10", "birth_order": 1, "birth_registered_on": "2026-03-20"},
    "residence": {"sigungu_code": "41480", "since": "2020-01-01"},
}


def _run(text: str, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["evaluate", "-", *args], stdin=io.StringIO(text), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_output_shape_and_codes() -> None:
    code, out, err = _run(json.dumps(GOOD) + "\n")
    assert (code, err) == (0, "")
    [line] = out.splitlines()
    result = json.loads(line)
    assert list(result) == ["id", "programmes"]
    assert {
        "first_meeting_voucher",
        "parental_benefit",
        "child_allowance",
        "paju_birth_grant",
    } <= set(result["programmes"])
    for value in result["programmes"].values():
        assert list(value) == ["eligible", "amount", "reasons"]
        assert isinstance(value["eligible"], bool) and isinstance(value["amount"], int)
        assert value["reasons"] and all(isinstance(r, str) for r in value["reasons"])


def _with(path: str, value: object) -> str:
    record = json.loads(json.dumps(GOOD))
    *parents, last = path.split(".")
    target = record
    for key in parents:
        target = target[key]
    if value is KeyError:
        del target[last]
    else:
        target[last] = value
    return json.dumps(record, ensure_ascii=False)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", "not valid JSON"),
        ("[1, 2]", "not a JSON object"),
        (_with("id", KeyError), "id: is missing"),
        (_with("as_of", KeyError), "as_of: is missing"),
        (_with("as_of", "2026-02-30"), "as_of: is not a date"),
        (_with("as_of", "20260420"), "as_of: is not a date"),
        (_with("month", "2026-5"), "month: is not a month"),
        (_with("month", 202605), "month: must be a month"),
        (_with("child", KeyError), "child: is missing"),
        (_with("child.birth_order", 0), "child.birth_order: must be a whole number from 1 to 20"),
        (_with("child.birth_order", "2"), "child.birth_order: must be a whole number"),
        (_with("child.birth_order", 1.5), "child.birth_order: must be a whole number"),
        (
            _with("child.birth_date", "2026-05-01"),
            "child.birth_date: 2026-05-01 is after the application date",
        ),
        (
            _with("child.birth_registered_on", "2026-03-01"),
            "child.birth_registered_on: 2026-03-01 is before the birth",
        ),
        (_with("child.birth_registered_on", KeyError), "child.birth_registered_on: is missing"),
        (
            _with("residence.sigungu_code", 41480),
            "residence.sigungu_code: must be a 5-digit code as a string",
        ),
        (_with("residence.sigungu_code", "4148"), "residence.sigungu_code: must be a 5-digit"),
        (
            _with("residence.since", "2026-05-01"),
            "residence.since: 2026-05-01 is after the application date",
        ),
    ],
)
def test_a_bad_line_gets_an_error_in_its_place_and_the_batch_goes_on(
    line: str, message: str
) -> None:
    text = json.dumps(GOOD) + "\n" + line + "\n\n" + json.dumps({**GOOD, "id": 7}) + "\n"
    code, out, err = _run(text)
    assert code == 1
    first, bad, last = (json.loads(x) for x in out.splitlines())
    assert first["id"] == "f-1" and last["id"] == 7
    assert bad["line"] == 2 and "programmes" not in bad
    assert bad["error"].startswith(message), bad["error"]
    assert f"line 2: {bad['error']}" in err


def test_an_unreadable_file_and_bad_arguments_exit_2(tmp_path: Path) -> None:
    err = io.StringIO()
    assert (
        main(["evaluate", str(tmp_path / "missing.jsonl")], stdout=io.StringIO(), stderr=err) == 2
    )
    assert "cannot read" in err.getvalue()
    err = io.StringIO()
    assert main(["evaluate", "-", "--language", "fr"], stdout=io.StringIO(), stderr=err) == 2
    assert "invalid choice" in err.getvalue()
    binary = tmp_path / "binary.jsonl"
    binary.write_bytes(b"\xff\xfe\x00{}\n")
    err = io.StringIO()
    assert main(["evaluate", str(binary)], stdout=io.StringIO(), stderr=err) == 2
    assert "not UTF-8" in err.getvalue()


def test_the_command_reads_a_file_and_runs_without_django(tmp_path: Path) -> None:
    path = tmp_path / "families.jsonl"
    path.write_text("\ufeff" + json.dumps(GOOD, ensure_ascii=False) + "\n", encoding="utf-8")
    script = (
        "import sys; from minwon.cli import main; code = main(['benefits', 'evaluate', sys.argv[1]]);"
        " assert 'django' not in sys.modules, 'django was imported'; raise SystemExit(code)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["programmes"]["parental_benefit"]["amount"] == 1_000_000
    assert result["programmes"]["parental_benefit"]["reasons"][0].startswith(
        "부모급여 0세 월 100만원"
    )
