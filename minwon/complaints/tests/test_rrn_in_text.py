"""Issue 13 item 12: a 주민등록번호 typed into a complaint's title or content is masked at intake,
for every reader (officer web, API, Open311, notices), and the original is kept only encrypted."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client

from minwon.accounts.domain import ApiScope
from minwon.accounts.models import User
from minwon.accounts.services import api_key_issue
from minwon.complaints.domain import IntakeChannel
from minwon.complaints.models import Complaint
from minwon.complaints.services import ApplicantInput, FilingInput, complaint_file
from minwon.core import crypto
from minwon.core.domain import mask_rrns_in_text
from minwon.lawclock.kinds import ComplaintKind
from minwon.notifications.models import InAppNotice, Notification
from minwon.notifications.selectors import complaint_notice_source
from minwon.notifications.services import complaint_notices_enqueue

RRN = "900101-1234568"  # a valid check digit
BARE = "8507152345670"  # no hyphen, valid check digit
MASKED = "900101-1******"


@pytest.mark.parametrize(
    ("text", "masked", "count"),
    [
        (f"제 번호는 {RRN} 입니다", f"제 번호는 {MASKED} 입니다", 1),
        (f"번호 {BARE}", "번호 850715-2******", 1),
        ("900101 - 2345678 공백", "900101-2****** 공백", 1),
        ("아기 211231-3123456", "아기 211231-3******", 1),  # born after 2020-10: random tail
        ("아기 2112313123456", "아기 211231-3******", 1),
        (f"{RRN}, {BARE}", f"{MASKED}, 850715-2******", 2),
        ("연락처 010-1234-5678", "연락처 010-1234-5678", 0),  # phone numbers stay
        ("연락처 01012345678", "연락처 01012345678", 0),
        ("주문번호 1234561234567", "주문번호 1234561234567", 0),  # no such birth date
        ("계좌 9001011234567", "계좌 9001011234567", 0),  # check digit fails, no hyphen
        ("19001011234568", "19001011234568", 0),  # part of a longer number
        ("901301-1234567", "901301-1234567", 0),  # month 13
        ("900101-9234567", "900101-9234567", 0),  # 9 is no sex/century digit
        ("2026-03-09 10:00", "2026-03-09 10:00", 0),
    ],
)
def test_rrn_shaped_numbers_are_masked_and_phone_numbers_are_not(
    text: str, masked: str, count: int
) -> None:
    assert mask_rrns_in_text(text) == (masked, count)


def _filed(**extra: object) -> Complaint:
    data = {
        "kind": ComplaintKind.GRIEVANCE,
        "title": f"주민번호 {RRN} 정정",
        "body": f"제 주민등록번호는 {RRN}, 아이는 {BARE}입니다. 연락처 010-1234-5678",
        "channel": IntakeChannel.WEB,
        "applicant": ApplicantInput(name="홍길동", address="경기도 파주시 시청로 50"),
        "status_password": "correct-horse-battery",
    }
    citizen = extra.pop("citizen", None)
    data.update(extra)
    return complaint_file(data=FilingInput(**data), citizen=citizen)  # type: ignore[arg-type]


def _no_rrn(text: str) -> None:
    assert "1234568" not in text and "2345670" not in text, text
    assert MASKED in text, text


def test_intake_masks_the_text_and_keeps_the_original_encrypted(civil_unit) -> None:
    complaint = _filed(org_unit=civil_unit)
    assert complaint.title == f"주민번호 {MASKED} 정정"
    assert complaint.body == (
        f"제 주민등록번호는 {MASKED}, 아이는 850715-2******입니다. 연락처 010-1234-5678"
    )
    original = json.loads(crypto.decrypt(complaint.original_text_encrypted))
    assert original["title"] == f"주민번호 {RRN} 정정" and BARE in original["body"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM complaints_complaint")
        stored = " ".join(str(v) for row in cursor.fetchall() for v in row)
    assert RRN not in stored and BARE not in stored
    plain = _filed(title="보도블록", body="고쳐 주세요")
    assert plain.original_text_encrypted == ""


def test_officers_integrators_and_notices_see_only_the_masked_number(
    officer_client: Callable[[User], Client], supervisor: User, civil_unit, citizen: User
) -> None:
    complaint = _filed(org_unit=civil_unit, citizen=citizen, status_password="")
    office = officer_client(supervisor)
    assert office.post(f"/office/complaints/{complaint.pk}/register/").status_code == 302
    page = office.get(f"/office/complaints/{complaint.pk}/")
    assert page.status_code == 200
    _no_rrn(page.content.decode())
    _, key = api_key_issue(actor=None, name="app", scopes=[ApiScope.API_READ], org_unit=civil_unit)
    api = Client(HTTP_X_API_KEY=key)
    listed = api.get("/api/v1/integrations/complaints").content.decode()
    one = api.get(f"/api/v1/integrations/complaints/{complaint.pk}")
    assert one.status_code == 200
    _no_rrn(listed)
    _no_rrn(one.content.decode())
    assert complaint_notices_enqueue(events=complaint_notice_source()) >= 1
    notices = [json.dumps(n.context, ensure_ascii=False) for n in Notification.objects.all()]
    notices += [f"{n.title} {n.body}" for n in InAppNotice.objects.all()]
    assert notices
    for text in notices:
        assert RRN not in text and BARE not in text
    assert any(MASKED in text for text in notices), notices


def test_open311_descriptions_are_masked_in_the_public_feed(open311_feed: Client, key: str) -> None:
    posted = open311_feed.post(
        f"/open311/v2/requests.json?api_key={key}",
        {
            "service_code": "road-damage",
            "lat": "37.76",
            "long": "126.78",
            "attribute[damage_type]": "pothole",
            "description": f"신고자 {RRN} 도로 파임",
        },
    )
    assert posted.status_code == 201, posted.content
    for fmt in ("json", "xml"):
        _no_rrn(open311_feed.get(f"/open311/v2/requests.{fmt}").content.decode())


@pytest.fixture
def key(city) -> str:
    from minwon.accounts.domain import OrgUnitKind
    from minwon.accounts.services import org_unit_create
    from minwon.open311.services import open311_demo_services_seed

    for code, name in [("doro-gwalli-gwa", "도로관리과"), ("minwon-yeokwon-gwa", "민원여권과")]:
        org_unit_create(actor=None, code=code, name_ko=name, kind=OrgUnitKind.DIVISION, parent=city)
    open311_demo_services_seed()
    return api_key_issue(actor=None, name="FixMyStreet", scopes=[ApiScope.OPEN311_POST])[1]


@pytest.fixture
def open311_feed() -> Client:
    return Client()


@pytest.mark.django_db(transaction=True)
def test_the_migration_masks_existing_complaints(civil_unit) -> None:
    from django.db.migrations.executor import MigrationExecutor

    complaint = _filed(org_unit=civil_unit)
    # As rows filed before this change were: the number in clear.
    Complaint.objects.filter(pk=complaint.pk).update(
        title=f"주민번호 {RRN} 정정", body=f"번호 {BARE}", original_text_encrypted=""
    )
    executor = MigrationExecutor(connection)
    executor.migrate([("complaints", "0011_applicant_name_index")])
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    complaint.refresh_from_db()
    assert (complaint.title, complaint.body) == (f"주민번호 {MASKED} 정정", "번호 850715-2******")
    original = json.loads(crypto.decrypt(complaint.original_text_encrypted))
    assert original == {"title": f"주민번호 {RRN} 정정", "body": f"번호 {BARE}"}
