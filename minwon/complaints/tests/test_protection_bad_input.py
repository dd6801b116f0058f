"""Bad input at intake never a 5xx (issue 16, 'Bad input'): enormous text, binary junk (NUL,
control characters, a lone surrogate a JSON client can send), another script and emoji only,
through the citizen JSON API; what is taken is screened cleanly, what is refused changes nothing."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from minwon.complaints import services as s
from minwon.complaints.models import Complaint
from minwon.protection.models import Screening

pytestmark = pytest.mark.django_db

BODIES = {
    "enormous": "가" * 300_000,
    "nul": "가로등\u0000고장",  # refused: PostgreSQL keeps no NUL
    "controls": "\u0001\u0002\u001b[31m \u202e 가로등 고장 \u007f\ue000",
    "lone surrogate": "가로등 \ud800 고장",
    "emoji only": "😡🤬💢😡🤬💢",
    "other scripts": "Это не жалоба. これは苦情ではありません。",
}


@pytest.mark.parametrize("name", list(BODIES))
def test_bad_input_at_intake_is_never_a_server_error(citizen_client: Client, name: str) -> None:
    payload = {
        "kind": "grievance",
        "title": "제목",
        "body": BODIES[name],
        "applicant": {"name": "홍길동", "address": "경기도 파주시 시청로 50"},
    }
    raw = json.dumps(payload)  # \\ud800 stays an escape, as a client would send it
    response = citizen_client.post("/api/v1/complaints", raw, content_type="application/json")
    assert response.status_code < 500, response.content[:300]
    if response.status_code == 201:
        assert s.complaint_screening_sweep() == 1
        row = Screening.objects.get()
        assert not row.abusive and row.reason in ("", "empty")
    else:
        assert response.status_code in (400, 422)
        assert response.json()["code"] == "complaint.text_unreadable"
        assert not Complaint.objects.exists()
