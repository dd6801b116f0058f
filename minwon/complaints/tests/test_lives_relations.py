"""Several people and several units: 다수인관련민원, 병합 접수, 복합민원, 반복민원; and access."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from minwon.accounts.models import OrgUnit, User
from minwon.catalog.models import ComplaintType
from minwon.complaints import services as s
from minwon.complaints.access import access_complaint_for_citizen, access_complaint_for_officer
from minwon.complaints.domain import ComplaintStatus, IntakeChannel, Outcome
from minwon.complaints.models import Complaint
from minwon.complaints.selectors import complaint_list_for_citizen, complaint_list_for_officer
from minwon.core.errors import Conflict, NotFound, ValidationFailed
from minwon.lawclock.kinds import ComplaintKind
from tests.factories import TravellingClock, seoul

pytestmark = pytest.mark.django_db
File = Callable[..., Complaint]


def signers(n: int, *, same_household: bool = False) -> list[s.CosignerInput]:
    return [
        s.CosignerInput(
            name=f"연명인{i}",
            address="파주시 운정로 1" if same_household else f"파주시 운정로 {i + 10}",
            is_representative=i < 2,
        )
        for i in range(n)
    ]


def test_multi_party_needs_five_households(file: File) -> None:
    many = file(ComplaintKind.GRIEVANCE, cosigners=signers(5))
    assert (many.signer_count, many.household_count, many.is_multi_party) == (6, 6, True)
    one_house = file(ComplaintKind.GRIEVANCE, cosigners=signers(5, same_household=True))
    assert (one_house.signer_count, one_house.household_count) == (6, 2)
    assert not one_house.is_multi_party
    with pytest.raises(ValidationFailed) as info:
        file(
            ComplaintKind.GRIEVANCE,
            cosigners=[
                s.CosignerInput(name=f"대표{i}", address=f"주소 {i}", is_representative=True)
                for i in range(4)
            ],
        )
    assert info.value.code == "complaint.too_many_representatives"


def test_merged_registration_of_five_same_complaints(clock: TravellingClock, file: File) -> None:
    clock.at(2026, 3, 9, 10, 0)
    group = [
        file(
            ComplaintKind.SUGGESTION,
            applicant=s.ApplicantInput(name=f"주민{i}", address=f"파주시 가람로 {i}"),
        )
        for i in range(5)
    ]
    with pytest.raises(ValidationFailed) as few:
        s.complaint_merge(primary=group[0], others=group[1:4], actor=None)
    assert few.value.code == "complaint.merge_too_few"
    primary = s.complaint_merge(primary=group[0], others=group[1:], actor=None)
    assert (primary.signer_count, primary.household_count, primary.is_multi_party) == (5, 5, True)
    for other in group[1:]:
        other.refresh_from_db()
        assert (other.status, other.merged_into_id) == (ComplaintStatus.CLOSED, primary.pk)
        assert other.clock == ""


def test_compound_permit_gets_a_child_for_the_consulting_unit(
    clock: TravellingClock,
    file: File,
    types: dict[str, ComplaintType],
    counter_officer: User,
    road_unit: OrgUnit,
) -> None:
    clock.at(2026, 3, 9, 10, 0)
    parent = file(ComplaintKind.STATUTORY, type_code="building-permit", filed_by=counter_officer)
    child = s.complaint_child_create(
        parent=parent, actor=counter_officer, org_unit=road_unit, title="도로 점용 협의"
    )
    assert child.parent_id == parent.pk
    assert child.org_unit == road_unit
    # consultation stage 10일 (법 제20조): 3/9–13, 3/16–20 → 3/20 18:00.
    assert child.period == "10d" and child.due_at == seoul(2026, 3, 20, 18, 0)
    assert list(parent.children.all()) == [child]


def test_repeated_complaint_closed_after_two_answers(
    clock: TravellingClock, file: File, counter_officer: User
) -> None:
    clock.at(2026, 3, 9, 10, 0)
    earlier = []
    for _ in range(2):
        c = file(ComplaintKind.OTHER, filed_by=counter_officer)
        earlier.append(
            s.complaint_answer(
                complaint=c, actor=counter_officer, outcome=Outcome.INFORMED, answer="같은 답변"
            )
        )
    third = file(ComplaintKind.OTHER, filed_by=counter_officer)
    with pytest.raises(Conflict) as early:
        s.complaint_close_repeated(
            complaint=third, actor=counter_officer, earlier=earlier[:1], reason="동일 내용"
        )
    assert early.value.code == "complaint.repeat_closure_too_few_filings"
    unanswered = file(ComplaintKind.OTHER, filed_by=counter_officer)
    with pytest.raises(Conflict) as once:
        s.complaint_close_repeated(
            complaint=third,
            actor=counter_officer,
            earlier=[earlier[0], unanswered],
            reason="동일 내용",
        )
    assert once.value.code == "complaint.repeat_closure_too_early"
    third = s.complaint_close_repeated(
        complaint=third, actor=counter_officer, earlier=earlier, reason="동일 내용 3회"
    )
    assert third.status == ComplaintStatus.CLOSED


def test_access_by_citizen_and_officer_scope(
    file: File,
    citizen: User,
    road_officer: User,
    counter_officer: User,
    supervisor: User,
    road_unit: OrgUnit,
    civil_unit: OrgUnit,
    make_officer: Callable[..., User],
) -> None:
    mine = file(
        ComplaintKind.SUGGESTION, channel=IntakeChannel.WEB, citizen=citizen, org_unit=road_unit
    )
    other = file(ComplaintKind.SUGGESTION, org_unit=civil_unit)
    unassigned = file(ComplaintKind.SUGGESTION, channel=IntakeChannel.WEB, citizen=citizen)
    assert access_complaint_for_citizen(citizen, mine.pk) == mine
    with pytest.raises(NotFound):
        access_complaint_for_citizen(citizen, other.pk)
    assert set(complaint_list_for_citizen(citizen=citizen)) == {mine, unassigned}
    assert access_complaint_for_officer(road_officer, mine.pk) == mine
    for hidden in (other, unassigned):
        with pytest.raises(NotFound):
            access_complaint_for_officer(road_officer, hidden.pk)
    with pytest.raises(NotFound):
        access_complaint_for_officer(road_officer, 999999)
    with pytest.raises(NotFound):
        access_complaint_for_officer(citizen, mine.pk)
    assert access_complaint_for_officer(counter_officer, unassigned.pk) == unassigned
    assert set(complaint_list_for_officer(officer=supervisor)) == {mine, other, unassigned}
    assert set(complaint_list_for_officer(officer=road_officer)) == {mine}


def test_assignee_must_belong_to_the_unit(
    file: File, road_officer: User, civil_unit: OrgUnit, citizen: User
) -> None:
    c = file(ComplaintKind.SUGGESTION, org_unit=civil_unit)
    with pytest.raises(ValidationFailed) as info:
        s.complaint_assign(complaint=c, actor=None, assignee=road_officer)
    assert info.value.code == "complaint.assignee_not_officer"
    with pytest.raises(ValidationFailed):
        s.complaint_assign(complaint=c, actor=None, assignee=citizen)
