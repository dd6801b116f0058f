"""The officer's complaint page: actions call the services; errors come back next to the field."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from minwon.accounts.models import User
from minwon.complaints.domain import IntakeChannel
from minwon.complaints.models import Complaint
from minwon.complaints.services import ApplicantInput, FilingInput, complaint_file
from minwon.core.models import AuditEvent
from minwon.lawclock.kinds import ComplaintKind


def _filed(citizen: User) -> Complaint:
    return complaint_file(
        data=FilingInput(
            kind=ComplaintKind.GRIEVANCE,
            title="보도블록 파손",
            body="고쳐 주세요.",
            channel=IntakeChannel.WEB,
            applicant=ApplicantInput(name="홍길동", address="경기도 파주시 시청로 50"),
        ),
        citizen=citizen,
    )


def test_register_assign_and_answer(
    officer_client: Callable[[User], Client], supervisor: User, citizen: User
) -> None:
    complaint = _filed(citizen)
    client = officer_client(supervisor)
    base = f"/office/complaints/{complaint.pk}/"
    assert client.post(base + "register/").status_code == 302
    assert client.post(base + "assign-me/").status_code == 302
    response = client.post(
        base + "answer/", {"answer-outcome": "granted", "answer-answer": "고쳤습니다."}
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "answered"
    assert complaint.answer == "고쳤습니다."


def test_a_refusal_without_reason_is_refused_next_to_the_field(
    officer_client: Callable[[User], Client], supervisor: User, citizen: User
) -> None:
    complaint = _filed(citizen)
    client = officer_client(supervisor)
    base = f"/office/complaints/{complaint.pk}/"
    client.post(base + "register/")
    response = client.post(
        base + "answer/", {"answer-outcome": "refused", "answer-answer": "할 수 없습니다."}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'href="#id_answer-reason"' in page
    assert "할 수 없습니다." in page  # what the officer typed is kept
    complaint.refresh_from_db()
    assert complaint.status == "registered"


def test_viewing_the_complainant_is_logged(
    officer_client: Callable[[User], Client], supervisor: User, citizen: User
) -> None:
    complaint = _filed(citizen)
    page = officer_client(supervisor).get(f"/office/complaints/{complaint.pk}/").content.decode()
    assert "홍*동" in page
    assert "홍길동" not in page
    assert AuditEvent.objects.filter(
        action="complaint.applicant_viewed", target_id=str(complaint.pk)
    ).exists()


def test_other_units_complaints_are_not_found(
    officer_client: Callable[[User], Client], road_officer: User, citizen: User
) -> None:
    complaint = _filed(citizen)  # no unit yet: only counter officers and citywide roles see it
    assert (
        officer_client(road_officer).get(f"/office/complaints/{complaint.pk}/").status_code == 404
    )
