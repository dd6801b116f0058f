"""What officers see of the 특이민원 screen in the browser (issue 16): the queue's badge and masked
title, the complaint page with the citizen's words masked and the threat alert, the recorded
reveal; by keyboard only, axe-clean, Korean and English. Screenshots for docs/protection.md."""

from __future__ import annotations

import re
from typing import Any

import pytest

from minwon.accounts.models import OrgUnit, User
from minwon.complaints import services as s
from minwon.complaints.domain import IntakeChannel
from minwon.core.models import AuditEvent
from minwon.lawclock.kinds import ComplaintKind
from tests.e2e.browser import assert_no_axe_violations, save_screenshot
from tests.factories import complaint_filed

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "답변이 이게 뭐냐 시1발"
BODY = "가로등이 석 달째 고장입니다. 담당자 너 퇴근길에 칼 들고 찾아가서 죽여버리겠다"


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_an_officer_sees_the_words_masked_and_reveals_them_by_keyboard(
    new_page: Any,
    login_as: Any,
    road_officer: User,
    road_unit: OrgUnit,
    citizen: User,
    lang: str,
) -> None:
    complaint = complaint_filed(
        ComplaintKind.GRIEVANCE,
        channel=IntakeChannel.WEB,
        citizen=citizen,
        org_unit=road_unit,
        title=TITLE,
        body=BODY,
        register_now=True,
    )
    complaint_filed(
        ComplaintKind.GRIEVANCE, org_unit=road_unit, title="보도블록 파손", body="깨졌어요"
    )
    s.complaint_screening_sweep()
    page = new_page(lang=lang)
    login_as(page, road_officer)
    page.goto("/office/?scope=all")
    queue = page.locator("main").inner_text()
    assert "시1발" not in queue and "시●●" in queue
    assert page.locator(".screening-badge").count() == 1
    assert_no_axe_violations(page, f"queue with a screening badge ({lang})")
    save_screenshot(page, f"office-screening-queue-{lang}")

    page.get_by_role("link", name=re.compile("시●●")).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/office/complaints/{complaint.pk}/")
    main = page.locator("main").inner_text()
    assert "죽여버리겠다" not in main and "시1발" not in main and "가로등이 석 달째" in main
    assert page.get_by_role("alert").count() >= 1  # the threat notice
    assert_no_axe_violations(page, f"complaint page, words masked ({lang})")
    save_screenshot(page, f"office-screening-masked-{lang}")

    button = page.get_by_role(
        "button", name="원문 보기" if lang == "ko" else "Show the words as written"
    )
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    main = page.locator("main").inner_text()
    assert "죽여버리겠다" in main and "시1발" in main
    assert AuditEvent.objects.filter(
        action="protection.text_revealed", actor_id=road_officer.pk, target_id=str(complaint.pk)
    ).exists()
    assert_no_axe_violations(page, f"complaint page, words revealed ({lang})")
    page.get_by_role("link", name="다시 가리기" if lang == "ko" else "Mask them again").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "죽여버리겠다" not in page.locator("main").inner_text()
