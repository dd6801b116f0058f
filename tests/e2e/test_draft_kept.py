"""Nothing typed or attached is lost (issue 11 item 3), in Korean and English: a citizen attaches
two photos and forgets the consent (the photos stay, listed, and reach the complaint without being
chosen again); then, mid-form, switches language: what was typed and the photo attached are both
there in the other language, and the complaint is sent with them. axe on every page; the Korean
run saves the screenshots docs/ui.md shows."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from minwon.accounts.models import User
from minwon.complaints.models import Attachment, Complaint
from tests.e2e.browser import assert_no_axe_violations, save_screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SWITCH = {"ko": ("English", "en"), "en": ("한국어", "ko")}


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


def photo(name: str, colour: str) -> dict[str, Any]:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, "PNG")
    return {"name": name, "mimeType": "image/png", "buffer": out.getvalue()}


def submit(page: Any, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).click()


def fill(page: Any, title: str) -> None:
    page.locator("label[for='id_kind_0']").click()
    page.locator("#id_title").fill(title)
    page.locator("#id_body").fill("보도블록이 깨져 있습니다.")
    page.locator("#id_location_text").fill("경기도 파주시 시청로 50 앞")
    page.locator("#id_address").fill("경기도 파주시 금정로 1")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_files_survive_an_error_and_the_draft_a_language_switch(
    new_page: Callable[..., Any], login_as: Callable[..., None], citizen: User, lang: str
) -> None:
    page = new_page(lang=lang)
    login_as(page, citizen)

    # Two photos, the consent forgotten: the error comes back and the photos are kept.
    page.goto("/complaints/new/")
    fill(page, "보도블록 파손")
    page.locator("#id_attachments").set_input_files(
        [photo("현장1.png", "orange"), photo("현장2.png", "blue")]
    )
    submit(page, "button[name='step'][value='preview']")
    assert page.locator("#id_consent[aria-invalid='true']").count() == 1
    kept = page.locator(".staged-files").inner_text()
    assert "현장1.png" in kept and "현장2.png" in kept
    assert_no_axe_violations(page, f"filing error with the files kept ({lang})")
    if lang == "ko":
        save_screenshot(page, "portal-complaint-files-kept-desktop")
    page.locator("label[for='id_consent']").click()
    submit(page, "button[name='step'][value='preview']")
    main = page.locator("main").inner_text()
    assert "현장1.png" in main and "현장2.png" in main
    submit(page, "button[name='step'][value='submit']")
    first = Complaint.objects.get()
    names = sorted(a.original_name for a in Attachment.objects.filter(complaint=first))
    assert names == ["현장1.png", "현장2.png"]

    # Mid-form, the language switch: the draft and the photo are there in the other language.
    page.goto("/complaints/new/")
    fill(page, "가로등 고장")
    page.locator("#id_attachments").set_input_files([photo("가로등.png", "green")])
    label, other = SWITCH[lang]
    submit(page, f"header button:has-text('{label}')")
    assert page.locator("html").get_attribute("lang") == other
    assert page.locator("#id_title").input_value() == "가로등 고장"
    assert page.locator("#id_body").input_value() == "보도블록이 깨져 있습니다."
    assert "가로등.png" in page.locator(".staged-files").inner_text()
    assert page.locator("[aria-invalid='true']").count() == 0
    assert_no_axe_violations(page, f"the draft after switching language ({lang} → {other})")
    if lang == "ko":
        save_screenshot(page, "portal-complaint-draft-after-language-switch-desktop")
    page.locator("label[for='id_consent']").click()
    submit(page, "button[name='step'][value='preview']")
    submit(page, "button[name='step'][value='submit']")
    second = Complaint.objects.exclude(pk=first.pk).get()
    assert second.title == "가로등 고장"
    assert [a.original_name for a in Attachment.objects.filter(complaint=second)] == ["가로등.png"]
