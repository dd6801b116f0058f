"""The JSON API: one happy path per kind of endpoint, the shared error document, access."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from minwon.accounts.models import OrgUnit, User
from minwon.catalog.models import ComplaintType
from minwon.complaints.models import Complaint
from tests.factories import TravellingClock

pytestmark = pytest.mark.django_db
API = "/api/v1"


def post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(API + path, data=json.dumps(body), content_type="application/json")


PORTAL = {
    "kind": "suggestion",
    "title": "가로등 증설",
    "body": "어두워요",
    "applicant": {"name": "홍길동", "address": "파주시 시청로 50", "phone": "010-1234-5678"},
}


def test_citizen_files_follows_and_withdraws(
    clock: TravellingClock,
    citizen_client: Client,
    officer_client: Callable[[User], Client],
    counter_officer: User,
    road_unit: OrgUnit,
) -> None:
    clock.at(2026, 3, 9, 10, 0)
    r = post(citizen_client, "/complaints", PORTAL)
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["status"] == "received"
    # registration within 8 working hours: Mon 10–12 (2h), 13–18 (7h), Tue 9–10 (8h) → Tue 10:00
    assert body["due_at"] == "2026-03-10T10:00:00+09:00"
    pk = body["id"]
    officer = officer_client(counter_officer)
    r = post(officer, f"/office/complaints/{pk}/register", {"org_unit": "road"})
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "registered"
    assert citizen_client.get(f"{API}/complaints/{pk}").json()["receipt_number"]
    receipt = citizen_client.get(f"{API}/complaints/{pk}/receipt").json()
    assert receipt["applicant_name"] == "홍*동"
    r = post(citizen_client, f"/complaints/{pk}/withdraw", {"reason": "해결됨"})
    assert r.json()["status"] == "withdrawn"
    timeline = citizen_client.get(f"{API}/complaints/{pk}/timeline").json()
    assert [t["action"] for t in timeline] == ["arrive", "register", "withdraw"]
    r = post(citizen_client, f"/complaints/{pk}/withdraw", {})
    assert r.status_code == 409
    assert r.json()["code"] == "complaint.invalid_transition"
    assert [c["id"] for c in citizen_client.get(f"{API}/complaints").json()["items"]] == [pk]


def test_anonymous_tip_and_status_lookup(clock: TravellingClock) -> None:
    clock.at(2026, 3, 9, 10, 0)
    client = Client(enforce_csrf_checks=True)
    r = post(
        client,
        "/complaints/without-account",
        {
            "kind": "tip",
            "title": "불법 투기",
            "body": "야간 투기",
            "status_password": "pass-word-1",
        },
    )
    assert r.status_code == 201, r.content
    number = r.json()["follow_number"]
    r = post(client, "/complaints/status", {"follow_number": number, "password": "pass-word-1"})
    assert r.status_code == 200 and r.json()["status"] == "registered"
    r = post(client, "/complaints/status", {"follow_number": number, "password": "nope-nope"})
    assert r.status_code == 404 and r.json()["code"] == "complaint.not_found"


def test_officer_counter_intake_extension_and_errors(
    clock: TravellingClock,
    officer_client: Callable[[User], Client],
    road_officer: User,
    types: dict[str, ComplaintType],
) -> None:
    clock.at(2026, 3, 9, 15, 0)
    client = officer_client(road_officer)
    r = post(
        client,
        "/office/complaints",
        {
            "kind": "statutory",
            "complaint_type": "road-occupancy-permit",
            "channel": "counter",
            "title": "도로점용",
            "body": "공사 자재 적치",
            "applicant": {"name": "김민원", "address": "파주시 금빛로 1"},
        },
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert r.json()["due_at"] == "2026-03-16T15:00:00+09:00"
    r = post(client, f"/office/complaints/{pk}/assign", {"assignee_id": road_officer.pk})
    assert r.json()["status"] == "in_progress"
    r = post(client, f"/office/complaints/{pk}/extend", {"period": "5d", "reason": "workload"})
    assert r.status_code == 400
    assert r.json()["code"] == "complaint.extension_reason_not_allowed"
    assert "제21조" in r.json()["message"]
    r = post(client, f"/office/complaints/{pk}/extend", {"period": "5d", "reason": "cooperation"})
    assert r.status_code == 200 and r.json()["extensions"] == 1
    r = post(client, f"/office/complaints/{pk}/answer", {"outcome": "refused", "answer": "불허"})
    assert r.status_code == 400 and r.json()["code"] == "complaint.refusal_reason_required"
    applicant = client.get(f"{API}/office/complaints/{pk}/applicant").json()
    assert applicant["name"] == "김*원"
    listed = client.get(f"{API}/office/complaints").json()["items"]
    assert [c["id"] for c in listed] == [pk]


def test_officer_endpoints_need_second_factor_and_scope(
    citizen_client: Client,
    road_officer: User,
    counter_officer: User,
    officer_client: Callable[[User], Client],
    civil_unit: OrgUnit,
) -> None:
    assert citizen_client.get(f"{API}/office/complaints").status_code == 401
    no_otp = Client(enforce_csrf_checks=True)
    no_otp.force_login(road_officer, backend="minwon.accounts.backends.ThrottledModelBackend")
    assert no_otp.get(f"{API}/office/complaints").status_code == 401
    r = post(
        officer_client(counter_officer),
        "/office/complaints",
        {
            "kind": "grievance",
            "channel": "post",
            "title": "t",
            "body": "b",
            "org_unit": "civil",
            "applicant": {"name": "가", "address": "나 1"},
        },
    )
    pk = r.json()["id"]
    assert officer_client(road_officer).get(f"{API}/office/complaints/{pk}").status_code == 404
    assert Complaint.objects.count() == 1


def test_openapi_documents_the_endpoints() -> None:
    schema = Client(enforce_csrf_checks=True).get(f"{API}/openapi.json").json()
    paths = schema["paths"]
    assert "/api/v1/office/complaints/{complaint_id}/extend" in paths
    assert "/api/v1/complaints/{complaint_id}/objection" in paths


def test_the_answer_has_the_same_length_limit_in_the_api_as_on_the_office_form(
    officer_client: Callable[[User], Client], road_officer: User
) -> None:
    """One limit (`ANSWER_MAX_LENGTH`): the office's form enforced it, the API did not."""
    from minwon.complaints.domain import ANSWER_MAX_LENGTH, ANSWER_NOTE_MAX_LENGTH
    from minwon.office.schemas import AnswerForm

    assert AnswerForm.base_fields["answer"].max_length == ANSWER_MAX_LENGTH  # type: ignore[attr-defined]
    client = officer_client(road_officer)
    schema = client.get(f"{API}/openapi.json").json()["components"]["schemas"]["AnswerIn"]
    assert schema["properties"]["answer"]["maxLength"] == ANSWER_MAX_LENGTH
    assert schema["properties"]["reason"]["maxLength"] == ANSWER_NOTE_MAX_LENGTH
    assert schema["properties"]["appeal_route"]["maxLength"] == ANSWER_NOTE_MAX_LENGTH
    intake = {
        "kind": "grievance",
        "channel": "post",
        "title": "t",
        "body": "b",
        "org_unit": "road",
        "applicant": {"name": "가", "address": "나 1"},
    }
    pk = post(client, "/office/complaints", intake).json()["id"]
    assert post(client, f"/office/complaints/{pk}/assign", {"assignee_id": road_officer.pk})
    too_long = {"outcome": "granted", "answer": "가" * (ANSWER_MAX_LENGTH + 1)}
    r = post(client, f"/office/complaints/{pk}/answer", too_long)
    assert r.status_code == 422 and r.json()["field"] == "answer", r.content
    assert Complaint.objects.get(pk=pk).status == "in_progress"  # nothing changed
    longest = {"outcome": "granted", "answer": "가" * ANSWER_MAX_LENGTH}
    r = post(client, f"/office/complaints/{pk}/answer", longest)
    assert r.status_code == 200 and r.json()["status"] == "answered", r.content
