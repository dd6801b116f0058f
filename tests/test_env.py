"""Settings are read through config/env.py's typed helpers, so a bad value is one line that names
the variable, never a traceback (README: "A missing or malformed setting stops start-up with one
line naming the variable")."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from config.env import ConfigurationError, env_bool, env_float, env_int, env_list, env_str
from tests.test_cli import _run

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION = {
    "SECRET_KEY": "x" * 40,
    "DATABASE_URL": "postgres://u@h/db",
    "ALLOWED_HOSTS": "a",
    "FIELD_ENCRYPTION_KEYS": "0" * 43 + "=",
}


def test_env_str() -> None:
    assert env_str("S", "d", environ={}) == "d"
    assert env_str("S", "d", environ={"S": ""}) == "d"
    assert env_str("S", environ={"S": "v"}) == "v"
    with pytest.raises(ConfigurationError, match=r"^S is not set"):
        env_str("S", environ={})


def test_env_bool() -> None:
    assert env_bool("B", True, environ={}) is True
    assert [env_bool("B", False, environ={"B": v}) for v in ("1", "TRUE", " yes", "on")] == [
        True
    ] * 4
    assert [env_bool("B", True, environ={"B": v}) for v in ("0", "false", "No", "off")] == [
        False
    ] * 4
    with pytest.raises(ConfigurationError, match=r"^B must be true or false, not 'maybe'"):
        env_bool("B", True, environ={"B": "maybe"})


def test_env_int() -> None:
    assert env_int("N", 5, environ={" ": ""}) == 5
    assert env_int("N", 5, environ={"N": " 7 "}) == 7
    assert env_int("P", 25, minimum=1, maximum=65535, environ={"P": "65535"}) == 65535
    with pytest.raises(ConfigurationError, match=r"^N must be a whole number, not '1\.5'"):
        env_int("N", 5, environ={"N": "1.5"})
    with pytest.raises(ConfigurationError, match=r"^N must be at least 1, not '0'"):
        env_int("N", 5, minimum=1, environ={"N": "0"})
    with pytest.raises(ConfigurationError, match=r"^P must be at most 65535, not '65536'"):
        env_int("P", 25, minimum=1, maximum=65535, environ={"P": "65536"})


def test_env_float() -> None:
    assert env_float("F", 0.5, environ={}) == 0.5
    assert env_float("F", 0.5, environ={"F": "2"}) == 2.0
    with pytest.raises(ConfigurationError, match=r"^F must be a number, not 'fast'"):
        env_float("F", 0.5, environ={"F": "fast"})
    with pytest.raises(ConfigurationError, match=r"^F must be at least 0\.1, not '0'"):
        env_float("F", 1.0, minimum=0.1, environ={"F": "0"})


def test_env_list() -> None:
    assert env_list("L", ["d"], environ={"L": "  "}) == ["d"]
    assert env_list("L", [], environ={"L": "a, b,,c "}) == ["a", "b", "c"]


def test_settings_parse_no_number_outside_the_helpers() -> None:
    """`int(env_str(...))` turns a typo into a traceback; the helpers name the variable."""
    offences = []
    for path in (ROOT / "config").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in {"int", "float"}
                and node.args
                and isinstance(node.args[0], ast.Call)
                and ast.unparse(node.args[0].func) in {"env_str", "os.environ.get", "os.getenv"}
            ):
                offences.append(f"{path.name}:{node.lineno} {ast.unparse(node)}")
    assert not offences


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("NOTIFICATIONS_BATCH_SIZE", "lots"),
        ("SESSION_IDLE_TIMEOUT_SECONDS", "30m"),
        ("EMAIL_PORT", "99999"),
        ("REDIS_TIMEOUT_SECONDS", "fast"),
    ],
)
def test_serve_with_a_bad_number_stops_with_one_line(variable: str, value: str) -> None:
    result = _run("serve", **PRODUCTION, **{variable: value})
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"minwon: {variable} must be")
    assert "Traceback" not in result.stderr


def test_a_bad_other_complaint_period_stops_with_one_line() -> None:
    result = _run("serve", **PRODUCTION, OTHER_COMPLAINT_PERIOD="three days")
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("minwon: OTHER_COMPLAINT_PERIOD: Unknown period")
    assert "Traceback" not in result.stderr


def test_a_bad_port_is_a_usage_error_not_a_traceback() -> None:
    result = _run("serve", **PRODUCTION, PORT="eighty")
    assert result.returncode == 2
    assert "invalid int value: 'eighty'" in result.stderr
    assert "Traceback" not in result.stderr
    worker = _run("worker", METRICS_WORKER_PORT="nine")
    assert worker.returncode == 2
    assert worker.stderr.strip() == "minwon: METRICS_WORKER_PORT must be a port number, not 'nine'."
