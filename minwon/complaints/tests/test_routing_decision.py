"""The officer's answer to routing's department suggestion (issue 15): accepting passes the
complaint to the suggested unit through the lifecycle's transfer, overriding records the other
unit; either is the case's training label, and the transfer an accept made is no miss. The office
page and the office API show the top 3 with confidence and words, or why there is none."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client

from minwon.accounts.models import OrgUnit, User
from minwon.accounts.services import org_unit_duties_update
from minwon.complaints import services as s
from minwon.complaints.domain import TransferKind
from minwon.complaints.models import Complaint, ComplaintEvent
from minwon.core.errors import NotFound
from minwon.core.models import AuditEvent
from minwon.lawclock.kinds import ComplaintKind
from minwon.routing import services as routing
from minwon.routing.models import Case, Decision

pytestmark = pytest.mark.django_db
File = Callable[..., Complaint]

ROAD = "우리 동네 도로 포장이 깨져서 차가 다니기 위험합니다. 도로 보수를 부탁드립니다."


@pytest.fixture(autouse=True)
def model_dir(settings, tmp_path: Path) -> Path:
    settings.ROUTING_MODEL_DIR = str(tmp_path / "models")
    routing.duplicate_index_reset()
    return tmp_path / "models"


@pytest.fixture
def duties(civil_unit: OrgUnit, road_unit: OrgUnit, supervisor: User) -> None:
    org_unit_duties_update(
        actor=supervisor, unit=civil_unit, duties="불법 주정차 단속; 주차 질서; 공영주차장"
    )
    org_unit_duties_update(
        actor=supervisor, unit=road_unit, duties="도로 보수; 도로 포장; 보도 정비; 도로 파손"
    )


@pytest.fixture
def road_complaint(
    file: File, counter_officer: User, civil_unit: OrgUnit, duties: None
) -> Complaint:
    """A road complaint filed at the civil unit, read by routing (top suggestion: road)."""
    c = file(ComplaintKind.GRIEVANCE, filed_by=counter_officer, org_unit=civil_unit, body=ROAD)
    s.complaint_routing_sweep()
    top = Case.objects.get(complaint_id=c.pk).suggestions.get(target="department", rank=1)
    assert top.label == "road"
    return c


def test_accepting_passes_it_to_the_suggested_unit_and_is_the_label_not_a_miss(
    road_complaint: Complaint, supervisor: User, road_unit: OrgUnit
) -> None:
    c, decision = s.complaint_routing_decide(
        complaint=road_complaint, actor=supervisor, unit=road_unit
    )
    assert decision.outcome == Decision.ACCEPTED
    assert c.org_unit == road_unit
    transfer = ComplaintEvent.objects.get(complaint=c, action="transfer_internal")
    assert transfer.data["to_org_unit"] == "road" and transfer.data["reason"]
    assert AuditEvent.objects.filter(action="routing.suggestion_accepted").count() == 1
    s.complaint_routing_sweep()  # routing reads the transfer the accept made
    case = Case.objects.get(complaint_id=c.pk)
    assert case.transferred_after_suggestion is False
    docs, labels = routing.training_examples("department")
    assert labels == ["road"] and len(docs) == 1  # feeds the next training


def test_overriding_to_its_own_unit_keeps_it_and_a_later_transfer_is_a_miss(
    road_complaint: Complaint, supervisor: User, civil_unit: OrgUnit, road_unit: OrgUnit
) -> None:
    c, decision = s.complaint_routing_decide(
        complaint=road_complaint, actor=supervisor, unit=civil_unit
    )
    assert decision.outcome == Decision.OVERRIDDEN
    assert c.org_unit == civil_unit
    assert not ComplaintEvent.objects.filter(complaint=c, action="transfer_internal").exists()
    assert routing.training_examples("department")[1] == ["civil"]
    s.complaint_transfer(
        complaint=c,
        actor=supervisor,
        kind=TransferKind.INTERNAL,
        reason="소관 부서",
        to_org_unit=road_unit,
    )
    s.complaint_routing_sweep()
    assert Case.objects.get(complaint_id=c.pk).transferred_after_suggestion is True


def test_without_a_reading_nothing_moves_and_nothing_is_recorded(
    file: File, counter_officer: User, civil_unit: OrgUnit, road_unit: OrgUnit, supervisor: User
) -> None:
    c = file(ComplaintKind.GRIEVANCE, filed_by=counter_officer, org_unit=civil_unit, body=ROAD)
    with pytest.raises(NotFound):
        s.complaint_routing_decide(complaint=c, actor=supervisor, unit=road_unit)
    c.refresh_from_db()
    assert c.org_unit == civil_unit
    assert not Decision.objects.exists()


def test_the_office_page_shows_the_top3_with_confidence_and_words_and_records_the_choice(
    road_complaint: Complaint,
    supervisor: User,
    road_unit: OrgUnit,
    officer_client: Callable[[User], Client],
) -> None:
    client = officer_client(supervisor)
    page = client.get(f"/office/complaints/{road_complaint.pk}/").content.decode()
    assert "부서 추천" in page
    assert "도로관리과" in page and "%" in page
    top = Case.objects.get(complaint_id=road_complaint.pk).suggestions.get(
        target="department", rank=1
    )
    assert top.words[0] in page  # the words that drove it
    assert '<option value="road" selected>' in page  # the top suggestion preselected
    response = client.post(
        f"/office/complaints/{road_complaint.pk}/route/", {"route-unit": "road", "route-reason": ""}
    )
    assert response.status_code == 302
    road_complaint.refresh_from_db()
    assert road_complaint.org_unit == road_unit
    assert Decision.objects.get().outcome == Decision.ACCEPTED


def test_the_office_page_says_why_there_is_no_suggestion(
    file: File,
    counter_officer: User,
    civil_unit: OrgUnit,
    duties: None,
    supervisor: User,
    officer_client: Callable[[User], Client],
) -> None:
    c = file(
        ComplaintKind.GRIEVANCE,
        filed_by=counter_officer,
        org_unit=civil_unit,
        title="010-1234-5678",
        body="hong@example.com 010-9876-5432",
    )
    client = officer_client(supervisor)
    before = client.get(f"/office/complaints/{c.pk}/").content.decode()
    assert "아직 읽지 않았습니다" in before  # not read yet
    s.complaint_routing_sweep()
    page = client.get(f"/office/complaints/{c.pk}/").content.decode()
    assert "추천 없음" in page and "개인정보" in page
    response = client.post(f"/office/complaints/{c.pk}/route/", {"route-unit": "civil"})
    assert response.status_code == 302  # a decision without a suggestion is an override
    assert Decision.objects.get().outcome == Decision.OVERRIDDEN


def test_the_office_api_returns_the_suggestion_and_takes_the_decision(
    road_complaint: Complaint,
    supervisor: User,
    road_officer: User,
    road_unit: OrgUnit,
    officer_client: Callable[[User], Client],
) -> None:
    client = officer_client(supervisor)
    url = f"/api/v1/office/complaints/{road_complaint.pk}/routing"
    body = client.get(url).json()
    assert body["read"] is True and body["reason"] == ""
    assert [x["rank"] for x in body["suggestions"]] == list(range(1, len(body["suggestions"]) + 1))
    assert body["suggestions"][0]["org_unit"] == "road"
    assert body["suggestions"][0]["words"] and 0 < body["suggestions"][0]["confidence"] <= 1
    assert officer_client(road_officer).get(url).status_code == 404  # not yet in road's reach
    decided = client.post(
        url + "-decision", {"org_unit": "road"}, content_type="application/json"
    ).json()
    assert decided["decision"]["outcome"] == "accepted"
    road_complaint.refresh_from_db()
    assert road_complaint.org_unit == road_unit
