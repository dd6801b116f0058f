"""The panic button (issue 16): one press records an incident with the 비상벨 measure, the alarm
sounds on the open pages of the security desk and the head (never on others'), each may
acknowledge it, and the notification outbox tells them (urgent, once)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from minwon.accounts.domain import Role
from minwon.accounts.models import OrgUnit, User
from minwon.core import clock
from minwon.core.links import OFFICE_INCIDENT_PATH
from minwon.core.models import AuditEvent
from minwon.notifications import selectors as notification_selectors
from minwon.notifications import services as notification_services
from minwon.notifications.domain import Event
from minwon.notifications.models import Notification
from minwon.protection.access import panic_alarms_for, panic_recipients
from minwon.protection.models import Incident, IncidentMeasure, PanicAcknowledgement
from minwon.protection.services import panic_acknowledge, panic_raise


@pytest.fixture
def people(
    city: OrgUnit, road_unit: OrgUnit, civil_unit: OrgUnit, make_officer: Callable[..., User]
) -> dict[str, User]:
    return {
        "presser": make_officer("presser", road_unit),
        "colleague": make_officer("colleague", road_unit),
        "head": make_officer("head", road_unit, Role.DEPARTMENT_HEAD),
        "bureau_head": make_officer("bureauhead", road_unit.parent, Role.DEPARTMENT_HEAD),
        "desk": make_officer("desk", city, Role.SECURITY_DESK),
        "other_head": make_officer("otherhead", civil_unit, Role.DEPARTMENT_HEAD),
    }


def test_one_press_records_an_incident_and_alarms_the_desk_and_the_head(
    people: dict[str, User],
) -> None:
    incident, new = panic_raise(actor=people["presser"], page="/office/complaints/7/")
    assert new and incident.source == "panic" and incident.officer == people["presser"]
    assert incident.location == "/office/complaints/7/"
    measure = IncidentMeasure.objects.get(incident=incident)
    assert measure.measure == "panic_bell" and measure.recorded_by == people["presser"]
    assert AuditEvent.objects.filter(action="protection.panic_raised").count() == 1
    # the nearest head and the desk; not the bureau's head, another unit's, a colleague or oneself
    assert set(panic_recipients(incident)) == {people["head"].pk, people["desk"].pk}
    for name in ("head", "desk"):
        assert [i.pk for i in panic_alarms_for(people[name])] == [incident.pk]
    for name in ("presser", "colleague", "bureau_head", "other_head"):
        assert panic_alarms_for(people[name]) == []
    again, new_again = panic_raise(actor=people["presser"])
    assert again.pk == incident.pk and not new_again
    assert Incident.objects.count() == 1


def test_an_alarm_stops_when_acknowledged_or_after_its_time(people: dict[str, User]) -> None:
    incident, _ = panic_raise(actor=people["presser"])
    panic_acknowledge(actor=people["desk"], incident=incident)
    panic_acknowledge(actor=people["desk"], incident=incident)
    assert PanicAcknowledgement.objects.count() == 1
    assert panic_alarms_for(people["desk"]) == []
    assert [i.pk for i in panic_alarms_for(people["head"])] == [incident.pk]
    later = clock.now() + dt.timedelta(minutes=31)
    assert panic_alarms_for(people["head"], now=later) == []


def test_the_outbox_tells_the_desk_and_the_head_once_and_urgently(
    people: dict[str, User],
) -> None:
    incident, _ = panic_raise(actor=people["presser"], page="/office/")
    source = notification_selectors.panic_alert_source()
    assert [i.pk for i in source] == [incident.pk]
    assert notification_services.panic_alerts_enqueue(incidents=source) == 2
    assert (
        notification_services.panic_alerts_enqueue(
            incidents=notification_selectors.panic_alert_source()
        )
        == 0
    )
    rows = Notification.objects.filter(event=Event.PROTECTION_PANIC.value)
    assert {n.recipient_id for n in rows} == {people["head"].pk, people["desk"].pk}
    assert all(n.urgent for n in rows)
    context = rows.first().context  # type: ignore[union-attr]
    assert context["incident_no"] == str(incident.pk) and context["officer_name"] == "Presser"
    assert context["url"].endswith(OFFICE_INCIDENT_PATH.format(incident_id=incident.pk))
    assert OFFICE_INCIDENT_PATH.format(incident_id=incident.pk) == reverse(
        "office:protection-incident", args=[incident.pk]
    )


def test_the_button_the_alarm_feed_and_the_acknowledgement_over_http(
    people: dict[str, User], officer_client: Callable[[User], Client]
) -> None:
    presser, desk = officer_client(people["presser"]), officer_client(people["desk"])
    home = presser.get(reverse("office:home")).content.decode()
    assert 'aria-keyshortcuts="Control+Alt+E"' in home and "protection-alarm.js" in home
    assert desk.get(reverse("office:protection-panic-alarms")).json() == {"alarms": []}

    pressed = presser.post(
        reverse("office:protection-panic"), {"page": "/office/"}, HTTP_ACCEPT="application/json"
    )
    assert pressed.status_code == 200 and pressed.json()["ok"] is True
    incident = Incident.objects.get(source="panic")
    alarms: list[dict[str, Any]] = desk.get(reverse("office:protection-panic-alarms")).json()[
        "alarms"
    ]
    assert [a["id"] for a in alarms] == [incident.pk] and "Presser" in alarms[0]["text"]
    # the desk reads the panic record it was called to; the colleague gets nothing
    assert desk.get(reverse("office:protection-incident", args=[incident.pk])).status_code == 200
    colleague = officer_client(people["colleague"])
    assert colleague.get(reverse("office:protection-panic-alarms")).json() == {"alarms": []}
    ack = reverse("office:protection-panic-ack", args=[incident.pk])
    assert colleague.post(ack).status_code == 404
    assert desk.post(ack, HTTP_ACCEPT="application/json").json() == {"ok": True}
    assert desk.get(reverse("office:protection-panic-alarms")).json() == {"alarms": []}

    # without script: a form post comes back to the page (only a page of this site)
    with time_machine.travel(clock.now() + dt.timedelta(minutes=5)):
        back = presser.post(reverse("office:protection-panic"), {"page": "/office/watch/"})
        assert back.status_code == 302 and back["Location"] == "/office/watch/"
    with time_machine.travel(clock.now() + dt.timedelta(minutes=10)):
        away = presser.post(reverse("office:protection-panic"), {"page": "https://evil.example/"})
        assert away.status_code == 302 and "evil" not in away["Location"]
    assert Incident.objects.filter(source="panic").count() == 3
