"""Near-duplicates and campaigns on the office complaint page (issue 15): routing keeps each pair
it read as near-duplicates (both ways), the page shows the matching passages side by side and
asks "link or merge?"; five near-identical complaints from different people are one suggestion
to handle them as a 다수인관련민원, merged through the lifecycle's 병합 접수."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client

from minwon.accounts.models import OrgUnit, User
from minwon.complaints import services as s
from minwon.complaints.models import Complaint
from minwon.core.models import AuditEvent
from minwon.lawclock.kinds import ComplaintKind
from minwon.routing import services as routing
from minwon.routing.domain import matching_passages
from minwon.routing.models import Match
from minwon.routing.selectors import campaign_for, duplicate_list

pytestmark = pytest.mark.django_db
File = Callable[..., Complaint]

PARKING = (
    "금촌동 아파트 정문 앞 도로에 불법 주정차 차량이 매일 밤 줄지어 서 있어서 "
    "아이들이 길을 건너기가 너무 위험합니다. 주차 단속을 강화해 주세요."
)
ROAD = "우리 동네 도로 포장이 깨져서 차가 다니기 위험합니다. 도로 보수를 부탁드립니다."


@pytest.fixture(autouse=True)
def model_dir(settings, tmp_path: Path) -> Path:
    settings.ROUTING_MODEL_DIR = str(tmp_path / "models")
    routing.duplicate_index_reset()
    return tmp_path / "models"


def person(i: int) -> s.ApplicantInput:
    return s.ApplicantInput(name=f"주민{i}", address=f"경기도 파주시 금촌로 {i}")


def filed(file: File, officer: User, unit: OrgUnit, body: str, i: int) -> Complaint:
    return file(
        ComplaintKind.GRIEVANCE,
        filed_by=officer,
        org_unit=unit,
        title="불법 주정차",
        body=body,
        applicant=person(i),
    )


def test_matching_passages_mark_what_two_texts_share() -> None:
    a, b = matching_passages("가나다라마바사아자차 하나", "둘 가나다라마바사아자차")
    assert a == [("가나다라마바사아자차", True), (" 하나", False)]
    assert b == [("둘 ", False), ("가나다라마바사아자차", True)]
    assert matching_passages("짧은 글", "다른 글") == ([("짧은 글", False)], [("다른 글", False)])
    long = PARKING * 60  # a long text (several thousand characters) still joins back unchanged
    mine, theirs = matching_passages(long, "앞에 " + long)
    assert "".join(t for t, _ in mine) == long and mine == [(long, True)]
    assert theirs[0] == ("앞에 ", False)


def test_a_near_duplicate_is_shown_side_by_side_and_linked(
    file: File,
    counter_officer: User,
    civil_unit: OrgUnit,
    supervisor: User,
    officer_client: Callable[[User], Client],
) -> None:
    first = filed(file, counter_officer, civil_unit, PARKING, 1)
    second = filed(file, counter_officer, civil_unit, PARKING + " 부탁드립니다.", 2)
    other = filed(file, counter_officer, civil_unit, ROAD, 3)
    s.complaint_routing_sweep()
    pairs = set(Match.objects.values_list("complaint_id", "other_id"))
    assert pairs == {(first.pk, second.pk), (second.pk, first.pk)}  # both ways, not the road one
    bare = duplicate_list(complaint_id=first.pk, passages=False)  # the merge form needs only ids
    assert [(d.other_id, d.mine, d.theirs) for d in bare] == [(second.pk, (), ())]

    client = officer_client(supervisor)
    page = client.get(f"/office/complaints/{first.pk}/").content.decode()
    assert "link or merge" in page.lower() or "연결 또는 병합" in page
    assert page.count("<mark>") >= 2  # the shared passage marked on both sides
    assert f'name="link-other" value="{second.pk}"' in page
    assert f'name="link-other" value="{other.pk}"' not in page
    response = client.post(f"/office/complaints/{first.pk}/link/", {"link-other": second.pk})
    assert response.status_code == 302
    assert Match.objects.filter(linked_at__isnull=False).count() == 2
    assert AuditEvent.objects.filter(action="routing.duplicate_linked").count() == 1
    # Merging two is refused by the lifecycle (five or more complainants), nothing changed.
    response = client.post(f"/office/complaints/{first.pk}/merge/", {"merge-others": second.pk})
    assert response.status_code == 400
    second.refresh_from_db()
    assert second.merged_into is None


def test_a_link_to_a_complaint_not_read_as_a_duplicate_is_refused(
    file: File,
    counter_officer: User,
    civil_unit: OrgUnit,
    supervisor: User,
    officer_client: Callable[[User], Client],
) -> None:
    a = filed(file, counter_officer, civil_unit, PARKING, 1)
    b = filed(file, counter_officer, civil_unit, ROAD, 2)
    s.complaint_routing_sweep()
    response = officer_client(supervisor).post(
        f"/office/complaints/{a.pk}/link/", {"link-other": b.pk}
    )
    assert response.status_code == 400
    assert not Match.objects.exists()


def test_a_campaign_is_one_suggestion_merged_as_one_complaint_of_many_people(
    file: File,
    counter_officer: User,
    civil_unit: OrgUnit,
    supervisor: User,
    officer_client: Callable[[User], Client],
) -> None:
    members = [filed(file, counter_officer, civil_unit, PARKING, i) for i in range(5)]
    s.complaint_routing_sweep()
    primary = members[0]
    finding = campaign_for(complaint_id=primary.pk)
    assert finding.suggested and finding.people == 5
    client = officer_client(supervisor)
    page = client.get(f"/office/complaints/{primary.pk}/").content.decode()
    assert "campaign-suggestion" in page
    hidden = [f'name="merge-others" value="{c.pk}"' for c in members[1:]]
    assert all(h in page for h in hidden)
    response = client.post(
        f"/office/complaints/{primary.pk}/merge/", {"merge-others": [c.pk for c in members[1:]]}
    )
    assert response.status_code == 302
    primary.refresh_from_db()
    assert primary.is_multi_party is True and primary.signer_count >= 5
    assert {c.merged_into_id for c in Complaint.objects.exclude(pk=primary.pk)} == {primary.pk}


def test_four_people_are_no_campaign(
    file: File, counter_officer: User, civil_unit: OrgUnit
) -> None:
    members = [filed(file, counter_officer, civil_unit, PARKING, i) for i in range(4)]
    members.append(filed(file, counter_officer, civil_unit, PARKING, 1))  # the same person again
    s.complaint_routing_sweep()
    assert campaign_for(complaint_id=members[0].pk).suggested is False


def test_the_office_api_lists_the_duplicates_and_the_campaign(
    file: File,
    counter_officer: User,
    civil_unit: OrgUnit,
    supervisor: User,
    officer_client: Callable[[User], Client],
) -> None:
    members = [filed(file, counter_officer, civil_unit, PARKING, i) for i in range(5)]
    s.complaint_routing_sweep()
    body = (
        officer_client(supervisor).get(f"/api/v1/office/complaints/{members[0].pk}/routing").json()
    )
    assert {d["complaint_id"] for d in body["duplicates"]} == {c.pk for c in members[1:]}
    assert body["campaign"]["people"] == 5 and body["campaign"]["hidden"] == 0
    assert sorted(body["campaign"]["complaint_ids"]) == [c.pk for c in members[1:]]
    assert body["repeat"] is None
