"""Form errors on the web pages: the summary at the top and a service's refusal at its field."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import NON_FIELD_ERRORS
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


def summary_errors(form: Form) -> Errors:
    """Every error of a prefixed form for the summary, each linked to its field's id (without
    "id_"). An error of the whole form links to the form's first visible field: there is no
    element `id_<prefix>-__all__` to go to."""
    first = next((name for name, f in form.fields.items() if not f.widget.is_hidden), None)
    errors: Errors = []
    for name, messages_ in form.errors.items():
        target = first if name == NON_FIELD_ERRORS else name
        errors.append((form.add_prefix(target) if target else None, str(messages_[0])))
    return errors


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
