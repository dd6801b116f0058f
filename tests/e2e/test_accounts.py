"""A new citizen's whole account journey in a real browser, by keyboard alone, at phone width,
in Korean and English, axe-clean on every page (issue 11 item 2): sign up with an e-mail address,
read the code where the demo's local recording channel delivers it (/demo/messages/), land on
나의 민원, claim a complaint filed earlier without an account, sign out, reset the password by
a new code and log in with it.

The demo's background runner sends the outbox on wake-up; the test's runner is "none", so the
test hands the outbox to the same dispatcher (`notifications_dispatch`) where the runner would.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from minwon.accounts.models import User, email_index
from minwon.complaints import services as s
from minwon.complaints.domain import IntakeChannel
from minwon.complaints.models import Complaint
from minwon.lawclock.kinds import ComplaintKind
from minwon.notifications.services import notifications_dispatch
from tests.e2e.browser import PHONE, assert_no_axe_violations, save_screenshot
from tests.e2e.test_demo import demo  # noqa: F401  (the fixture: `minwon demo` in its own process)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FILING_PASSWORD = "follow-me-2026"
ACCOUNT_PASSWORD = "Paju-civic-2026!"
NEW_PASSWORD = "Geumchon-lamp-77?"


@pytest.fixture(autouse=True)
def recording(settings: Any, tmp_path: Path) -> Path:
    """The demo's local recording channel (MINWON_MODE=demo turns it on)."""
    settings.NOTIFICATIONS_RECORDING = True
    settings.EMAIL_HOST = ""
    settings.NOTIFICATIONS_RECORDING_FILE = str(tmp_path / "messages.jsonl")
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "messages.jsonl"


