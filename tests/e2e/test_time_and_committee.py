"""Issue 12 on the officer's complaint page, in a real browser, Korean and English, axe-clean and
by keyboard: time the legal clock does not count (영 제17조④⑤, 제20조) recorded with its basis
and then ended, and the 민원조정위원회's deliberation (영 제26조, 제38조의2) recorded."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from minwon.accounts.models import OrgUnit, User
from minwon.complaints import services as s
from minwon.complaints.models import Complaint, ComplaintEvent
from minwon.core import clock
from minwon.lawclock.kinds import ComplaintKind
from tests.e2e.browser import SCREENSHOTS, assert_no_axe_violations
from tests.factories import complaint_filed

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def shot(element: Any, name: str) -> None:
    """A screenshot of one part of the page (docs/ui.md shows the panel, not the whole page)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    element.screenshot(path=str(SCREENSHOTS / f"{name}.png"), animations="disabled")


def minutes_ago(minutes: int) -> str:
    """A datetime-local value (Seoul time, to the minute) `minutes` before now."""
    return (clock.local_now() - timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M")


def tab_to(page: Any, element_id: str, limit: int = 40) -> None:
    for _ in range(limit):
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached #{element_id}")


@pytest.fixture
def grievance(counter_officer: User, civil_unit: OrgUnit) -> Complaint:
    c = complaint_filed(
        ComplaintKind.GRIEVANCE,
        filed_by=counter_officer,
        org_unit=civil_unit,
        title="하천 수질 검사 요청",
        body="공릉천 물 색이 이상합니다. 수질을 검사해 주세요.",
    )
    return s.complaint_assign(complaint=c, actor=counter_officer, assignee=counter_officer)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_excluded_time_is_recorded_and_ended_by_keyboard(
    new_page: Callable[..., Any],
    login_as: Callable[..., None],
    grievance: Complaint,
    counter_officer: User,
    lang: str,
) -> None:
    page = new_page(lang=lang)
    login_as(page, counter_officer)
    page.goto(f"/office/complaints/{grievance.pk}/")
    panel = page.locator("section.excluded-time")
    heading = "처리기간에 산입하지 않는 기간" if lang == "ko" else "Time not counted"
    assert heading in panel.locator("h2").inner_text()
    assert_no_axe_violations(page, f"complaint page with the excluded-time form ({lang})")

    # Keyboard alone: the kind (arrows), the start, the note, then the button.
    kind = page.locator("#id_excluded-kind")
    kind.focus()
    while kind.input_value() != "testing":
        page.keyboard.press("ArrowDown")
    assert "행정절차법 시행령 제11조 제5호" in kind.locator("option:checked").inner_text()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_excluded-start"
    page.locator("#id_excluded-start").fill(minutes_ago(2))
    tab_to(page, "id_excluded-note")
    page.keyboard.type("수질 검사 의뢰")
    tab_to(page, "")  # past the note: the next stop is the form's button
    assert page.evaluate("document.activeElement.textContent").strip() in (
        "기간 기록",
        "Record the period",
    )
    with page.expect_navigation():
        page.keyboard.press("Enter")
    grievance.refresh_from_db()
    assert grievance.due_at is None  # running: the clock is stopped
    running = "진행 중" if lang == "ko" else "still running"
    assert running in panel.locator("table").inner_text()
    assert_no_axe_violations(page, f"excluded time running ({lang})")
    if lang == "ko":
        shot(panel, "office-excluded-time-desktop")

    end = page.locator("#id_excluded_end-end")
    end.focus()
    end.fill(minutes_ago(1))
    tab_to(page, "id_excluded_end-note")  # Tab walks the date's parts, then the note
    page.keyboard.press("Tab")  # the button
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert Complaint.objects.get(pk=grievance.pk).due_at is not None
    assert ComplaintEvent.objects.filter(complaint=grievance, action="end_excluded_time").exists()
    assert "행정절차법 시행령 제11조 제5호" in panel.locator("table").inner_text()
    assert_no_axe_violations(page, f"excluded time ended ({lang})")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_committee_deliberation_is_recorded_by_keyboard(
    new_page: Callable[..., Any],
    login_as: Callable[..., None],
    counter_officer: User,
    civil_unit: OrgUnit,
    lang: str,
) -> None:
    c = complaint_filed(
        ComplaintKind.SUGGESTION,
        filed_by=counter_officer,
        org_unit=civil_unit,
        title="마을 앞 도로 확장 요청 (연명)",
        cosigners=[
            s.CosignerInput(
                name=f"주민{i}", address=f"파주시 운정로 {i + 10}", is_representative=i == 0
            )
            for i in range(5)
        ],
    )
    page = new_page(lang=lang)
    login_as(page, counter_officer)
    page.goto(f"/office/complaints/{c.pk}/")
    form = page.locator("form[action$='/committee/']")
    assert "시행령 제26조" in form.inner_text()
    assert_no_axe_violations(page, f"complaint page with the committee form ({lang})")

    # A meeting tomorrow: the server's error beside the field, nothing recorded.
    held_on = page.locator("#id_committee-held_on")
    held_on.focus()
    held_on.fill((clock.local_now().date() + timedelta(days=1)).isoformat())
    tab_to(page, "id_committee-decision_0")  # Tab walks the date's parts, then the decision
    page.keyboard.press("Space")  # the first decision: close
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_committee-summary"
    page.keyboard.type("동일 내용 3회, 종결 의결")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#committee-held_on-error").count() == 1
    assert not ComplaintEvent.objects.filter(complaint=c, action="committee_review").exists()
    assert page.locator("#id_committee-summary").input_value() == "동일 내용 3회, 종결 의결"
    assert_no_axe_violations(page, f"committee form with an error ({lang})")

    held_on = page.locator("#id_committee-held_on")
    held_on.focus()
    held_on.fill(clock.local_now().date().isoformat())
    tab_to(page, "id_committee-decision_0")
    page.keyboard.press("Space")
    tab_to(page, "id_committee-summary")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    review = ComplaintEvent.objects.get(complaint=c, action="committee_review")
    assert review.data["decision"] == "close"
    history = page.locator("ol.timeline").inner_text()
    assert "동일 내용 3회, 종결 의결" in history and "제38조의2" in history
    assert_no_axe_violations(page, f"committee deliberation recorded ({lang})")
    if lang == "ko":
        shot(page.locator("ol.timeline li").last, "office-committee-review-history-desktop")
        page.goto(f"/office/complaints/{c.pk}/")
        shot(page.locator("form[action$='/committee/']"), "office-committee-review-desktop")
