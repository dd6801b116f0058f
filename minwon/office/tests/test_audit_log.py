"""The audit log page (issue 12): read-only, for administrators and auditors only, filtered,
paged, and itself audited."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from minwon.accounts.domain import Role
from minwon.accounts.models import OrgUnit, User
from minwon.core.models import AuditEvent
from minwon.core.services import audit_record
from tests.factories import TravellingClock

AUDIT = "/office/audit/"


@pytest.fixture
def auditor(make_officer: Callable[..., User], civil_unit: OrgUnit) -> User:
    return make_officer("auditor", civil_unit, Role.AUDITOR)


@pytest.fixture
def admin(make_officer: Callable[..., User], city: OrgUnit) -> User:
    return make_officer("admin", city, Role.ADMINISTRATOR)


def test_only_administrators_and_auditors_find_the_page(
    officer_client: Callable[[User], Client], auditor: User, admin: User, road_officer: User
) -> None:
    assert officer_client(road_officer).get(AUDIT).status_code == 404
    for person in (auditor, admin):
        page = officer_client(person).get(AUDIT)
        assert page.status_code == 200
        assert 'href="/office/audit/"' in page.content.decode()  # in the menu
    assert (
        'href="/office/audit/"' not in officer_client(road_officer).get("/office/").content.decode()
    )


def test_the_page_reads_and_never_writes(
    officer_client: Callable[[User], Client], auditor: User
) -> None:
    client = officer_client(auditor)
    for method in ("post", "put", "delete"):
        assert getattr(client, method)(AUDIT).status_code == 405


def test_filters_find_the_rows_and_reading_is_recorded(
    officer_client: Callable[[User], Client], auditor: User, road_officer: User
) -> None:
    clock = TravellingClock()
    try:
        clock.at(2026, 3, 9, 10, 0)
        audit_record(
            actor=road_officer,
            action="complaint.answer",
            target_type="complaints.complaint",
            target_id=7,
            data={"outcome": "granted"},
        )
        clock.at(2026, 3, 11, 10, 0)
        audit_record(actor=None, action="notification_template.seeded", data={"created": 2})
    finally:
        clock.stop()
    client = officer_client(auditor)
    html = client.get(
        AUDIT, {"action": "complaint.", "since": "2026-03-09", "until": "2026-03-09"}
    ).content.decode()
    assert "complaint.answer" in html and "complaints.complaint" in html and "#7" in html
    assert "notification_template.seeded" not in html
    none = client.get(AUDIT, {"action": "complaint.", "since": "2026-03-10"}).content.decode()
    assert "complaint.answer" not in none
    viewed = AuditEvent.objects.filter(action="audit.viewed", actor_id=auditor.pk)
    assert viewed.count() == 2
    first = viewed.first()
    assert first is not None and first.data == {
        "action": "complaint.",
        "since": "2026-03-09",
        "until": "2026-03-09",
    }


def test_bad_filters_get_a_translated_error_and_list_nothing(
    officer_client: Callable[[User], Client], auditor: User
) -> None:
    client = officer_client(auditor)
    html = client.get(
        AUDIT, {"since": "2026-03-10", "until": "2026-03-01"}, HTTP_ACCEPT_LANGUAGE="ko"
    ).content.decode()
    assert "종료일이 시작일보다 앞섭니다" in html
    bad_date = client.get(AUDIT, {"since": "yesterday"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Enter a valid date" in bad_date
    cursor = client.get(AUDIT, {"cursor": "not-a-cursor"}, HTTP_ACCEPT_LANGUAGE="en")
    assert cursor.status_code == 200 and "The cursor is not valid" in cursor.content.decode()
    assert not AuditEvent.objects.filter(action="audit.viewed", data__since="2026-03-10").exists()


def test_pages_are_newest_first_and_the_next_page_follows(
    officer_client: Callable[[User], Client],
    auditor: User,
    django_assert_max_num_queries: Any,
) -> None:
    for n in range(120):
        audit_record(actor=None, action=f"test.row{n:03d}")
    client = officer_client(auditor)
    with django_assert_max_num_queries(20):
        first = client.get(AUDIT, {"action": "test."}).content.decode()
    assert "test.row119" in first and "test.row069" not in first
    assert first.index("test.row119") < first.index("test.row118")
    cursor = first.split("cursor=")[1].split('"')[0]
    second = client.get(f"{AUDIT}?action=test.&cursor={cursor}").content.decode()
    assert "test.row069" in second and "test.row119" not in second
