"""``minwon routing train`` / ``evaluate`` as a user runs them."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from minwon.routing.cli import main
from minwon.routing.tests.test_classifier import ENVIRONMENT, TRAFFIC, WELFARE

ROOT = Path(__file__).resolve().parents[3]


def _jsonl(path: Path, rows: list[object]) -> Path:
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows)
        + "\n",
        encoding="utf-8",
    )
    return path


def _rows(field: str = "category") -> list[object]:
    return [
        *({"text": t, field: "교통"} for t in TRAFFIC),
        *({"text": t, field: "환경"} for t in ENVIRONMENT),
        *({"text": t, field: "복지"} for t in WELFARE),
    ]


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), stdin=io.StringIO(""), stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


def test_evaluate_cv_prints_one_json_object_on_the_last_line(tmp_path):
    data = _jsonl(tmp_path / "d.jsonl", _rows())
    status, out, err = _run("evaluate", str(data), "--cv", "3", "--label", "category")
    assert status == 0, err
    result = json.loads(out.splitlines()[-1])
    assert result["n"] == 18
    assert result["mode"] == "cross_validation"
    for key in ("top1_accuracy", "top3_accuracy", "macro_f1"):
        assert 0.0 <= result[key] <= 1.0
    assert result["top3_accuracy"] == 1.0  # three labels: the truth is always in the top 3
    assert set(result["per_label"]) == {"교통", "환경", "복지"}
    assert result["per_label"]["교통"]["support"] == 6
    assert result["labels"] == {"교통": 6, "복지": 6, "환경": 6}
    assert "tokenising" in err  # the progress bar is on stderr


def test_evaluate_compares_the_baseline_on_the_same_folds(tmp_path):
    data = _jsonl(tmp_path / "d.jsonl", _rows())
    status, out, _ = _run(
        "evaluate", str(data), "--cv", "3", "--compare-baseline", "--quiet", "--label", "category"
    )
    assert status == 0
    result = json.loads(out.splitlines()[-1])
    assert result["baseline"]["n"] == 18
    assert result["baseline"]["features"]["classifier"] == "baseline"


def test_the_label_field_is_found_when_there_is_only_one(tmp_path):
    data = _jsonl(tmp_path / "d.jsonl", _rows("department"))
    status, out, _ = _run("evaluate", str(data), "--cv", "2", "--quiet")
    assert status == 0
    assert json.loads(out.splitlines()[-1])["label_field"] == "department"


def test_a_label_with_fewer_examples_than_folds_is_handled(tmp_path):
    rows = [*_rows(), {"text": "지방세 납부 기한이 언제인가요", "category": "세금"}]
    data = _jsonl(tmp_path / "d.jsonl", rows)
    status, out, err = _run("evaluate", str(data), "--cv", "5", "--label", "category", "--quiet")
    assert status == 0, err
    result = json.loads(out.splitlines()[-1])
    assert result["n"] == 19
    assert result["per_label"]["세금"]["support"] == 1
    assert "fewer than 5 examples" in err and "세금" in result["warnings"][0]


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("{not json", "line 3: not valid JSON"),
        ('["a list"]', "line 3: not a JSON object"),
        ({"text": "   ", "category": "교통"}, "line 3: empty text"),
        ({"category": "교통"}, "line 3: no text"),
        ({"text": "민원 내용입니다", "category": ""}, "line 3: no label in field 'category'"),
    ],
)
def test_a_bad_line_stops_with_its_number_and_status_2(tmp_path, bad, message):
    rows = _rows()
    rows.insert(2, bad)
    data = _jsonl(tmp_path / "d.jsonl", rows)
    status, out, err = _run("evaluate", str(data), "--cv", "3", "--label", "category")
    assert status == 2
    assert message in err
    assert "--skip-invalid" in err
    assert out == ""
    status, out, _ = _run(
        "evaluate", str(data), "--cv", "3", "--label", "category", "--skip-invalid", "--quiet"
    )
    assert status == 0
    result = json.loads(out.splitlines()[-1])
    assert result["skipped_lines"] == 1 and result["n"] == 18


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--label", "kind"], "no label field 'kind' (fields: category, text)"),
        (["--cv", "1"], "--cv must be 2 or more"),
        (["--cv", "50"], "needs at least 50 examples"),
        (["--cv", "x"], "invalid int value"),
    ],
)
def test_bad_arguments_are_named(tmp_path, args, message):
    data = _jsonl(tmp_path / "d.jsonl", _rows())
    if "--label" not in args:
        args = [*args, "--label", "category"]
    status, _, err = _run("evaluate", str(data), *args)
    assert status == 2
    assert message in err


def test_missing_and_non_utf8_files_and_one_label(tmp_path):
    status, _, err = _run("evaluate", str(tmp_path / "none.jsonl"), "--cv", "3")
    assert status == 2 and "cannot read" in err
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes('{"text": "caf\xe9", "label": "a"}\n'.encode("latin-1"))
    status, _, err = _run("evaluate", str(latin), "--cv", "2")
    assert status == 2 and "not UTF-8" in err
    one = _jsonl(tmp_path / "one.jsonl", [{"text": t, "label": "교통"} for t in TRAFFIC])
    status, _, err = _run("evaluate", str(one), "--cv", "2")
    assert status == 2 and "two different labels" in err
    empty = _jsonl(tmp_path / "empty.jsonl", ["", "  "])
    status, _, err = _run("evaluate", str(empty), "--cv", "2")
    assert status == 2 and "no examples" in err


def test_train_installs_a_model_that_evaluate_and_rollback_use(tmp_path):
    models = tmp_path / "models"
    data = _jsonl(tmp_path / "d.jsonl", _rows())
    status, _, err = _run("evaluate", str(data), "--label", "category", "--model-dir", str(models))
    assert status == 2 and "no category model is installed" in err

    status, out, err = _run("train", str(data), "--label", "category", "--model-dir", str(models))
    assert status == 0, err
    first = json.loads(out.splitlines()[-1])
    assert first["target"] == "category" and first["n"] == 18
    assert first["labels"] == ["교통", "복지", "환경"]

    status, out, _ = _run("evaluate", str(data), "--label", "category", "--model-dir", str(models))
    assert status == 0
    result = json.loads(out.splitlines()[-1])
    assert result["mode"] == "installed_model"
    assert result["model"]["version"] == first["version"]
    assert result["top1_accuracy"] == 1.0  # scored on its own training data here

    status, out, _ = _run("train", str(data), "--label", "category", "--model-dir", str(models))
    second = json.loads(out.splitlines()[-1])["version"]
    status, out, _ = _run("rollback", "--target", "category", "--model-dir", str(models))
    assert status == 0
    assert json.loads(out) == {"target": "category", "active": first["version"], "was": second}
    status, out, _ = _run(
        "rollback", "--target", "category", "--version", second, "--model-dir", str(models)
    )
    assert json.loads(out)["active"] == second
    status, _, err = _run("rollback", "--target", "department", "--model-dir", str(models))
    assert status == 2 and "no earlier department model" in err


def test_evaluate_runs_without_django_or_a_database(tmp_path):
    data = _jsonl(tmp_path / "d.jsonl", _rows())
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "SECRET_KEY"}
    }
    env["DATABASE_URL"] = "postgres://nobody@127.0.0.1:1/none"  # would fail if anything used it
    code = (
        "import sys; from minwon.cli import main; rc = main(sys.argv[1:]);"
        "import django.apps; assert not django.apps.apps.ready, 'Django was set up';"
        "raise SystemExit(rc)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "routing", "evaluate", str(data), "--cv", "3", "--quiet"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1])["n"] == 18
