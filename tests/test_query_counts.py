"""Every list page and list API answers in a number of queries that does not grow with its rows.

Each list is read once with a few rows, then again after more rows are added: the second read may
not take more queries than the first (pytest-django's `django_assert_max_num_queries`), so a query
per row (N+1) fails here. The second read must really list the rows, so an empty page cannot pass.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from minwon.accounts.access import OTP_SESSION_KEY
from minwon.accounts.domain import ApiScope, OrgUnitKind, Role
from minwon.accounts.models import OrgUnit, User
from minwon.accounts.services import api_key_issue, org_unit_create, personal_token_issue
from minwon.catalog.domain import TypeData
from minwon.catalog.models import ComplaintType
from minwon.catalog.services import complaint_type_create, complaint_type_update
from minwon.complaints.domain import Action, IntakeChannel
from minwon.complaints.models import Complaint
from minwon.complaints.services import complaint_assign
from minwon.complaints.services.attachments import MAX_ATTACHMENTS, complaint_attachment_add
from minwon.complaints.services.common import record
from minwon.lawclock.kinds import ComplaintKind
from minwon.notifications.domain import DeliveryChannel, DeliveryStatus, Event
from minwon.notifications.models import Delivery, InAppNotice, Notification
from minwon.open311.domain import NewRequest
from minwon.open311.models import Open311Request, Open311Service
from minwon.open311.services import open311_request_create, open311_service_define
from minwon.webhooks.models import WebhookDelivery
from minwon.webhooks.services import webhook_subscribe
from minwon.webhooks.tests.receiver import FakeDns
from tests.factories import TravellingClock, citizen_make, complaint_filed, officer_make
from tests.files import pdf

PDF = pdf("q")

pytestmark = pytest.mark.django_db
API = "/api/v1"
BACKEND = "minwon.accounts.backends.ThrottledModelBackend"
FEW, MANY = 2, 12
MaxQueries = Callable[..., Any]  # django_assert_max_num_queries


@dataclass
class City:
    road: OrgUnit
    citizen: User
    officer: User
    administrator: User

    def citizen_client(self) -> Client:
        client = Client()
        client.force_login(self.citizen, backend=BACKEND)
        return client

    def officer_client(self, user: User | None = None) -> Client:
        client = Client()
        client.force_login(user or self.officer, backend=BACKEND)
        session = client.session
        session[OTP_SESSION_KEY] = True
        session.save()
        return client


@pytest.fixture
def city(db: None, tmp_path: Path) -> City:
    settings.MEDIA_ROOT = tmp_path / "media"
    paju = org_unit_create(
        actor=None, code="paju", name_ko="파주시", kind=OrgUnitKind.CITY, parent=None
    )
    road = org_unit_create(
        actor=None, code="road", name_ko="도로관리과", kind=OrgUnitKind.DIVISION, parent=paju
    )
    return City(
        road=road,
        citizen=citizen_make(),
        officer=officer_make("road", road),
        administrator=officer_make("admin", paju, Role.ADMINISTRATOR),
    )


@pytest.fixture(autouse=True)
def _cold_cache() -> None:
    """Each count starts from an empty cache: a warm one changes the counts, and the per-minute
    API-key buckets (`ratelimit:apikey:<id>`) of earlier tests in the same process, whose keys
    had the same ids, answered 429 here in the full run."""
    cache.clear()


@pytest.fixture
def travel() -> Iterator[TravellingClock]:
    clock = TravellingClock()
    yield clock
    clock.stop()


def _flat(
    max_queries: MaxQueries,
    read: Callable[[], Any],
    add: Callable[[int], None],
    rows: Callable[[Any], int],
    *,
    many: int = MANY,
) -> int:
    """Reads with FEW rows, adds up to `many`, reads again: no more queries; returns the count."""
    add(FEW)
    with CaptureQueriesContext(connection) as few:
        response = read()
    assert response.status_code == 200, response.content[:500]
    assert rows(response) == FEW
    add(many - FEW)
    with max_queries(len(few)):
        response = read()
    assert response.status_code == 200
    assert rows(response) == many, "the list does not show the rows it was given"
    return len(few)


def _items(response: Any) -> int:
    body = json.loads(response.content)
    return len(body["items"] if isinstance(body, dict) else body)


def _links(prefix: str, complaints: list[Complaint]) -> Callable[[Any], int]:
    def count(response: Any) -> int:
        page = response.content.decode()
        return sum(f'href="{prefix}{c.pk}/"' in page for c in complaints)

    return count


# --- complaints: pages -------------------------------------------------------------------------


def _file(city: City, made: list[Complaint], *, citizen: bool = False) -> Callable[[int], None]:
    def add(n: int) -> None:
        for _ in range(n):
            if citizen:
                complaint = complaint_filed(
                    ComplaintKind.SUGGESTION,
                    channel=IntakeChannel.WEB,
                    citizen=city.citizen,
                    org_unit=city.road,
                )
            else:
                complaint = complaint_filed(ComplaintKind.GRIEVANCE, org_unit=city.road)
                complaint = complaint_assign(
                    complaint=complaint, actor=city.officer, assignee=city.officer
                )
            made.append(complaint)

    return add


def test_my_complaints_page(city: City, django_assert_max_num_queries: MaxQueries) -> None:
    made: list[Complaint] = []
    client = city.citizen_client()
    _flat(
        django_assert_max_num_queries,
        lambda: client.get("/my/"),
        _file(city, made, citizen=True),
        _links("/my/", made),
    )


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?scope=unit",
        "?scope=unit&q=%EC%A0%9C%EB%AA%A9&sort=newest",
        "?scope=mine&kind=grievance",
    ],
    ids=["mine", "unit", "unit-search-newest", "mine-filtered"],
)
def test_office_work_queue(
    city: City, django_assert_max_num_queries: MaxQueries, query: str
) -> None:
    made: list[Complaint] = []
    client = city.officer_client()
    _flat(
        django_assert_max_num_queries,
        lambda: client.get(f"/office/{query}"),
        _file(city, made),
        _links("/office/complaints/", made),
    )


def test_office_deadline_watch(
    city: City, django_assert_max_num_queries: MaxQueries, travel: TravellingClock
) -> None:
    made: list[Complaint] = []
    client = city.officer_client()

    def add(n: int) -> None:
        travel.at(2026, 3, 9, 10, 0)
        _file(city, made)(n)
        travel.at(2026, 6, 1, 10, 0)  # long past every deadline: all overdue

    _flat(
        django_assert_max_num_queries,
        lambda: client.get("/office/watch/"),
        add,
        _links("/office/complaints/", made),
    )


# --- complaints: the list APIs ------------------------------------------------------------------


def test_citizen_complaint_list_api(city: City, django_assert_max_num_queries: MaxQueries) -> None:
    client = city.citizen_client()
    _flat(
        django_assert_max_num_queries,
        lambda: client.get(f"{API}/complaints"),
        _file(city, [], citizen=True),
        _items,
    )


def test_officer_complaint_list_api(city: City, django_assert_max_num_queries: MaxQueries) -> None:
    client = city.officer_client()
    _flat(
        django_assert_max_num_queries,
        lambda: client.get(f"{API}/office/complaints"),
        _file(city, []),
        _items,
    )


def test_integrator_complaint_list_api(
    city: City, django_assert_max_num_queries: MaxQueries
) -> None:
    _, key = api_key_issue(actor=None, name="q", scopes=[ApiScope.API_READ], org_unit=city.road)
    client = Client(HTTP_X_API_KEY=key)
    _flat(
        django_assert_max_num_queries,
        lambda: client.get(f"{API}/integrations/complaints"),
        _file(city, []),
        _items,
    )


@pytest.mark.parametrize("audience", ["citizen", "officer"])
@pytest.mark.parametrize("listing", ["attachments", "timeline"])
def test_a_complaints_attachments_and_timeline_apis(
    city: City, django_assert_max_num_queries: MaxQueries, audience: str, listing: str
) -> None:
    complaint = complaint_filed(
        ComplaintKind.SUGGESTION,
        channel=IntakeChannel.WEB,
        citizen=city.citizen,
        org_unit=city.road,
    )
    if audience == "citizen":
        client, base = city.citizen_client(), f"{API}/complaints/{complaint.pk}"
    else:
        client, base = city.officer_client(), f"{API}/office/complaints/{complaint.pk}"
    before = len(json.loads(client.get(f"{base}/timeline").content)) if listing == "timeline" else 0

    def add(n: int) -> None:
        for i in range(n):
            if listing == "timeline" and audience == "citizen":
                # the citizen's timeline is the history (issue 13 item 10), each row an officer's
                record(
                    complaint,
                    Action.RECORD_PROGRESS_NOTICE,
                    actor=city.officer,
                    from_status=complaint.status,
                )
            else:
                complaint_attachment_add(
                    complaint=complaint, actor=city.citizen, name=f"{i}.pdf", data=PDF
                )

    _flat(
        django_assert_max_num_queries,
        lambda: client.get(f"{base}/{listing}"),
        add,
        lambda response: _items(response) - before,
        many=MAX_ATTACHMENTS,  # files are the rows here, and a complaint takes at most 10
    )


# --- accounts, catalogue, webhooks ---------------------------------------------------------------


def test_api_key_list_api(city: City, django_assert_max_num_queries: MaxQueries) -> None:
    client = city.officer_client(city.administrator)

    def add(n: int) -> None:
        for i in range(n):
            api_key_issue(
                actor=None, name=f"key {i}", scopes=[ApiScope.API_READ], org_unit=city.road
            )

    _flat(
        django_assert_max_num_queries, lambda: client.get(f"{API}/accounts/api-keys"), add, _items
    )


def test_personal_token_list_api(city: City, django_assert_max_num_queries: MaxQueries) -> None:
    client = city.citizen_client()

    def add(n: int) -> None:
        for i in range(n):
            personal_token_issue(actor=city.citizen, user=city.citizen, name=f"token {i}")

    _flat(django_assert_max_num_queries, lambda: client.get(f"{API}/accounts/tokens"), add, _items)


def _type(code: str, **extra: Any) -> TypeData:
    return TypeData(
        code=code,
        name_ko=f"도로점용허가 {code}",
        processing_period="5일",
        handling_unit_code="road",
        category="도로",
        **extra,
    )


@pytest.mark.parametrize("where", ["api", "search page"])
def test_catalogue_type_lists(
    city: City, django_assert_max_num_queries: MaxQueries, where: str
) -> None:
    client = Client()
    made: list[ComplaintType] = []

    def add(n: int) -> None:
        for _ in range(n):
            made.append(complaint_type_create(actor=None, data=_type(f"road-{len(made)}")))

    def shown(response: Any) -> int:
        page = response.content.decode()
        return sum(f"도로점용허가 {t.code}<" in page for t in made)

    if where == "api":
        _flat(
            django_assert_max_num_queries, lambda: client.get(f"{API}/catalog/types"), add, _items
        )
    else:
        search = "/services/?q=도로점용허가"
        _flat(django_assert_max_num_queries, lambda: client.get(search), add, shown)


def test_catalogue_version_list_api(city: City, django_assert_max_num_queries: MaxQueries) -> None:
    complaint_type = complaint_type_create(actor=None, data=_type("road-permit"))
    fees = [0]

    def add(n: int) -> None:
        for _ in range(n):
            fees.append(1000 * len(fees))
            complaint_type_update(
                actor=None,
                complaint_type=complaint_type,
                data=_type("road-permit", fee_krw=fees[-1]),
            )

    client = Client()
    _flat(
        django_assert_max_num_queries,
        lambda: client.get(f"{API}/catalog/types/road-permit/versions"),
        add,
        lambda response: _items(response) - 1,  # the first version was there before
    )


@pytest.fixture
def hooks_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    """Subscriptions resolve their host (issue 13 item 6); the sandbox has no DNS."""
    fake = FakeDns(socket.getaddrinfo)
    fake.set("hooks.example.kr", ["203.0.114.7"])
    monkeypatch.setattr(socket, "getaddrinfo", fake)


def test_webhook_subscription_list_api(
    city: City, django_assert_max_num_queries: MaxQueries, hooks_dns: None
) -> None:
    key, raw = api_key_issue(actor=None, name="q", scopes=[ApiScope.WEBHOOKS], org_unit=city.road)
    client = Client(HTTP_X_API_KEY=raw)

    def add(n: int) -> None:
        for i in range(n):
            webhook_subscribe(
                api_key=key, url=f"https://hooks.example.kr/{i}", events=["complaint.registered"]
            )

    _flat(
        django_assert_max_num_queries,
        lambda: client.get(f"{API}/webhooks/subscriptions"),
        add,
        _items,
    )


# --- notifications' pages in the portal and the office ----------------------------------------


def _notification(city: City, i: int, *, recipient: User | None) -> Notification:
    return Notification.objects.create(
        idempotency_key=f"query-count-{i}-{recipient.pk if recipient else 0}",
        event=Event.COMPLAINT_REGISTERED.value,
        recipient=recipient,
        context={"complaint_no": f"2026-{i:07d}"},
        not_before=timezone.now(),
        org_unit_id=city.road.pk,
    )


def test_my_notices_page(city: City, django_assert_max_num_queries: MaxQueries) -> None:
    """Rows written as the dispatcher writes them (a delivery and its in-app notice)."""
    client = city.citizen_client()
    made: list[InAppNotice] = []

    def add(n: int) -> None:
        for _ in range(n):
            i = len(made)
            notification = _notification(city, i, recipient=city.citizen)
            delivery = Delivery.objects.create(
                notification=notification,
                channel=DeliveryChannel.IN_APP.value,
                status=DeliveryStatus.DELIVERED.value,
                next_attempt_at=timezone.now(),
            )
            made.append(
                InAppNotice.objects.create(
                    user=city.citizen,
                    delivery=delivery,
                    event=notification.event,
                    title=f"접수 통지 {i}",
                    body="접수되었습니다.",
                )
            )

    _flat(
        django_assert_max_num_queries,
        lambda: client.get("/my/notices/"),
        add,
        lambda response: sum(f'id="notice-{n.pk}"' in response.content.decode() for n in made),
    )


def test_office_delivery_problems_page(
    city: City, django_assert_max_num_queries: MaxQueries
) -> None:
    client = city.officer_client()
    made: list[Notification] = []

    def add(n: int) -> None:
        for _ in range(n):
            notification = _notification(city, len(made), recipient=None)
            Delivery.objects.create(
                notification=notification,
                channel=DeliveryChannel.SMS.value,
                status=DeliveryStatus.FAILED.value,
                reason_code="sms.rejected",
                next_attempt_at=timezone.now(),
            )
            made.append(notification)

    _flat(
        django_assert_max_num_queries,
        lambda: client.get("/office/notifications/problems/"),
        add,
        lambda response: sum(
            str(n.context["complaint_no"]) in response.content.decode() for n in made
        ),
    )


def test_office_incident_register(city: City, django_assert_max_num_queries: MaxQueries) -> None:
    """The register with incidents, some corrected (their newest entry shown), and measures."""
    from minwon.protection.models import Incident
    from minwon.protection.services import incident_correct, incident_record

    client = city.officer_client()
    made: list[Incident] = []

    def add(n: int) -> None:
        for _ in range(n):
            incident = incident_record(
                actor=city.officer,
                kind="verbal_abuse",
                channel="phone",
                occurred_at=timezone.now(),
                description="욕설",
            )
            if len(made) % 2:
                incident_correct(
                    actor=city.officer,
                    incident=incident,
                    reason="정정",
                    kind="threat",
                    channel="visit",
                    occurred_at=incident.occurred_at,
                    description="협박",
                )
            made.append(incident)

    _flat(
        django_assert_max_num_queries,
        lambda: client.get("/office/protection/incidents/"),
        add,
        lambda response: sum(
            f'href="/office/protection/incidents/{i.pk}/"' in response.content.decode()
            for i in made
        ),
    )


# --- Open311 (GeoReport v2) -------------------------------------------------------------------


@pytest.mark.parametrize("listing", ["services", "requests"])
def test_open311_lists(city: City, django_assert_max_num_queries: MaxQueries, listing: str) -> None:
    key, _ = api_key_issue(
        actor=None, name="311", scopes=[ApiScope.OPEN311_POST], org_unit=city.road
    )
    services: list[Open311Service] = []
    requests: list[Open311Request] = []

    def service(i: int) -> Open311Service:
        return open311_service_define(
            actor=None,
            service_code=f"pothole-{i}",
            name_ko=f"도로 파손 {i}",
            complaint_kind=ComplaintKind.GRIEVANCE,
            org_unit=city.road,
        )

    def add(n: int) -> None:
        for _ in range(n):
            if listing == "services":
                services.append(service(len(services)))
                continue
            if not services:
                services.append(service(0))
            new = NewRequest(
                service_code=services[0].service_code,
                description="도로가 파였어요",
                address_string="파주시 시청로 50",
                first_name="길동",
                last_name="홍",
                lat=37.76,
                long=126.78,
            )
            requests.append(open311_request_create(api_key=key, service=services[0], new=new))

    made = services if listing == "services" else requests
    _flat(
        django_assert_max_num_queries,
        lambda: Client().get(f"/open311/v2/{listing}.json"),
        add,
        lambda response: len(json.loads(response.content)),
    )
    assert len(made) == MANY


def test_webhook_delivery_list_api(
    city: City, django_assert_max_num_queries: MaxQueries, hooks_dns: None
) -> None:
    """Rows written as the fan-out writes them (one per complaint event and subscription)."""
    key, raw = api_key_issue(actor=None, name="q", scopes=[ApiScope.WEBHOOKS], org_unit=city.road)
    subscription, _ = webhook_subscribe(
        api_key=key, url="https://hooks.example.kr/log", events=["complaint.registered"]
    )
    complaint = complaint_filed(ComplaintKind.GRIEVANCE, org_unit=city.road)
    made: list[WebhookDelivery] = []

    def add(n: int) -> None:
        for _ in range(n):
            made.append(
                WebhookDelivery.objects.create(
                    subscription=subscription,
                    complaint=complaint,
                    source_event_id=len(made) + 1,
                    event="complaint.registered",
                    payload={"n": len(made)},
                    next_attempt_at=timezone.now(),
                )
            )

    client = Client(HTTP_X_API_KEY=raw)
    _flat(
        django_assert_max_num_queries,
        lambda: client.get(f"{API}/webhooks/subscriptions/{subscription.pk}/deliveries"),
        add,
        _items,
    )
