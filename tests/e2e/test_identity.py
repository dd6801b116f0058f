"""The counter tablet's mobile-ID check in the browser, with a wallet simulator.

The officer (keyboard only) chooses the purpose and shows the request QR code; the wallet
simulator (built on the `sd-jwt` test-data library) fetches the request object from the live
server, presents a resident card bound to the request's nonce and client_id, and posts it to the
response endpoint; the tablet's page shows the result by itself (the purpose's fields, the RRN
masked), moves the focus to it, and the officer clears it. axe-core on every state, Korean and
English."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from minwon.accounts.models import User
from minwon.identity.models import VerificationRecord, VerificationSession
from minwon.identity.tests.wallet import Wallet, decode_jwt_payload, request_uri_of
from tests.e2e.browser import assert_no_axe_violations, save_screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def wallet(settings: Any, tmp_path: Path) -> Wallet:
    held = Wallet.resident_card()
    settings.IDENTITY_TRUST_DIR = str(held.write_trust(tmp_path / "trust"))
    return held


def _wallet_answers(wallet: Wallet, session: VerificationSession) -> dict[str, Any]:
    """What a wallet app does after scanning the QR code: over real HTTP, no browser."""
    _client_id, request_uri = request_uri_of(session.qr_payload)
    with urllib.request.urlopen(request_uri, timeout=10) as response:
        assert response.headers["Content-Type"] == "application/oauth-authz-req+jwt"
        request = decode_jwt_payload(response.read().decode())
    body = urllib.parse.urlencode(wallet.answer(request)).encode()
    post = urllib.request.Request(request["response_uri"], data=body, method="POST")
    with urllib.request.urlopen(post, timeout=10) as response:
        assert response.status == 200
        result: dict[str, Any] = json.loads(response.read())
    return result


def test_the_officer_checks_a_resident_card_by_keyboard(
    new_page: Any, login_as: Any, counter_officer: User, wallet: Wallet
) -> None:
    page = new_page(lang="ko")
    login_as(page, counter_officer)
    page.goto("/office/identity/")
    assert_no_axe_violations(page, "identity home (ko)")

    purpose = page.locator("#id_start-purpose_2")  # 가족관계증명서 발급
    purpose.focus()
    page.keyboard.press("Space")
    assert purpose.is_checked()
    page.get_by_role("button", name="요청 QR 코드 보여 주기(표준 지갑)").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/office/identity/sessions/*/")
    page.locator('[data-identity-state="pending"] svg').wait_for()
    assert_no_axe_violations(page, "identity QR (ko)")

    session = VerificationSession.objects.get(officer=counter_officer)
    assert _wallet_answers(wallet, session) == {}

    shown = page.locator('[data-identity-state="showing"]')
    shown.wait_for(timeout=15_000)  # the page asks the server every 2 s
    text = shown.inner_text()
    assert "홍길동" in text and "900101-1******" in text and "1234567" not in text
    assert page.evaluate("document.activeElement.id") == "identity-result"
    assert page.locator(".identity-portrait").count() == 1
    assert_no_axe_violations(page, "identity result (ko)")
    save_screenshot(page, "office-identity-result")

    page.get_by_role("button", name="지금 화면 지우기").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/office/identity/")
    assert "화면에서 결과를 지웠습니다." in page.content()
    assert "홍길동" not in page.content()
    record = VerificationRecord.objects.get()
    assert record.outcome == "valid" and record.claim_names == [
        "name",
        "portrait",
        "resident_number",
    ]


def test_the_pages_in_english_pass_axe(new_page: Any, login_as: Any, counter_officer: User) -> None:
    page = new_page(lang="en")
    login_as(page, counter_officer)
    page.goto("/office/identity/")
    assert "Mobile ID check" in page.title()
    assert_no_axe_violations(page, "identity home (en)")
    page.goto("/office/identity/manual/")
    page.get_by_role("button", name="Record the check").click()
    page.locator("[data-error-summary]").wait_for()
    assert_no_axe_violations(page, "manual check with errors (en)")
    # By keyboard: each radio group takes Space on its focused option.
    for option in ("#id_purpose_0", "#id_method_1", "#id_document_0", "#id_outcome_0"):
        page.locator(option).focus()
        page.keyboard.press("Space")
        assert page.locator(option).is_checked()
    page.get_by_role("button", name="Record the check").click()
    page.wait_for_url("**/office/identity/records/")
    assert_no_axe_violations(page, "records (en)")
    save_screenshot(page, "office-identity-records")


def _qr_video(payload: str, path: Path) -> Path:
    """A few seconds of a still QR code as a Y4M file, for Chromium's fake camera."""
    import segno

    matrix = [list(row) for row in segno.make(payload, error="m").matrix]
    scale, quiet = 6, 4
    side = (len(matrix) + 2 * quiet) * scale
    side += side % 2
    width, height = side + side % 2, side
    luma = bytearray(b"\xff" * (width * height))
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                for dy in range(scale):
                    start = ((y + quiet) * scale + dy) * width + (x + quiet) * scale
                    luma[start : start + scale] = b"\x00" * scale
    chroma = b"\x80" * ((width // 2) * (height // 2))
    frame = b"FRAME\n" + bytes(luma) + chroma + chroma
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(30):
            out.write(frame)
    return path


def test_the_camera_reads_the_citizens_qr_code(
    browser: Any,
    live_server: Any,
    login_as: Any,
    counter_officer: User,
    settings: Any,
    tmp_path: Path,
) -> None:
    from minwon.identity.simulator import SidecarSimulator, m120
    from tests.e2e.browser import CHROMIUM, CHROMIUM_ARGS, DESKTOP

    video = _qr_video(m120("camera42"), tmp_path / "qr.y4m")
    camera_browser = browser.browser_type.launch(
        executable_path=str(CHROMIUM),
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    try:
        with SidecarSimulator() as sidecar:
            settings.IDENTITY_MIP_SIDECAR_URL = sidecar.url
            context = camera_browser.new_context(
                locale="en-US", viewport=DESKTOP, base_url=live_server.url, service_workers="block"
            )
            context.add_cookies(
                [{"name": "django_language", "value": "en", "url": live_server.url}]
            )
            context.grant_permissions(["camera"], origin=live_server.url)
            page = context.new_page()
            login_as(page, counter_officer)
            page.goto("/office/identity/")
            page.get_by_role("button", name="Scan with the camera").wait_for()
            assert_no_axe_violations(page, "identity home with the scanner and camera (en)")
            page.locator("#id_scan-purpose_1").focus()  # 성인 확인 / adult check
            page.keyboard.press("Space")
            camera = page.get_by_role("button", name="Scan with the camera")
            camera.focus()
            page.keyboard.press("Enter")
            page.wait_for_url("**/office/identity/sessions/*/", timeout=20_000)
            session = VerificationSession.objects.get(officer=counter_officer)
            assert session.kind == "mip_cpm" and session.mip_transaction == "camera42"
            sidecar.side.present("camera42")
            page.locator('[data-identity-state="showing"]').wait_for(timeout=15_000)
            assert "Yes" in page.locator(".identity-shown").inner_text()
            assert_no_axe_violations(page, "camera-scanned result (en)")
            context.close()
    finally:
        camera_browser.close()
