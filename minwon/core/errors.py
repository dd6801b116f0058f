"""Application errors: a stable code for machines, a translated message for people.

Every service raises a subclass of ApplicationError for bad input or a forbidden operation; the
interfaces (web, JSON API, Open311, CLI) turn it into their own error format. The code never
changes once published; the message is translated at render time.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class ApplicationError(Exception):
    code: str = "error"
    default_message: str | Promise = _("The request could not be completed.")
    http_status: int = 400

    def __init__(
        self,
        message: str | Promise | None = None,
        *,
        code: str | None = None,
        field: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> None:
        self.message = message if message is not None else self.default_message
        if code is not None:
            self.code = code
        self.field = field
        self.params = params or {}
        super().__init__(str(self.message))

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": str(self.message)}
        if self.field:
            body["field"] = self.field
        if self.params:
            body["params"] = {k: str(v) for k, v in self.params.items()}
        return body


class ValidationFailed(ApplicationError):
    """Input does not satisfy a rule; `field` names the offending input."""

    code = "invalid"
    default_message = _("The input is not valid.")


class NotFound(ApplicationError):
    """Missing and forbidden look the same to the caller (no existence leak)."""

    code = "not_found"
    default_message = _("Not found.")
    http_status = 404


class PermissionDenied(ApplicationError):
    code = "forbidden"
    default_message = _("You are not allowed to do this.")
    http_status = 403


class Conflict(ApplicationError):
    """The operation is not allowed in the object's current state."""

    code = "conflict"
    default_message = _("This cannot be done in the current state.")
    http_status = 409


class BadRequest(ApplicationError):
    code = "bad_request"
    default_message = _("The request could not be understood.")


class ServerError(ApplicationError):
    """A bug on the server's side (rendered by config/handlers.py; never raised on purpose)."""

    code = "server_error"
    default_message = _(
        "Something went wrong on our side. It has been logged; please try again later."
    )
    http_status = 500


class ServiceUnavailable(ApplicationError):
    """The database (or another service a request needs) cannot be reached: come back later."""

    code = "unavailable"
    default_message = _(
        "The service cannot reach its database just now. Please try again in a moment."
    )
    http_status = 503


class Throttled(ApplicationError):
    """Too many failed tries: nothing was checked; try again after `retry_after` seconds (the
    JSON API sends it as Retry-After)."""

    code = "throttled"
    default_message = _("Too many failed attempts. Try again later.")
    http_status = 429

    def __init__(
        self, message: str | Promise | None = None, *, retry_after: int, **kw: Any
    ) -> None:
        super().__init__(message, **kw)
        self.retry_after = max(1, int(retry_after))
        self.params.setdefault("retry_after", self.retry_after)
