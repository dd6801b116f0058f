from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

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
    versions = (
        Client(enforce_csrf_checks=True).get(f"{API}/types/road-occupancy-permit/versions").json()
    )
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
    calendar = Client(enforce_csrf_checks=True).get(f"{API}/calendar").json()
    assert calendar["version"].startswith("kr-holidays-") and "+" in calendar["version"]
    r = admin_client.delete(f"{API}/calendar/holidays/{r.json()['id']}")
    assert r.status_code == 204
    assert [t["code"] for t in Client(enforce_csrf_checks=True).get(f"{API}/types").json()] == [
        "road-occupancy-permit"
    ]


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
        Client(enforce_csrf_checks=True)
        .post(f"{API}/import", json.dumps({"csv": ""}), content_type="application/json")
        .status_code
        == 401
    )


def _xlsx(*rows: tuple[object, ...]) -> bytes:
    import io

    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(client: Client, data: bytes, name: str, **form: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(f"{API}/import", {"file": SimpleUploadedFile(name, data), **form})


def test_admin_uploads_an_xlsx_catalogue(admin_client: Client, road_unit: OrgUnit) -> None:
    data = _xlsx(
        ("코드", "민원사무명", "처리기간", "처리부서"), ("road-dig", "도로굴착", "7일", "road")
    )
    # recognised by content, whatever the name says
    r = _upload(admin_client, data, "catalogue.bin", dry_run="true")
    assert r.status_code == 200, r.content
    assert (r.json()["ok"], r.json()["dry_run"], r.json()["created"]) == (True, True, 1)
    assert Client(enforce_csrf_checks=True).get(f"{API}/types").json() == []
    r = _upload(admin_client, data, "catalogue.xlsx")
    assert (r.json()["ok"], r.json()["created"]) == (True, 1)
    assert [t["code"] for t in Client(enforce_csrf_checks=True).get(f"{API}/types").json()] == [
        "road-dig"
    ]


def test_upload_reports_bad_rows_and_bad_files(admin_client: Client, road_unit: OrgUnit) -> None:
    data = _xlsx(("code", "name_ko", "period"), ("ok-one", "가", "7일"), ("bad", "나", "곧"))
    r = _upload(admin_client, data, "catalogue.xlsx")
    assert r.status_code == 200
    assert r.json()["ok"] is False
    assert [(p["line"], p["field"], p["code"]) for p in r.json()["problems"]] == [
        (3, "period", "catalog.invalid_period")
    ]
    r = _upload(admin_client, b"PK\x03\x04 not really", "catalogue.xlsx")
    assert r.status_code == 400
    assert (r.json()["code"], r.json()["field"]) == ("catalog.invalid_xlsx", "file")
    assert r.json()["message"]
    r = _upload(admin_client, "code,name_ko,period\nx-y,가,7일\n".encode(), "catalogue.csv")
    assert (r.status_code, r.json()["created"]) == (200, 1)
    r = admin_client.post(f"{API}/import", {"dry_run": "true"})
    assert (r.status_code, r.json()["code"]) == (400, "catalog.file_required")
    r = admin_client.post(f"{API}/import", "{", content_type="application/json")
    assert (r.status_code, r.json()["code"]) == (422, "invalid")
    openapi = Client(enforce_csrf_checks=True).get("/api/v1/openapi.json").json()
    body = openapi["paths"]["/api/v1/catalog/import"]["post"]["requestBody"]["content"]
    assert set(body) == {"application/json", "multipart/form-data"}
