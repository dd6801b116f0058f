"""The evaluation dashboard and its drill-down in the office (issue 21): the hand-worked history
of evaluation/tests/test_selectors.py, seen by the 민원총괄 (the city) and a unit head (the unit)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from minwon.accounts.domain import Role
from minwon.accounts.models import OrgUnit, User
from minwon.complaints.models import Complaint
from minwon.evaluation.tests.conftest import clock, types  # noqa: F401  (fixtures)
from minwon.evaluation.tests.test_selectors import history  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db
MARCH = "since=2026-03-01&until=2026-03-31"


def test_the_supervisor_sees_the_city_in_korean(
    history: dict[str, Complaint],  # noqa: F811
    supervisor: User,
    officer_client: Callable[[User], Client],
) -> None:
    client = officer_client(supervisor)
    page = client.get(f"/office/evaluation/?{MARCH}", HTTP_ACCEPT_LANGUAGE="ko")
    assert page.status_code == 200
    html = page.content.decode()
    assert "처리기간 단축률" in html
    # Overall 5/27 = 18.52 %, delay 1 of 5 = 20 %; per unit 10 % (civil) and 42.86 % (road).
    assert "18.52%" in html
    assert "20.0%" in html
    assert "10.0%" in html
    assert "42.86%" in html
    assert "민원여권과" in html and "도로관리과" in html
    assert 'role="img"' in html  # the chart, with its table after it
    assert "figure=late&amp;group=civil" in html


def test_drilldown_lists_the_late_complaint_and_links_it(
    history: dict[str, Complaint],  # noqa: F811
    supervisor: User,
    officer_client: Callable[[User], Client],
) -> None:
    client = officer_client(supervisor)
    page = client.get(
        f"/office/evaluation/cases/?{MARCH}&by=org_unit&figure=late&group=civil",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert page.status_code == 200
    html = page.content.decode()
    late = history["C4"]
    assert f'href="/office/complaints/{late.pk}/"' in html
    for other in ("C1", "C2", "C3", "C5"):
        assert f'href="/office/complaints/{history[other].pk}/"' not in html
    assert "Answered after the deadline" in html
    assert "1 complaint" in html


def test_a_unit_head_sees_their_unit_only(
    history: dict[str, Complaint],  # noqa: F811
    make_officer: Callable[..., User],
    road_unit: OrgUnit,
    officer_client: Callable[[User], Client],
) -> None:
    head = make_officer("roadhead", road_unit, Role.DEPARTMENT_HEAD)
    client = officer_client(head)
    html = client.get(f"/office/evaluation/?{MARCH}", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "도로관리과" in html
    assert "민원여권과" not in html
    assert "42.86%" in html
    cases = client.get(f"/office/evaluation/cases/?{MARCH}&figure=late&group=civil")
    assert str(history["C4"].pk) + "/" not in cases.content.decode()


def test_bad_filters_are_named_and_show_no_figures(
    supervisor: User, officer_client: Callable[[User], Client]
) -> None:
    client = officer_client(supervisor)
    page = client.get(
        "/office/evaluation/?since=2026-03-31&until=2026-03-01&by=planet",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "The end date is before the start date." in html
    assert "Select a valid choice" in html
    assert "Reduction rate per group" not in html
    bad = client.get("/office/evaluation/cases/?figure=everything", HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 302
    assert bad["Location"] == "/office/evaluation/?figure=everything"


def test_citizens_and_anonymous_visitors_are_kept_out(citizen_client: Client) -> None:
    assert Client().get("/office/evaluation/").status_code in (302, 404)
    assert citizen_client.get("/office/evaluation/").status_code in (302, 403, 404)
