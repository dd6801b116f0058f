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
from minwon.complaints.domain import Outcome
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


PARKING = (
    "금촌동 아파트 정문 앞 도로에 불법 주정차 차량이 매일 밤 줄지어 서 있어서 "
    "아이들이 길을 건너기가 너무 위험합니다. 주차 단속을 강화해 주세요."
)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_near_duplicates_side_by_side_and_a_campaign_merged_by_keyboard(
    new_page: Callable[..., Any],
    login_as: Callable[..., None],
    supervisor: User,
    counter_officer: User,
    civil_unit: OrgUnit,
    lang: str,
) -> None:
    members = [
        complaint_filed(
            ComplaintKind.GRIEVANCE,
            filed_by=counter_officer,
            org_unit=civil_unit,
            title="불법 주정차 단속 요청",
            body=PARKING if i else PARKING + " 꼭 부탁드립니다.",
            applicant=s.ApplicantInput(name=f"주민{i}", address=f"경기도 파주시 금촌로 {i}"),
        )
        for i in range(5)
    ]
    s.complaint_routing_sweep()
    page = new_page(lang=lang)
    login_as(page, supervisor)
    page.goto(f"/office/complaints/{members[0].pk}/")
    panel = page.locator("section.related-panel")
    assert panel.locator(".campaign-suggestion").count() == 1
    assert panel.locator("article.duplicate").count() == 4
    assert panel.locator("article.duplicate").first.locator("mark").count() >= 2
    assert_no_axe_violations(page, f"near-duplicates and a campaign ({lang})")
    if lang == "ko":
        shot(panel, "office-routing-duplicates-desktop")

    # Keyboard alone: the campaign's merge button, then Enter.
    button = panel.locator(".campaign-suggestion button[type='submit']")
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    first = Complaint.objects.get(pk=members[0].pk)
    assert first.is_multi_party is True
    assert Complaint.objects.filter(merged_into=first).count() == 4
    assert_no_axe_violations(page, f"after merging the campaign ({lang})")


NOISE = (
    "밤마다 윗집에서 쿵쿵거리는 층간소음이 너무 심해서 잠을 잘 수가 없습니다. "
    "관리사무소에 여러 번 말했지만 해결되지 않으니 시에서 조치해 주세요."
)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_repeat_flag_with_its_evidence_and_the_officers_closure_by_keyboard(
    new_page: Callable[..., Any],
    login_as: Callable[..., None],
    supervisor: User,
    counter_officer: User,
    civil_unit: OrgUnit,
    lang: str,
) -> None:
    for _ in range(2):
        c = complaint_filed(
            ComplaintKind.GRIEVANCE, filed_by=counter_officer, org_unit=civil_unit, body=NOISE
        )
        s.complaint_answer(
            complaint=c, actor=counter_officer, outcome=Outcome.INFORMED, answer="안내했습니다."
        )
    third = complaint_filed(
        ComplaintKind.GRIEVANCE,
        filed_by=counter_officer,
        org_unit=civil_unit,
        title="층간소음 또 신고합니다",
        body=NOISE,
    )
    s.complaint_routing_sweep()
    page = new_page(lang=lang)
    login_as(page, supervisor)
    page.goto(f"/office/complaints/{third.pk}/")
    panel = page.locator("section.repeat-panel")
    assert panel.locator("table.repeat-evidence tbody tr").count() == 2
    assert_no_axe_violations(page, f"repeat flag ({lang})")
    if lang == "ko":
        shot(panel, "office-routing-repeat-desktop")
    page.locator("#id_close-repeated-reason").focus()
    page.keyboard.type("같은 층간소음 민원으로 이미 두 차례 안내했습니다.")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    third.refresh_from_db()
    assert third.status == "closed"
    assert_no_axe_violations(page, f"after closing as repeated ({lang})")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_counter_form_suggests_a_department_as_the_officer_types(
    new_page: Callable[..., Any],
    login_as: Callable[..., None],
    counter_officer: User,
    supervisor: User,
    civil_unit: OrgUnit,
    road_unit: OrgUnit,
    lang: str,
) -> None:
    org_unit_duties_update(
        actor=supervisor, unit=civil_unit, duties="불법 주정차 단속; 주차 질서; 공영주차장"
    )
    org_unit_duties_update(
        actor=supervisor, unit=road_unit, duties="도로 보수; 도로 포장; 보도 정비; 도로 파손"
    )
    page = new_page(lang=lang)
    login_as(page, counter_officer)
    page.goto("/office/intake/")
    box = page.locator("[data-routing-suggest]")
    assert box.is_visible()  # the script un-hid it (no inline script: a static file)
    page.locator("#id_title").fill("도로 파손")
    page.locator("#id_body").focus()
    page.keyboard.type(ROAD)  # typing alone asks for the suggestion after a pause
    first = box.locator("ol.routing-suggest-list li").first
    first.wait_for()
    assert ("도로관리과" if lang == "ko" else "Road Maintenance Division") in first.inner_text()
    assert "%" in first.inner_text() and "도로" in first.inner_text()
    assert_no_axe_violations(page, f"counter form with the suggestion ({lang})")
    if lang == "ko":
        shot(box, "office-intake-routing-suggestion-desktop")
    # Keyboard: the "use" button of the first suggestion fills the department field.
    first.locator("button").focus()
    page.keyboard.press("Enter")
    assert page.locator("#id_org_unit").input_value() == road_unit.code
    assert road_unit.display_name(lang) in box.locator("[data-suggest-status]").inner_text()
    # The button asks again for the current text; unusable text says why.
    page.locator("#id_title").fill("")
    page.locator("#id_body").fill("hello world")
    box.locator("[data-suggest-button]").focus()
    page.keyboard.press("Enter")
    from playwright.sync_api import expect

    reason = "한국어가 아닙니다" if lang == "ko" else "not in Korean"
    expect(box.locator("[data-suggest-status]")).to_contain_text(reason)
    expect(box.locator("ol.routing-suggest-list")).to_have_count(0)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_routing_metrics_page_by_keyboard_from_the_menu(
    new_page: Callable[..., Any],
    login_as: Callable[..., None],
    read_complaint: Complaint,
    supervisor: User,
    road_unit: OrgUnit,
    lang: str,
) -> None:
    s.complaint_routing_decide(complaint=read_complaint, actor=supervisor, unit=road_unit)
    page = new_page(lang=lang)
    login_as(page, supervisor)
    page.goto("/office/")
    page.locator("nav.office-nav a[href='/office/routing/']").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("svg[role='img']").count() == 3
    assert page.locator("table.routing-weeks tbody tr").count() == 12
    assert page.locator("table.routing-units tbody tr").count() == 1
    assert page.locator("nav.office-nav [aria-current='page']").count() == 1
    assert_no_axe_violations(page, f"routing metrics ({lang})")
    if lang == "ko":
        shot(page.locator("main"), "office-routing-metrics-desktop")
