import pytest

from minwon.core.errors import ValidationFailed
from minwon.core.models import AuditEvent
from minwon.core.pagination import paginate
from minwon.core.services import audit_record


@pytest.mark.django_db
@pytest.mark.parametrize("descending", [True, False])
def test_cursor_walks_every_row_once_even_with_ties(descending: bool) -> None:
    events = [audit_record(actor=None, action=f"a{i % 3}") for i in range(11)]
    seen: list[int] = []
    cursor = None
    pages = 0
    while True:
        rows, cursor = paginate(
            AuditEvent.objects.all(),
            order_field="action",
            descending=descending,
            cursor=cursor,
            limit=4,
        )
        seen += [r.pk for r in rows]
        pages += 1
        if cursor is None:
            break
    assert pages == 3
    assert sorted(seen) == sorted(e.pk for e in events)
    assert len(seen) == len(set(seen))
    actions = [AuditEvent.objects.get(pk=pk).action for pk in seen]
    assert actions == sorted(actions, reverse=descending)


@pytest.mark.django_db
def test_datetime_ordering_cursor_round_trips() -> None:
    for i in range(5):
        audit_record(actor=None, action=f"e{i}")
    rows, cursor = paginate(
        AuditEvent.objects.all(), order_field="occurred_at", descending=True, cursor=None, limit=2
    )
    more, _ = paginate(
        AuditEvent.objects.all(),
        order_field="occurred_at",
        descending=True,
        cursor=cursor,
        limit=10,
    )
    assert len(rows) + len(more) == 5


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("cursor", "limit", "field"),
    [("%%%", 5, "cursor"), ("WzEsMl0", 0, "limit"), ("WyJ4IiwieSJd", 5, "cursor")],
)
def test_bad_cursor_or_limit_is_a_clear_error(cursor: str, limit: int, field: str) -> None:
    with pytest.raises(ValidationFailed) as err:
        paginate(
            AuditEvent.objects.all(),
            order_field="action",
            descending=False,
            cursor=cursor,
            limit=limit,
        )
    assert err.value.field == field


@pytest.mark.django_db
def test_empty_order_values_come_last_and_are_walked(road_unit) -> None:
    from minwon.accounts.models import OrgUnit

    units = list(OrgUnit.objects.order_by("pk"))  # city (no parent), agency, division
    seen: list[int] = []
    cursor = None
    while True:
        rows, cursor = paginate(
            OrgUnit.objects.all(), order_field="parent_id", descending=False, cursor=cursor, limit=1
        )
        seen += [r.pk for r in rows]
        if cursor is None:
            break
    assert seen == [units[1].pk, units[2].pk, units[0].pk]  # the root's empty parent comes last


def _b64(raw: str) -> str:
    import base64

    return base64.urlsafe_b64encode(raw.encode("utf-8")).decode("ascii").rstrip("=")


CRAFTED_CURSORS = {
    "bad base64": "%%%",
    "not ascii": "커서",
    "not JSON": _b64("not json"),
    "not a pair": _b64("[1, 2, 3]"),
    "an object": _b64('{"a": 1, "b": 2}'),
    "a bare number": _b64("7"),
    "key is text": _b64('[{"dt": "2026-03-09T10:00:00+09:00"}, "x"]'),
    "key is a float": _b64('[{"dt": "2026-03-09T10:00:00+09:00"}, 1.5]'),
    "key is true": _b64('[{"dt": "2026-03-09T10:00:00+09:00"}, true]'),
    "huge key": _b64(f'[{{"dt": "2026-03-09T10:00:00+09:00"}}, {2**70}]'),
    "huge negative key": _b64(f"[null, {-(2**70)}]"),
    "value is a list": _b64("[[1, 2], 3]"),
    "value of another field (text for a time)": _b64('["abc", 3]'),
    "value of another field (number for a time)": _b64("[12345, 3]"),
    "dt is not text": _b64('[{"dt": 5}, 3]'),
    "dt with extra keys": _b64('[{"dt": "2026-03-09T10:00:00+09:00", "x": 1}, 3]'),
    "dt malformed": _b64('[{"dt": "2026-13-45T99:00:00+09:00"}, 3]'),
    "dt naive": _b64('[{"dt": "2026-03-09T10:00:00"}, 3]'),
    "dt at the end of time": _b64('[{"dt": "9999-12-31T23:59:59-23:59"}, 3]'),
    "deep nesting": _b64("[" * 5000 + "]" * 5000),
    "NaN": _b64("[NaN, 3]"),
    "too long": "A" * 10_000,
}


@pytest.mark.django_db
@pytest.mark.parametrize("cursor", CRAFTED_CURSORS.values(), ids=CRAFTED_CURSORS.keys())
def test_crafted_cursor_is_a_translated_400_error_document(road_unit, cursor: str) -> None:
    """Issue 13 item 11: every crafted cursor is the API's 400 error document, in the reader's
    language, on every paged list (time-ordered here; never a 500)."""
    from django.test import Client

    from minwon.accounts.domain import ApiScope
    from minwon.accounts.services import api_key_issue

    audit_record(actor=None, action="seed")
    _, key = api_key_issue(actor=None, name="app", scopes=[ApiScope.API_READ], org_unit=road_unit)
    client = Client(HTTP_X_API_KEY=key, raise_request_exception=False)
    for language, message in (
        ("en", "The cursor is not valid; start again without it."),
        ("ko", "커서가 올바르지 않습니다"),
    ):
        answer = client.get(
            "/api/v1/integrations/complaints",
            {"cursor": cursor},
            HTTP_ACCEPT_LANGUAGE=language,
        )
        assert answer.status_code == 400, answer.content[:300]
        body = answer.json()
        assert body["code"] == "invalid" and body["field"] == "cursor"
        assert body["message"].startswith(message)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("order_field", "cursor"),
    [
        ("parent_id", _b64('["text", 1]')),  # text where an id is ordered
        ("parent_id", _b64(f"[{2**64}, 1]")),  # an id past 64 bits
        ("name_ko", _b64("[5, 1]")),  # a number where text is ordered
        ("name_ko", _b64('[{"dt": "2026-03-09T10:00:00+09:00"}, 1]')),  # a time for text
        ("name_ko", _b64('["a\\u0000b", 1]')),  # NUL, which PostgreSQL refuses
    ],
)
def test_cursor_value_must_have_the_ordered_field_type(
    road_unit, order_field: str, cursor: str
) -> None:
    from minwon.accounts.models import OrgUnit

    with pytest.raises(ValidationFailed) as err:
        paginate(
            OrgUnit.objects.all(), order_field=order_field, descending=False, cursor=cursor, limit=1
        )
    assert err.value.field == "cursor"
