"""Attachments: type checked on content (magic bytes, never the file name), size-limited, images
re-encoded without EXIF (GPS), stored under MEDIA_ROOT outside the web root."""

from __future__ import annotations

import hashlib
import io
import uuid
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from PIL import Image, ImageOps

from minwon.accounts.models import User
from minwon.complaints.domain import OPEN_STATUSES, ComplaintStatus
from minwon.complaints.models import Attachment, Complaint
from minwon.complaints.services.common import error
from minwon.core.errors import NotFound
from minwon.core.services import audit_record

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 10
MAX_IMAGE_PIXELS = 40_000_000  # larger images are refused (decompression bombs)
IMAGE_TYPES = {"image/jpeg": "JPEG", "image/png": "PNG"}


def detect_content_type(data: bytes) -> str | None:
    """The type the bytes really are, from their signature; None when not allowed."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "application/x-hwp"  # HWP 5 (OLE compound file)
    if (
        data.startswith(b"PK\x03\x04")
        and data[30:38] == b"mimetype"
        and (b"application/hwp+zip" in data[38:80])
    ):
        return "application/hwp+zip"  # HWPX
    return None


def _clean_image(data: bytes, content_type: str) -> bytes:
    """Decode and re-encode: drops EXIF (GPS, camera serials) and anything after the image."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.width * image.height > MAX_IMAGE_PIXELS:
                    raise error("complaint.attachment_image_too_large", field="file")
                image.load()
                upright = ImageOps.exif_transpose(image)
                out = io.BytesIO()
                if content_type == "image/jpeg":
                    upright.convert("RGB").save(out, "JPEG", quality=90)
                else:
                    upright.save(out, "PNG")
                return out.getvalue()
    except (
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as exc:
        raise error("complaint.attachment_unreadable", field="file") from exc


def storage_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "complaints"


@dataclass(frozen=True)
class FileInput:
    """An uploaded file as a channel delivers it: the name the sender gave and the bytes."""

    name: str
    data: bytes


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed the checks: its real type, and the bytes to store (images re-encoded)."""

    name: str
    content_type: str
    data: bytes


def attachment_check(*, name: str, data: bytes) -> CheckedFile:
    """Size and type (by content), images cleaned; raises the error the sender sees. Writes
    nothing, so a form can check every file before anything is stored."""
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise error("complaint.attachment_too_large", field="file", limit=MAX_ATTACHMENT_BYTES)
    if not data:
        raise error("complaint.attachment_empty", field="file")
    content_type = detect_content_type(data)
    if content_type is None:
        raise error("complaint.attachment_type_not_allowed", field="file")
    if content_type in IMAGE_TYPES:
        data = _clean_image(data, content_type)
    return CheckedFile(
        name=Path(name).name[:200] or "attachment", content_type=content_type, data=data
    )


def attachments_check(files: Sequence[FileInput], *, already: int = 0) -> list[CheckedFile]:
    """Every file checked, and their number within the limit, before any is stored."""
    if already + len(files) > MAX_ATTACHMENTS:
        raise error("complaint.attachment_limit", field="file", limit=MAX_ATTACHMENTS)
    return [attachment_check(name=f.name, data=f.data) for f in files]


def attachment_store(*, complaint: Complaint, actor: User | None, file: CheckedFile) -> Attachment:
    """Write a checked file under MEDIA_ROOT and record it (inside the caller's transaction)."""
    storage_name = uuid.uuid4().hex
    root = storage_root()
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = root / storage_name
    path.write_bytes(file.data)
    try:
        attachment = Attachment.objects.create(
            complaint=complaint,
            uploaded_by=actor if actor is not None and actor.pk else None,
            original_name=file.name,
            content_type=file.content_type,
            size=len(file.data),
            sha256=hashlib.sha256(file.data).hexdigest(),
            storage_name=storage_name,
        )
        audit_record(
            actor=actor,
            action="complaint.attachment_added",
            target=complaint,
            org_unit_id=complaint.org_unit_id,
            data={
                "attachment": attachment.pk,
                "content_type": file.content_type,
                "size": len(file.data),
            },
        )
    except Exception:
        path.unlink(missing_ok=True)
        raise
    return attachment


@transaction.atomic
def complaint_attachment_add(
    *, complaint: Complaint, actor: User | None, name: str, data: bytes
) -> Attachment:
    if ComplaintStatus(complaint.status) not in OPEN_STATUSES:
        raise error("complaint.attachment_closed")
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise error("complaint.attachment_too_large", field="file", limit=MAX_ATTACHMENT_BYTES)
    if not data:
        raise error("complaint.attachment_empty", field="file")
    if Attachment.objects.filter(complaint=complaint).count() >= MAX_ATTACHMENTS:
        raise error("complaint.attachment_limit", limit=MAX_ATTACHMENTS)
    checked = attachment_check(name=name, data=data)
    return attachment_store(complaint=complaint, actor=actor, file=checked)


def attachment_read(*, complaint: Complaint, attachment_id: int) -> tuple[Attachment, bytes]:
    """The stored bytes of one attachment of `complaint` (the caller has passed its access gate)."""
    attachment = Attachment.objects.filter(pk=attachment_id, complaint=complaint).first()
    if attachment is None:
        raise NotFound(code="complaint.attachment_not_found")
    return attachment, (storage_root() / attachment.storage_name).read_bytes()