def tab_to(page: Any, selector: str, *, limit: int = 80) -> None:
    """Press Tab until the element matching `selector` has the focus (reachable by keyboard)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement?.matches(s) ?? false", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with Tab")


def enter(page: Any) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")


def type_into(page: Any, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.type(text)


def check(page: Any, label: str) -> None:
    assert_no_axe_violations(page, label)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{label}: {overflow}px of sideways scrolling at phone width"


def code_from_demo_messages(page: Any, lang: str, label: str) -> str:
    """Open "messages this demo sent" where the code page's link points (in a tab of its own,
    standing for the citizen's phone or mailbox) and read the newest message's code."""
    notifications_dispatch()
    href = page.locator(".notice-panel a[href='/demo/messages/']").get_attribute("href")
    messages = page.context.new_page()
    messages.goto(page.url.split("/", 3)[0] + "//" + page.url.split("/", 3)[2] + href)
    check(messages, f"demo messages ({lang}, {label})")
    newest = messages.locator(".notice-item").first.inner_text()
    found = re.search(r"\b(\d{6})\b", newest)
    assert found, newest
    if lang == "ko":
        save_screenshot(messages, f"portal-demo-messages-{label}-phone")
    messages.close()
    return found.group(1)


def filed_without_account() -> Complaint:
    return s.complaint_file(
        data=s.FilingInput(
            kind=ComplaintKind.GRIEVANCE,
            title="금촌역 앞 보도블록 파손",
            body="보도블록이 깨져 걸려 넘어질 뻔했습니다.",
            channel=IntakeChannel.WEB,
            applicant=s.ApplicantInput(name="김민원", address="경기도 파주시 시청로 50"),
            status_password=FILING_PASSWORD,
        )
    )


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_sign_up_claim_sign_out_and_reset_by_keyboard_on_a_phone(
    new_page: Any, live_server: Any, lang: str
) -> None:
    complaint = filed_without_account()
    assert complaint.follow_number is not None
    email = f"minwon.{lang}@example.kr"
    page = new_page(lang=lang, viewport=PHONE)
    shots = lang == "ko"

    # home → log in → sign up
    page.goto(live_server.url + "/")
    tab_to(page, "a.btn-navi.login")
    enter(page)
    tab_to(page, "a[href='/signup/']")
    enter(page)
    assert page.url.endswith("/signup/")
    check(page, f"sign up ({lang})")
    if shots:
        save_screenshot(page, "portal-signup-phone")

    # step 1: the address; step 2: the code from the demo's recording channel
    type_into(page, "#id_address", email)
    enter(page)
    assert page.url.endswith("/signup/code/")
    check(page, f"sign-up code ({lang})")
    code = code_from_demo_messages(page, lang, "signup-code")

    # a wrong code first: the error is shown and linked, nothing is made
    type_into(page, "#id_code", "000000" if code != "000000" else "111111")
    type_into(page, "#id_name", "김민원")
    type_into(page, "#id_password", ACCOUNT_PASSWORD)
    type_into(page, "#id_password_again", ACCOUNT_PASSWORD)
    enter(page)
    assert page.locator("#code-error").is_visible()
    assert not User.objects.filter(email_index=email_index(email)).exists()
    check(page, f"sign-up code with an error ({lang})")
    if shots:
        save_screenshot(page, "portal-signup-code-error-phone")

    tab_to(page, "#id_code")
    page.keyboard.press("Control+A")
    page.keyboard.type(code)
    type_into(page, "#id_password", ACCOUNT_PASSWORD)  # passwords are never typed back
    type_into(page, "#id_password_again", ACCOUNT_PASSWORD)
    enter(page)
    assert page.url.endswith("/my/"), page.url
    assert User.objects.get(email_index=email_index(email)).name == "김민원"
    check(page, f"my complaints after sign-up ({lang})")

    # claim the complaint filed without an account
    tab_to(page, "a[href='/my/claim/']")
    enter(page)
    check(page, f"claim ({lang})")
    type_into(page, "#id_follow_number", complaint.follow_number.replace("-", "").lower())
    type_into(page, "#id_password", FILING_PASSWORD)
    if shots:
        save_screenshot(page, "portal-claim-phone")
    enter(page)
    assert page.url.endswith("/my/")
    assert page.get_by_text(complaint.title).first.is_visible()
    check(page, f"my complaints with the claimed complaint ({lang})")
    if shots:
        save_screenshot(page, "portal-my-complaints-claimed-phone")
    complaint.refresh_from_db()
    assert complaint.citizen is not None and complaint.citizen.email == email

    # sign out
    tab_to(page, "form[action='/accounts/logout/'] button")
    enter(page)
    assert page.locator("a.btn-navi.login").is_visible()

    # forgot the password: a new code, a new password
    tab_to(page, "a.btn-navi.login")
    enter(page)
    tab_to(page, "a[href='/password-reset/']")
    enter(page)
    check(page, f"password reset ({lang})")
    type_into(page, "#id_address", email.upper())  # as people type it
    enter(page)
    assert page.url.endswith("/password-reset/code/")
    code = code_from_demo_messages(page, lang, "reset-code")
    type_into(page, "#id_code", code)
    type_into(page, "#id_password", NEW_PASSWORD)
    type_into(page, "#id_password_again", NEW_PASSWORD)
    check(page, f"password reset code ({lang})")
    if shots:
        save_screenshot(page, "portal-password-reset-code-phone")
    enter(page)
    assert "/accounts/login/" in page.url

    # log in with the new password: 나의 민원 has the claimed complaint
    type_into(page, "#id_username", email)
    type_into(page, "#id_password", NEW_PASSWORD)
    enter(page)
    page.goto(live_server.url + "/my/")
    assert page.get_by_text(complaint.title).first.is_visible()
    check(page, f"my complaints after the reset ({lang})")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_identity_check_through_the_simulator_by_keyboard_on_a_phone(
    new_page: Any, live_server: Any, login_as: Any, citizen: User, lang: str
) -> None:
    page = new_page(lang=lang, viewport=PHONE)
    login_as(page, citizen)
    page.goto(live_server.url + "/my/")
    tab_to(page, "a[href='/my/identity/']")
    enter(page)
    check(page, f"identity ({lang})")
    tab_to(page, "form[action='/my/identity/simulator/start/'] button")
    enter(page)
    assert "/accounts/identity/simulator/" in page.url
    tab_to(page, "button.primary")  # confirm with nothing typed: the errors come back
    enter(page)
    assert page.locator("#name-error").is_visible()
    check(page, f"identity simulator with errors ({lang})")
    type_into(page, "#id_name", "홍길동")
    type_into(page, "#id_birth_date", "1980-05-17")
    if lang == "ko":
        save_screenshot(page, "accounts-identity-simulator-phone")
    tab_to(page, "button.primary")
    enter(page)
    assert page.url.endswith("/my/identity/")
    check(page, f"identity confirmed ({lang})")
    if lang == "ko":
        save_screenshot(page, "portal-identity-confirmed-phone")
    assert citizen.citizen_identity_checks.count() == 1


def test_in_the_demo_the_code_really_arrives_on_the_recording_channel(
    browser: Any,
    demo: dict[str, Any],  # noqa: F811  (the fixture imported above)
) -> None:
    """`minwon demo` as a person runs it (its own process, its background runner): a sign-up by
    mobile number, and the code shows up on /demo/messages/ without the test sending anything."""
    context = browser.new_context(
        locale="ko-KR", base_url=demo["url"], viewport=PHONE, service_workers="block"
    )
    page = context.new_page()
    page.goto("/signup/")
    type_into(page, "#id_address", "010-7777-8888")
    enter(page)
    assert page.url.endswith("/signup/code/")
    code = None
    for _ in range(120):  # the runner sends on wake-up; a busy machine may take a while
        messages = context.new_page()
        messages.goto("/demo/messages/")
        text = messages.locator("main").inner_text()
        messages.close()
        if "01077778888" in text and (found := re.search(r"\b(\d{6})\b", text)):
            code = found.group(1)
            break
        page.wait_for_timeout(500)
    assert code, "no code arrived on the demo's recording channel"
    type_into(page, "#id_code", code)
    type_into(page, "#id_name", "김민원")
    type_into(page, "#id_password", ACCOUNT_PASSWORD)
    type_into(page, "#id_password_again", ACCOUNT_PASSWORD)
    enter(page)
    assert page.url.endswith("/my/"), page.url
    context.close()
