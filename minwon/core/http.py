"""HTTP pieces every interface shares (web pages and the JSON API alike)."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header


def download_response(data: bytes, *, content_type: str, filename: str) -> HttpResponse:
    """Bytes as a download that the browser never renders: `Content-Disposition: attachment`
    with the file name (RFC 6266; a name outside ASCII goes in `filename*=utf-8''…`, RFC 5987),
    `nosniff`, and not kept in any cache (the files name people)."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=filename) or "attachment"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
