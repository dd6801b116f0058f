"""Files of a complaint, for citizens (their own) and officers (their units'): add, list, get."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File
from ninja.files import UploadedFile
from ninja.responses import Status

from minwon.accounts.models import User
from minwon.complaints.access import access_complaint_for_citizen, access_complaint_for_officer
from minwon.complaints.api.routers import citizen_router, officer_router, person
from minwon.complaints.downloads import attachment_response
from minwon.complaints.models import Attachment, Complaint
from minwon.complaints.schemas import AttachmentOut
from minwon.complaints.selectors import attachment_list
from minwon.complaints.services.attachments import (
    MAX_ATTACHMENT_BYTES,
    attachment_read,
    complaint_attachment_add,
)
from minwon.core.services import audit_record


def _upload(complaint: Complaint, actor: User, file: UploadedFile) -> Attachment:
    data = file.read(MAX_ATTACHMENT_BYTES + 1)
    return complaint_attachment_add(
        complaint=complaint, actor=actor, name=file.name or "", data=data
    )


def _download(complaint: Complaint, attachment_id: int) -> HttpResponse:
    attachment, data = attachment_read(complaint=complaint, attachment_id=attachment_id)
    return attachment_response(attachment, data)


@citizen_router.post(
    "/complaints/{complaint_id}/attachments",
    response={201: AttachmentOut},
    operation_id="minwon_complaints_api_attachment_add_mine_api",
)
def attachment_add_mine_api(
    request: HttpRequest, complaint_id: int, file: File[UploadedFile]
) -> Status[Attachment]:
    """Add a file (JPEG, PNG, PDF, HWP/HWPX; at most 10 MB; photos lose their EXIF/GPS data)."""
    complaint = access_complaint_for_citizen(person(request), complaint_id)
    return Status(201, _upload(complaint, person(request), file))


@citizen_router.get(
    "/complaints/{complaint_id}/attachments",
    response=list[AttachmentOut],
    operation_id="minwon_complaints_api_attachment_list_mine_api",
)
def attachment_list_mine_api(request: HttpRequest, complaint_id: int) -> Any:
    return attachment_list(access_complaint_for_citizen(person(request), complaint_id))


@citizen_router.get(
    "/complaints/{complaint_id}/attachments/{attachment_id}",
    operation_id="minwon_complaints_api_attachment_get_mine_api",
)
def attachment_get_mine_api(
    request: HttpRequest, complaint_id: int, attachment_id: int
) -> HttpResponse:
    complaint = access_complaint_for_citizen(person(request), complaint_id)
    return _download(complaint, attachment_id)


@officer_router.post(
    "/complaints/{complaint_id}/attachments",
    response={201: AttachmentOut},
    operation_id="minwon_complaints_api_attachment_add_api",
)
def attachment_add_api(
    request: HttpRequest, complaint_id: int, file: File[UploadedFile]
) -> Status[Attachment]:
    complaint = access_complaint_for_officer(person(request), complaint_id)
    return Status(201, _upload(complaint, person(request), file))


@officer_router.get(
    "/complaints/{complaint_id}/attachments",
    response=list[AttachmentOut],
    operation_id="minwon_complaints_api_attachment_list_api",
)
def attachment_list_api(request: HttpRequest, complaint_id: int) -> Any:
    return attachment_list(access_complaint_for_officer(person(request), complaint_id))


@officer_router.get(
    "/complaints/{complaint_id}/attachments/{attachment_id}",
    operation_id="minwon_complaints_api_attachment_get_api",
)
def attachment_get_api(request: HttpRequest, complaint_id: int, attachment_id: int) -> HttpResponse:
    """One file of the complaint; an officer's download is logged (개인정보 접속기록)."""
    officer = person(request)
    complaint = access_complaint_for_officer(officer, complaint_id)
    response = _download(complaint, attachment_id)
    audit_record(
        actor=officer,
        action="complaint.attachment_viewed",
        target=complaint,
        org_unit_id=complaint.org_unit_id,
        data={"attachment": attachment_id},
    )
    return response
