"""``minwon protection screen FILE`` as an operator runs it: a real process, a file and stdin.

The texts are written for these tests; they are not a measure of the screen (docs/protection.md).
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from minwon.protection.cli import main

ROOT = Path(__file__).resolve().parents[3]

# Run through the `minwon` entry point; fail if Django was set up (the screen needs none).
CODE = (
    "import sys; from minwon.cli import main; rc = main(sys.argv[1:]);"
    "import django.apps; assert not django.apps.apps.ready, 'Django was set up';"
    "raise SystemExit(rc)"
)

ROWS: list[dict[str, Any]] = [
    {"id": "c-1", "text": "가로등이 꺼져 있어요. 고쳐 주세요."},
    {"id": "c-2", "text": "답변이 이게 뭐냐 시1발 담당자 죽여버리겠다"},
    {"text": "시발점 교차로 신호 개선 요청"},
    {"id": 4, "text": "ㅅ ㅂ 또 반려냐"},
]


def _env() -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "SECRET_KEY"}
    }
    env["DATABASE_URL"] = "postgres://nobody@127.0.0.1:1/none"  # would fail if anything used it
    return env


def _run(*argv: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-c", CODE, "protection", "screen", *argv],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        env=_env(),
        timeout=120,
        check=False,
    )


def _jsonl(rows: Sequence[object]) -> bytes:
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _outputs(done: subprocess.CompletedProcess[bytes]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]


def test_a_file_gives_one_line_per_input_in_order_with_offsets_into_the_original(tmp_path):
    path = tmp_path / "texts.jsonl"
    path.write_bytes(_jsonl(ROWS))
    done = _run(str(path))
    assert done.returncode == 0, done.stderr
    out = _outputs(done)
    assert [o["line"] for o in out] == [1, 2, 3, 4]
    assert [o.get("id") for o in out] == ["c-1", "c-2", None, 4]
    assert [o["abusive"] for o in out] == [False, True, False, True]
    assert out[0]["severity"] == "none" and out[0]["spans"] == []
    second = out[1]
    assert second["severity"] == "urgent"
    assert second["categories"] == ["profanity", "threat"]
    text = ROWS[1]["text"]
    assert [text[s["start"] : s["end"]] for s in second["spans"]] == ["시1발", "죽여버리"]
    assert [s["masked"] for s in second["spans"]] == ["시●●", "죽●●●"]
    assert "시1발" not in done.stdout.decode("utf-8")  # only masked text is printed
    fourth = out[3]
    assert ROWS[3]["text"][fourth["spans"][0]["start"] : fourth["spans"][0]["end"]] == "ㅅ ㅂ"
    assert b"screening" in done.stderr  # the progress bar


def test_stdin_with_bad_lines_gets_an_error_line_in_place_and_goes_on():
    data = _jsonl(["not json", ROWS[1], "[1, 2]", {"id": "x", "text": 5}, ""]) + b"\xff\xfe\n"
    data += _jsonl([{"text": "😀" * 10}])
    done = _run("-", "--quiet", stdin=data)
    assert done.returncode == 1
    out = _outputs(done)
    assert [o["line"] for o in out] == [1, 2, 3, 4, 6, 7]  # the blank line 5 is skipped
    assert out[0]["error"].startswith("not valid JSON")
    assert out[1]["abusive"] is True
    assert out[2]["error"] == "not a JSON object"
    assert "text" in out[3]["error"]
    assert out[4]["error"].startswith("not UTF-8")
    assert out[5]["abusive"] is False
    stderr = done.stderr.decode("utf-8")
    assert "line 1: not valid JSON" in stderr and "line 6: not UTF-8" in stderr
    assert "Traceback" not in stderr


def test_a_missing_file_is_a_usage_error(tmp_path):
    done = _run(str(tmp_path / "missing.jsonl"))
    assert done.returncode == 2
    assert b"cannot read" in done.stderr
    assert done.stdout == b""


def test_main_in_process_with_a_byte_order_mark_and_a_huge_text():
    data = b"\xef\xbb\xbf" + _jsonl([{"text": "씨발 " + "가" * 100_000}])
    out, err = io.StringIO(), io.StringIO()
    status = main(["screen", "-", "--quiet"], stdin=io.BytesIO(data), stdout=out, stderr=err)
    assert status == 0, err.getvalue()
    result = json.loads(out.getvalue())
    assert result["abusive"] is True and result["truncated"] is True


def test_no_sub_command_is_a_usage_error():
    err = io.StringIO()
    assert main([], stdin=io.BytesIO(b""), stdout=io.StringIO(), stderr=err) == 2
    assert "minwon protection" in err.getvalue()


def test_morphemes_add_conjugated_forms_the_rules_do_not_list():
    data = _jsonl([{"text": "좀 닥치세요"}])
    plain = _outputs(_run("-", "--quiet", stdin=data))[0]
    done = _run("-", "--quiet", "--morphemes", stdin=data)
    assert done.returncode == 0, done.stderr
    with_lemmas = _outputs(done)[0]
    assert plain["abusive"] is False
    assert with_lemmas["abusive"] is True
    (span,) = with_lemmas["spans"]
    assert (span["rule"], span["start"], span["end"]) == ("morpheme", 2, 4)
