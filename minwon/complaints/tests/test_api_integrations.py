"""The JSON API for integrators (API keys) and people with bearer tokens; cursor-paged lists."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from minwon.accounts.domain import ApiScope
from minwon.accounts.services import api_key_issue, personal_token_issue
from minwon.complaints.domain import IntakeChannel
from minwon.complaints.models import Complaint
from minwon.complaints.services import ApplicantInput, FilingInput, complaint_file
from minwon.lawclock.kinds import ComplaintKind

API = "/api/v1"
FILING = {
    "kind": "suggestion",
    "title": "벤치 설치",
    "body": "공원에 벤치를 놓아 주세요",
    "applicant": {"name": "홍길동", "address": "파주시 시청로 50"},
}


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


def _file(unit: Any, title: str) -> Complaint:
    return complaint_file(
        data=FilingInput(
            kind=ComplaintKind.SUGGESTION,
            title=title,
            body="내용",
            channel=IntakeChannel.COUNTER,
            org_unit=unit,
            applicant=ApplicantInput(name="김", address="문산읍"),
        )
    )


def test_integrator_files_with_idempotency_and_reads_its_unit(road_unit, civil_unit) -> None:
    _, key = api_key_issue(
        actor=None,
        name="도로 앱",
        scopes=[ApiScope.API_READ, ApiScope.API_WRITE],
        org_unit=road_unit,
    )
    client = Client(enforce_csrf_checks=True, HTTP_X_API_KEY=key)
    body = json.dumps({**FILING, "external_ref": "APP-17"})
    first = client.post(
        f"{API}/integrations/complaints",
        body,
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="app-17",
    )
    again = client.post(
        f"{API}/integrations/complaints",
        body,
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="app-17",
    )
    assert first.status_code == again.status_code == 201, first.content
    assert first.json()["id"] == again.json()["id"]
    complaint = Complaint.objects.get()
    assert (complaint.channel, complaint.external_ref, complaint.status) == (
        "api",
        "APP-17",
        "received",
    )
    assert complaint.org_unit == road_unit
    _file(civil_unit, "민원실 건")  # another unit: invisible to this key
    listed = client.get(f"{API}/integrations/complaints").json()
    assert [c["id"] for c in listed["items"]] == [complaint.pk] and listed["next_cursor"] is None
    other = Complaint.objects.exclude(pk=complaint.pk).get()
    assert client.get(f"{API}/integrations/complaints/{other.pk}").status_code == 404
    assert client.get(f"{API}/integrations/complaints/{complaint.pk}").status_code == 200


def test_scopes_are_enforced(db: None) -> None:
    _, reader = api_key_issue(actor=None, name="reader", scopes=[ApiScope.API_READ])
    _, hooks = api_key_issue(actor=None, name="hooks", scopes=[ApiScope.WEBHOOKS])
    post = Client(enforce_csrf_checks=True, HTTP_X_API_KEY=reader).post(
        f"{API}/integrations/complaints", json.dumps(FILING), content_type="application/json"
    )
    assert post.status_code == 403
    assert (
        Client(enforce_csrf_checks=True, HTTP_X_API_KEY=hooks)
        .get(f"{API}/integrations/complaints")
        .status_code
        == 403
    )
    assert Client(enforce_csrf_checks=True).get(f"{API}/integrations/complaints").status_code == 401
    assert Complaint.objects.count() == 0


def test_bad_input_from_an_integrator_changes_nothing(db: None) -> None:
    _, key = api_key_issue(actor=None, name="w", scopes=[ApiScope.API_WRITE])
    client = Client(enforce_csrf_checks=True, HTTP_X_API_KEY=key)
    response = client.post(
        f"{API}/integrations/complaints",
        json.dumps({**FILING, "applicant": {"name": "", "address": ""}}),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "complaint.name_required"
    malformed = client.post(f"{API}/integrations/complaints", "{", content_type="application/json")
    assert malformed.status_code in (400, 422)
    assert Complaint.objects.count() == 0


def test_officer_lists_page_by_deadline_with_a_token(road_officer, road_unit) -> None:
    for n in range(5):
        _file(road_unit, f"건 {n}")
    _, token = personal_token_issue(actor=None, user=road_officer, name="script")
    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {token}")
    seen: list[int] = []
    cursor = ""
    while True:
        page = client.get(
            f"{API}/office/complaints?limit=2" + (f"&cursor={cursor}" if cursor else "")
        )
        assert page.status_code == 200, page.content
        body = page.json()
        seen += [c["id"] for c in body["items"]]
        if not body["next_cursor"]:
            break
        cursor = body["next_cursor"]
    assert sorted(seen) == sorted(Complaint.objects.values_list("pk", flat=True))
    dues = [Complaint.objects.get(pk=pk).due_at for pk in seen]
    assert None not in dues and dues == sorted(due for due in dues if due is not None)
    # A citizen's token does not open the office routes, and an officer's not the citizen's.
    assert client.get(f"{API}/complaints").status_code == 401


def test_citizen_uses_a_token(citizen) -> None:
    _, token = personal_token_issue(actor=None, user=citizen, name="phone")
    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {token}")
    created = client.post(f"{API}/complaints", json.dumps(FILING), content_type="application/json")
    assert created.status_code == 201, created.content
    assert client.get(f"{API}/complaints").json()["items"][0]["id"] == created.json()["id"]
    assert client.get(f"{API}/office/complaints").status_code == 401
