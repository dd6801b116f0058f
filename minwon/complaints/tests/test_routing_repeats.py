"""Repeated complaints (법 제23조) on the office page (issue 15): when the same complainant files
the same substance after two or more of their earlier filings were answered, routing flags the
new one with the evidence; nothing closes by itself, and the officer may close it with the
lifecycle's complaint_close_repeated."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client

from minwon.accounts.models import OrgUnit, User
from minwon.complaints import services as s
from minwon.complaints.domain import ComplaintStatus, Outcome
from minwon.complaints.models import Complaint
from minwon.core.models import AuditEvent
from minwon.lawclock.kinds import ComplaintKind
from minwon.routing import services as routing
from minwon.routing.models import RepeatFlag

pytestmark = pytest.mark.django_db
File = Callable[..., Complaint]

NOISE = (
    "밤마다 윗집에서 쿵쿵거리는 층간소음이 너무 심해서 잠을 잘 수가 없습니다. "
    "관리사무소에 여러 번 말했지만 해결되지 않으니 시에서 조치해 주세요."
)
ROAD = "우리 동네 도로 포장이 깨져서 차가 다니기 위험합니다. 도로 보수를 부탁드립니다."


@pytest.fixture(autouse=True)
def model_dir(settings, tmp_path: Path) -> Path:
    settings.ROUTING_MODEL_DIR = str(tmp_path / "models")
    routing.duplicate_index_reset()
    return tmp_path / "models"


def answered(file: File, officer: User, unit: OrgUnit, body: str) -> Complaint:
    c = file(ComplaintKind.GRIEVANCE, filed_by=officer, org_unit=unit, body=body)
    return s.complaint_answer(
        complaint=c, actor=officer, outcome=Outcome.INFORMED, answer="안내해 드렸습니다."
    )


def test_the_third_filing_after_two_answers_is_flagged_with_its_evidence_and_not_closed(
    file: File, counter_officer: User, civil_unit: OrgUnit
) -> None:
    first = answered(file, counter_officer, civil_unit, NOISE)
    second = answered(file, counter_officer, civil_unit, NOISE + " 제발요.")
    unrelated = answered(file, counter_officer, civil_unit, ROAD)
    third = file(ComplaintKind.GRIEVANCE, filed_by=counter_officer, org_unit=civil_unit, body=NOISE)
    s.complaint_routing_sweep()
    flag = RepeatFlag.objects.get()
    assert flag.case.complaint_id == third.pk
    assert [e["complaint_id"] for e in flag.evidence] == [first.pk, second.pk]
    assert all(e["result_notified"] for e in flag.evidence)
    assert unrelated.pk not in {e["complaint_id"] for e in flag.evidence}
    assert (flag.notified_count, flag.legal_basis) == (2, "민원 처리에 관한 법률 제23조제1항")
    third.refresh_from_db()
    assert third.status != ComplaintStatus.CLOSED  # never automatic
    assert AuditEvent.objects.filter(action="routing.repeat_flagged").count() == 1


def test_one_answer_before_or_another_complainant_is_no_flag(
    file: File, counter_officer: User, civil_unit: OrgUnit
) -> None:
    answered(file, counter_officer, civil_unit, NOISE)
    file(ComplaintKind.GRIEVANCE, filed_by=counter_officer, org_unit=civil_unit, body=NOISE)
    file(
        ComplaintKind.GRIEVANCE,
        filed_by=counter_officer,
        org_unit=civil_unit,
        body=NOISE,
        applicant=s.ApplicantInput(name="김철수", address="경기도 파주시 금정로 1"),
    )
    s.complaint_routing_sweep()
    assert not RepeatFlag.objects.exists()


def test_the_officer_closes_a_flagged_complaint_from_the_page(
    file: File,
    counter_officer: User,
    civil_unit: OrgUnit,
    supervisor: User,
    officer_client: Callable[[User], Client],
) -> None:
    first = answered(file, counter_officer, civil_unit, NOISE)
    second = answered(file, counter_officer, civil_unit, NOISE)
    third = file(ComplaintKind.GRIEVANCE, filed_by=counter_officer, org_unit=civil_unit, body=NOISE)
    s.complaint_routing_sweep()
    client = officer_client(supervisor)
    page = client.get(f"/office/complaints/{third.pk}/").content.decode()
    assert "repeat-panel" in page and "반복민원" in page
    assert f'value="{first.pk}" checked' in page and f'value="{second.pk}" checked' in page
    url = f"/office/complaints/{third.pk}/close-repeated/"
    refused = client.post(url, {"close-repeated-earlier": [first.pk, second.pk]})
    assert refused.status_code == 400  # the officer's finding is required (법 제23조③)
    assert 'href="#id_close-repeated-reason"' in refused.content.decode()
    third.refresh_from_db()
    assert third.status != ComplaintStatus.CLOSED
    response = client.post(
        url,
        {
            "close-repeated-earlier": [first.pk, second.pk],
            "close-repeated-reason": "같은 층간소음 민원으로 이미 두 차례 안내했습니다.",
        },
    )
    assert response.status_code == 302
    third.refresh_from_db()
    assert third.status == ComplaintStatus.CLOSED


def test_the_office_api_returns_the_repeat_flag_with_its_evidence(
    file: File,
    counter_officer: User,
    civil_unit: OrgUnit,
    supervisor: User,
    officer_client: Callable[[User], Client],
) -> None:
    first = answered(file, counter_officer, civil_unit, NOISE)
    second = answered(file, counter_officer, civil_unit, NOISE)
    third = file(ComplaintKind.GRIEVANCE, filed_by=counter_officer, org_unit=civil_unit, body=NOISE)
    s.complaint_routing_sweep()
    body = officer_client(supervisor).get(f"/api/v1/office/complaints/{third.pk}/routing").json()
    repeat = body["repeat"]
    assert repeat["notified_count"] == 2 and "제23조" in repeat["legal_basis"]
    assert {e["complaint_id"] for e in repeat["evidence"]} == {first.pk, second.pk}
    assert all(e["result_notified"] for e in repeat["evidence"])
