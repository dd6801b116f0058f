"""File inputs on the web forms (several files from one input) and the files they deliver."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from minwon.complaints.services import FileInput
from minwon.complaints.services.attachments import MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS

# What the file inputs accept (the server checks the content again: the name proves nothing).
ACCEPTED_FILES = (
    ".jpg,.jpeg,.png,.pdf,.hwp,.hwpx,.docx,.xlsx,.pptx,image/jpeg,image/png,application/pdf"
)
MAX_FILE_MEGABYTES = MAX_ATTACHMENT_BYTES // (1024 * 1024)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; the list may be empty."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items if item]


def files_help() -> str:
    return str(
        _(
            "Photos (JPEG, PNG) or documents (PDF, HWP, DOCX, XLSX, PPTX) without macros: at "
            "most %(count)s files of %(size)s MB each. Photos lose their location data before "
            "they are stored."
        )
        % {"count": MAX_ATTACHMENTS, "size": MAX_FILE_MEGABYTES}
    )


def file_inputs(files: list[UploadedFile]) -> list[FileInput]:
    """Uploaded files as the services take them (one byte over the limit is enough to refuse)."""
    return [FileInput(name=f.name or "", data=f.read(MAX_ATTACHMENT_BYTES + 1)) for f in files]


def file_limits() -> dict[str, Any]:
    """What a page with a file input tells the visitor (and its `accept` attribute)."""
    return {
        "accepted_files": ACCEPTED_FILES,
        "max_file_bytes": MAX_ATTACHMENT_BYTES,
        "max_files": MAX_ATTACHMENTS,
    }
