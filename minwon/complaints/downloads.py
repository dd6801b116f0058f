"""A complaint's files and its 접수증 as HTTP downloads: the one response of each, sent by the
JSON API and by both web interfaces (which add their own access check and 접속기록)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from minwon.complaints.documents import complaint_receipt_pdf
from minwon.complaints.models import Attachment, Complaint
from minwon.complaints.services.attachments import download_name
from minwon.core.http import download_response
from minwon.core.links import FOLLOW_PATH


def attachment_response(attachment: Attachment, data: bytes) -> HttpResponse:
    """A stored file, always as a download named by the type its content was found to be (the
    sender's name is only the label shown beside it: evil.html that is a PDF downloads as .pdf)."""
    return download_response(
        data,
        content_type=attachment.content_type,
        filename=download_name(attachment.pk, attachment.content_type),
    )


def receipt_pdf_response(
    request: HttpRequest, complaint: Complaint, *, before_registration: bool = False
) -> HttpResponse:
    """The 접수증 as a PDF download (Conflict `complaint.not_registered` before registration,
    unless `before_registration` asks for the confirmation of sending the web pages offer)."""
    data = complaint_receipt_pdf(
        complaint,
        follow_url=request.build_absolute_uri(FOLLOW_PATH),
        before_registration=before_registration,
    )
    number = complaint.receipt_number or complaint.follow_number
    return download_response(data, content_type="application/pdf", filename=f"receipt-{number}.pdf")
