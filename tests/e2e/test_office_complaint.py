"""The officer's complaint page (issue 11 item 13), in Korean and English: an overdue complaint says
by how many days beside its date; while a supplement is awaited the page gives its due date and
says the clock is stopped; the deadline cites one set of articles; a refusal sent with nothing
filled in shows every error of the answer form at once (by keyboard). axe on every state; the
Korean run saves the screenshots docs/ui.md shows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from minwon.accounts.models import OrgUnit, User
from minwon.complaints import services as s
from minwon.complaints.domain import deadline_citation
from minwon.complaints.models import Complaint
from minwon.core import clock
from minwon.lawclock.kinds import ComplaintKind
from tests.e2e.browser import assert_no_axe_violations, save_screenshot
from tests.factories import complaint_filed

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WORDS = {
    "ko": {"overdue": "기한 초과 4일", "stopped": "처리기간이 멈춰 있습니다"},
    "en": {"overdue": "4 days overdue", "stopped": "processing period is stopped"},
}


def _taken(road_unit: OrgUnit, officer: User, title: str) -> Complaint:
    complaint = complaint_filed(ComplaintKind.GRIEVANCE, org_unit=road_unit, title=title)
    return s.complaint_assign(complaint=complaint, actor=officer, assignee=officer)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_overdue_supplement_one_citation_and_every_answer_error_at_once(
    new_page: Callable[..., Any],
    login_as: Callable[..., None],
    road_officer: User,
    road_unit: OrgUnit,
    lang: str,
) -> None:
    words = WORDS[lang]
    late = _taken(road_unit, road_officer, "보도블록 파손")
    Complaint.objects.filter(pk=late.pk).update(due_at=clock.now() - timedelta(days=4, hours=1))
    waiting = _taken(road_unit, road_officer, "하수구 냄새")
    waiting = s.complaint_supplement_request(
        complaint=waiting, actor=road_officer, items=["사진"], days=7
    )
    page = new_page(lang=lang)
    login_as(page, road_officer)

    page.goto(f"/office/complaints/{late.pk}/")
    due = page.locator(".due-row dd")
    assert words["overdue"] in due.locator(".time-left.is-overdue").inner_text()
    late.refresh_from_db()
    citation = deadline_citation(
        clock=late.clock,
        period_basis=late.period_legal_basis,
        deadline_basis=late.deadline_legal_basis,
    )
    assert citation in due.inner_text()

    # A refusal with nothing filled in, by keyboard: every error at once, in the summary.
    page.select_option("#id_answer-outcome", "refused")
    page.focus("form[action$='/answer/'] button[type='submit']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    summary = page.locator(".error-summary")
    for field in ("answer-answer", "answer-reason", "answer-appeal_route"):
        assert summary.locator(f"a[href='#id_{field}']").count() == 1, field
        assert page.locator(f"#id_{field}[aria-invalid='true']").count() == 1, field
    assert_no_axe_violations(page, f"answer form with every error ({lang})")
    if lang == "ko":
        save_screenshot(page, "office-complaint-overdue-answer-errors-desktop")

    page.goto(f"/office/complaints/{waiting.pk}/")
    due = page.locator(".due-row dd")
    assert words["stopped"] in due.inner_text()
    assert waiting.supplement_due_on is not None
    day = waiting.supplement_due_on
    shown = f"{day.year}. {day.month}. {day.day}." if lang == "ko" else str(day.year)
    assert shown in due.inner_text()
    assert due.locator(".is-overdue").count() == 0
    assert_no_axe_violations(page, f"complaint waiting for a supplement ({lang})")
    if lang == "ko":
        save_screenshot(page, "office-complaint-supplement-desktop")
