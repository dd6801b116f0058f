"""The `minwon` command as a user runs it (a real process)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MINWON = [sys.executable, "-m", "minwon.cli"]


def _env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "SECRET_KEY", "MINWON_MODE"}
    }
    env.update(extra)
    return env


def _run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*MINWON, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=_env(**env),
        timeout=300,
        check=False,
    )


def test_help_lists_the_commands() -> None:
    result = _run("--help")
    assert result.returncode == 0
    for command in (
        "demo",
        "serve",
        "migrate",
        "createsuperuser",
        "deadline",
        "deadlines recompute",
    ):
        assert command in result.stdout


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({}, "SECRET_KEY"),
        ({"SECRET_KEY": "x" * 40}, "DATABASE_URL"),
        ({"SECRET_KEY": "x" * 40, "DATABASE_URL": "not a url"}, "DATABASE_URL"),
        ({"SECRET_KEY": "x" * 40, "DATABASE_URL": "mysql://u@h/db"}, "DATABASE_URL"),
        ({"SECRET_KEY": "short", "DATABASE_URL": "postgres://u@h/db"}, "SECRET_KEY"),
        ({"SECRET_KEY": "x" * 40, "DATABASE_URL": "postgres://u@h/db"}, "ALLOWED_HOSTS"),
        (
            {"SECRET_KEY": "x" * 40, "DATABASE_URL": "postgres://u@h/db", "ALLOWED_HOSTS": "a"},
            "FIELD_ENCRYPTION_KEYS",
        ),
        (
            {
                "SECRET_KEY": "x" * 40,
                "DATABASE_URL": "postgres://u@h/db",
                "ALLOWED_HOSTS": "a",
                "FIELD_ENCRYPTION_KEYS": "not-a-key",
            },
            "FIELD_ENCRYPTION_KEYS",
        ),
        (
            {
                "SECRET_KEY": "x" * 40,
                "DATABASE_URL": "postgres://u@h/db",
                "ALLOWED_HOSTS": "a",
                "FIELD_ENCRYPTION_KEYS": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
                "WEBHOOKS_ALLOW_LOOPBACK": "1",
            },
            "WEBHOOKS_ALLOW_LOOPBACK",
        ),
        (
            {
                "SECRET_KEY": "x" * 40,
                "DATABASE_URL": "postgres://u@h/db",
                "ALLOWED_HOSTS": "a",
                "FIELD_ENCRYPTION_KEYS": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
                "WEBHOOKS_ALLOWED_PORTS": "443,ssh",
            },
            "WEBHOOKS_ALLOWED_PORTS",
        ),
    ],
)
def test_bad_production_configuration_stops_with_one_line(
    env: dict[str, str], variable: str
) -> None:
    result = _run("serve", **env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert variable in lines[0]
    assert "Traceback" not in result.stderr


def test_bad_mode_names_the_variable() -> None:
    result = _run("check", MINWON_MODE="staging")
    assert result.returncode == 2
    assert "MINWON_MODE" in result.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_demo_seeds_idempotently_and_serves(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = _run("demo", "--data-dir", str(data), "--no-serve")
    assert first.returncode == 0, first.stderr
    assert "road" in first.stdout and "paju-minwon-2026" in first.stdout
    second = _run("demo", "--data-dir", str(data), "--no-serve")
    assert second.returncode == 0, second.stderr
    assert "(0 new)" in second.stdout
    port = _free_port()
    server = subprocess.Popen(
        [*MINWON, "demo", "--data-dir", str(data), "--port", str(port)],
        cwd=ROOT,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        body = b""
        give_up = time.monotonic() + 240  # start-up is slow on a loaded 2-core machine
        while time.monotonic() < give_up and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    assert response.status == 200
                    body = response.read()
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.5)
        assert b"<html" in body
        opener = urllib.request.build_opener(_NoRedirect)
        with pytest.raises(urllib.error.HTTPError) as redirect:
            opener.open(f"http://127.0.0.1:{port}/office/", timeout=5)
        assert redirect.value.code == 302
        assert redirect.value.headers["Location"].startswith("/accounts/login/")
        otp = _run("otp", "road", MINWON_DATA_DIR=str(data))
        assert otp.returncode == 0 and otp.stdout.strip().isdigit()
    finally:
        server.terminate()
        try:  # SIGTERM drains for up to 25 s (minwon.serving) and stops the background jobs
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
            raise


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_createsuperuser_makes_an_administrator_officer(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    assert _run("migrate", MINWON_DATA_DIR=data).returncode == 0
    result = _run(
        "createsuperuser",
        "--username",
        "chief",
        "--noinput",
        MINWON_DATA_DIR=data,
        DJANGO_SUPERUSER_PASSWORD="a-long-admin-password-7",
    )
    assert result.returncode == 0, result.stderr
    assert "chief" in result.stdout
    check = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup();"
            "from minwon.accounts.models import User;"
            "from minwon.accounts.selectors import user_roles;"
            "u = User.objects.get(username='chief');"
            "print(u.kind, u.is_superuser, u.org_unit.kind, sorted(r.value for r in user_roles(u)))",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
        env=_env(MINWON_DATA_DIR=data, DJANGO_SETTINGS_MODULE="config.settings"),
    )
    assert check.stdout.strip() == ("officer True city ['administrator', 'complaint_supervisor']")
    again = _run(
        "createsuperuser",
        "--username",
        "chief",
        "--noinput",
        MINWON_DATA_DIR=data,
        DJANGO_SUPERUSER_PASSWORD="a-long-admin-password-7",
    )
    assert again.returncode != 0
    assert "username" in again.stderr
