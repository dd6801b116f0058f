"""The demo starts clean (issue 11 item 14): `minwon demo` as a user runs it, in its own process
with its own data folder and port, then every job of the schedule once on the demo's data.

The demo's log once showed "background runner: notifications.daily_digest failed" with a
traceback (the digest selector's rows were not the sweep's `DigestRow`). The digest runs at 08:30
on weekdays, so a start alone does not show it: this test runs each scheduled job the way the
in-process runner does (`minwon.core.runner._guarded`, which logs the traceback of a failing
job) with the demo's own settings, and then reads both logs. Nothing in them may be a traceback
or an error. On the way an officer logs in to the demo by keyboard alone with the second-factor
key the demo printed, and the pages are axe-clean in Korean and English.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyotp
import pytest

from tests.e2e.browser import LOCALES, ROOT, assert_no_axe_violations, save_screenshot
from tests.e2e.test_keyboard import focused, skip_to_main

pytestmark = [pytest.mark.e2e]

DEMO_PASSWORD = "paju-minwon-2026"
# Runs every entry of THE schedule once, as the demo's background thread would when each is due.
RUN_EVERY_JOB = """
import django
django.setup()
from minwon.core import jobs, runner
schedule = jobs.schedule_get()
declared = schedule.import_jobs()
for entry in schedule.entries:
    runner._guarded(entry.task, declared[entry.task].function)
    print("ran", entry.task, flush=True)
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _demo_environment(data_dir: Path) -> dict[str, str]:
    """The environment a person running ./scripts/demo has: none of the test run's settings."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "MINWON_MODE", "SECRET_KEY"}
        and not k.startswith("PYTEST")
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update({"MINWON_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1"})
    return env


def _wait_for(url: str, process: subprocess.Popen[str], log: Path) -> None:
    import urllib.request

    for _ in range(600):  # seeding 91 units and the catalogue takes a while on a busy machine
        if process.poll() is not None:
            pytest.fail(f"the demo stopped:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"the demo did not answer at {url}:\n{log.read_text()}")


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[dict[str, Any]]:
    port = _free_port()
    data_dir = tmp_path / "data"
    log = tmp_path / "demo.log"
    env = _demo_environment(data_dir)
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "minwon"), "demo", "--port", str(port),
             "--data-dir", str(data_dir)],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_for(url + "/", process, log)
        yield {"url": url, "log": log, "env": env}
    finally:
        process.terminate()
        process.wait(timeout=30)


def _type_code(page: Any, totp: pyotp.TOTP, last_step: int) -> int:
    """Type a code of a step the server has not seen (the replay guard refuses a used step and
    accepts one step ahead); wait for the next step only when both are used."""
    while last_step + 1 > int(time.time()) // 30 + 1:
        time.sleep(1)
    step = last_step + 1
    page.keyboard.type(totp.at(step * 30))
    return step


def _assert_clean(text: str, what: str) -> None:
    assert "Traceback" not in text, f"{what} has a traceback:\n{text}"
    assert not re.search(r"\bfailed\b|\bERROR\b", text), f"{what} reports a failure:\n{text}"


def test_the_demo_starts_and_runs_its_schedule_without_a_traceback(
    browser: Any, demo: dict[str, Any]
) -> None:
    printed = demo["log"].read_text()
    key = re.search(r"^\s+road\s.*TOTP key ([A-Z2-7]+)$", printed, re.MULTILINE)
    assert key, printed

    # The demo confirmed each enrolment with a code of this step or the one before.
    last_step = int(time.time()) // 30
    for lang in ("ko", "en"):
        context = browser.new_context(
            locale=LOCALES[lang], base_url=demo["url"], service_workers="block"
        )
        context.add_cookies([{"name": "django_language", "value": lang, "url": demo["url"]}])
        page = context.new_page()
        page.goto("/")
        assert page.locator("html").get_attribute("lang") == lang
        assert_no_axe_violations(page, f"demo home ({lang})")

        # The officer logs in to the demo by keyboard alone, with what the demo printed.
        page.goto("/office/")
        skip_to_main(page)
        page.keyboard.press("Tab")
        assert focused(page) == "input#id_username"
        page.keyboard.type("road")
        page.keyboard.press("Tab")
        page.keyboard.type(DEMO_PASSWORD)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        skip_to_main(page)
        page.keyboard.press("Tab")
        assert focused(page) == "input#id_code"
        last_step = _type_code(page, pyotp.TOTP(key.group(1)), last_step)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url.split("#")[0].endswith("/office/"), (lang, page.inner_text("main"))
        assert page.locator("tbody tr").count() >= 1  # the demo's complaints are in the queue
        assert_no_axe_violations(page, f"demo office queue ({lang})")
        if lang == "ko":
            save_screenshot(page, "demo-office-queue-desktop")
        context.close()

    jobs = subprocess.run(
        [sys.executable, "-c", RUN_EVERY_JOB],
        cwd=ROOT, env={**demo["env"], "MINWON_MODE": "demo",
                       "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert jobs.returncode == 0, jobs.stderr
    assert "ran notifications.daily_digest" in jobs.stdout
    _assert_clean(jobs.stderr, "the scheduled jobs on the demo's data")
    _assert_clean(demo["log"].read_text(), "the demo's log")
