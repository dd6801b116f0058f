"""Issue 13 item 2: the public feed shows only a coarsened place of the problem, never an
applicant's address; Open311 keeps the address it was sent only encrypted."""

from __future__ import annotations

from xml.etree import ElementTree as ET

import pytest
from django.db import connection
from django.test import Client

from minwon.complaints.models import Applicant, Complaint
from minwon.core import crypto
from minwon.open311.domain import public_coordinate, public_place
from minwon.open311.models import Open311Request

BASE = "/open311/v2"
HOME = "경기도 파주시 금정로 77 해솔마을 1203동 504호"
PLACE = "경기도 파주시 시청로 50"


def _file(client: Client, key: str, data: dict[str, str]) -> None:
    response = client.post(f"{BASE}/requests.json?api_key={key}", data)
    assert response.status_code == 201, response.content


def _suggestion(client: Client, key: str) -> None:
    _file(
        client,
        key,
        {
            "service_code": "suggestion",
            "description": "공원을 늘려 주세요",
            "first_name": "길동",
            "last_name": "홍",
            "address_string": HOME,  # required: the author's own address
        },
    )


def _report(client: Client, key: str) -> None:
    _file(
        client,
        key,
        {
            "service_code": "road-damage",
            "lat": "37.759912",
            "long": "126.780237",
            "address_string": PLACE,
            "address_id": "41480-101",
            "attribute[damage_type]": "pothole",
            "description": "도로 파임",
        },
    )


def test_the_public_feed_never_shows_an_applicants_address(client: Client, open311_setup) -> None:
    _suggestion(client, open311_setup.key)
    _report(client, open311_setup.key)
    for fmt in ("json", "xml"):
        for path in ("requests", f"requests/{Complaint.objects.first().receipt_number}"):  # type: ignore[union-attr]
            body = client.get(f"{BASE}/{path}.{fmt}?extensions=true").content.decode()
            for secret in ("금정로", "해솔마을", "1203", "504호", "시청로 50", "37.759912"):
                assert secret not in body, (fmt, path, secret)
    listed = {r["service_code"]: r for r in client.get(f"{BASE}/requests.json").json()}
    suggestion, report = listed["suggestion"], listed["road-damage"]
    assert (suggestion["address"], suggestion["address_id"], suggestion["lat"]) == (
        None,
        None,
        None,
    )
    assert report["address"] == "경기도 파주시 시청로"  # road level, no building number
    assert (report["lat"], report["long"]) == (37.76, 126.78)
    assert report["address_id"] == "41480-101"
    root = ET.fromstring(client.get(f"{BASE}/requests.xml").content)
    assert {r.findtext("address") for r in root.findall("request")} == {"", "경기도 파주시 시청로"}


def test_open311_keeps_the_address_only_encrypted(client: Client, open311_setup) -> None:
    _suggestion(client, open311_setup.key)
    _report(client, open311_setup.key)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM open311_open311request")
        stored = " ".join(str(v) for row in cursor.fetchall() for v in row)
    assert "금정로" not in stored and "시청로" not in stored
    suggestion = Open311Request.objects.get(service__service_code="suggestion")
    report = Open311Request.objects.get(service__service_code="road-damage")
    assert crypto.decrypt(suggestion.address_encrypted) == HOME
    assert crypto.decrypt(report.address_encrypted) == PLACE
    # The author's address is the applicant's (encrypted); a report's place is the complaint's.
    applicant = Applicant.objects.get(complaint=suggestion.complaint)
    assert crypto.decrypt(applicant.address_encrypted) == HOME
    assert suggestion.complaint.location_text == ""
    assert report.complaint.location_text == PLACE
    assert (report.complaint.location_lat, report.complaint.location_lng) == (37.759912, 126.780237)


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_existing_rows_and_gives_reports_their_place(
    open311_setup,
) -> None:
    from django.db.migrations.executor import MigrationExecutor

    client = Client()
    _suggestion(client, open311_setup.key)
    _report(client, open311_setup.key)
    executor = MigrationExecutor(connection)
    executor.migrate([("open311", "0001_initial")])  # back to the clear column
    Complaint.objects.update(location_text="")  # as rows filed before this change were
    with connection.cursor() as cursor:
        cursor.execute("SELECT address_string FROM open311_open311request ORDER BY id")
        assert [r[0] for r in cursor.fetchall()] == [HOME, PLACE]
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    rows = {r.service.service_code: r for r in Open311Request.objects.select_related("complaint")}
    assert crypto.decrypt(rows["suggestion"].address_encrypted) == HOME
    assert crypto.decrypt(rows["road-damage"].address_encrypted) == PLACE
    assert rows["suggestion"].complaint.location_text == ""  # an author's address is no place
    assert rows["road-damage"].complaint.location_text == PLACE


@pytest.mark.parametrize(
    ("text", "public"),
    [
        ("경기도 파주시 시청로 50", "경기도 파주시 시청로"),
        ("교하로 1401", "교하로"),
        ("파주시 금촌동 123-4", "파주시 금촌동"),
        ("문산읍 문산리 12번지", "문산읍 문산리"),
        ("파주시 통일로1680번길 5-3", "파주시 통일로1680번길"),
        ("금촌1동 새꽃마을 101동 1203호", "금촌1동"),
        ("경기도 파주시 금정로 77 (금촌동, 해솔마을)", "경기도 파주시 금정로"),
        ("시청 앞 도로", None),
        ("101동 1203호", None),
        ("", None),
    ],
)
def test_public_place_keeps_road_or_dong_level(text: str, public: str | None) -> None:
    assert public_place(text) == public


def test_public_coordinates_are_rounded_to_a_block() -> None:
    assert public_coordinate(37.759912) == 37.76 and public_coordinate(None) is None
