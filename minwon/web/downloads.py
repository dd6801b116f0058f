"""The download pages of both interfaces: a complaint's file and its 접수증 (the responses
themselves are `complaints.downloads`, the same ones the JSON API sends)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse

from minwon.complaints.downloads import attachment_response, receipt_pdf_response
from minwon.complaints.models import Attachment, Complaint
from minwon.complaints.services.attachments import attachment_read
from minwon.core.errors import ApplicationError, NotFound


def attachment_download(
    complaint: Complaint, attachment_id: int
) -> tuple[Attachment, HttpResponse]:
    """A file of a complaint the caller already may see (404 for a file of another complaint)."""
    try:
        attachment, data = attachment_read(complaint=complaint, attachment_id=attachment_id)
    except NotFound as exc:
        raise Http404 from exc
    return attachment, attachment_response(attachment, data)


def receipt_download(request: HttpRequest, complaint: Complaint) -> HttpResponse | None:
    """The 접수증 PDF (before registration: the confirmation of sending), or None after telling
    the visitor why there is none (the page then sends them back to the complaint)."""
    try:
        return receipt_pdf_response(request, complaint, before_registration=True)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return None
