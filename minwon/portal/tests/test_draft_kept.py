"""Nothing typed or attached is lost (issue 11 item 3): files sent with a form that fails on
another field are kept, and switching language mid-form keeps both the draft and the files."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from minwon.complaints.models import Attachment, Complaint
from minwon.portal.tests.test_filing import FORM
from tests.files import pdf


@pytest.fixture(autouse=True)
def media(settings: object, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    return tmp_path / "media"


def _file() -> SimpleUploadedFile:
    return SimpleUploadedFile("도면.pdf", pdf(), content_type="application/pdf")


def _token(page: str) -> str:
    marker = 'name="upload_token" value="'
    return page[page.index(marker) + len(marker) :].split('"', 1)[0]


def test_files_are_kept_when_another_field_fails(citizen_client: Client) -> None:
    response = citizen_client.post(
        "/complaints/new/", FORM | {"consent": "", "step": "preview", "attachments": _file()}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="consent-error"' in page
    assert "도면.pdf" in page  # listed among the files kept
    token = _token(page)
    assert token
    # Fixed and sent without choosing the file again: the complaint has it.
    citizen_client.post("/complaints/new/", FORM | {"step": "preview", "upload_token": token})
    citizen_client.post("/complaints/new/", FORM | {"step": "submit", "upload_token": token})
    complaint = Complaint.objects.get()
    assert [a.original_name for a in Attachment.objects.filter(complaint=complaint)] == ["도면.pdf"]


def test_switching_language_keeps_the_draft_and_the_files(citizen_client: Client) -> None:
    response = citizen_client.post(
        "/complaints/new/",
        FORM | {"title": "", "switch_language": "en", "attachments": _file()},
    )
    assert response.status_code == 302 and response["Location"] == "/complaints/new/"
    assert response.cookies["django_language"].value == "en"
    page = citizen_client.get("/complaints/new/").content.decode()
    assert '<html lang="en"' in page
    assert "금촌역 앞 가로등이 꺼져 있습니다." in page  # what was typed
    assert "도면.pdf" in page  # the file, staged
    assert 'aria-invalid="true"' not in page  # a draft, not a failed submit
    assert Complaint.objects.count() == 0
    # Shown once: a fresh visit starts empty.
    again = citizen_client.get("/complaints/new/").content.decode()
    assert "금촌역 앞 가로등이 꺼져 있습니다." not in again


def test_the_language_switch_on_the_filing_page_posts_the_form(citizen_client: Client) -> None:
    page = citizen_client.get("/complaints/new/").content.decode()
    assert 'id="filing-form"' in page
    assert (
        'form="filing-form" formaction="/complaints/new/" formnovalidate name="switch_language"'
        in page
    )
    # Elsewhere the switch is the plain language form.
    assert 'name="switch_language"' not in citizen_client.get("/").content.decode()
