"""The two Open311 client packages on PyPI against a live Minwon server (anchors §6–§7).

Known client limits: `georeport` cannot POST; `open311` 1.1 is Python 2 code loaded by a shim,
asks for the singular `service/{code}` path (we serve that alias) and parses XML only.
"""

from __future__ import annotations

import urllib.error

import pytest
import requests
from georeport import GeoReport

from minwon.open311.tests.open311_shim import load_open311

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def endpoint(live_server, open311_setup) -> str:
    return f"{live_server.url}/open311/v2"


@pytest.fixture
def client311(endpoint: str, open311_setup):
    open311 = load_open311()
    return open311(
        endpoint=endpoint, api_key=open311_setup.key, jurisdiction="paju.go.kr", format="xml"
    )


def test_open311_client_posts_reads_and_resolves_tokens(client311) -> None:
    services = client311.service_list()  # the client unwraps services/service itself
    assert [s["service_code"] for s in services] == ["road-damage", "streetlight", "suggestion"]
    definition = client311.service_definition("road-damage")
    assert definition["service_definition"]["service_code"] == "road-damage"
    created = client311.post_service_request(
        service_code="road-damage",
        lat="37.7599",
        long="126.7802",
        description="테스트 민원: 도로 파임",
        email="a@b.kr",
        **{"attribute[damage_type]": "pothole"},
    )
    request_id = created["service_requests"]["request"]["service_request_id"]
    assert request_id
    second = client311.post_service_request(
        service_code="streetlight", address_string="세종대로 110"
    )
    token = second["service_requests"]["request"]["token"]
    assert client311.request_id_from_token(token)["token"] == token
    listed = client311.service_requests()  # unwrapped by the client
    assert isinstance(listed, list) and len(listed) == 2
    one = client311.get_service_request(request_id)
    assert one["service_requests"]["request"]["description"].startswith("테스트 민원: 도로 파임")


def test_open311_client_sees_403_for_a_bad_key(endpoint: str) -> None:
    open311 = load_open311()
    bad = open311(endpoint=endpoint, api_key="not-a-key", jurisdiction="", format="xml")
    with pytest.raises(urllib.error.HTTPError) as err:
        bad.post_service_request(
            service_code="road-damage",
            lat="37.7",
            long="126.7",
            **{"attribute[damage_type]": "crack"},
        )
    assert err.value.code == 403


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_reads_in_both_formats(endpoint: str, client311, fmt: str) -> None:
    for damage in ("pothole", "crack"):
        client311.post_service_request(
            service_code="road-damage",
            lat="37.76",
            long="126.78",
            description=f"{damage} 신고",
            **{"attribute[damage_type]": damage},
        )
    reader = GeoReport(endpoint, jurisdiction="paju.go.kr", output_format=fmt)
    services = reader.get_service_list()  # the client unwraps the XML root itself
    assert {s["service_code"] for s in services} == {"road-damage", "streetlight", "suggestion"}
    definition = reader.get_service_definition("road-damage")
    assert definition["service_code"] == "road-damage"
    found = reader.get_service_requests(status="open", service_code="road-damage")
    assert len(found) == 2
    request_id = found[0]["service_request_id"]
    one = reader.get_service_request(request_id)
    assert one["service_request_id"] == request_id
    with pytest.raises(requests.HTTPError) as err:
        reader.get_service_request("1999-000001")
    assert err.value.response is not None and err.value.response.status_code == 404
