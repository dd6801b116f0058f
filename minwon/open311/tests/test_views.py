"""GeoReport v2 conformance through HTTP, one test per spec clause (anchors §1.2–§1.6)."""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

import pytest
from django.test import Client

from minwon.complaints.models import Complaint
from minwon.core.models import AuditEvent

BASE = "/open311/v2"
POTHOLE = {
    "service_code": "road-damage",
    "lat": "37.7599",
    "long": "126.7802",
    "address_string": "경기도 파주시 시청로 50",
    "attribute[damage_type]": "pothole",
    "description": "시청 앞 도로가 크게 파였습니다",
    "email": "hong@example.kr",
    "first_name": "길동",
    "last_name": "홍",
    "phone": "010-1234-5678",
}


def post(client: Client, fmt: str, data: dict[str, str], **query: str):
    qs = "&".join(f"{k}={v}" for k, v in query.items())
    return client.post(f"{BASE}/requests.{fmt}" + (f"?{qs}" if qs else ""), data)


def node(parent: ET.Element, path: str) -> ET.Element:
    """The element at `path`, which must exist."""
    found = parent.find(path)
    assert found is not None, path
    return found


def xml(response) -> ET.Element:
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.content)


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_discovery_in_both_formats(client: Client, open311_setup, fmt: str) -> None:
    response = client.get(f"/open311/discovery.{fmt}")
    assert response.status_code == 200
    if fmt == "json":
        body = response.json()
        assert body["endpoints"][0]["formats"] == ["text/xml", "application/json"]
        assert body["endpoints"][0]["url"].endswith("/open311/v2")
        assert {"changeset", "contact", "key_service"} <= set(body)
    else:
        root = xml(response)
        assert root.tag == "discovery" and root.find("endpoints/endpoint/url") is not None


