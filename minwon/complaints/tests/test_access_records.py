"""개인정보 접속기록 through the API (issue 13 item 4, 기준 제8조): an officer's API reads of the
applicant, a file and the receipt, and an integrator's reads of complaints, leave the same
record the office pages leave: who, whose, what, when, from where. The audit log exports them as
CSV for an audit, itself recorded, with formula-looking cells quoted."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from minwon.accounts.domain import ApiScope, Role
from minwon.accounts.models import OrgUnit, User
from minwon.accounts.services import api_key_issue
from minwon.complaints.domain import IntakeChannel
from minwon.complaints.models import Complaint
from minwon.complaints.services import ApplicantInput, FilingInput, complaint_file
from minwon.core.domain import csv_safe
from minwon.core.models import AuditEvent
from minwon.core.services import audit_record
from minwon.lawclock.kinds import ComplaintKind

pytestmark = pytest.mark.django_db
API = "/api/v1"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), "orange").save(out, "PNG")
    return out.getvalue()


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


def _file(unit: OrgUnit, title: str = "가로등 고장") -> Complaint:
    return complaint_file(
        data=FilingInput(
            kind=ComplaintKind.SUGGESTION,
            title=title,
            body="내용",
            channel=IntakeChannel.COUNTER,
            org_unit=unit,
            applicant=ApplicantInput(name="홍길동", address="파주시 시청로 50"),
        )
    )


def _records(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def test_officer_api_reads_of_personal_data_are_recorded(
    officer_client: Callable[[User], Client], road_officer: User, road_unit: OrgUnit
) -> None:
    complaint = _file(road_unit)
    client = officer_client(road_officer)
    added = client.post(
        f"{API}/office/complaints/{complaint.pk}/attachments",
        {"file": SimpleUploadedFile("현장.png", _png(), content_type="image/png")},
        REMOTE_ADDR="10.1.2.3",
    )
    assert added.status_code == 201, added.content
    attachment_id = added.json()["id"]
    for path in ("applicant", "receipt", f"attachments/{attachment_id}"):
        answer = client.get(
            f"{API}/office/complaints/{complaint.pk}/{path}", REMOTE_ADDR="10.1.2.3"
        )
        assert answer.status_code == 200, (path, answer.content)
    for action in (
        "complaint.applicant_viewed",
        "complaint.receipt_viewed",
        "complaint.attachment_viewed",
    ):
        [row] = _records(action)
        assert (row.actor_id, row.target_id, row.channel, row.ip) == (
            road_officer.pk,
            str(complaint.pk),
            "api",
            "10.1.2.3",
        ), action
        assert row.target_type == "complaints.complaint"
    assert _records("complaint.attachment_viewed")[0].data == {"attachment": attachment_id}


def test_a_refused_read_leaves_no_record_of_a_look(
    officer_client: Callable[[User], Client], road_officer: User, civil_unit: OrgUnit
) -> None:
    other = _file(civil_unit)  # not the road officer's unit
    client = officer_client(road_officer)
    assert client.get(f"{API}/office/complaints/{other.pk}/applicant").status_code == 404
    assert _records("complaint.applicant_viewed") == []


def test_integrator_reads_are_recorded_with_the_key(road_unit: OrgUnit) -> None:
    _, key = api_key_issue(
        actor=None, name="도로 앱", scopes=[ApiScope.API_READ], org_unit=road_unit
    )
    first, second = _file(road_unit, "하나"), _file(road_unit, "둘")
    client = Client(enforce_csrf_checks=True, HTTP_X_API_KEY=key)
    assert client.get(f"{API}/integrations/complaints/{first.pk}").status_code == 200
    assert client.get(f"{API}/integrations/complaints").status_code == 200
    [read] = _records("complaint.read_by_integrator")
    assert read.actor_id is None and read.actor_label.startswith("api-key:")
    assert "도로 앱" in read.actor_label and read.target_id == str(first.pk)
    [listed] = _records("complaint.listed_by_integrator")
    assert sorted(listed.data["complaints"]) == sorted([first.pk, second.pk])
    assert listed.channel == "api"


def test_the_audit_export_is_for_auditors_recorded_and_formula_safe(
    officer_client: Callable[[User], Client],
    make_officer: Callable[..., User],
    civil_unit: OrgUnit,
    road_officer: User,
) -> None:
    auditor = make_officer("auditor", civil_unit, Role.AUDITOR)
    audit_record(
        actor=road_officer,
        action="complaint.applicant_viewed",
        target_type="complaints.complaint",
        target_id="7",
        data={"note": '=HYPERLINK("http://evil")'},
    )
    assert officer_client(road_officer).get("/office/audit/export.csv").status_code == 404
    answer = officer_client(auditor).get(
        "/office/audit/export.csv", {"action": "complaint.applicant"}
    )
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/csv")
    assert "attachment;" in answer["Content-Disposition"]
    text = b"".join(answer.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["occurred_at", "actor_id", "actor", "action"]
    assert [r[3] for r in rows[1:]] == ["complaint.applicant_viewed"]
    assert json.loads(rows[1][10]) == {"note": '=HYPERLINK("http://evil")'}  # inside JSON text
    [exported] = _records("audit.exported")
    assert exported.actor_id == auditor.pk and exported.data == {"action": "complaint.applicant"}


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+2", "'=1+2"),
        ("+82", "'+82"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=x", "'\t=x"),
        ("홍길동", "홍길동"),
        (-1, "-1"),
        (3.5, "3.5"),
    ],
)
def test_csv_cells_never_start_a_formula(value: object, written: str) -> None:
    assert csv_safe(value) == written
