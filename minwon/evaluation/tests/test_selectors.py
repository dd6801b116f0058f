"""The indicators read from the database: complaints taken through the real services, the answers
worked out by hand (March 2026 from the 9th has no holiday; see test_indicators.py's calendar).

    C1 civil, 법정 10d: filed Mon 3/9 10:00, answered Thu 3/12 15:00 → 4 days (3/9–3/12), rated 5
    C2 road,  법정 7d: 보완 from Wed 3/11 to Mon 3/16 (dates 3/11, 12, 13, 16 excluded), answered
       Wed 3/18 → 3/9–3/18 is 8 working days − 4 = 4; due 3/17 + 4 days = Mon 3/23 (on time)
    C3 civil, 법정 10d, extended 5 days (due Fri 3/20 → Fri 3/27), answered Thu 3/26 14:00
       → 14 days: late against the catalogue period (−4), on time against its deadline
    C4 civil, 고충 7d: due Tue 3/17 18:00, answered Wed 3/18 10:00 → late, 8 days, rated 2
    C5 road → civil: 고충 7d handed on inside the city on 3/10 09:00, answered 3/10 11:00 → 2 days
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from fractions import Fraction
from typing import Any

import pytest

from minwon.accounts.models import OrgUnit, User
from minwon.accounts.selectors import org_units_visible_to
from minwon.catalog.models import ComplaintType
from minwon.complaints import services as s
from minwon.complaints.domain import Outcome, TransferKind
from minwon.complaints.models import Complaint
from minwon.evaluation.domain import Reading
from minwon.evaluation.selectors import evaluation_dashboard, evaluation_drilldown
from minwon.lawclock.kinds import ComplaintKind
from minwon.protection.domain import Source
from minwon.protection.services.screening import screening_record
from tests.factories import TravellingClock, complaint_filed, seoul

pytestmark = pytest.mark.django_db
ABUSE = "답변이 이게 뭐냐 시1발 담당자 죽여버리겠다"
MARCH: dict[str, Any] = {"date_from": date(2026, 3, 1), "date_to": date(2026, 3, 31)}


@pytest.fixture
def history(
    clock: TravellingClock,
    types: dict[str, ComplaintType],
    supervisor: User,
    counter_officer: User,
    road_officer: User,
    road_unit: OrgUnit,
    civil_unit: OrgUnit,
) -> dict[str, Complaint]:
    clock.at(2026, 3, 9, 10, 0)

    def filed(kind: ComplaintKind, unit: OrgUnit, type_code: str = "") -> Complaint:
        c = complaint_filed(kind, filed_by=counter_officer, type_code=type_code)
        assignee = road_officer if unit == road_unit else supervisor
        return s.complaint_assign(complaint=c, actor=supervisor, assignee=assignee, org_unit=unit)

    c1 = filed(ComplaintKind.STATUTORY, civil_unit, "columbarium-report-family")
    c2 = filed(ComplaintKind.STATUTORY, road_unit, "road-excavation-permit")
    c3 = filed(ComplaintKind.STATUTORY, civil_unit, "columbarium-report-family")
    c4 = filed(ComplaintKind.GRIEVANCE, civil_unit)
    c5 = filed(ComplaintKind.GRIEVANCE, road_unit)

    def answer(c: Complaint) -> Complaint:
        return s.complaint_answer(
            complaint=c, actor=supervisor, outcome=Outcome.GRANTED, answer="처리했습니다."
        )

    clock.at(2026, 3, 10, 9, 0)
    c5 = s.complaint_transfer(
        complaint=c5,
        actor=supervisor,
        kind=TransferKind.INTERNAL,
        reason="소관 부서",
        to_org_unit=civil_unit,
    )
    clock.at(2026, 3, 10, 11, 0)
    c5 = answer(c5)
    clock.at(2026, 3, 11, 10, 0)
    c2 = s.complaint_supplement_request(
        complaint=c2, actor=supervisor, items=["도면"], days=7, late_reason="현장 확인 후 발견"
    )
    clock.at(2026, 3, 12, 15, 0)
    c1 = answer(c1)
    s.complaint_satisfaction_rate(complaint=c1, actor=None, score=5)
    clock.at(2026, 3, 16, 11, 0)
    c2 = s.complaint_supplement_receive(complaint=c2, actor=supervisor)
    assert c2.due_at == seoul(2026, 3, 23, 18, 0)
    clock.at(2026, 3, 18, 10, 0)
    c2 = answer(c2)
    c4 = answer(c4)
    s.complaint_satisfaction_rate(complaint=c4, actor=None, score=2)
    c3 = s.complaint_extend(complaint=c3, actor=supervisor, period="5d", reason="fact_finding")
    assert c3.due_at == seoul(2026, 3, 27, 18, 0)
    clock.at(2026, 3, 26, 14, 0)
    c3 = answer(c3)
    clock.stop()
    # C4's text screened abusive (특이민원), as the protection job stores it; C1's not.
    screening_record(complaint_id=c4.pk, source=Source.COMPLAINT, source_id=c4.pk, text=ABUSE)
    screening_record(complaint_id=c1.pk, source=Source.COMPLAINT, source_id=c1.pk, text="서류 문의")
    return {"C1": c1, "C2": c2, "C3": c3, "C4": c4, "C5": c5}


def test_the_city_by_unit(history: dict[str, Complaint], supervisor: User) -> None:
    board = evaluation_dashboard(units=org_units_visible_to(supervisor), **MARCH)
    o = board.overall.indicators
    # 단축률 over C1, C2, C3: Σ법정 10 + 7 + 10 = 27, Σ실제 4 + 4 + 14 = 22 → 5/27 = 18.52 %.
    assert o.reduction_cases == 3
    assert o.legal_total == 27
    assert o.actual_total == 22
    assert o.reduction_rate == Fraction(500, 27)
    # 지연율: C4 late of the five → 20 %; average 4 + 4 + 14 + 8 + 2 = 32 days / 5.
    assert (o.with_deadline, o.late) == (5, 1)
    assert o.delay_rate == 20
    assert o.average_working_days == Fraction(32, 5)
    assert board.overall.transferred == 1
    assert board.overall.extended == 1
    assert board.overall.supplemented == 1
    assert (board.overall.rated, board.overall.satisfaction) == (2, 3.5)
    assert board.overall.flagged == 1
    groups = {g.key: g for g in board.groups}
    assert set(groups) == {"civil", "road"}
    civil, road = groups["civil"], groups["road"]
    # civil: C1, C3 (legal 20, actual 18 → 10 %), C4, C5 (its unit after the transfer).
    assert civil.indicators.reduction_rate == 10
    assert (civil.indicators.with_deadline, civil.indicators.late) == (4, 1)
    assert (civil.transferred, civil.extended, civil.rated) == (1, 1, 2)
    # road: C2 alone, (7 − 4) / 7.
    assert road.indicators.reduction_rate == Fraction(300, 7)
    assert road.indicators.delay_rate == 0
    assert road.supplemented == 1
    assert civil.label == "민원여권과"


def test_other_dimensions_and_readings(history: dict[str, Complaint], supervisor: User) -> None:
    by_type = evaluation_dashboard(units=None, dimension="complaint_type", language="en", **MARCH)
    labels = {g.key: (g.label, g.indicators.answered) for g in by_type.groups}
    assert labels == {
        "": ("", 2),
        "columbarium-report-family": ("Columbarium report (family)", 2),
        "road-excavation-permit": ("도로굴착허가", 1),  # no English name: the Korean one
    }
    by_month = evaluation_dashboard(units=None, dimension="month", **MARCH)
    assert [(g.key, g.indicators.answered) for g in by_month.groups] == [("2026-03", 5)]
    by_channel = evaluation_dashboard(units=None, dimension="channel", **MARCH)
    assert [g.key for g in by_channel.groups] == ["counter"]
    # With the extension C3's legal period is 15: (6 + 3 + 1) / 32.
    extended = evaluation_dashboard(units=None, reading=Reading(legal="extended"), **MARCH)
    assert extended.overall.indicators.reduction_rate == Fraction(1000, 32)
    # Answers outside the period are left out.
    april = evaluation_dashboard(units=None, date_from=date(2026, 4, 1), date_to=date(2026, 4, 30))
    assert april.overall.indicators.answered == 0


def test_drilldown_lists_the_complaints_behind_a_figure(
    history: dict[str, Complaint], supervisor: User
) -> None:
    def ids(**kw: object) -> list[int]:
        rows = evaluation_drilldown(units=None, dimension="org_unit", **MARCH, **kw)  # type: ignore[arg-type]
        return [r.complaint_id for r in rows]

    h = history
    assert ids(key=None, drilldown="late") == [h["C4"].pk]
    assert ids(key="civil", drilldown="reduction") == [h["C1"].pk, h["C3"].pk]
    assert ids(key="road", drilldown="reduction") == [h["C2"].pk]
    assert ids(key="civil", drilldown="transferred") == [h["C5"].pk]
    assert ids(key=None, drilldown="rated") == [h["C1"].pk, h["C4"].pk]
    assert ids(key="road", drilldown="late") == []
    assert ids(key=None, drilldown="flagged") == [h["C4"].pk]
    with pytest.raises(ValueError, match="unknown"):
        ids(key=None, drilldown="everything")


def test_a_unit_head_sees_only_their_unit(
    history: dict[str, Complaint],
    make_officer: Callable[..., User],
    road_unit: OrgUnit,
) -> None:
    from minwon.accounts.domain import Role

    head = make_officer("roadhead", road_unit, Role.DEPARTMENT_HEAD)
    board = evaluation_dashboard(units=org_units_visible_to(head), **MARCH)
    assert [g.key for g in board.groups] == ["road"]
    assert board.overall.indicators.answered == 1
    rows = evaluation_drilldown(
        units=org_units_visible_to(head),
        dimension="org_unit",
        key="civil",
        drilldown="late",
        **MARCH,
    )
    assert rows == []
