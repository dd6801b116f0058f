"""The two journeys of issue 11's "Done when", each by keyboard alone (Tab, Shift+Tab, Enter,
Space, arrow keys: no clicks), in Korean and English, at 200 % zoom, axe-clean on every page.

200 % zoom is emulated as Chromium does it for a 1280 × 900 window: a 640 × 450 CSS-pixel viewport
with device_scale_factor 2 (the page lays out exactly as at 200 %, and the screenshots have the
window's real pixels). The phone step uses 390 × 844.

a. The citizen: sign up (the code from the demo's recording channel) → file a complaint with two
   photos and a mistake (the title left out) → fix it, the photos still there → check → receipt
   (follow-up number at once, 접수번호 once registered) → follow it on a phone → the officer asks
   for a supplement (services) → the citizen supplements → the officer answers (services) → the
   citizen reads the answer and rates it.
b. The officer's morning: log in with the second factor → the queue → filter (overdue) → open the
   complaint → answer it.

Choosing files: the browser's own file dialog is not part of the page; the test opens it by
keyboard (Space on the focused file input) and answers it through Playwright's file chooser.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from minwon.accounts.models import OrgUnit, User
from minwon.complaints import services as s
from minwon.complaints.domain import Outcome
from minwon.complaints.models import Attachment, Complaint
from minwon.core import clock
from minwon.lawclock.kinds import ComplaintKind
from minwon.notifications.services import notifications_dispatch
from tests.constants import PASSWORD as OFFICER_PASSWORD
from tests.e2e.browser import PHONE, assert_no_axe_violations, next_totp_code, save_screenshot
from tests.factories import complaint_filed

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ZOOM_200 = {"width": 640, "height": 450}  # a 1280 × 900 window at 200 %
PASSWORD = "Paju-civic-2026!"
MY_COMPLAINTS_HINT = {
    "ko": "이 민원은 나의 민원에 있습니다",
    "en": "This complaint is in My complaints",
}
PUBLIC_NUMBER_HINT = {
    "ko": "이 사이트에서 민원을 여는 데는 쓸 수 없습니다",
    "en": "it does not open the complaint on this site",
}


@pytest.fixture(autouse=True)
def recording(settings: Any, tmp_path: Path) -> Path:
    """The demo's local recording channel (MINWON_MODE=demo turns it on)."""
    settings.NOTIFICATIONS_RECORDING = True
    settings.EMAIL_HOST = ""
    settings.NOTIFICATIONS_RECORDING_FILE = str(tmp_path / "messages.jsonl")
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "messages.jsonl"


@pytest.fixture
def zoomed(browser: Any, live_server: Any) -> Any:
    contexts: list[Any] = []

    def make(*, lang: str, viewport: dict[str, int] = ZOOM_200, scale: int = 2) -> Any:
        context = browser.new_context(
            locale={"ko": "ko-KR", "en": "en-US"}[lang],
            viewport=viewport,
            device_scale_factor=scale,
            base_url=live_server.url,
            service_workers="block",
        )
        context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
        contexts.append(context)
        page = context.new_page()
        # Playwright intercepts file dialogs from the first listener on; set up front, the
        # interception is on before any key opens one.
        page.on("filechooser", lambda chooser: None)
        return page

    yield make
    for context in contexts:
        context.close()


def png(colour: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, "PNG")
    return out.getvalue()


def focused_matches(page: Any, selector: str) -> bool:
    return bool(page.evaluate("s => document.activeElement?.matches(s) ?? false", selector))


