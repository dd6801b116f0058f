"""Attachments: type on content, size limit, EXIF (GPS) stripped, outside the web root, gated."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client
from PIL import Image

from minwon.accounts.models import OrgUnit, User
from minwon.accounts.services import citizen_register
from minwon.complaints.domain import IntakeChannel
from minwon.complaints.models import Attachment, Complaint
from minwon.complaints.services import attachments as a
from minwon.complaints.services import complaint_withdraw
from minwon.core.errors import Conflict, ValidationFailed
from minwon.lawclock.kinds import ComplaintKind
from tests import files

pytestmark = pytest.mark.django_db
File = Callable[..., Complaint]
API = "/api/v1"


@pytest.fixture(autouse=True)
def media(settings: object, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    return tmp_path / "media"


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (37.0, 45.0, 36.0), 3: "E", 4: (126.0, 46.0, 48.0)}  # GPS IFD
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_photo_loses_exif_and_is_stored_outside_the_web_root(file: File, media: Path) -> None:
    c = file(ComplaintKind.OTHER)
    raw = jpeg_with_gps()
    assert Image.open(io.BytesIO(raw)).getexif().get(0x8825)
    att = a.complaint_attachment_add(complaint=c, actor=None, name="../../etc/photo.jpg", data=raw)
    stored = (media / "complaints" / att.storage_name).read_bytes()
    assert att.original_name == "photo.jpg"
    assert att.content_type == "image/jpeg"
    assert not Image.open(io.BytesIO(stored)).getexif()
    assert b"PhoneMaker" not in stored


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("photo.jpg", b"MZ\x90\x00 not an image", "executable"),  # an executable named .jpg
        ("note.pdf", b"<html><script>alert(1)</script>", "type_not_allowed"),
        (
            "doc.docx",
            b"PK\x03\x04" + b"\x00" * 26 + b"mimetypeapplication/vnd.openxml",
            "type_not_allowed",
        ),
    ],
)
def test_type_is_checked_on_content(file: File, name: str, data: bytes, code: str) -> None:
    with pytest.raises(ValidationFailed) as info:
        a.complaint_attachment_add(
            complaint=file(ComplaintKind.OTHER), actor=None, name=name, data=data
        )
    assert info.value.code == f"complaint.attachment_{code}"
    assert Attachment.objects.count() == 0


def test_accepted_documents_and_limits(file: File, monkeypatch: pytest.MonkeyPatch) -> None:
    c = file(ComplaintKind.OTHER)
    document = a.complaint_attachment_add(complaint=c, actor=None, name="a.bin", data=files.pdf())
    assert document.content_type == "application/pdf"
    assert a.detect_content_type(files.hwpx()) == "application/hwp+zip"
    assert a.detect_content_type(files.hwp()) == "application/x-hwp"
    assert a.detect_content_type(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest") is None  # only magic
    monkeypatch.setattr(a, "MAX_ATTACHMENT_BYTES", 10)
    with pytest.raises(ValidationFailed) as big:
        a.complaint_attachment_add(complaint=c, actor=None, name="b.pdf", data=b"%PDF-" + b"x" * 10)
    assert big.value.code == "complaint.attachment_too_large"
    monkeypatch.undo()
    with pytest.raises(ValidationFailed) as broken:
        a.complaint_attachment_add(
            complaint=c, actor=None, name="c.jpg", data=b"\xff\xd8\xff\xe0garbage"
        )
    assert broken.value.code == "complaint.attachment_unreadable"
    complaint_withdraw(complaint=c, actor=None)
    c.refresh_from_db()
    with pytest.raises(Conflict):
        a.complaint_attachment_add(complaint=c, actor=None, name="d.pdf", data=b"%PDF-1")


def test_download_only_for_those_allowed(
    file: File,
    citizen: User,
    citizen_client: Client,
    road_officer: User,
    officer_client: Callable[[User], Client],
) -> None:
    c = file(ComplaintKind.SUGGESTION, channel=IntakeChannel.WEB, citizen=citizen)
    upload = io.BytesIO(jpeg_with_gps())
    upload.name = "pothole.jpg"
    r = citizen_client.post(f"{API}/complaints/{c.pk}/attachments", {"file": upload})
    assert r.status_code == 201, r.content
    att_id = r.json()["id"]
    r = citizen_client.get(f"{API}/complaints/{c.pk}/attachments/{att_id}")
    assert r.status_code == 200
    assert r["Content-Type"] == "image/jpeg"
    # Named by the type found (issue 13 item 7), as on the web pages: one download response.
    assert r["Content-Disposition"] == f'attachment; filename="attachment-{att_id}.jpg"'
    stranger = citizen_register(
        username="kim",
        password="correct-horse-battery-9",
        name="김",
        email="kim@example.kr",
        phone="010-0000-0000",
    )
    other = Client(enforce_csrf_checks=True)
    other.force_login(stranger, backend="minwon.accounts.backends.ThrottledModelBackend")
    assert other.get(f"{API}/complaints/{c.pk}/attachments/{att_id}").status_code == 404
    # the road officer does not handle this (unassigned) complaint
    assert (
        officer_client(road_officer)
        .get(f"{API}/office/complaints/{c.pk}/attachments/{att_id}")
        .status_code
        == 404
    )
    assert [x["id"] for x in citizen_client.get(f"{API}/complaints/{c.pk}/attachments").json()] == [
        att_id
    ]


def test_an_officer_downloads_a_file_named_by_its_type_with_its_korean_label(
    file: File, road_officer: User, road_unit: OrgUnit, officer_client: Callable[[User], Client]
) -> None:
    c = file(ComplaintKind.SUGGESTION, org_unit=road_unit)
    attachment = a.complaint_attachment_add(
        complaint=c, actor=None, name="현장 사진.pdf", data=files.pdf()
    )
    assert attachment.original_name == "현장 사진.pdf"  # the label shown beside the link
    r = officer_client(road_officer).get(
        f"{API}/office/complaints/{c.pk}/attachments/{attachment.pk}"
    )
    assert r.status_code == 200, r.content
    assert r["Content-Disposition"] == f'attachment; filename="attachment-{attachment.pk}.pdf"'
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Cache-Control"] == "private, no-store"
