"""The counter's registration form carries routing's suggestion box (issue 15): a static script
(no inline script under the CSP) and the officers' JSON endpoint, which answers the top 3 with
unit names in the reader's language and stores nothing."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client

from minwon.accounts.models import OrgUnit, User
from minwon.accounts.services import org_unit_duties_update
from minwon.routing import services as routing
from minwon.routing.models import Case

ROAD = "우리 동네 도로 포장이 깨져서 차가 다니기 위험합니다. 도로 보수를 부탁드립니다."


@pytest.fixture(autouse=True)
def model_dir(settings, tmp_path: Path) -> Path:
    settings.ROUTING_MODEL_DIR = str(tmp_path / "models")
    routing.duplicate_index_reset()
    return tmp_path / "models"


def test_the_intake_form_has_the_suggestion_box_and_no_inline_script(
    officer_client: Callable[[User], Client], counter_officer: User
) -> None:
    page = officer_client(counter_officer).get("/office/intake/").content.decode()
    assert 'src="/static/minwon/routing-suggest.js"' in page
    assert 'data-url="/api/v1/routing/suggest"' in page
    assert 'data-unit-field="id_org_unit"' in page
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page) is None  # no inline script


def test_the_suggest_endpoint_names_units_in_the_readers_language_and_stores_nothing(
    officer_client: Callable[[User], Client],
    counter_officer: User,
    supervisor: User,
    civil_unit: OrgUnit,
    road_unit: OrgUnit,
) -> None:
    org_unit_duties_update(actor=supervisor, unit=civil_unit, duties="불법 주정차 단속; 주차 질서")
    org_unit_duties_update(
        actor=supervisor, unit=road_unit, duties="도로 보수; 도로 포장; 도로 파손"
    )
    client = officer_client(counter_officer)
    client.cookies["django_language"] = "en"
    body = client.post(
        "/api/v1/routing/suggest", {"text": ROAD}, content_type="application/json"
    ).json()
    top = body["department"]["suggestions"][0]
    assert (top["label"], top["name"]) == ("road", "Road Maintenance Division")
    assert top["words"]
    assert not Case.objects.exists()
