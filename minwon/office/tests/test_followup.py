"""Office pages after the first version: counter registration, assigning to a colleague, files,
the complainant's supplement and rating, rule errors next to their field."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from minwon.accounts.models import OrgUnit, User
from minwon.complaints import services as s
from minwon.complaints.domain import ComplaintStatus, IntakeChannel, Outcome
from minwon.complaints.models import Attachment, Complaint
from minwon.complaints.services.attachments import complaint_attachment_add
from minwon.core.models import AuditEvent
from minwon.lawclock.kinds import ComplaintKind
from tests.files import pdf

OfficerClient = Callable[[User], Client]
PDF = pdf()
INTAKE = {
    "channel": "counter",
    "kind": "grievance",
    "title": "민원실 방문 민원",
    "body": "집 앞 하수구가 막혔습니다.",
    "location_text": "경기도 파주시 금정로 1",
    "name": "김영희",
    "address": "경기도 파주시 금정로 1",
    "phone": "010-2222-3333",
    "email": "",
    "org_unit": "",
    "arrived_at": "",
    "complaint_type": "",
}


@pytest.fixture(autouse=True)
def media(settings: object, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    return tmp_path / "media"


def test_counter_registration_registers_at_once_with_files(
    officer_client: OfficerClient, counter_officer: User
) -> None:
    client = officer_client(counter_officer)
    page = client.get("/office/intake/").content.decode()
    assert 'name="channel"' in page and 'type="file"' in page
    response = client.post(
        "/office/intake/", INTAKE | {"attachments": [SimpleUploadedFile("민원서.pdf", PDF)]}
    )
    complaint = Complaint.objects.get()
    assert response["Location"] == f"/office/complaints/{complaint.pk}/"
    assert complaint.status == ComplaintStatus.REGISTERED
    assert complaint.receipt_number
    assert complaint.channel == IntakeChannel.COUNTER
    assert complaint.filed_by == counter_officer
    assert complaint.org_unit == counter_officer.org_unit
    assert complaint.location_text == "경기도 파주시 금정로 1"
    assert Attachment.objects.filter(complaint=complaint).count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "민원서.pdf" in page
    # The flash message reads as Korean: the particle fits the number's last digit.
    assert f"접수번호 {complaint.receipt_number}" in page and "(으)로" not in page


def test_a_letter_keeps_the_day_it_arrived(
    officer_client: OfficerClient, counter_officer: User
) -> None:
    client = officer_client(counter_officer)
    client.post("/office/intake/", INTAKE | {"channel": "post", "arrived_at": "2026-01-05T10:00"})
    complaint = Complaint.objects.get()
    assert complaint.channel == IntakeChannel.POST
    assert complaint.arrived_at.isoformat().startswith("2026-01-05T01:00")  # 10:00 in Seoul


def test_a_phone_call_may_only_be_a_simple_request(
    officer_client: OfficerClient, counter_officer: User
) -> None:
    response = officer_client(counter_officer).post(
        "/office/intake/", INTAKE | {"channel": "phone", "kind": "grievance"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="kind-error"' in page
    assert 'href="#id_kind"' in page
    assert "집 앞 하수구가 막혔습니다." in page
    assert Complaint.objects.count() == 0
    ok = officer_client(counter_officer).post(
        "/office/intake/", INTAKE | {"channel": "phone", "kind": "other"}
    )
    assert ok.status_code == 302


def test_the_complainants_identity_is_asked_next_to_the_field(
    officer_client: OfficerClient, counter_officer: User
) -> None:
    response = officer_client(counter_officer).post("/office/intake/", INTAKE | {"address": ""})
    assert response.status_code == 400
    assert 'id="address-error"' in response.content.decode()


def test_intake_needs_a_logged_in_officer(client: Client, citizen_client: Client) -> None:
    assert client.get("/office/intake/").status_code == 302
    assert citizen_client.get("/office/intake/").status_code in (302, 403, 404)


@pytest.fixture
def registered(citizen: User, road_officer: User) -> Complaint:
    complaint = s.complaint_file(
        data=s.FilingInput(
            kind=ComplaintKind.GRIEVANCE,
            title="가로등 고장",
            body="꺼져 있습니다.",
            channel=IntakeChannel.WEB,
            applicant=s.ApplicantInput(name="홍길동", address="경기도 파주시 시청로 50"),
            org_unit=road_officer.org_unit,
            location_text="금촌역 앞",
            location_lat=37.766,
            location_lng=126.774,
        ),
        citizen=citizen,
    )
    return s.complaint_register(complaint=complaint, actor=road_officer)


def test_assign_to_a_colleague_of_the_unit(
    officer_client: OfficerClient,
    road_officer: User,
    make_officer: Callable[..., User],
    road_unit: OrgUnit,
    civil_unit: OrgUnit,
    registered: Complaint,
) -> None:
    colleague = make_officer("colleague", road_unit)
    outsider = make_officer("outsider", civil_unit)
    client = officer_client(road_officer)
    page = client.get(f"/office/complaints/{registered.pk}/").content.decode()
    assert f'<option value="{colleague.pk}"' in page
    assert f'<option value="{outsider.pk}"' not in page
    refused = client.post(
        f"/office/complaints/{registered.pk}/assign/", {"assign-assignee": str(outsider.pk)}
    )
    assert refused.status_code == 400
    assert 'id="assign-assignee-error"' in refused.content.decode()
    ok = client.post(
        f"/office/complaints/{registered.pk}/assign/", {"assign-assignee": str(colleague.pk)}
    )
    assert ok.status_code == 302
    registered.refresh_from_db()
    assert registered.assignee == colleague
    assert registered.status == ComplaintStatus.IN_PROGRESS


def test_the_page_shows_the_place_files_supplement_and_rating(
    officer_client: OfficerClient, road_officer: User, citizen: User, registered: Complaint
) -> None:
    c = s.complaint_assign(complaint=registered, actor=road_officer, assignee=road_officer)
    c = s.complaint_supplement_request(complaint=c, actor=road_officer, items=["현장 사진"], days=7)
    c = s.complaint_supplement_submit(
        complaint=c, actor=citizen, text="사진 보냅니다", files=[s.FileInput("현장.pdf", PDF)]
    )
    c = s.complaint_answer(complaint=c, actor=road_officer, outcome=Outcome.GRANTED, answer="끝")
    s.complaint_satisfaction_rate(complaint=c, actor=citizen, score=2, comment="느렸어요")
    page = officer_client(road_officer).get(f"/office/complaints/{c.pk}/").content.decode()
    assert "금촌역 앞" in page and "37.76600" in page
    assert "현장.pdf" in page
    assert "사진 보냅니다" in page and "현장 사진" in page
    assert "느렸어요" in page


def test_downloads_are_access_checked_and_logged(
    officer_client: OfficerClient,
    road_officer: User,
    make_officer: Callable[..., User],
    civil_unit: OrgUnit,
    registered: Complaint,
) -> None:
    attachment = complaint_attachment_add(
        complaint=registered, actor=None, name="도면.pdf", data=PDF
    )
    url = f"/office/complaints/{registered.pk}/files/{attachment.pk}/"
    response = officer_client(road_officer).get(url)
    assert response.status_code == 200
    assert response.content == PDF
    # Named by the type found on content, never by the sender (issue 13 item 7).
    assert (
        response["Content-Disposition"] == f'attachment; filename="attachment-{attachment.pk}.pdf"'
    )
    assert AuditEvent.objects.filter(action="complaint.attachment_viewed").count() == 1
    stranger = make_officer("stranger", civil_unit)
    assert officer_client(stranger).get(url).status_code == 404


def test_rule_errors_of_the_extension_land_next_to_their_field(
    officer_client: OfficerClient, road_officer: User, registered: Complaint
) -> None:
    client = officer_client(road_officer)
    base = f"/office/complaints/{registered.pk}/"
    client.post(base + "assign-me/")
    too_long = client.post(
        base + "extend/", {"extend-period": "14d", "extend-reason": "cooperation"}
    )
    assert too_long.status_code == 400
    assert 'href="#id_extend-period"' in too_long.content.decode()
    no_text = client.post(base + "extend/", {"extend-period": "3d", "extend-reason": "equivalent"})
    assert 'href="#id_extend-reason_text"' in no_text.content.decode()
    supplement = client.post(
        base + "supplement/", {"supplement-items": "사진", "supplement-days": "0"}
    )
    assert supplement.status_code == 400
    assert 'id="supplement-days-error"' in supplement.content.decode()
