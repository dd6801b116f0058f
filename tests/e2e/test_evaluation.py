"""The evaluation dashboard (issue 21) in a real browser, Korean and English, axe-clean: the
민원총괄 reads the city's indicators (the hand-worked history of evaluation/tests/test_selectors.py),
each chart with its table, and follows a count by keyboard to the complaints behind it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from minwon.accounts.models import User
from minwon.complaints.models import Complaint
from minwon.evaluation.tests.conftest import clock, types  # noqa: F401  (fixtures)
from minwon.evaluation.tests.test_selectors import history  # noqa: F401  (fixture)
from tests.e2e.browser import assert_no_axe_violations, save_screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
MARCH = "since=2026-03-01&until=2026-03-31"


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_supervisor_reads_the_indicators_and_drills_down_by_keyboard(
    new_page: Callable[..., Any],
    login_as: Callable[..., None],
    history: dict[str, Complaint],  # noqa: F811
    supervisor: User,
    lang: str,
) -> None:
    page = new_page(lang=lang)
    login_as(page, supervisor)
    page.goto(f"/office/evaluation/?{MARCH}")
    summary = page.locator("dl.evaluation-summary")
    assert "18.52%" in summary.inner_text()  # 5 / 27
    assert "20.0%" in summary.inner_text()  # 1 late of 5
    reduction = page.locator("table.evaluation-reduction tbody")
    assert reduction.locator("tr").count() == 2
    assert "42.86%" in reduction.inner_text()
    assert page.locator("#chart-reduction-title").count() == 1
    nav = page.locator("nav.office-nav a[aria-current='page']")
    assert nav.inner_text() == ("종합평가 지표" if lang == "ko" else "Evaluation indicators")
    assert_no_axe_violations(page, f"evaluation dashboard ({lang})")
    save_screenshot(page, f"office-evaluation-{lang}")

    # Keyboard: focus the civil unit's late count and follow it with Enter.
    link = page.locator("table.evaluation-delay a[href*='figure=late'][href*='group=civil']")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/office/evaluation/cases/**")
    rows = page.locator("table.evaluation-cases tbody tr")
    assert rows.count() == 1
    assert history["C4"].receipt_number in rows.inner_text()
    assert ("지연" if lang == "ko" else "Late") in rows.inner_text()
    assert_no_axe_violations(page, f"evaluation drill-down ({lang})")
    save_screenshot(page, f"office-evaluation-cases-{lang}")
    page.get_by_role(
        "link", name="지표로 돌아가기" if lang == "ko" else "Back to the indicators"
    ).click()
    page.wait_for_url("**/office/evaluation/?**")
    assert "18.52%" in page.locator("dl.evaluation-summary").inner_text()


def test_bad_filters_show_their_errors_axe_clean(
    new_page: Callable[..., Any], login_as: Callable[..., None], supervisor: User
) -> None:
    page = new_page(lang="ko")
    login_as(page, supervisor)
    page.goto("/office/evaluation/?since=2026-03-31&until=2026-03-01")
    errors = page.locator("#evaluation-errors")
    assert "끝" in errors.inner_text() or "end date" in errors.inner_text().lower()
    assert page.locator("table.evaluation-reduction").count() == 0
    assert_no_axe_violations(page, "evaluation dashboard with errors")
