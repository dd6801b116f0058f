"""Notices people can read (issue 11 item 6), as the citizen reads them in the browser: every
notice of a real lifecycle (receipt, supplement request, result) is worded from its event, in
Korean and English: no raw code ("granted"), no Python list, no empty brackets, no empty lines
in a row, the department's contact where the law asks for it (영 제31조). axe-clean."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from minwon.accounts.models import OrgUnit, User
from minwon.catalog.domain import TypeData
from minwon.catalog.services import complaint_type_create
from minwon.complaints.domain import Outcome
from minwon.complaints.services import (
    complaint_answer,
    complaint_assign,
    complaint_supplement_request,
)
from minwon.lawclock.kinds import ComplaintKind
from minwon.notifications.selectors import complaint_notice_source
from minwon.notifications.services import complaint_notices_enqueue, notifications_dispatch
from tests.e2e.browser import PHONE, assert_no_axe_violations, save_screenshot
from tests.factories import complaint_filed

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

RAW = [
    re.compile(r"\b(granted|refused|partly_granted|dismissed|upheld|statutory|suggestion)\b"),
    re.compile(r"\['|'\]|\[\]"),  # a Python list printed as is
    re.compile(r"\(\s*\)"),  # "담당: … ()": a value missing inside brackets
    re.compile(r"\bNone\b|\$\{|\{\{"),  # an empty value or a placeholder left unfilled
    re.compile(r"\n\s*\n\s*\n"),  # empty lines in a row
]


@pytest.fixture
def lifecycle(language: str, citizen: User, road_unit: OrgUnit, road_officer: User) -> None:
    road_unit.phone = "031-940-4321"
    road_unit.save(update_fields=["phone"])
    complaint_type_create(
        actor=None,
        data=TypeData(
            code="road-occupancy-permit",
            name_ko="도로점용허가",
            processing_period="5일",
            fee_krw=1000,
            legal_basis="도로법 제61조",
            handling_unit_code="road",
        ),
    )
    asked = complaint_filed(
        ComplaintKind.STATUTORY,
        type_code="road-occupancy-permit",
        citizen=citizen,
        title="도로 점용 허가 신청",
    )
    complaint_assign(complaint=asked, actor=road_officer, assignee=road_officer)
    complaint_supplement_request(
        complaint=asked, actor=road_officer, items=["도면", "위치도"], days=7
    )
    answered = complaint_filed(ComplaintKind.SUGGESTION, citizen=citizen, title="가로등 고장")
    complaint_assign(complaint=answered, actor=road_officer, assignee=road_officer)
    complaint_answer(
        complaint=answered,
        actor=road_officer,
        outcome=Outcome.GRANTED,
        answer="가로등을 교체했습니다.",
    )
    complaint_notices_enqueue(events=complaint_notice_source())
    notifications_dispatch(transports={})


@pytest.fixture(params=["ko", "en"])
def language(request: pytest.FixtureRequest, citizen: User) -> str:
    """The citizen's language, set before the lifecycle so each notice is written in it."""
    citizen.preferred_language = request.param
    citizen.save(update_fields=["preferred_language"])
    return str(request.param)


def test_every_notice_reads_as_words(
    new_page: Callable[..., Any],
    login_as: Callable[..., None],
    language: str,
    lifecycle: None,
    citizen: User,
) -> None:
    lang = language
    page = new_page(lang=lang, viewport=PHONE)
    login_as(page, citizen)
    page.goto("/my/notices/")
    items = page.locator(".notice-item")
    assert items.count() >= 4, page.inner_text("main")
    text = page.inner_text("main")
    for pattern in RAW:
        found = pattern.search(text)
        assert found is None, f"{pattern.pattern!r} matched {found.group(0)!r} in:\n{text}"
    assert "- 도면\n- 위치도" in text  # the supplement's items, one per line
    assert not re.search(r"(처리 부서|Department):\s*\n", text), "an empty department line"
    assert "031-940-4321" in text  # the department's contact
    if lang == "ko":
        assert "처리결과" in text
    else:
        assert "Decision" in text or "decision" in text
    assert_no_axe_violations(page, f"notices ({lang})")
    save_screenshot(page, f"portal-notices-read-{lang}")
