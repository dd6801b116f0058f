"""The wiring (config/) hands things to the application; the application never imports it."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest

from minwon.core import jobs
from minwon.notifications import wakeup

ROOT = Path(__file__).resolve().parents[1]


def _imports(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return names


def test_nothing_under_minwon_imports_the_wiring() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in sorted((ROOT / "minwon").rglob("*.py"))
        for name in _imports(path)
        if name == "config" or name.startswith("config.")
    ]
    assert not offenders


def test_the_wiring_hands_its_celery_app_in() -> None:
    from config import celery_app

    assert jobs.app_get() is celery_app


class _Recorder:
    def __init__(self) -> None:
        self.sent: list[tuple[str, dict[str, Any]]] = []

    def send_task(self, name: str, kwargs: dict[str, Any] | None = None) -> None:
        self.sent.append((name, kwargs or {}))


class _Down:
    def send_task(self, name: str, kwargs: dict[str, Any] | None = None) -> None:
        raise ConnectionError("broker down")


@pytest.fixture
def installed(monkeypatch: pytest.MonkeyPatch) -> _Recorder:
    recorder = _Recorder()
    monkeypatch.setattr(jobs, "_app", recorder)
    return recorder


def test_a_celery_wakeup_goes_through_the_installed_app(
    installed: _Recorder, settings: Any
) -> None:
    settings.BACKGROUND_RUNNER = "celery"
    wakeup.wake([7, 8])
    wakeup.wake([])
    assert installed.sent == [
        ("notifications.deliver", {"notification_id": 7}),
        ("notifications.deliver", {"notification_id": 8}),
        ("notifications.dispatch", {}),
    ]


def test_a_broker_that_is_down_is_logged_not_raised(
    monkeypatch: pytest.MonkeyPatch, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(jobs, "_app", _Down())
    settings.BACKGROUND_RUNNER = "celery"
    wakeup.wake([1])
    assert "broker unavailable" in caplog.text


def test_without_an_installed_app_a_send_only_waits_for_the_schedule(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(jobs, "_app", None)
    jobs.send("notifications.dispatch")
    assert "waits for the schedule" in caplog.text
    with pytest.raises(RuntimeError):
        jobs.app_get()
