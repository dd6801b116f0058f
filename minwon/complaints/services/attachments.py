"""Attachments: type checked on content (the file's structure, never its name: `filetypes`),
size-limited, images re-encoded without EXIF (GPS), stored under MEDIA_ROOT outside the web root.
The sender's file name is kept only as a label, cleaned; downloads are named by the type found."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from minwon.accounts.models import User
from minwon.complaints.domain import OPEN_STATUSES, ComplaintStatus
from minwon.complaints.models import Attachment, Complaint
from minwon.complaints.services.common import error
from minwon.core import filetypes
from minwon.core.errors import NotFound
from minwon.core.filetypes import IMAGE_TYPES, MAX_IMAGE_PIXELS, CheckedFile, display_name
from minwon.core.services import audit_record

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 10

__all__ = [
    "IMAGE_TYPES",
    "MAX_ATTACHMENTS",
    "MAX_ATTACHMENT_BYTES",
    "MAX_IMAGE_PIXELS",
    "CheckedFile",
    "FileInput",
    "attachment_check",
    "attachment_read",
    "attachment_store",
    "attachments_check",
    "complaint_attachment_add",
    "detect_content_type",
    "display_name",
    "download_name",
    "storage_root",
]


def detect_content_type(data: bytes) -> str | None:
    """The type the bytes really are, from their structure; None when not allowed."""
    try:
        return filetypes.detect_content_type(data)
    except filetypes.Refusal:
        return None


_REFUSAL_CODES = {
    "too_large": "complaint.attachment_too_large",
    "empty": "complaint.attachment_empty",
    "executable": "complaint.attachment_executable",
    "macro": "complaint.attachment_macro",
    "type": "complaint.attachment_type_not_allowed",
    "unreadable": "complaint.attachment_unreadable",
    "image_too_large": "complaint.attachment_image_too_large",
}


def download_name(attachment_id: int, content_type: str) -> str:
    """What a download is called: by the type its content was found to be."""
    return f"attachment-{attachment_id}.{filetypes.EXTENSIONS.get(content_type, 'bin')}"


def storage_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "complaints"


@dataclass(frozen=True)
class FileInput:
    """An uploaded file as a channel delivers it: the name the sender gave and the bytes."""

    name: str
    data: bytes


def attachment_check(*, name: str, data: bytes) -> CheckedFile:
    """Size and type (by content), images cleaned; raises the error the sender sees. Writes
    nothing, so a form can check every file before anything is stored."""
    try:
        return filetypes.check(name=name, data=data, max_bytes=MAX_ATTACHMENT_BYTES)
    except filetypes.Refusal as refusal:
        code = _REFUSAL_CODES[refusal.reason]
        if refusal.reason == "too_large":
            raise error(code, field="file", limit=MAX_ATTACHMENT_BYTES) from None
        raise error(code, field="file") from None


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