def tab_to(page: Any, selector: str, *, limit: int = 150, back: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the element matching `selector` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        if focused_matches(page, selector):
            return
    raise AssertionError(f"{selector} cannot be reached with {'Shift+' if back else ''}Tab")


def tab_to_link(page: Any, name: str, *, limit: int = 150) -> None:
    """Press Tab until a link or button whose accessible text contains `name` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        text = page.evaluate(
            "() => { const e = document.activeElement;"
            " return e && (e.matches('a, button') ? e.innerText || e.value : ''); }"
        )
        if text and name in text:
            return
    raise AssertionError(f"no link or button named {name!r} can be reached with Tab")


def enter(page: Any) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")


def type_into(page: Any, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.type(text)


def check(page: Any, label: str) -> None:
    assert_no_axe_violations(page, label)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{label}: {overflow}px of sideways scrolling"


def choose_files(page: Any, selector: str, files: list[dict[str, Any]]) -> None:
    page.bring_to_front()  # the window in use: Chromium opens a file dialog only there
    tab_to(page, selector)
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(files)


def code_from_demo_messages(page: Any) -> str:
    notifications_dispatch()
    messages = page.context.new_page()
    messages.goto("/demo/messages/")
    assert_no_axe_violations(messages, "demo messages")
    newest = messages.locator(".notice-item").first.inner_text()
    messages.close()
    found = re.search(r"\b(\d{6})\b", newest)
    assert found, newest
    return found.group(1)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_citizens_journey_by_keyboard_at_200_percent(
    zoomed: Callable[..., Any],
    counter_officer: User,
    road_officer: User,
    road_unit: OrgUnit,
    lang: str,
) -> None:
    shots = lang == "ko"
    email = f"journey.{lang}@example.kr"
    page = zoomed(lang=lang)

    # Sign up: home → log in → sign up → the code from the recording channel → 나의 민원.
    page.goto("/")
    check(page, f"home ({lang})")
    tab_to(page, "a.btn-navi.login")
    enter(page)
    check(page, f"login ({lang})")
    tab_to(page, "a[href='/signup/']")
    enter(page)
    check(page, f"sign up ({lang})")
    type_into(page, "#id_address", email)
    enter(page)
    assert page.url.endswith("/signup/code/")
    check(page, f"sign-up code ({lang})")
    code = code_from_demo_messages(page)
    type_into(page, "#id_code", code)
    type_into(page, "#id_name", "김민원")
    type_into(page, "#id_password", PASSWORD)
    type_into(page, "#id_password_again", PASSWORD)
    enter(page)
    assert page.url.endswith("/my/"), page.url
    check(page, f"my complaints, new account ({lang})")

    # File a complaint: two photos, the title left out.
    tab_to(page, "a[href='/complaints/new/']")
    enter(page)
    check(page, f"filing form ({lang})")
    tab_to(page, "input[name='kind']")
    page.keyboard.press("Space")  # the first kind (arrow keys move within the group)
    assert page.locator("input[name='kind']:checked").count() == 1
    type_into(page, "#id_body", "금촌역 2번 출구 앞 보도블록이 깨져 걸려 넘어질 뻔했습니다.")
    type_into(page, "#id_location_text", "경기도 파주시 금촌동 금촌역 2번 출구")
    choose_files(
        page,
        "#id_attachments",
        [
            {"name": "현장1.png", "mimeType": "image/png", "buffer": png("orange")},
            {"name": "현장2.png", "mimeType": "image/png", "buffer": png("blue")},
        ],
    )
    type_into(page, "#id_address", "경기도 파주시 시청로 50")
    tab_to(page, "#id_consent")
    page.keyboard.press("Space")
    tab_to(page, "button[name='step'][value='preview']")
    enter(page)

    # The mistake: the summary has the focus and links to the title; the photos are kept.
    assert page.locator("#id_title[aria-invalid='true']").count() == 1
    assert focused_matches(page, "[data-error-summary], #id_title"), "the error is not focused"
    kept = page.locator(".staged-files").inner_text()
    assert "현장1.png" in kept and "현장2.png" in kept
    check(page, f"filing form with the mistake ({lang})")
    if shots:
        save_screenshot(page, "journey-citizen-mistake-200")
    page.locator("body").press("Home")  # start from the top again, still by keyboard
    tab_to(page, "[data-error-summary] a[href='#id_title']")
    page.keyboard.press("Enter")  # the summary's link takes the focus to the field
    assert focused_matches(page, "#id_title")
    page.keyboard.type("금촌역 앞 보도블록 파손")
    tab_to(page, "button[name='step'][value='preview']")
    enter(page)

    # Check, then send: the photos are listed and reach the complaint.
    main = page.locator("main").inner_text()
    assert "현장1.png" in main and "현장2.png" in main
    check(page, f"check before sending ({lang})")
    if shots:
        save_screenshot(page, "journey-citizen-check-200")
    tab_to(page, "button[name='step'][value='submit']")
    enter(page)
    complaint = Complaint.objects.get()
    names = sorted(a.original_name for a in Attachment.objects.filter(complaint=complaint))
    assert names == ["현장1.png", "현장2.png"]
    assert complaint.follow_number
    assert str(complaint.follow_number) in page.locator("[data-follow-number]").inner_text()
    # With an account, the receipt says where to follow it: 나의 민원 (a follow-up number and a
    # password open only complaints filed without an account).
    assert MY_COMPLAINTS_HINT[lang] in page.locator("#receipt-title + dl").inner_text()
    check(page, f"receipt ({lang})")
    if shots:
        save_screenshot(page, "journey-citizen-receipt-200")

    # Registered by the office: the 접수번호 appears beside the follow-up number.
    s.complaint_register(complaint=complaint, actor=counter_officer, org_unit=road_unit)
    complaint.refresh_from_db()
    assert complaint.receipt_number

    # Follow it on the phone: the follow page sends account holders to log in, and from there
    # straight to 나의 민원; the complaint's page shows both numbers.
    phone = zoomed(lang=lang, viewport=PHONE, scale=1)
    phone.goto("/follow/")
    check(phone, f"follow page on the phone ({lang})")
    tab_to(phone, "main a[href^='/accounts/login/']")
    enter(phone)
    check(phone, f"login on the phone ({lang})")
    type_into(phone, "#id_username", email)
    type_into(phone, "#id_password", PASSWORD)
    enter(phone)
    assert phone.url.split("#")[0].endswith("/my/"), phone.url
    check(phone, f"my complaints on the phone ({lang})")
    listed = phone.locator(".complaint-card", has_text=complaint.title).inner_text()
    assert str(complaint.follow_number) in listed  # the number the receipt gave, in the list
    tab_to(phone, f"a[href='/my/{complaint.pk}/']")
    enter(phone)
    main = phone.locator("main").inner_text()
    assert str(complaint.follow_number) in main and str(complaint.receipt_number) in main
    assert PUBLIC_NUMBER_HINT[lang] in main  # the 접수번호 is not said to open it
    check(phone, f"the complaint on the phone ({lang})")
    if shots:
        save_screenshot(phone, "journey-citizen-followed-phone")

    # The officer asks for a supplement; the citizen sends it from the phone.
    officer = road_officer
    s.complaint_assign(complaint=complaint, actor=officer, assignee=officer)
    s.complaint_supplement_request(
        complaint=complaint, actor=officer, items=["파손 부위를 가까이 찍은 사진"], days=7
    )
    phone.reload()
    assert "파손 부위를 가까이 찍은 사진" in phone.locator(".supplement-panel").inner_text()
    check(phone, f"supplement asked ({lang})")
    type_into(phone, "#id_supplement-text", "가까이 찍은 사진을 보냅니다.")
    choose_files(
        phone,
        "#id_supplement-attachments",
        [{"name": "가까이.png", "mimeType": "image/png", "buffer": png("red")}],
    )
    tab_to(phone, ".supplement-panel button[type='submit']")
    enter(phone)
    assert phone.locator(".supplement-panel").count() == 0
    check(phone, f"supplement sent ({lang})")
    if shots:
        save_screenshot(phone, "journey-citizen-supplement-sent-phone")

    # The officer answers; the citizen reads it at 200 % and rates it.
    complaint.refresh_from_db()
    s.complaint_answer(
        complaint=complaint,
        actor=officer,
        outcome=Outcome.GRANTED,
        answer="파손된 보도블록을 12월 5일에 교체했습니다. 알려 주셔서 고맙습니다.",
    )
    page.goto(f"/my/{complaint.pk}/")
    assert "12월 5일에 교체했습니다" in page.locator("main").inner_text()
    check(page, f"the answer ({lang})")
    tab_to(page, "input[name='rating-score']")
    page.keyboard.press("ArrowDown")  # 5 → 4, the arrow keys choose within the group
    assert page.locator("input[name='rating-score']:checked").count() == 1
    type_into(page, "#id_rating-comment", "빨리 고쳐 주셨어요.")
    if shots:
        save_screenshot(page, "journey-citizen-rating-200")
    tab_to(page, ".rating-panel button[type='submit']")
    enter(page)
    assert "4" in page.locator("#rating-title + p").inner_text()
    check(page, f"rated ({lang})")
    if shots:
        save_screenshot(page, "journey-citizen-rated-200")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_officers_morning_by_keyboard_at_200_percent(
    zoomed: Callable[..., Any], road_officer: User, road_unit: OrgUnit, lang: str
) -> None:
    shots = lang == "ko"
    late = complaint_filed(ComplaintKind.GRIEVANCE, org_unit=road_unit, title="보도블록 파손")
    late = s.complaint_assign(complaint=late, actor=road_officer, assignee=road_officer)
    Complaint.objects.filter(pk=late.pk).update(due_at=clock.now() - timedelta(days=2, hours=1))
    on_time = complaint_filed(ComplaintKind.GRIEVANCE, org_unit=road_unit, title="가로등 고장")
    s.complaint_assign(complaint=on_time, actor=road_officer, assignee=road_officer)
    page = zoomed(lang=lang)

    # Log in: password, then the second factor.
    page.goto("/office/")
    page.wait_for_url("**/accounts/login/?next=/office/")
    check(page, f"office login ({lang})")
    type_into(page, "#id_username", road_officer.username)
    type_into(page, "#id_password", OFFICER_PASSWORD)
    enter(page)
    assert "/accounts/otp/" in page.url
    check(page, f"second factor ({lang})")
    type_into(page, "#id_code", next_totp_code(road_officer))
    enter(page)
    assert page.url.split("#")[0].split("?")[0].endswith("/office/"), page.url

    # The queue, both complaints; then only the overdue one.
    queue = page.locator("table.queue")
    for complaint in (late, on_time):
        assert queue.locator(f"a[href='/office/complaints/{complaint.pk}/']").count() == 1
    check(page, f"work queue ({lang})")
    if shots:
        save_screenshot(page, "journey-officer-queue-200")
    tab_to(page, "#id_overdue")
    page.keyboard.press("Space")
    assert page.locator("#id_overdue").is_checked()
    tab_to(page, "form.queue-filters button[type='submit']")
    enter(page)
    queue = page.locator("table.queue")
    assert queue.locator(f"a[href='/office/complaints/{late.pk}/']").count() == 1
    assert queue.locator(f"a[href='/office/complaints/{on_time.pk}/']").count() == 0
    assert page.locator("#id_overdue").is_checked()
    check(page, f"work queue, overdue only ({lang})")
    if shots:
        save_screenshot(page, "journey-officer-queue-overdue-200")

    # Open it: the page says how late it is; answer it.
    tab_to(page, f"table.queue a[href='/office/complaints/{late.pk}/']")
    enter(page)
    assert page.locator(".due-row .time-left.is-overdue").count() == 1
    check(page, f"the overdue complaint ({lang})")
    tab_to(page, "#id_answer-outcome")
    page.keyboard.press("ArrowDown")  # a closed select changes with the arrow keys
    page.keyboard.press("ArrowDown")
    assert page.locator("#id_answer-outcome").input_value() == Outcome.INFORMED.value
    type_into(
        page, "#id_answer-answer", "12월 5일에 보수 공사를 할 예정입니다. 불편을 드려 죄송합니다."
    )
    if shots:
        save_screenshot(page, "journey-officer-answer-200")
    tab_to(page, "form[action$='/answer/'] button[type='submit']")
    enter(page)
    late.refresh_from_db()
    assert late.status == "answered", late.status
    assert late.outcome == Outcome.INFORMED.value
    check(page, f"answered ({lang})")
    if shots:
        save_screenshot(page, "journey-officer-answered-200")
