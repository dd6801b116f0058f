"""A refusal because of the complaint's state names that state in the reader's words, never its
code ("registered 상태의 민원에는…" was shown to people)."""

from __future__ import annotations

import pytest
from django.utils import translation

from minwon.accounts.models import OrgUnit, User
from minwon.complaints import services as s
from minwon.core.errors import Conflict
from minwon.lawclock.kinds import ComplaintKind
from tests.factories import complaint_filed

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("ko", "민원이 ‘접수’ 상태일 때는 할 수 없는 작업입니다."),
        ("en", "This cannot be done while the complaint is “Registered”."),
    ],
)
def test_the_state_is_worded_in_the_readers_language(
    road_unit: OrgUnit, road_officer: User, lang: str, expected: str
) -> None:
    complaint = complaint_filed(ComplaintKind.GRIEVANCE, org_unit=road_unit)
    assert complaint.status == "registered"
    with pytest.raises(Conflict) as caught:
        s.complaint_register(complaint=complaint, actor=road_officer)
    assert caught.value.code == "complaint.invalid_transition"
    assert caught.value.params["status"] == "registered"  # the code stays for machines
    with translation.override(lang):
        shown = str(caught.value.message)
    assert shown == expected
    assert "registered" not in shown
