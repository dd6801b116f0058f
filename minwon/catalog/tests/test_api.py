from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.test import Client

from minwon.accounts.domain import Role
from minwon.accounts.models import OrgUnit, User

pytestmark = pytest.mark.django_db
API = "/api/v1/catalog"


@pytest.fixture
def admin_client(
    make_officer: Callable[..., User], city: OrgUnit, officer_client: Callable[[User], Client]
) -> Client:
    return officer_client(make_officer("admin", city, Role.ADMINISTRATOR))


def test_admin_creates_updates_imports_and_declares(
    admin_client: Client, road_unit: OrgUnit
) -> None:
    body = {
        "code": "road-occupancy-permit",
        "name_ko": "도로점용허가",
        "processing_period": "5일",
        "handling_unit": "road",
        "fee_krw": 1000,
    }
    r = admin_client.post(f"{API}/types", json.dumps(body), content_type="application/json")
    assert r.status_code == 201, r.content
    assert r.json()["current"]["processing_period"] == "5d"
    r = admin_client.put(
        f"{API}/types/road-occupancy-permit",
        json.dumps({**body, "processing_period": "3일"}),
        content_type="application/json",
    )
    assert r.json()["current"]["version"] == 2
    versions = Client().get(f"{API}/types/road-occupancy-permit/versions").json()
    assert [v["processing_period"] for v in versions] == ["5d", "3d"]
    r = admin_client.post(
        f"{API}/import",
        json.dumps({"csv": "code,name_ko,period\nx,가,곧\n"}),
        content_type="application/json",
    )
    assert r.json()["ok"] is False
    assert r.json()["problems"][0]["code"] == "catalog.invalid_period"
    r = admin_client.post(
        f"{API}/calendar/holidays",
        json.dumps({"day": "2026-03-11", "name": "임시공휴일"}),
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    calendar = Client().get(f"{API}/calendar").json()
    assert calendar["version"].startswith("kr-holidays-") and "+" in calendar["version"]
    r = admin_client.delete(f"{API}/calendar/holidays/{r.json()['id']}")
    assert r.status_code == 204
    assert [t["code"] for t in Client().get(f"{API}/types").json()] == ["road-occupancy-permit"]


def test_only_administrators_write(
    officer_client: Callable[[User], Client], road_officer: User
) -> None:
    r = officer_client(road_officer).post(
        f"{API}/types",
        json.dumps({"name_ko": "x", "processing_period": "1d"}),
        content_type="application/json",
    )
    assert r.status_code == 403
    assert (
        Client()
        .post(f"{API}/import", json.dumps({"csv": ""}), content_type="application/json")
        .status_code
        == 401
    )
