"""Routing on the officer's complaint page (issue 15), in a real browser, Korean and English,
axe-clean: the department suggestion (top 3, confidence, the words), and the officer choosing
another unit by keyboard alone, which passes the complaint there and records the override."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from minwon.accounts.models import OrgUnit, User
from minwon.accounts.services import org_unit_duties_update
from minwon.complaints import services as s
from minwon.complaints.models import Complaint
from minwon.lawclock.kinds import ComplaintKind
from minwon.routing import services as routing
from minwon.routing.models import Decision
from tests.e2e.browser import SCREENSHOTS, assert_no_axe_violations
from tests.factories import complaint_filed

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ROAD = "우리 동네 도로 포장이 깨져서 차가 다니기 위험합니다. 도로 보수를 부탁드립니다."


def shot(element: Any, name: str) -> None:
    """A screenshot of one part of the page (docs/routing.md shows the panel, not the page)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    element.screenshot(path=str(SCREENSHOTS / f"{name}.png"), animations="disabled")


@pytest.fixture(autouse=True)
def model_dir(settings: Any, tmp_path: Path) -> Path:
    settings.ROUTING_MODEL_DIR = str(tmp_path / "models")
    routing.duplicate_index_reset()
    return tmp_path / "models"


@pytest.fixture
def read_complaint(
    civil_unit: OrgUnit, road_unit: OrgUnit, supervisor: User, counter_officer: User
) -> Complaint:
    org_unit_duties_update(
        actor=supervisor, unit=civil_unit, duties="불법 주정차 단속; 주차 질서; 공영주차장"
    )
    org_unit_duties_update(
        actor=supervisor, unit=road_unit, duties="도로 보수; 도로 포장; 보도 정비; 도로 파손"
    )
    c = complaint_filed(
        ComplaintKind.GRIEVANCE,
        filed_by=counter_officer,
        org_unit=civil_unit,
        title="도로 파손 보수 요청",
        body=ROAD,
    )
    s.complaint_routing_sweep()
    return c


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_suggestion_is_shown_and_overridden_by_keyboard(
    new_page: Callable[..., Any],
    login_as: Callable[..., None],
    read_complaint: Complaint,
    supervisor: User,
    civil_unit: OrgUnit,
    lang: str,
) -> None:
    page = new_page(lang=lang)
    login_as(page, supervisor)
    page.goto(f"/office/complaints/{read_complaint.pk}/")
    panel = page.locator("section.routing-panel")
    rows = panel.locator("table.routing-suggestions tbody tr")
    assert rows.count() >= 2
    first = rows.nth(0).inner_text()
    assert ("도로관리과" if lang == "ko" else "Road Maintenance Division") in first
    assert "%" in first and "도로" in first  # the confidence and the words that drove it
    assert_no_axe_violations(page, f"complaint page with the department suggestion ({lang})")
    if lang == "ko":
        shot(panel, "office-routing-suggestion-desktop")

    # Keyboard alone: choose the complaint's own unit (an override: nothing moves), confirm.
    select = page.locator("#id_route-unit")
    select.focus()
    while select.input_value() != civil_unit.code:
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_route-reason"
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    decision = Decision.objects.get()
    assert (decision.outcome, decision.chosen_label) == (Decision.OVERRIDDEN, civil_unit.code)
    assert page.locator("p.routing-decision").count() == 1
    assert_no_axe_violations(page, f"complaint page after the decision ({lang})")
