"""Crafted input against the Open311 endpoints (issue 13 item 11): paging past any sensible
offset, digits that are not ASCII, control characters in descriptions, media_url schemes; and a
property test of the XML writer (any text in → well-formed XML that parses back to that text
without the characters XML 1.0 cannot hold)."""

from __future__ import annotations

from xml.etree import ElementTree as ET

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from minwon.open311.models import Open311InboundUpdate, Open311Request
from minwon.open311.schemas import to_xml, xml_text

BASE = "/open311/v2"
POTHOLE = {
    "service_code": "road-damage",
    "lat": "37.7599",
    "long": "126.7802",
    "attribute[damage_type]": "pothole",
    "description": "시청 앞 도로가 크게 파였습니다",
}


@pytest.mark.parametrize(
    "query",
    [
        "page=999999999999999999999",
        "page=99999999999999999999999999999999999999999",
        "page_size=999999999999999999999",
        "page=100001",
        "page=%D9%A1%D9%A2",  # '١٢', Arabic-Indic digits: str.isdigit() says yes
        "page=%C2%B2",  # '²', isdigit() but int() fails
        "page_size=%EF%BC%95",  # fullwidth '５'
        "page=-1",
        "page=1e3",
        "page=0",
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_out_of_range_or_non_ascii_paging_is_a_400_document(
    client: Client, open311_setup, query: str, fmt: str
) -> None:
    response = client.get(f"{BASE}/requests.{fmt}?{query}")
    assert response.status_code == 400, response.content[:200]
    if fmt == "json":
        error = response.json()[0]
        assert error["code"] == 400 and "whole number from 1 to" in error["description"]
    else:
        assert ET.fromstring(response.content).findtext("error/code") == "400"


def test_the_last_allowed_page_answers(client: Client, open311_setup) -> None:
    assert client.get(f"{BASE}/requests.json?page=100000&page_size=1000").json() == []


def test_a_nul_character_is_a_400_document(client: Client, open311_setup) -> None:
    """No text column keeps NUL (PostgreSQL refuses it): refused up front, nothing stored."""
    for data in ({**POTHOLE, "description": "a\x00b"}, {**POTHOLE, "attribute[x\x00]": "1"}):
        response = client.post(f"{BASE}/requests.json?api_key={open311_setup.key}", data)
        assert response.status_code == 400
        assert "NUL" in response.json()[0]["description"]
    assert client.get(f"{BASE}/requests.json?page=1%00").status_code == 400
    assert not Open311Request.objects.exists()


@pytest.mark.parametrize("control", ["\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f"])
def test_a_control_character_in_a_description_keeps_requests_xml_well_formed(
    client: Client, open311_setup, control: str
) -> None:
    posted = client.post(
        f"{BASE}/requests.json?api_key={open311_setup.key}",
        {**POTHOLE, "description": f"파인 곳{control}두 군데\r\n깊음"},
    )
    assert posted.status_code == 201, posted.content
    response = client.get(f"{BASE}/requests.xml")
    assert response.status_code == 200
    description = ET.fromstring(response.content).findtext("request/description")
    assert description is not None and description.startswith("파인 곳두 군데\r\n깊음")
    assert (
        client.get(f"{BASE}/requests.json")
        .json()[0]["description"]
        .startswith(f"파인 곳{control}두 군데")
    )  # JSON can carry it escaped


BAD_MEDIA = [
    "javascript:alert(document.cookie)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "file:///etc/passwd",
    "vbscript:msgbox",
    "//evil.example/a.png",
    "http://",
    "https://[::1/a.png",
    "http://example.kr/a b.png",
    "http://example.kr/" + "a" * 500,
]


@pytest.mark.parametrize("media_url", BAD_MEDIA)
def test_media_url_must_be_http_or_https(client: Client, open311_setup, media_url: str) -> None:
    response = client.post(
        f"{BASE}/requests.json?api_key={open311_setup.key}", {**POTHOLE, "media_url": media_url}
    )
    assert response.status_code == 400, response.content
    assert "media_url must be an http or https URL" in response.json()[0]["description"]
    assert not Open311Request.objects.exists()


def test_a_good_media_url_is_published_and_an_update_with_a_bad_one_is_refused(
    client: Client, open311_setup
) -> None:
    url = "https://photos.example.kr/pothole.jpg?size=large"
    posted = client.post(
        f"{BASE}/requests.json?api_key={open311_setup.key}", {**POTHOLE, "media_url": url}
    )
    assert posted.status_code == 201
    listed = client.get(f"{BASE}/requests.json").json()[0]
    assert listed["media_url"] == url
    update = {
        "service_request_id": listed["service_request_id"],
        "update_id": "fms-1",
        "status": "OPEN",
        "api_key": open311_setup.key,
        "media_url": "javascript:alert(1)",
    }
    refused = client.post(f"{BASE}/servicerequestupdates.json", update)
    assert refused.status_code == 400 and "media_url" in refused.json()[0]["description"]
    assert not Open311InboundUpdate.objects.exists()


def test_a_stored_non_http_media_url_is_withheld_from_the_feed(
    client: Client, open311_setup
) -> None:
    client.post(f"{BASE}/requests.json?api_key={open311_setup.key}", POTHOLE)
    Open311Request.objects.update(media_url="javascript:alert(1)")  # a row kept before the check
    assert client.get(f"{BASE}/requests.json").json()[0]["media_url"] is None


# --- the XML writer, for any text ---------------------------------------------------------------

texts = st.text(alphabet=st.characters(codec=None, min_codepoint=0, max_codepoint=0x10FFFF))


@given(description=texts, address=texts, note=texts)
def test_xml_writer_is_well_formed_for_any_text_and_round_trips(
    description: str, address: str, note: str
) -> None:
    body = to_xml(
        "service_requests",
        "request",
        [{"description": description, "address": address, "notes": [{"description": note}]}],
    )
    root = ET.fromstring(body)  # well-formed, whatever came in
    request = root.find("request")
    assert request is not None
    assert (request.findtext("description") or "") == xml_text(description)
    assert (request.findtext("address") or "") == xml_text(address)
    assert (request.findtext("notes/note/description") or "") == xml_text(note)


@given(texts)
def test_xml_text_keeps_exactly_the_characters_xml_allows(text: str) -> None:
    kept = xml_text(text)
    allowed = [
        c
        for c in text
        if c in "\t\n\r"
        or 0x20 <= ord(c) <= 0xD7FF
        or 0xE000 <= ord(c) <= 0xFFFD
        or 0x10000 <= ord(c) <= 0x10FFFF
    ]
    assert kept == "".join(allowed)


def test_a_rrn_in_an_update_description_is_masked_and_kept_encrypted(
    client: Client, open311_setup
) -> None:
    """Issue 13 item 12: an Open311 client's update words are stored as the intake text is."""
    from minwon.core import crypto

    client.post(f"{BASE}/requests.json?api_key={open311_setup.key}", POTHOLE)
    listed = client.get(f"{BASE}/requests.json").json()[0]
    words = "신고자 주민등록번호 900101-1234568 확인 바랍니다"
    posted = client.post(
        f"{BASE}/servicerequestupdates.json",
        {
            "service_request_id": listed["service_request_id"],
            "update_id": "fms-rrn",
            "status": "OPEN",
            "api_key": open311_setup.key,
            "description": words,
        },
    )
    assert posted.status_code in (200, 201), posted.content
    update = Open311InboundUpdate.objects.get()
    assert update.description == "신고자 주민등록번호 900101-1****** 확인 바랍니다"
    assert crypto.decrypt(update.description_original_encrypted) == words


@pytest.mark.django_db(transaction=True)
def test_the_migration_masks_update_descriptions_stored_before(
    client: Client, open311_setup
) -> None:
    """Issue 13 item 12: descriptions stored before the masking are masked by open311/0004."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from minwon.core import crypto

    client.post(f"{BASE}/requests.json?api_key={open311_setup.key}", POTHOLE)
    listed = client.get(f"{BASE}/requests.json").json()[0]
    client.post(
        f"{BASE}/servicerequestupdates.json",
        {
            "service_request_id": listed["service_request_id"],
            "update_id": "fms-old",
            "status": "OPEN",
            "api_key": open311_setup.key,
            "description": "확인했습니다",
        },
    )
    words = "신고자 주민등록번호 900101-1234568 확인, 연락처 010-1234-5678"
    # As a row stored before the masking was: the number in clear, no original.
    Open311InboundUpdate.objects.update(description=words, description_original_encrypted="")
    executor = MigrationExecutor(connection)
    executor.migrate([("open311", "0003_update_description_original")])
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    update = Open311InboundUpdate.objects.get()
    assert update.description == "신고자 주민등록번호 900101-1****** 확인, 연락처 010-1234-5678"
    assert crypto.decrypt(update.description_original_encrypted) == words
