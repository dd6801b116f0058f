from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _

from minwon.core import clock
from minwon.core.context import RequestOrigin, reset_origin, set_origin
from minwon.core.domain import address_in, client_address, parse_networks
from minwon.core.models import IdempotencyRecord
from minwon.core.services import audit_record

_FORWARDING_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST")


class TrustedProxyMiddleware:
    """Behind a reverse proxy, REMOTE_ADDR becomes the client's address (TRUSTED_PROXIES).

    Every throttle and every log reads REMOTE_ADDR, so they all see the client, not the proxy.
    A request that did not come through a trusted proxy has its forwarding headers removed: a
    client cannot claim another address or claim HTTPS.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.trusted = parse_networks(getattr(settings, "TRUSTED_PROXIES", []))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        meta = request.META
        peer = meta.get("REMOTE_ADDR")
        if peer is not None and address_in(peer, self.trusted):
            meta["REMOTE_ADDR"] = client_address(
                peer, meta.get("HTTP_X_FORWARDED_FOR", ""), self.trusted
            )
        else:
            for header in _FORWARDING_HEADERS:
                meta.pop(header, None)
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Content-Security-Policy on every response; `Cache-Control: no-store` on every dynamic
    response that does not set its own caching (office pages, personal-data API answers, the
    follow-up pages), so no shared or browser cache keeps personal data."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = str(getattr(settings, "CONTENT_SECURITY_POLICY", ""))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        if "Cache-Control" not in response:
            response["Cache-Control"] = "no-store"
        return response


IDLE_TOUCH_SECONDS = 60  # the last-activity mark is rewritten at most once a minute


class IdleSessionMiddleware:
    """Signs a session out after SESSION_IDLE_TIMEOUT_SECONDS without a request (기준 제6조)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            timeout = int(getattr(settings, "SESSION_IDLE_TIMEOUT_SECONDS", 0))
            now = int(clock.now().timestamp())
            last = request.session.get("_last_activity")
            if timeout and isinstance(last, int) and now - last > timeout:
                audit_record(
                    actor=user,
                    action="user.logged_out_idle",
                    target=user,
                    data={"idle_seconds": now - last},
                )
                logout(request)
            elif not isinstance(last, int) or now - last >= IDLE_TOUCH_SECONDS:
                request.session["_last_activity"] = now
        return self.get_response(request)


class RequestContextMiddleware:
    """Records the client address and channel of each request for the audit log."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path
        channel = (
            "api"
            if path.startswith("/api/")
            else "open311"
            if path.startswith("/open311/")
            else "web"
        )
        origin = RequestOrigin(
            ip=request.META.get("REMOTE_ADDR"),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
            channel=channel,
        )
        token = set_origin(origin)
        try:
            return self.get_response(request)
        finally:
            reset_origin(token)


IDEMPOTENT_PREFIXES = ("/api/",)
MAX_IDEMPOTENCY_KEY = 200


def _principal(request: HttpRequest) -> str:
    for header in ("HTTP_AUTHORIZATION", "HTTP_X_API_KEY"):
        value = request.META.get(header)
        if value:
            return "key:" + hashlib.sha256(value.encode("utf-8")).hexdigest()[:40]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return "anon:" + (request.META.get("REMOTE_ADDR") or "")


class IdempotencyMiddleware:
    """POST with an Idempotency-Key header under /api/: a retry gets the first answer again.

    The request runs inside one transaction together with the row that stores its answer. Two
    concurrent requests with the same key meet at the unique index: the second waits for the
    first, then replays its answer. A reused key with a different body gets 422. Server errors
    (5xx) are rolled back and not stored, so the client may retry them.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.META.get("HTTP_IDEMPOTENCY_KEY", "").strip()
        if request.method != "POST" or not key or not request.path.startswith(IDEMPOTENT_PREFIXES):
            return self.get_response(request)
        if len(key) > MAX_IDEMPOTENCY_KEY:
            return _error(
                400,
                "idempotency.key_too_long",
                _("The Idempotency-Key header is longer than 200 characters."),
            )
        principal = _principal(request)
        digest = hashlib.sha256(
            request.method.encode() + b" " + request.path.encode() + b"\n" + request.body
        ).hexdigest()
        with transaction.atomic():
            try:
                record = _claim(principal, key, request, digest)
            except IntegrityError:
                existing = IdempotencyRecord.objects.get(principal=principal, key=key)
                if not _expired(existing):
                    return _replay(existing, digest)
                # Past its retention the record no longer answers (the purge job would have
                # deleted it): the key is free again and this request is done afresh.
                existing.delete()
                record = _claim(principal, key, request, digest)
            response = self.get_response(request)
            if response.status_code >= 500 or getattr(response, "streaming", False):
                transaction.set_rollback(True)
                return response
            record.status_code = response.status_code
            record.content_type = response.get("Content-Type", "")
            record.response_body = _without_secrets(request, response.content)
            record.save(update_fields=["status_code", "content_type", "response_body"])
            return response


def _claim(principal: str, key: str, request: HttpRequest, digest: str) -> IdempotencyRecord:
    with transaction.atomic():
        return IdempotencyRecord.objects.create(
            principal=principal,
            key=key,
            method=request.method or "POST",
            path=request.path[:300],
            request_hash=digest,
            created_at=clock.now(),
        )


def _expired(record: IdempotencyRecord) -> bool:
    age = clock.now() - record.created_at
    return age.total_seconds() > float(settings.IDEMPOTENCY_RETENTION_HOURS) * 3600


SECRET_FIELDS_ATTR = "idempotency_secret_fields"


def idempotency_secret_fields(request: HttpRequest, *fields: str) -> None:
    """For a view that answers with a secret shown only once (a new API key or personal token):
    these fields are left out of the stored replay, so a retry gets the record's metadata without
    the secret, and no raw secret rests in the table."""
    setattr(request, SECRET_FIELDS_ATTR, fields)


def _without_secrets(request: HttpRequest, body: bytes) -> bytes:
    fields = getattr(request, SECRET_FIELDS_ATTR, ())
    if not fields:
        return body
    try:
        data = json.loads(body)
    except ValueError:
        return b""
    if isinstance(data, dict):
        for field in fields:
            data.pop(field, None)
        return json.dumps(data).encode("utf-8")
    return b""


def _replay(record: IdempotencyRecord, digest: str) -> HttpResponse:
    if record.request_hash != digest:
        return _error(
            422,
            "idempotency.key_reused",
            _("This Idempotency-Key was used for a different request."),
        )
    if record.status_code is None:  # pragma: no cover - only visible inside a failed transaction
        return _error(
            409,
            "idempotency.in_progress",
            _("A request with this Idempotency-Key is still being processed."),
        )
    response = HttpResponse(
        bytes(record.response_body),
        status=record.status_code,
        content_type=record.content_type or None,
    )
    response["Idempotent-Replayed"] = "true"
    return response


def _error(status: int, code: str, message: object) -> HttpResponse:
    return JsonResponse({"code": code, "message": str(message)}, status=status)
