"""Follow by number on a phone (issue 11, "Done when"): a signed-in citizen types their own
complaint's follow-up number, as people type it, on /follow/ by keyboard and lands on it; ko and
en, axe-clean."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from minwon.accounts.models import User
from minwon.complaints import services as s
from minwon.complaints.domain import IntakeChannel
from minwon.lawclock.kinds import ComplaintKind
from tests.e2e.browser import PHONE, assert_no_axe_violations, save_screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_signed_in_citizen_follows_by_number_on_a_phone(
    new_page: Callable[..., Any], login_as: Callable[..., None], citizen: User, lang: str
) -> None:
    complaint = s.complaint_file(
        data=s.FilingInput(
            kind=ComplaintKind.GRIEVANCE,
            title="금촌역 앞 보도블록 파손",
            body="보도블록이 깨져 있습니다.",
            channel=IntakeChannel.WEB,
            applicant=s.ApplicantInput(name="홍길동", address="경기도 파주시 시청로 50"),
        ),
        citizen=citizen,
    )
    assert complaint.follow_number
    page = new_page(lang=lang, viewport=PHONE)
    login_as(page, citizen)
    page.goto("/follow/")
    page.locator("#id_follow_number").focus()
    page.keyboard.type(complaint.follow_number.replace("-", " ").lower())
    assert_no_axe_violations(page, f"follow signed in ({lang})")
    save_screenshot(page, f"portal-follow-signed-in-{lang}")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/my/{complaint.pk}/")
    assert "금촌역 앞 보도블록 파손" in page.inner_text("main")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
