from __future__ import annotations

from pathlib import Path

import pytest

from minwon.accounts.domain import OrgUnitKind, Role
from minwon.accounts.models import OrgUnit
from minwon.accounts.selectors import org_units_visible_to, user_roles
from minwon.accounts.services import (
    citizen_register,
    officer_create,
    org_chart_import_csv,
    org_unit_create,
    role_assign,
)
from minwon.core.errors import Conflict, ValidationFailed
from minwon.core.models import AuditEvent
from tests.constants import PASSWORD

ORG_CSV = Path(__file__).resolve().parents[1] / "data" / "paju_org_units.csv"


@pytest.mark.django_db
def test_import_paju_org_chart_builds_a_tree_and_is_idempotent() -> None:
    first = org_chart_import_csv(
        actor=None, path=ORG_CSV, city_code="paju", city_name_ko="파주시", city_name_en="Paju City"
    )
    assert first.created == 91  # 시 + 90 rows of the reference file
    road = OrgUnit.objects.get(code="doro-gwalli-gwa")
    assert road.parent is not None and road.parent.name_ko == "도시관리사업본부"
    assert road.path == "/paju/dosi-gwalli-saeop-bonbu/doro-gwalli-gwa/"
    dong = OrgUnit.objects.get(admin_code="4148055000")
    assert dong.parent is not None
    assert (dong.name_ko, dong.kind, dong.parent.code) == ("운정1동", "dong", "paju")
    assert OrgUnit.objects.filter(kind__in=["eup", "myeon", "dong"]).count() == 20
    again = org_chart_import_csv(
        actor=None, path=ORG_CSV, city_code="paju", city_name_ko="파주시", city_name_en="Paju City"
    )
    assert (again.created, again.skipped) == (0, 90)


@pytest.mark.django_db
def test_org_unit_rules(city: OrgUnit) -> None:
    with pytest.raises(ValidationFailed) as err:
        org_unit_create(
            actor=None, code="Bad Code", name_ko="x", kind=OrgUnitKind.DIVISION, parent=city
        )
    assert err.value.field == "code"
    with pytest.raises(ValidationFailed) as err:
        org_unit_create(actor=None, code="team1", name_ko="팀", kind=OrgUnitKind.TEAM, parent=city)
    assert err.value.field == "parent"
    with pytest.raises(Conflict):
        org_unit_create(actor=None, code="paju", name_ko="중복", kind=OrgUnitKind.CITY, parent=None)
    assert OrgUnit.objects.count() == 1


@pytest.mark.django_db
def test_officer_scope_follows_roles(road_officer, supervisor, road_unit, civil_unit) -> None:
    visible = org_units_visible_to(road_officer)
    assert visible is not None
    assert set(visible.values_list("code", flat=True)) == {"road"}
    assert org_units_visible_to(supervisor) is None  # 민원총괄: citywide
    role_assign(actor=supervisor, user=road_officer, role=Role.DEPARTMENT_HEAD, org_unit=civil_unit)
    assert user_roles(road_officer) == {Role.DEPARTMENT_OFFICER, Role.DEPARTMENT_HEAD}
    visible = org_units_visible_to(road_officer)
    assert visible is not None
    assert set(visible.values_list("code", flat=True)) == {"road", "civil"}
    assert AuditEvent.objects.filter(action="user.role_assigned").count() == 1


@pytest.mark.django_db
def test_bad_accounts_are_refused_and_nothing_is_written(road_unit) -> None:
    with pytest.raises(ValidationFailed) as err:
        citizen_register(username="ab", password=PASSWORD, name="x")
    assert err.value.field == "username"
    with pytest.raises(ValidationFailed) as err:
        citizen_register(username="kim", password="123", name="김")
    assert err.value.field == "password"
    with pytest.raises(ValidationFailed) as err:
        citizen_register(username="kim", password=PASSWORD, name=" ")
    assert err.value.field == "name"
    officer_create(
        actor=None,
        username="lee",
        password=PASSWORD,
        name="이",
        org_unit=road_unit,
        roles=[Role.DEPARTMENT_OFFICER],
    )
    with pytest.raises(Conflict):
        citizen_register(username="LEE", password=PASSWORD, name="이")
    citizen = citizen_register(username="kim", password=PASSWORD, name="김")
    with pytest.raises(ValidationFailed):
        role_assign(actor=None, user=citizen, role=Role.DEPARTMENT_HEAD, org_unit=road_unit)
