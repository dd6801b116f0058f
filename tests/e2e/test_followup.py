"""The pages after the first version, in a real browser, in Korean and English, axe-clean:
filing without an account (files, password) and following it by follow-up number; the map pin;
the citizen's supplement and rating; counter registration and the officer's complaint page with
files, supplement, rating and assigning to a colleague."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from minwon.accounts.models import OrgUnit, User
from minwon.complaints import services as s
from minwon.complaints.domain import IntakeChannel, Outcome
from minwon.complaints.models import Attachment, Complaint
from minwon.lawclock.kinds import ComplaintKind
from tests.e2e.browser import assert_no_axe_violations, save_screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-1"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "orange").save(out, "PNG")
    return out.getvalue()


def photo(name: str = "현장.png") -> dict[str, Any]:
    return {"name": name, "mimeType": "image/png", "buffer": png()}


def submit(page: Any, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).click()


def filed(citizen: User, unit: OrgUnit, title: str = "금촌역 앞 가로등 고장") -> Complaint:
    complaint = s.complaint_file(
        data=s.FilingInput(
            kind=ComplaintKind.GRIEVANCE,
            title=title,
            body="밤에 가로등이 꺼져 있어 위험합니다.",
            channel=IntakeChannel.WEB,
            applicant=s.ApplicantInput(
                name="홍길동", address="경기도 파주시 시청로 50", phone="010-1234-5678"
            ),
            org_unit=unit,
            location_text="경기도 파주시 금촌동 금촌역 2번 출구",
            location_lat=37.76603,
            location_lng=126.77451,
            attachments=[s.FileInput("가로등.png", png())],
        ),
        citizen=citizen,
    )
    return complaint


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_filing_without_an_account_and_following_it(
    new_page: Callable[..., Any], counter_officer: User, lang: str
) -> None:
    shots = lang == "ko"
    page = new_page(lang=lang)
    page.goto("/complaints/new/")
    assert_no_axe_violations(page, f"filing without an account ({lang})")
    if shots:
        save_screenshot(page, "portal-complaint-new-without-account-desktop")
    page.locator("label[for='id_kind_0']").click()
    page.locator("#id_title").fill("보도블록 파손")
    page.locator("#id_body").fill("보도블록이 깨져 있습니다.")
    page.locator("#id_location_text").fill("경기도 파주시 시청로 50 앞")
    page.locator("#id_name").fill("김철수")
    page.locator("#id_address").fill("경기도 파주시 금정로 1")
    page.locator("#id_phone").fill("010-9876-5432")
    page.locator("#id_attachments").set_input_files([photo()])
    page.locator("label[for='id_consent']").click()
    submit(page, "button[name='step'][value='preview']")
    assert "현장.png" in page.locator("main").inner_text()
    # The passwords differ: the error is next to the field, on the check page.
    page.locator("#id_status_password").fill(PASSWORD)
    page.locator("#id_status_password_again").fill("something-else")
    submit(page, "button[name='step'][value='submit']")
    assert page.locator("#id_status_password_again[aria-invalid='true']").count() == 1
    assert_no_axe_violations(page, f"check page with a password error ({lang})")
    if shots:
        save_screenshot(page, "portal-complaint-preview-password-error-desktop")
    page.locator("#id_status_password").fill(PASSWORD)
    page.locator("#id_status_password_again").fill(PASSWORD)
    submit(page, "button[name='step'][value='submit']")
    assert "/my/" in page.url
    assert_no_axe_violations(page, f"receipt without an account ({lang})")
    complaint = Complaint.objects.get()
    assert complaint.citizen is None
    assert Attachment.objects.filter(complaint=complaint).count() == 1

    # Registered by the office; later, on another device, followed by number and password.
    s.complaint_register(complaint=complaint, actor=counter_officer)
    complaint.refresh_from_db()
    other = new_page(lang=lang)
    other.goto("/follow/")
    assert_no_axe_violations(other, f"follow page ({lang})")
    other.locator("#id_follow_number").fill(str(complaint.follow_number))
    other.locator("#id_password").fill("wrong-password")
    submit(other, "main button[type='submit']")
    assert other.locator("#id_follow_number[aria-invalid='true']").count() == 1
    assert_no_axe_violations(other, f"follow page with an error ({lang})")
    if shots:
        save_screenshot(other, "portal-follow-error-desktop")
    other.locator("#id_password").fill(PASSWORD)
    other.locator("#id_password").press("Enter")
    other.wait_for_url(f"**/my/{complaint.pk}/")
    assert str(complaint.receipt_number) in other.locator("main").inner_text()
    assert_no_axe_violations(other, f"followed complaint ({lang})")
    if shots:
        save_screenshot(other, "portal-followed-desktop")


def test_files_too_large_are_refused_before_they_are_sent(
    new_page: Callable[..., Any],
) -> None:
    page = new_page(lang="ko")
    page.goto("/complaints/new/")
    big = {
        "name": "큰파일.pdf",
        "mimeType": "application/pdf",
        "buffer": b"%PDF" + b"0" * 11_000_000,
    }
    page.locator("#id_attachments").set_input_files([big])
    check = page.locator("#attachments-check")
    check.wait_for(state="visible")
    assert check.inner_text()
    assert page.locator("#id_attachments").evaluate("input => input.files.length") == 0
    assert page.locator("#id_attachments[aria-invalid='true']").count() == 1
    assert_no_axe_violations(page, "file refused before sending")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_map_pin_when_tiles_are_configured(
    new_page: Callable[..., Any], live_server: Any, settings: Any, lang: str
) -> None:
    # This machine has no internet: a local picture stands in for every tile.
    settings.MAP_TILE_URL = f"{live_server.url}/static/minwon/icons/icon-192.png?{{z}}/{{x}}/{{y}}"
    page = new_page(lang=lang)
    page.goto("/complaints/new/")
    page.locator("#location-map .leaflet-tile-loaded").first.wait_for()
    assert page.locator("#id_location_lat").input_value() == ""
    page.locator("#location-map").click(position={"x": 200, "y": 120})
    assert page.locator("#id_location_lat").input_value() != ""
    assert page.locator("[data-map-status]").inner_text()
    page.locator("[data-map-pin-remove]").click()
    assert page.locator("#id_location_lat").input_value() == ""
    page.locator("[data-map-pin-centre]").focus()
    page.keyboard.press("Enter")  # by keyboard: the pin goes to the centre of the map
    lat = float(page.locator("#id_location_lat").input_value())
    assert 37.5 < lat < 38.0
    assert_no_axe_violations(page, f"filing form with the map ({lang})")
    if lang == "ko":
        page.evaluate("window.scrollTo(0, 0)")
        save_screenshot(page, "portal-complaint-new-map-desktop")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_citizen_sends_a_supplement_then_rates_the_answer(
    new_page: Callable[..., Any],
    login_as: Callable[..., None],
    citizen: User,
    road_officer: User,
    road_unit: OrgUnit,
    lang: str,
) -> None:
    shots = lang == "ko"
    complaint = filed(citizen, road_unit)
    s.complaint_register(complaint=complaint, actor=road_officer)
    s.complaint_assign(complaint=complaint, actor=road_officer, assignee=road_officer)
    s.complaint_supplement_request(
        complaint=complaint,
        actor=road_officer,
        items=["가로등 번호판 사진", "고장 난 시각"],
        days=7,
    )
    page = new_page(lang=lang)
    login_as(page, citizen)
    page.goto(f"/my/{complaint.pk}/")
    assert "가로등 번호판 사진" in page.locator(".supplement-panel").inner_text()
    assert_no_axe_violations(page, f"supplement request ({lang})")
    if shots:
        save_screenshot(page, "portal-supplement-desktop")
    # Nothing written and no file: the error comes back next to the field.
    submit(page, ".supplement-panel button[type='submit']")
    assert page.locator("#id_supplement-text[aria-invalid='true']").count() == 1
    assert_no_axe_violations(page, f"supplement with an error ({lang})")
    page.locator("#id_supplement-text").fill(
        "번호판은 파주-1234 입니다. 어제 밤 9시부터 꺼져 있습니다."
    )
    page.locator("#id_supplement-attachments").set_input_files([photo("번호판.png")])
    submit(page, ".supplement-panel button[type='submit']")
    assert page.locator(".supplement-panel").count() == 0

    complaint.refresh_from_db()
    s.complaint_answer(
        complaint=complaint,
        actor=road_officer,
        outcome=Outcome.GRANTED,
        answer="가로등 전구를 교체했습니다. 알려 주셔서 고맙습니다.",
    )
    page.reload()
    assert_no_axe_violations(page, f"rating form ({lang})")
    if shots:
        save_screenshot(page, "portal-rating-desktop")
    # By keyboard: the radio group, then the comment, then the button.
    page.locator("#id_rating-score_0").focus()
    page.keyboard.press("ArrowDown")  # 5 → 4
    page.locator("#id_rating-comment").fill("빨리 고쳐 주셨어요.")
    with page.expect_navigation():
        page.locator(".rating-panel button[type='submit']").press("Enter")
    assert "4" in page.locator("#rating-title + p").inner_text()
    assert_no_axe_violations(page, f"rated answer ({lang})")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_counter_registration_and_the_officers_complaint_page(
    new_page: Callable[..., Any],
    login_as: Callable[..., None],
    citizen: User,
    road_officer: User,
    road_unit: OrgUnit,
    make_officer: Callable[..., User],
    lang: str,
) -> None:
    shots = lang == "ko"
    colleague = make_officer("colleague", road_unit)
    page = new_page(lang=lang)
    login_as(page, road_officer)
    page.goto("/office/intake/")
    assert_no_axe_violations(page, f"counter registration ({lang})")
    # A phone call about a grievance is refused (only simple requests may be oral).
    page.locator("label[for='id_channel_2']").click()
    page.locator("#id_kind").select_option("grievance")
    page.locator("#id_title").fill("전화 민원")
    page.locator("#id_body").fill("집 앞 하수구가 막혔습니다.")
    page.locator("#id_name").fill("김영희")
    page.locator("#id_address").fill("경기도 파주시 금정로 1")
    submit(page, "main button[type='submit']")
    assert page.locator("#id_kind[aria-invalid='true']").count() == 1
    assert_no_axe_violations(page, f"counter registration with an error ({lang})")
    if shots:
        save_screenshot(page, "office-intake-error-desktop")
    page.locator("#id_kind").select_option("other")
    submit(page, "main button[type='submit']")
    assert "/office/complaints/" in page.url

    complaint = filed(citizen, road_unit)
    s.complaint_register(complaint=complaint, actor=road_officer)
    s.complaint_assign(complaint=complaint, actor=road_officer, assignee=road_officer)
    s.complaint_supplement_request(complaint=complaint, actor=road_officer, items=["사진"], days=7)
    s.complaint_supplement_submit(complaint=complaint, actor=citizen, text="사진을 보냅니다.")
    page.goto(f"/office/complaints/{complaint.pk}/")
    assert "가로등.png" in page.locator("main").inner_text()
    assert_no_axe_violations(page, f"office complaint with files ({lang})")
    if shots:
        save_screenshot(page, "office-complaint-files-desktop")
    page.locator("#id_assign-assignee").select_option(str(colleague.pk))
    submit(page, "form[action$='/assign/'] button[type='submit']")
    complaint.refresh_from_db()
    assert complaint.assignee == colleague

    answered = filed(citizen, road_unit, title="평가된 민원")
    s.complaint_register(complaint=answered, actor=road_officer)
    s.complaint_answer(
        complaint=answered, actor=road_officer, outcome=Outcome.INFORMED, answer="안내"
    )
    s.complaint_satisfaction_rate(complaint=answered, actor=citizen, score=3, comment="보통")
    page.goto(f"/office/complaints/{answered.pk}/")
    assert "보통" in page.locator("main").inner_text()
    assert_no_axe_violations(page, f"office complaint with a rating ({lang})")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_withdrawal_is_confirmed_before_it_happens(
    new_page: Callable[..., Any],
    login_as: Callable[..., None],
    citizen: User,
    road_unit: OrgUnit,
    lang: str,
) -> None:
    """Issue 11 item 5: withdrawal cannot be undone; by keyboard, the button alone withdraws
    nothing until the citizen ticks the confirmation box."""
    complaint = filed(citizen, road_unit)
    page = new_page(lang=lang)
    login_as(page, citizen)
    page.goto(f"/my/{complaint.pk}/")
    button = page.locator("#withdraw-title ~ form button[type='submit']")
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    complaint.refresh_from_db()
    assert complaint.status != "withdrawn"
    assert page.locator("#id_confirm:invalid").count() == 1

    page.locator("#id_confirm").focus()
    page.keyboard.press("Space")
    assert_no_axe_violations(page, f"withdrawal confirmed ({lang})")
    if lang == "ko":
        save_screenshot(page, "portal-withdraw-confirm-desktop")
    with page.expect_navigation():
        button.press("Enter")
    complaint.refresh_from_db()
    assert complaint.status == "withdrawn"
