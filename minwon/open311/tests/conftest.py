from __future__ import annotations

from dataclasses import dataclass

import pytest

from minwon.accounts.domain import ApiScope, OrgUnitKind
from minwon.accounts.models import OrgUnit
from minwon.accounts.services import api_key_issue, org_unit_create
from minwon.open311.services import open311_demo_services_seed


@dataclass
class Setup:
    key: str
    other_key: str


@pytest.fixture
def open311_setup(city: OrgUnit) -> Setup:
    for code, name in [("doro-gwalli-gwa", "도로관리과"), ("minwon-yeokwon-gwa", "민원여권과")]:
        org_unit_create(actor=None, code=code, name_ko=name, kind=OrgUnitKind.DIVISION, parent=city)
    open311_demo_services_seed()
    _, key = api_key_issue(actor=None, name="FixMyStreet", scopes=[ApiScope.OPEN311_POST])
    _, other = api_key_issue(actor=None, name="reader", scopes=[ApiScope.API_READ])
    return Setup(key=key, other_key=other)
