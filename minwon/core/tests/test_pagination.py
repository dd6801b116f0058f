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
