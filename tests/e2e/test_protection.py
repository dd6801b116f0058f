"""The incident register in the browser (issue 16): an officer records an incident and a measure
by keyboard only; axe-core on the form, its errors, the record and the register, Korean and
English."""

from __future__ import annotations

import re
from typing import Any

import pytest

from minwon.accounts.domain import Role
from minwon.accounts.models import OrgUnit, User
from minwon.notifications.models import Notification
from minwon.protection.models import Incident, IncidentMeasure, PanicAcknowledgement
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


def test_the_panic_button_alarms_the_open_pages_of_the_desk_and_the_head(
    new_page: Any,
    login_as: Any,
    city: OrgUnit,
    road_unit: OrgUnit,
    road_officer: User,
    make_officer: Any,
) -> None:
    """Three browsers: the security desk and the head have office pages open; the officer presses
    Ctrl+Alt+E. Both open pages show the alarm by themselves (they ask every second; nothing is
    reloaded), the desk takes it on by keyboard, the outbox has their urgent notifications."""
    desk_user = make_officer("desk", city, Role.SECURITY_DESK)
    head_user = make_officer("head", road_unit, Role.DEPARTMENT_HEAD)
    desk, head, officer = new_page(lang="ko"), new_page(lang="en"), new_page(lang="ko")
    for page, user, path in [
        (desk, desk_user, "/office/"),
        (head, head_user, "/office/watch/"),
        (officer, road_officer, "/office/"),
    ]:
        login_as(page, user)
        page.goto(path)
    assert desk.locator(".panic-alarm").count() == 0
    assert_no_axe_violations(officer, "office page with the panic button (ko)")

    officer.locator("body").press("Control+Alt+KeyE")  # one keystroke
    officer.locator("[data-panic-status]").get_by_text("비상벨", exact=False).wait_for()
    incident = Incident.objects.get(source="panic")
    assert incident.officer == road_officer

    desk_alarm = desk.locator(f'.panic-alarm[data-alarm="{incident.pk}"]')
    head_alarm = head.locator(f'.panic-alarm[data-alarm="{incident.pk}"]')
    desk_alarm.wait_for()
    head_alarm.wait_for()
    assert "Road" in desk_alarm.inner_text() or road_officer.name in desk_alarm.inner_text()
    assert "Panic alarm" in head_alarm.inner_text()
    assert officer.locator(".panic-alarm").count() == 0  # not on the presser's own page
    assert_no_axe_violations(desk, "office page with a panic alarm (ko)")
    save_screenshot(desk, "office-protection-panic-alarm")

    desk_alarm.get_by_role("button", name="확인하고 대응합니다").focus()
    desk.keyboard.press("Enter")
    desk_alarm.wait_for(state="detached")
    assert PanicAcknowledgement.objects.filter(incident=incident, user=desk_user).exists()
    assert head_alarm.is_visible()

    from minwon.notifications.jobs import protection_alerts_job

    protection_alerts_job()
    sent = Notification.objects.filter(event="protection_panic")
    assert {n.recipient_id for n in sent} == {desk_user.pk, head_user.pk}
    assert all(n.urgent for n in sent)
