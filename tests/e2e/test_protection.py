"""The incident register in the browser (issue 16): an officer records an incident and a measure
by keyboard only; axe-core on the form, its errors, the record and the register, Korean and
English."""

from __future__ import annotations

import re
from typing import Any

import pytest

from minwon.accounts.models import User
from minwon.protection.models import Incident, IncidentMeasure
from tests.e2e.browser import assert_no_axe_violations, save_screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _type(page: Any, selector: str, text: str) -> None:
    page.locator(selector).focus()
    page.keyboard.type(text)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_an_officer_records_an_incident_and_a_measure_by_keyboard(
    new_page: Any, login_as: Any, road_officer: User, lang: str
) -> None:
    page = new_page(lang=lang)
    login_as(page, road_officer)
    page.goto("/office/protection/incidents/")
    assert_no_axe_violations(page, f"incident register, empty ({lang})")
    page.get_by_role("link", name="특이민원 기록" if lang == "ko" else "Record an incident").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/office/protection/incidents/new/")
    assert_no_axe_violations(page, f"incident form ({lang})")

    submit = page.get_by_role("button", name="기록하기" if lang == "ko" else "Record the incident")
    submit.focus()
    page.keyboard.press("Enter")  # nothing chosen: the errors, named and linked
    page.locator("[data-error-summary]").wait_for()
    assert_no_axe_violations(page, f"incident form with errors ({lang})")
    assert not Incident.objects.exists()

    page.locator("#id_kind").select_option("threat")
    page.locator("#id_channel").select_option("phone")
    _type(page, "#id_description", "“집 주소 안다, 밤길 조심해라”라고 세 번 말함")
    _type(page, "#id_complaint_reference", "2026-000123")
    submit = page.get_by_role("button", name="기록하기" if lang == "ko" else "Record the incident")
    submit.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/office/protection/incidents/\d+/$"))
    incident = Incident.objects.get()
    assert incident.kind == "threat" and "밤길" in incident.description
    assert "밤길" in page.locator(".incident-description").inner_text()
    assert_no_axe_violations(page, f"incident record ({lang})")

    page.locator("#id_m-measure").select_option("security_guard")
    _type(page, "#id_m-performed_by", "청원경찰")
    page.get_by_role(
        "button", name="조치 기록하기" if lang == "ko" else "Record the measure"
    ).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/office/protection/incidents/{incident.pk}/")
    rows = page.locator(".protection-measures tbody tr")
    assert rows.count() == 1 and "청원경찰" in rows.first.inner_text()
    assert IncidentMeasure.objects.get().measure == "security_guard"
    assert_no_axe_violations(page, f"incident with a measure ({lang})")
    save_screenshot(page, "office-protection-incident" + ("" if lang == "ko" else "-en"))

    page.goto("/office/protection/incidents/")
    assert page.locator(".protection-incidents tbody tr").count() == 1
    assert_no_axe_violations(page, f"incident register ({lang})")
