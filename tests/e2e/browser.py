"""Helpers for the end-to-end tests (the fixtures are in conftest.py)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pyotp

from minwon.accounts.models import User
from minwon.core import crypto

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
LOCALES = {"ko": "ko-KR", "en": "en-US"}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def next_totp_code(user: User) -> str:
    """A code the server accepts now: the current 30-second step, or the next one if the current
    one was used (the replay guard refuses a step twice; one step of drift is accepted)."""
    user.refresh_from_db()
    current = int(time.time()) // 30
    step = max(user.totp_last_step + 1, current)
    assert step <= current + 1, "this officer logged in too often in one minute for a test"
    return pyotp.TOTP(crypto.decrypt(user.totp_secret_encrypted)).at(step * 30)


def assert_no_axe_violations(page: Any, label: str) -> int:
    """Run axe-core (WCAG 2.1 A and AA rules) on the page; return how many rules passed."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]},
    )
    assert results.violations_count == 0, f"{label}:\n{results.generate_report()}"
    return len(results.response.get("passes", []))


def save_screenshot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True, animations="disabled")
