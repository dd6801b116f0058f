"""Every operation of the JSON API (/api/v1/) as every kind of caller (the office's URLconf walk in
`minwon/office/tests/test_access.py`, for the API).

The operations come from the OpenAPI document and are checked against the URL resolver, so a new
endpoint is walked the day it is added; an operation missing from `AUDIENCE` fails the walk until
someone says who may call it. Each audience names at least one caller who gets past the gate (the
positive control: the refusals are refusals of *this* gate, not of a broken request).

A gate passed is any answer but 401 and 403 (a 404 for an object out of reach, a 422 for the
sample body, a 409 for the complaint's state: the endpoint itself ran).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from config.api import api
from minwon.accounts.access import OTP_SESSION_KEY
from minwon.accounts.domain import ApiScope, OrgUnitKind, Role
from minwon.accounts.models import User
from minwon.accounts.services import api_key_issue, org_unit_create, personal_token_issue
from minwon.complaints.domain import IntakeChannel
from minwon.complaints.services.attachments import complaint_attachment_add
from minwon.lawclock.kinds import ComplaintKind
from tests.factories import citizen_make, complaint_filed, officer_make
from tests.files import pdf

PREFIX = "/api/v1"
BACKEND = "minwon.accounts.backends.ThrottledModelBackend"

# --- who may call what ------------------------------------------------------------------------

ACTORS = [
    "anonymous",
    "citizen",
    "other_citizen",
    "citizen_token",
    "officer_without_second_factor",
    "officer",
    "officer_token",
    "administrator",
    "key_with_scope",
    "key_without_scope",
]
PASS = "pass"  # past the gate: anything but 401 / 403
HIDDEN = "hidden"  # 404: the object is out of this caller's reach (never a 2xx)
PEOPLE = {"citizen", "other_citizen", "citizen_token", "officer", "officer_token", "administrator"}
KEYS = {"key_with_scope", "key_without_scope"}


def _table(default: object, **given: object) -> dict[str, object]:
    return {actor: given.get(actor, default) for actor in ACTORS}


AUDIENCES: dict[str, dict[str, object]] = {
    # Anyone, logged in or not.
    "public": _table(PASS),
    # A citizen's own complaints: the session or a citizen's token; officers and keys are refused.
    "citizen": _table(401, citizen=PASS, other_citizen=PASS, citizen_token=PASS),
    # The office: an officer past the second factor (session or token; administrators are officers).
    "officer": _table(401, officer=PASS, officer_token=PASS, administrator=PASS),
    # Catalogue administration: administrators only; other officers are known and refused.
    "catalog_administrator": _table(401, administrator=PASS, officer=403, officer_token=403),
    # API keys: any caller is identified, only an administrator passes.
    "key_administrator": _table(
        403, anonymous=401, officer_without_second_factor=401, administrator=PASS
    ),
    # Who is calling: any person or key.
    "anyone_identified": _table(PASS, anonymous=401, officer_without_second_factor=401),
    # A person's own tokens: people; a key is identified but has none.
    "person": _table(
        PASS,
        anonymous=401,
        officer_without_second_factor=401,
        key_with_scope=403,
        key_without_scope=403,
    ),
    "person_token_revoke": _table(
        PASS,
        anonymous=401,
        officer_without_second_factor=401,
        key_with_scope=HIDDEN,
        key_without_scope=HIDDEN,
    ),
    # Issuing a token needs the logged-in session itself (a token cannot mint tokens).
    "session": _table(401, citizen=PASS, other_citizen=PASS, officer=PASS, administrator=PASS),
    # Integrators: an API key with the endpoint's scope; without it 403; people are not keys.
    "integrator": _table(401, key_with_scope=PASS, key_without_scope=403),
    # The counter's desk: an officer (session or token) or a key with the `counter` scope.
    "counter_desk": _table(
        401,
        officer=PASS,
        officer_token=PASS,
        administrator=PASS,
        key_with_scope=PASS,
        key_without_scope=403,
    ),
}

AUDIENCE: dict[str, str] = {
    # accounts
    "minwon_accounts_api_me_api": "anyone_identified",
    "minwon_accounts_api_api_key_list_api": "key_administrator",
    "minwon_accounts_api_api_key_create_api": "key_administrator",
    "minwon_accounts_api_api_key_delete_api": "key_administrator",
    "minwon_accounts_api_token_list_api": "person",
    "minwon_accounts_api_token_create_api": "session",
    "minwon_accounts_api_token_delete_api": "person_token_revoke",
    # catalogue
    "minwon_routing_api_suggest": "officer",
    "minwon_routing_api_models": "officer",
    "minwon_routing_api_complaint_suggestions": "officer",
    "minwon_routing_api_complaint_decision": "officer",
    "minwon_catalog_api_calendar_get_api": "public",
    "minwon_catalog_api_calendar_version_get_api": "public",
    "minwon_catalog_api_complaint_type_list_api": "public",
    "minwon_catalog_api_complaint_type_get_api": "public",
    "minwon_catalog_api_complaint_type_versions_api": "public",
    "minwon_catalog_api_complaint_type_create_api": "catalog_administrator",
    "minwon_catalog_api_complaint_type_update_api": "catalog_administrator",
    "minwon_catalog_api_catalog_import_api": "catalog_administrator",
    "minwon_catalog_api_holiday_declare_api": "catalog_administrator",
    "minwon_catalog_api_holiday_remove_api": "catalog_administrator",
    # complaints: without an account
    "minwon_complaints_api_complaint_file_anonymous_api": "public",
    "minwon_complaints_api_complaint_status_api": "public",
    # complaints: citizens
    "minwon_complaints_api_complaint_file_api": "citizen",
    "minwon_complaints_api_complaint_list_mine_api": "citizen",
    "minwon_complaints_api_complaint_get_mine_api": "citizen",
    "minwon_complaints_api_complaint_receipt_mine_api": "citizen",
    "minwon_complaints_api_complaint_receipt_pdf_mine_api": "citizen",
    "minwon_complaints_api_complaint_timeline_mine_api": "citizen",
    "complaint_withdraw_citizen_api": "citizen",
    "complaint_reopen_citizen_api": "citizen",
    "complaint_objection_citizen_api": "citizen",
    "complaint_progress_notice_citizen_api": "citizen",
    "complaint_supplement_citizen_api": "citizen",
    "complaint_rating_citizen_api": "citizen",
    "minwon_complaints_api_attachment_add_mine_api": "citizen",
    "minwon_complaints_api_attachment_list_mine_api": "citizen",
    "minwon_complaints_api_attachment_get_mine_api": "citizen",
    # complaints: officers
    "minwon_complaints_api_complaint_intake_api": "officer",
    "minwon_complaints_api_complaint_list_api": "officer",
    "minwon_complaints_api_complaint_get_api": "officer",
    "minwon_complaints_api_complaint_applicant_api": "officer",
    "minwon_complaints_api_complaint_timeline_api": "officer",
    "minwon_complaints_api_complaint_receipt_api": "officer",
    "minwon_complaints_api_complaint_receipt_pdf_api": "officer",
    "complaint_register_api": "officer",
    "complaint_assign_api": "officer",
    "complaint_transfer_api": "officer",
    "complaint_supplement_request_api": "officer",
    "complaint_supplement_extension_api": "officer",
    "complaint_supplement_received_api": "officer",
    "complaint_return_api": "officer",
    "complaint_extend_api": "officer",
    "complaint_answer_api": "officer",
    "complaint_withdraw_api": "officer",
    "complaint_progress_notice_api": "officer",
    "complaint_objection_decision_api": "officer",
    "complaint_merge_api": "officer",
    "complaint_close_repeated_api": "officer",
    "complaint_routing_api": "officer",
    "complaint_routing_decision_api": "officer",
    "complaint_committee_review_api": "officer",
    "complaint_households_correct_api": "officer",
    "complaint_excluded_time_record_api": "officer",
    "complaint_excluded_time_end_api": "officer",
    "complaint_children_api": "officer",
    "minwon_complaints_api_attachment_add_api": "officer",
    "minwon_complaints_api_attachment_list_api": "officer",
    "minwon_complaints_api_attachment_get_api": "officer",
    # complaints: integrators
    "minwon_complaints_api_complaint_list_integrator_api": "integrator",
    "minwon_complaints_api_complaint_get_integrator_api": "integrator",
    "minwon_complaints_api_complaint_file_integrator_api": "integrator",
    # the national exchange and webhooks (integrators)
    "minwon_exchange_api_exchange_push_api": "integrator",
    "minwon_webhooks_api_subscription_list_api": "integrator",
    "minwon_webhooks_api_subscription_create_api": "integrator",
    "minwon_webhooks_api_subscription_delete_api": "integrator",
    "minwon_webhooks_api_delivery_list_api": "integrator",
    # the counter: kiosks, boards and phones; desks and other vendors' kiosks; windows
    "counter_category_list_api": "public",
    "counter_ticket_get_api": "public",
    "counter_board_api": "public",
    "counter_ticket_issue_api": "counter_desk",
    "counter_queue_api": "counter_desk",
    "counter_window_list_api": "officer",
    "counter_window_open_api": "officer",
    "counter_window_close_api": "officer",
    "counter_window_call_next_api": "officer",
    "counter_window_recall_api": "officer",
    "counter_ticket_served_api": "officer",
    "counter_ticket_no_show_api": "officer",
    "counter_ticket_transfer_api": "officer",
}


# --- the operations, from the OpenAPI document and the URL resolver ---------------------------


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # /api/v1/complaints/{complaint_id}
    operation_id: str
    body: dict[str, Any] | None  # a sample JSON body (None: the operation takes none)
    sends_files: bool = False  # multipart: one small PDF as `file`

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.operation_id})"


def _document() -> dict[str, Any]:
    return api.get_openapi_schema(path_prefix=PREFIX)


def _resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _sample(schema: dict[str, Any], components: dict[str, Any]) -> Any:
    """The smallest value the schema accepts (required fields only), so that a scope or role check
    inside the endpoint is reached instead of the body's validation."""
    schema = _resolve(schema, components)
    if "anyOf" in schema:
        options = [o for o in schema["anyOf"] if _resolve(o, components).get("type") != "null"]
        return _sample(options[0], components)
    if "allOf" in schema:
        return _sample(schema["allOf"][0], components)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        properties = schema.get("properties", {})
        return {name: _sample(properties[name], components) for name in schema.get("required", [])}
    if kind == "array":
        return []
    if kind == "integer":
        return max(1, int(schema.get("minimum", 1)))
    if kind == "number":
        return 1.0
    if kind == "boolean":
        return False
    formats = {
        "date-time": "2026-03-09T10:00:00+09:00",
        "date": "2026-03-09",
        "email": "walk@example.kr",
        "uri": "https://hooks.example.kr/minwon",
    }
    return formats.get(schema.get("format", ""), "https://hooks.example.kr/minwon")


