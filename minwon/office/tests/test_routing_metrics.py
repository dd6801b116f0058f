"""The office's routing metrics page (issue 15): suggestion accuracy and misroutes per week and
per unit, each as a server-drawn chart and the table behind it; citywide officers only."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client

from minwon.accounts.models import OrgUnit, User
from minwon.accounts.services import org_unit_duties_update
from minwon.complaints import services as s
from minwon.complaints.domain import Outcome, TransferKind
from minwon.core import clock
from minwon.lawclock.kinds import ComplaintKind
from minwon.office.domain import bar_chart
from minwon.routing import services as routing
from minwon.routing.selectors import accuracy_by_week
from tests.factories import complaint_filed

ROAD = "우리 동네 도로 포장이 깨져서 차가 다니기 위험합니다. 도로 보수를 부탁드립니다."
PARKING = "아파트 정문 앞 불법 주정차 차량 때문에 통행이 어렵습니다. 주차 단속을 해 주세요."


@pytest.fixture(autouse=True)
def model_dir(settings, tmp_path: Path) -> Path:
    settings.ROUTING_MODEL_DIR = str(tmp_path / "models")
    routing.duplicate_index_reset()
    return tmp_path / "models"


def test_bar_chart_scales_bars_to_the_axis_and_skips_missing_values() -> None:
    chart = bar_chart([("a", 50.0), ("b", None), ("c", 100.0)], max_value=100, suffix="%")
    a, b, c = chart.bars
    assert c.height == pytest.approx(2 * a.height) and c.y < a.y
    assert (b.height, b.text) == (0.0, "")
    assert (a.text, c.text) == ("50%", "100%")
    assert [label for _y, label in chart.ticks] == ["0%", "25%", "50%", "75%", "100%"]
    assert bar_chart([("x", 0.0)]).bars[0].height == 0.0  # an empty axis still has a top


@pytest.fixture
def history(
    civil_unit: OrgUnit, road_unit: OrgUnit, supervisor: User, counter_officer: User
) -> None:
    """Three complaints read and handled: accepted to road (correct), parking answered where it
    was (correct), road passed on by hand after the suggestion (a misroute)."""
    org_unit_duties_update(actor=supervisor, unit=civil_unit, duties="불법 주정차 단속; 주차 질서")
    org_unit_duties_update(
        actor=supervisor, unit=road_unit, duties="도로 보수; 도로 포장; 도로 파손"
    )

    def filed(body: str):
        return complaint_filed(
            ComplaintKind.GRIEVANCE, filed_by=counter_officer, org_unit=civil_unit, body=body
        )

    accepted, parking, moved = filed(ROAD), filed(PARKING), filed(ROAD)
    s.complaint_routing_sweep()
    accepted, _d = s.complaint_routing_decide(complaint=accepted, actor=supervisor, unit=road_unit)
    moved = s.complaint_transfer(
        complaint=moved,
        actor=supervisor,
        kind=TransferKind.INTERNAL,
        reason="소관 부서",
        to_org_unit=road_unit,
    )
    for c in (accepted, parking, moved):
        s.complaint_answer(complaint=c, actor=supervisor, outcome=Outcome.INFORMED, answer="답변")
    s.complaint_routing_sweep()


def test_accuracy_and_misroutes_per_week(history: None) -> None:
    weeks = accuracy_by_week(today=clock.local_now().date())
    assert len(weeks) == 12 and all(w.suggested == 0 for w in weeks[:-1])
    now = weeks[-1]
    assert (now.suggested, now.labelled, now.correct, now.misroutes) == (3, 3, 2, 1)
    assert now.accuracy_percent == 67


def test_the_page_shows_charts_and_tables_to_citywide_officers_only(
    history: None,
    supervisor: User,
    road_officer: User,
    officer_client: Callable[[User], Client],
) -> None:
    page = officer_client(supervisor).get("/office/routing/").content.decode()
    assert page.count('role="img"') == 3  # per week: accuracy, misroutes; per unit
    assert "67%" in page and "routing-units" in page and "도로관리과" in page
    assert 'href="/office/routing/"' in page  # in the menu
    assert officer_client(road_officer).get("/office/routing/").status_code == 404
    menu = officer_client(road_officer).get("/office/").content.decode()
    assert 'href="/office/routing/"' not in menu
