"""Form errors on the web pages: the summary at the top and a service's refusal at its field."""

from __future__ import annotations

from collections.abc import Mapping

from django.forms import Form

from minwon.core.errors import ApplicationError

Errors = list[tuple[str | None, str]]  # (the field's HTML id without "id_", or None; message)


def form_errors(*forms_: Form | None) -> dict[str, object]:
    """The error list for the summary (in field order) and the title flag."""
    errors: Errors = []
    for form in forms_:
        if form is None:
            continue
        prefix = f"{form.prefix}-" if form.prefix else ""
        errors += [
            (None if name == "__all__" else f"{prefix}{name}", str(messages_[0]))
            for name, messages_ in form.errors.items()
        ]
    return {"errors": errors, "has_errors": bool(errors)}


def service_error(
    form: Form,
    exc: ApplicationError,
    *,
    file_field: str = "attachments",
    field_by_code: Mapping[str, str] | None = None,
) -> None:
    """A service's refusal lands next to the field it is about: a file error on the file input,
    an error that names no field on the field `field_by_code` gives for its code, else on top."""
    field = file_field if exc.field == "file" else exc.field
    field = field or (field_by_code or {}).get(exc.code)
    form.add_error(field if field in form.fields else None, str(exc.message))