def operations() -> list[Operation]:
    document = _document()
    components = document.get("components", {}).get("schemas", {})
    found = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            content = operation.get("requestBody", {}).get("content", {})
            json_body = content.get("application/json")
            body = _sample(json_body["schema"], components) if json_body else None
            files = "multipart/form-data" in content
            found.append(Operation(method.upper(), path, operation["operationId"], body, files))
    # Deletions last, so that nothing a later request needs is gone.
    return sorted(found, key=lambda op: (op.method == "DELETE", op.path, op.method))


def _url_patterns(
    patterns: list[URLPattern | URLResolver], prefix: str = ""
) -> Iterator[tuple[str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _url_patterns(entry.url_patterns, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern), entry


def resolver_paths() -> set[str]:
    """Every path the URLconf routes under /api/v1/, in the document's {name} notation."""
    paths = set()
    for route, pattern in _url_patterns(get_resolver().url_patterns):
        if not route.startswith(PREFIX.lstrip("/") + "/"):
            continue
        if pattern.name in {"openapi-json", "openapi-view"} or route == PREFIX.lstrip("/") + "/":
            continue  # the document, its page, and ninja's root (which lists nothing)
        paths.add("/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route))
    return paths


OPERATIONS = operations()


# --- the world the walk runs in ---------------------------------------------------------------


@dataclass
class World:
    complaint_id: int
    attachment_id: int
    clients: dict[str, Client]


def _session(user: User, *, second_factor: bool) -> Client:
    # CSRF is not what this walk checks (conftest.BrowserClient tests run with it enforced).
    client = Client()
    client.force_login(user, backend=BACKEND)
    if second_factor:
        session = client.session
        session[OTP_SESSION_KEY] = True
        session.save()
    return client


@pytest.fixture
def world(db: None, tmp_path: Path) -> World:
    settings.MEDIA_ROOT = tmp_path / "media"
    city = org_unit_create(
        actor=None, code="paju", name_ko="파주시", kind=OrgUnitKind.CITY, parent=None
    )
    road = org_unit_create(
        actor=None, code="road", name_ko="도로관리과", kind=OrgUnitKind.DIVISION, parent=city
    )
    citizen = citizen_make()
    other = citizen_make("kim", name="김철수", email="kim@example.kr", phone="010-2222-3333")
    officer = officer_make("road", road)
    administrator = officer_make("admin", city, Role.ADMINISTRATOR)
    complaint = complaint_filed(
        ComplaintKind.SUGGESTION, channel=IntakeChannel.WEB, citizen=citizen, org_unit=road
    )
    attachment = complaint_attachment_add(
        complaint=complaint, actor=citizen, name="현장.pdf", data=pdf("walk")
    )
    _, citizen_token = personal_token_issue(actor=citizen, user=citizen, name="walk")
    _, officer_token = personal_token_issue(actor=officer, user=officer, name="walk")
    _, scoped = api_key_issue(
        actor=None, name="walk", scopes=list(ApiScope), org_unit=road, rate_limit_per_minute=10_000
    )
    _, unscoped = api_key_issue(
        actor=None,
        name="walk without scope",
        scopes=[ApiScope.OPEN311_POST],  # a real scope, but none this API accepts
        org_unit=road,
        rate_limit_per_minute=10_000,
    )
    clients = {
        "anonymous": Client(),
        "citizen": _session(citizen, second_factor=False),
        "other_citizen": _session(other, second_factor=False),
        "citizen_token": Client(HTTP_AUTHORIZATION=f"Bearer {citizen_token}"),
        "officer_without_second_factor": _session(officer, second_factor=False),
        "officer": _session(officer, second_factor=True),
        "officer_token": Client(HTTP_AUTHORIZATION=f"Bearer {officer_token}"),
        "administrator": _session(administrator, second_factor=True),
        "key_with_scope": Client(HTTP_X_API_KEY=scoped),
        "key_without_scope": Client(HTTP_X_API_KEY=unscoped),
    }
    return World(complaint_id=complaint.pk, attachment_id=attachment.pk, clients=clients)


def _url(op: Operation, world: World) -> str:
    values = {"complaint_id": world.complaint_id, "attachment_id": world.attachment_id}

    def value(match: re.Match[str]) -> str:
        return str(values.get(match.group(1), "999999" if match.group(1).endswith("id") else "x"))

    return re.sub(r"\{(\w+)\}", value, op.path)


def _call(client: Client, op: Operation, url: str) -> int:
    if op.sends_files:
        upload = SimpleUploadedFile("walk.pdf", pdf("walk"), content_type="application/pdf")
        response = client.post(url, {"file": upload})
    elif op.body is None:
        response = client.generic(op.method, url)
    else:
        response = client.generic(
            op.method, url, json.dumps(op.body), content_type="application/json"
        )
    return int(response.status_code)


def _expected(op: Operation, actor: str) -> object:
    expected = AUDIENCES[AUDIENCE[op.operation_id]][actor]
    # Another citizen gets past the citizens' gate, but not into this citizen's complaint.
    if actor == "other_citizen" and expected == PASS and "{complaint_id}" in op.path:
        return HIDDEN
    return expected


def _agrees(expected: object, status: int) -> bool:
    if expected == PASS:
        return status not in {401, 403}
    if expected == HIDDEN:
        return status == 404
    return status == expected


# --- the tests ---------------------------------------------------------------------------------


def test_the_walk_covers_every_route_of_the_api() -> None:
    documented = {op.path for op in OPERATIONS}
    assert len(OPERATIONS) > 50
    assert resolver_paths() == documented, "a route the OpenAPI document does not show"


def test_every_operation_is_classified() -> None:
    """A new endpoint fails here until AUDIENCE says who may call it."""
    ids = {op.operation_id for op in OPERATIONS}
    assert not ids - AUDIENCE.keys(), f"classify in AUDIENCE: {sorted(ids - AUDIENCE.keys())}"
    assert not AUDIENCE.keys() - ids, f"gone, delete: {sorted(AUDIENCE.keys() - ids)}"


def test_every_audience_has_a_positive_control_and_refuses_the_anonymous() -> None:
    for name, table in AUDIENCES.items():
        assert PASS in table.values(), f"nobody passes {name!r}"
        if name != "public":
            assert table["anonymous"] == 401, name
            assert table["officer_without_second_factor"] in {401, 403}, name


def test_only_the_explicitly_public_operations_take_no_credential() -> None:
    """Default-deny: an operation without security in the document must be classified public
    (it opted out with `auth=None`); every router names its authentication or inherits the API's."""
    document = _document()
    open_ops = {
        operation["operationId"]
        for item in document["paths"].values()
        for operation in item.values()
        if not operation.get("security")
    }
    public = {op_id for op_id, audience in AUDIENCE.items() if audience == "public"}
    assert open_ops == public
    assert api.auth, "the API's default authentication (for a router that names none) is gone"


@pytest.mark.parametrize("actor", ACTORS)
def test_every_operation_as(actor: str, world: World) -> None:
    client = world.clients[actor]
    wrong = []
    for op in OPERATIONS:
        if op.operation_id not in AUDIENCE:
            continue  # reported by test_every_operation_is_classified
        expected = _expected(op, actor)
        status = _call(client, op, _url(op, world))
        if not _agrees(expected, status):
            wrong.append(f"{op}: expected {expected}, got {status}")
    assert not wrong, f"as {actor}:\n" + "\n".join(wrong)


def test_the_api_document_itself_is_public(client: Client) -> None:
    assert client.get(f"{PREFIX}/openapi.json").status_code == 200