def test_services_list_xml_and_json(client: Client, open311_setup) -> None:
    body = client.get(f"{BASE}/services.json").json()
    codes = [s["service_code"] for s in body]
    assert codes == ["road-damage", "streetlight", "suggestion"]
    road = body[0]
    assert road["metadata"] is True and road["type"] == "realtime" and road["group"] == "도로"
    assert body[1]["type"] == "batch" and body[1]["metadata"] is False
    root = xml(client.get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    assert [s.findtext("service_code") for s in root.findall("service")] == codes
    assert node(root, "service/metadata").text == "true"


def test_service_definition_and_the_singular_alias(client: Client, open311_setup) -> None:
    body = client.get(f"{BASE}/services/road-damage.json").json()
    assert body["service_code"] == "road-damage"
    attribute = body["attributes"][0]
    assert (attribute["code"], attribute["datatype"], attribute["required"]) == (
        "damage_type",
        "singlevaluelist",
        True,
    )
    assert attribute["values"][0] == {"key": "pothole", "name": "도로 파임"}
    alias = client.get(f"{BASE}/service/road-damage.xml")
    assert node(xml(alias), "attributes/attribute/values/value/key").text == "pothole"
    missing = client.get(f"{BASE}/services/nope.json")
    assert missing.status_code == 404
    assert missing.json() == [{"code": 404, "description": "service_code nope not found"}]


def test_post_realtime_registers_and_returns_the_receipt_number(
    client: Client, open311_setup
) -> None:
    response = post(client, "json", POTHOLE, api_key=open311_setup.key, jurisdiction_id="")
    assert response.status_code == 201, response.content
    body = response.json()
    assert isinstance(body, list) and len(body) == 1
    complaint = Complaint.objects.get()
    assert body[0]["service_request_id"] == complaint.receipt_number
    assert "token" not in body[0]
    assert (complaint.channel, complaint.kind, complaint.status) == ("api", "tip", "registered")
    assert complaint.org_unit is not None and complaint.org_unit.code == "doro-gwalli-gwa"
    assert "[damage_type] pothole" in complaint.body
    assert AuditEvent.objects.filter(action="open311.request_created").count() == 1


def test_post_batch_returns_a_token_that_resolves_after_registration(
    client: Client, open311_setup
) -> None:
    data = {"service_code": "streetlight", "address_string": "교하로 1401"}
    root = xml(post(client, "xml", data, api_key=open311_setup.key))
    request = node(root, "request")
    token = request.findtext("token")
    assert token and request.find("service_request_id") is None
    pending = client.get(f"{BASE}/tokens/{token}.json").json()
    assert pending == [{"service_request_id": None, "token": token}]
    from minwon.complaints.services import complaint_register

    complaint = Complaint.objects.get()
    complaint_register(complaint=complaint, actor=None)
    resolved = client.get(f"{BASE}/tokens/{token}.json").json()
    assert resolved[0]["service_request_id"] == Complaint.objects.get().receipt_number
    assert client.get(f"{BASE}/tokens/unknown.json").status_code == 404


@pytest.mark.parametrize(
    ("data", "query", "status", "fragment"),
    [
        (POTHOLE, {"api_key": "wrong"}, 403, "Invalid api_key"),
        (POTHOLE, {}, 403, "Invalid api_key"),
        ({**POTHOLE, "service_code": ""}, {"api_key": "KEY"}, 400, "service_code is required"),
        ({**POTHOLE, "service_code": "nope"}, {"api_key": "KEY"}, 404, "not found"),
        (
            {k: v for k, v in POTHOLE.items() if k not in {"lat", "long", "address_string"}},
            {"api_key": "KEY"},
            400,
            "location",
        ),
        (
            {k: v for k, v in POTHOLE.items() if k != "attribute[damage_type]"},
            {"api_key": "KEY"},
            400,
            "damage_type is required",
        ),
        ({**POTHOLE, "description": "x" * 4001}, {"api_key": "KEY"}, 400, "4000"),
        (POTHOLE, {"api_key": "KEY", "jurisdiction_id": "seoul.go.kr"}, 404, "jurisdiction"),
        (
            {"service_code": "suggestion", "description": "공원을 늘려 주세요"},
            {"api_key": "KEY"},
            400,
            "identifiable",
        ),
    ],
)
def test_post_errors_follow_the_spec(
    client: Client, open311_setup, data, query, status, fragment
) -> None:
    query = {k: (open311_setup.key if v == "KEY" else v) for k, v in query.items()}
    for fmt in ("json", "xml"):
        response = post(client, fmt, data, **query)
        assert response.status_code == status, response.content
        if fmt == "json":
            error = response.json()[0]
            assert error["code"] == status and fragment in error["description"]
        else:
            assert xml(response).findtext("error/code") == str(status)
    assert Complaint.objects.count() == 0


def test_a_key_without_the_open311_scope_is_refused(client: Client, open311_setup) -> None:
    assert post(client, "json", POTHOLE, api_key=open311_setup.other_key).status_code == 403


def test_api_key_in_the_body_is_accepted_too(client: Client, open311_setup) -> None:
    response = client.post(f"{BASE}/requests.json", {**POTHOLE, "api_key": open311_setup.key})
    assert response.status_code == 201


def test_non_spatial_service_with_an_identified_author(client: Client, open311_setup) -> None:
    response = post(
        client,
        "json",
        {
            "service_code": "suggestion",
            "description": "공원을 늘려 주세요",
            "first_name": "길동",
            "last_name": "홍",
            "address_string": "파주시 시청로 50",
        },
        api_key=open311_setup.key,
    )
    assert response.status_code == 201, response.content
    complaint = Complaint.objects.get()
    assert complaint.kind == "suggestion" and complaint.due_at is not None
    assert "처리기한" in response.json()[0]["service_notice"]


def test_public_gets_never_show_personal_data(client: Client, open311_setup) -> None:
    post(client, "json", POTHOLE, api_key=open311_setup.key)
    post(
        client,
        "json",
        {
            "service_code": "suggestion",
            "description": "비밀 건의 내용",
            "first_name": "길동",
            "last_name": "홍",
            "address_string": "시청로 50",
        },
        api_key=open311_setup.key,
    )
    for fmt in ("json", "xml"):
        body = client.get(f"{BASE}/requests.{fmt}?extensions=true").content.decode("utf-8")
        for secret in ("홍", "길동", "hong@example.kr", "010-1234-5678", "비밀 건의 내용"):
            assert secret not in body, (fmt, secret)
    listed = client.get(f"{BASE}/requests.json").json()
    assert len(listed) == 2
    road = next(r for r in listed if r["service_code"] == "road-damage")
    assert road["description"].startswith("시청 앞 도로가 크게 파였습니다")  # a published report
    assert road["lat"] == 37.76 and road["requested_datetime"].endswith("+09:00")
    assert road["status"] == "open" and road["status_notes"] == "접수"


def test_get_requests_filters_and_single_request_is_an_array(client: Client, open311_setup) -> None:
    post(client, "json", POTHOLE, api_key=open311_setup.key)
    post(client, "json", {**POTHOLE, "attribute[damage_type]": "crack"}, api_key=open311_setup.key)
    ids = [r["service_request_id"] for r in client.get(f"{BASE}/requests.json").json()]
    assert len(ids) == 2
    one = client.get(f"{BASE}/requests/{ids[0]}.json").json()
    assert isinstance(one, list) and one[0]["service_request_id"] == ids[0]
    root = xml(client.get(f"{BASE}/requests/{ids[0]}.xml"))
    assert root.tag == "service_requests" and root.findtext("request/service_request_id") == ids[0]
    assert client.get(f"{BASE}/requests.json?status=closed").json() == []
    assert (
        len(client.get(f"{BASE}/requests.json?status=open,closed&service_code=road-damage").json())
        == 2
    )
    assert client.get(f"{BASE}/requests.json?service_code=streetlight").json() == []
    assert len(client.get(f"{BASE}/requests.json?page_size=1").json()) == 1
    assert client.get(f"{BASE}/requests/1999-000001.json").status_code == 404
    bad = client.get(f"{BASE}/requests.json?start_date=2026-01-01")
    assert bad.status_code == 400 and "start_date" in bad.json()[0]["description"]


def test_updates_extension_get_and_post(client: Client, open311_setup) -> None:
    post(client, "json", POTHOLE, api_key=open311_setup.key)
    rid = client.get(f"{BASE}/requests.json").json()[0]["service_request_id"]
    assert client.get(f"{BASE}/servicerequestupdates.json").status_code == 403
    updates = client.get(f"{BASE}/servicerequestupdates.json?api_key={open311_setup.key}").json()
    assert [u["status"] for u in updates] == ["OPEN", "OPEN"]  # arrived, registered
    assert all(u["service_request_id"] == rid for u in updates)
    form = {
        "service_request_id": rid,
        "update_id": "fms-1",
        "status": "OPEN",
        "description": "아직도 파여 있어요",
        "updated_datetime": "2026-11-25T10:00:00+09:00",
        "api_key": open311_setup.key,
    }
    response = client.post(f"{BASE}/servicerequestupdates.json", form)
    assert response.status_code == 200 and response.json() == [{"update_id": "fms-1"}]
    again = client.post(f"{BASE}/servicerequestupdates.json", form)
    assert again.status_code == 400 and "already exists" in again.json()[0]["description"]
    bad = client.post(
        f"{BASE}/servicerequestupdates.json", {**form, "update_id": "fms-2", "status": "EXPLODED"}
    )
    assert bad.status_code == 400


def test_oversized_and_wrong_method_bodies_are_400(client: Client, open311_setup, settings) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post(
        f"{BASE}/requests.json?api_key={open311_setup.key}", {**POTHOLE, "description": "가" * 2000}
    )
    assert response.status_code == 400 and "too large" in response.json()[0]["description"]
    assert client.delete(f"{BASE}/requests.json").status_code == 400
    assert Complaint.objects.count() == 0


def test_json_bodies_are_utf8_korean(client: Client, open311_setup) -> None:
    raw = client.get(f"{BASE}/services.json").content
    assert "도로 파손 신고".encode() in raw
    assert json.loads(raw)[0]["service_name"] == "도로 파손 신고"
