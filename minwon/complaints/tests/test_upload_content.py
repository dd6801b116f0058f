"""Issue 13 item 7: an upload is what its structure says, never what its name says.

Real files made in memory (tests/files.py: an OLE writer, fpdf2, zip, openpyxl). Downloads are
named by the detected type; the sender's name is a cleaned label only."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client

from minwon.accounts.models import User
from minwon.complaints.domain import IntakeChannel
from minwon.complaints.models import Attachment, Complaint
from minwon.complaints.services import attachments as a
from minwon.core.errors import ValidationFailed
from minwon.lawclock.kinds import ComplaintKind
from tests import files

pytestmark = pytest.mark.django_db
File = Callable[..., Complaint]
API = "/api/v1"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


@pytest.fixture(autouse=True)
def media(settings: object, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    return tmp_path / "media"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (files.pdf(), "application/pdf"),
        (files.hwp(), "application/x-hwp"),
        (files.hwp(script=None), "application/x-hwp"),
        (files.hwp(compressed=True), "application/x-hwp"),
        (files.hwpx(), "application/hwp+zip"),
        (files.docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (files.xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_real_documents_are_accepted(data: bytes, expected: str) -> None:
    assert a.attachment_check(name="x", data=data).content_type == expected


@pytest.mark.parametrize(
    ("data", "code"),
    [
        # PDF-looking HTML: the header alone is not a PDF.
        (b"%PDF-1.7\n" + HTML, "type_not_allowed"),
        (b"%PDF-1.4 test", "type_not_allowed"),
        # A PDF with JavaScript (name escapes decoded) or a launch action.
        (
            files.pdf().replace(
                b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /J#61vaScript >>"
            ),
            "macro",
        ),
        (
            files.pdf().replace(b"/Type /Catalog", b"/Type /Catalog /AA << /O << /S /Launch >> >>"),
            "macro",
        ),
        # Any OLE file used to pass as HWP: macro Word documents, installers.
        (files.word_97_with_macros(), "macro"),
        (files.msi_like(), "type_not_allowed"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "type_not_allowed"),
        # An HWP with a script, or with a VBA storage.
        (files.hwp(script='function OnDocument_Open() { Run("cmd"); }'), "macro"),
        (files.hwp(script='Run("cmd");', compressed=True), "macro"),
        (files.hwp(extra={"Macros/VBA": b"Attribute"}), "macro"),
        # The 77-byte non-zip that passed as HWPX; a zip with the mimetype but no contents.
        (
            b"PK\x03\x04" + b"\x00" * 26 + b"mimetypeapplication/hwp+zip" + b"\x00" * 16,
            "type_not_allowed",
        ),
        (
            files.hwpx().replace(b"Contents/content.hpf", b"Contents/contentXhpf"),
            "type_not_allowed",
        ),
        (
            files.hwpx({"Scripts/sourceScripts": b"var x = new ActiveXObject('WScript.Shell');"}),
            "macro",
        ),
        # OOXML with macros (docm parts), ActiveX, embedded OLE objects, a macro content type.
        (files.docx({"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"}), "macro"),
        (files.docx({"word/activeX/activeX1.bin": b"x"}), "macro"),
        (files.docx({"word/embeddings/oleObject1.bin": b"x"}), "macro"),
        (
            files.docx(
                content_types=files.CONTENT_TYPES.replace(b".main+xml", b".macroEnabled.main+xml")
            ),
            "macro",
        ),
        (files.docx().replace(b"word/document.xml", b"word/documenX.xml"), "type_not_allowed"),
        # Executables and scripts, whatever they are called.
        (b"MZ\x90\x00\x03" + b"\x00" * 100, "executable"),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "executable"),
        (b"\xcf\xfa\xed\xfe\x07\x00\x00\x01" + b"\x00" * 100, "executable"),
        (b"\xca\xfe\xba\xbe\x00\x00\x00\x02" + b"\x00" * 100, "executable"),
        (b"#!/bin/sh\nrm -rf /\n", "executable"),
        (HTML, "type_not_allowed"),
    ],
)
def test_disguised_and_active_files_are_refused(file: File, data: bytes, code: str) -> None:
    complaint = file(ComplaintKind.OTHER)
    with pytest.raises(ValidationFailed) as info:
        a.complaint_attachment_add(complaint=complaint, actor=None, name="invoice.pdf", data=data)
    assert info.value.code == f"complaint.attachment_{code}"
    assert Attachment.objects.count() == 0


def test_a_zip_bomb_is_refused_before_unpacking(monkeypatch: pytest.MonkeyPatch) -> None:
    from minwon.core import filetypes

    monkeypatch.setattr(filetypes, "MAX_ZIP_UNPACKED_BYTES", 100)
    with pytest.raises(ValidationFailed) as info:
        a.attachment_check(name="big.docx", data=files.docx())
    assert info.value.code == "complaint.attachment_type_not_allowed"


@pytest.mark.parametrize(
    ("name", "data", "extension"),
    [
        ("evil.html", files.pdf(), "pdf"),
        ("invoice.exe", files.hwp(), "hwp"),
        ("report.hwp", files.hwpx(), "hwpx"),
        ("table.pdf", files.xlsx(), "xlsx"),
    ],
)
def test_downloads_are_named_by_the_detected_type(
    file: File,
    citizen: User,
    citizen_client: Client,
    name: str,
    data: bytes,
    extension: str,
) -> None:
    complaint = file(ComplaintKind.SUGGESTION, channel=IntakeChannel.WEB, citizen=citizen)
    upload = io.BytesIO(data)
    upload.name = name
    created = citizen_client.post(f"{API}/complaints/{complaint.pk}/attachments", {"file": upload})
    assert created.status_code == 201, created.content
    attachment = Attachment.objects.get()
    response = citizen_client.get(f"{API}/complaints/{complaint.pk}/attachments/{attachment.pk}")
    assert response["Content-Disposition"] == (
        f'attachment; filename="attachment-{attachment.pk}.{extension}"'
    )
    assert response["Content-Type"] == attachment.content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert attachment.original_name == name  # kept as the label only


def test_a_refusal_is_translated_on_the_api(
    file: File, citizen: User, citizen_client: Client
) -> None:
    complaint = file(ComplaintKind.SUGGESTION, channel=IntakeChannel.WEB, citizen=citizen)
    answers = {}
    for language in ("en", "ko"):
        upload = io.BytesIO(files.word_97_with_macros())
        upload.name = "invoice.hwp"
        answers[language] = citizen_client.post(
            f"{API}/complaints/{complaint.pk}/attachments",
            {"file": upload},
            HTTP_ACCEPT_LANGUAGE=language,
        )
    assert answers["en"].status_code == answers["ko"].status_code == 400
    assert answers["en"].json()["code"] == "complaint.attachment_macro"
    assert "macro" in answers["en"].json()["message"]
    assert "매크로" in answers["ko"].json()["message"]
    assert Attachment.objects.count() == 0


@pytest.mark.parametrize(
    ("sent", "label"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\kim\\현장.pdf", "현장.pdf"),
        ("photo\u202egpj.exe", "photo gpj.exe"),  # a right-to-left override hiding .exe
        ("a\x00b\r\nc.pdf", "a b c.pdf"),
        ('x<script>"y".pdf', "x_script__y_.pdf"),
        ("", "attachment"),
        ("...", "attachment"),
    ],
)
def test_the_label_is_cleaned(sent: str, label: str) -> None:
    assert a.display_name(sent) == label
