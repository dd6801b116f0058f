"""Parsing of the protection pages' forms (Django forms as parsers; the rules live in services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from minwon.protection.measures import MAX_DESCRIPTION_CHARS, MAX_EVIDENCE_FILES
from minwon.protection.models import CONTACT_CHANNEL_CHOICES, INCIDENT_KIND_CHOICES, MEASURE_CHOICES
from minwon.protection.services.incidents import MAX_EVIDENCE_BYTES, EvidenceInput

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
# What the file input accepts (the server checks the content again: the name proves nothing).
ACCEPTED_FILES = (
    ".jpg,.jpeg,.png,.pdf,.hwp,.hwpx,.docx,.xlsx,.pptx,image/jpeg,image/png,application/pdf"
)


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"
    format = "%Y-%m-%dT%H:%M"


class _MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several files from one input; the list may be empty."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", _MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        items = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if self.required and not items:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(EvidenceField, self).clean(item, initial) for item in items]


def evidence_inputs(files: list[UploadedFile]) -> list[EvidenceInput]:
    """Uploaded files as the services take them (one byte over the limit is enough to refuse)."""
    return [EvidenceInput(name=f.name or "", data=f.read(MAX_EVIDENCE_BYTES + 1)) for f in files]


def evidence_help() -> str:
    return str(
        _(
            "Photos (JPEG, PNG) or documents (PDF, HWP, DOCX, XLSX, PPTX) without macros: at "
            "most %(count)s files of %(size)s MB each. Photos lose their location data before "
            "they are stored. Call recordings stay in the recording system: write their "
            "reference in the description."
        )
        % {"count": MAX_EVIDENCE_FILES, "size": MAX_EVIDENCE_BYTES // (1024 * 1024)}
    )


def file_limits() -> dict[str, Any]:
    return {
        "accepted_files": ACCEPTED_FILES,
        "max_file_bytes": MAX_EVIDENCE_BYTES,
        "max_files": MAX_EVIDENCE_FILES,
    }


class IncidentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What happened"),
        choices=[("", _("Choose")), *INCIDENT_KIND_CHOICES],
        error_messages={"required": _("Choose what happened.")},
    )
    channel = forms.ChoiceField(
        label=_("How the complainant reached you"),
        choices=[("", _("Choose")), *CONTACT_CHANNEL_CHOICES],
        error_messages={"required": _("Choose how the complainant reached you.")},
    )
    occurred_at = forms.DateTimeField(
        label=_("When it happened"),
        widget=DateTimeLocalInput(),
        input_formats=DATETIME_FORMATS,
        error_messages={
            "required": _("Give the date and time it happened."),
            "invalid": _("Give the date and time it happened."),
        },
    )
    description = forms.CharField(
        label=_("What was said or done"),
        widget=forms.Textarea,
        max_length=MAX_DESCRIPTION_CHARS,
        help_text=_("In the complainant's own words where you can; this record is evidence."),
        error_messages={"required": _("Describe what was said or done.")},
    )
    complainant = forms.CharField(
        label=_("Complainant (optional)"),
        max_length=500,
        required=False,
        help_text=_("A name or description, only as far as you know it. Stored encrypted."),
    )
    complaint_reference = forms.CharField(
        label=_("Complaint number (optional)"), max_length=40, required=False
    )
    location = forms.CharField(label=_("Place (optional)"), max_length=200, required=False)


class NewIncidentForm(IncidentForm):
    evidence_files = EvidenceField(label=_("Evidence files (optional)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evidence_files"].help_text = evidence_help()


class CorrectionForm(IncidentForm):
    reason = forms.CharField(
        label=_("Why the record is corrected"),
        max_length=500,
        error_messages={"required": _("Say why the record is corrected.")},
    )


class MeasureForm(forms.Form):
    measure = forms.ChoiceField(
        label=_("Measure"),
        choices=[("", _("Choose")), *MEASURE_CHOICES],
        error_messages={"required": _("Choose the measure.")},
    )
    taken_at = forms.DateTimeField(
        label=_("When it was done"),
        widget=DateTimeLocalInput(),
        input_formats=DATETIME_FORMATS,
        error_messages={
            "required": _("Give the date and time the measure was taken."),
            "invalid": _("Give the date and time the measure was taken."),
        },
    )
    performed_by = forms.CharField(
        label=_("Done by (optional)"),
        max_length=200,
        required=False,
        help_text=_("A person, a team or a service such as the police; you, when left empty."),
    )
    detail = forms.CharField(label=_("What was done (optional)"), max_length=1000, required=False)


class WithdrawForm(forms.Form):
    detail = forms.CharField(
        label=_("Why this entry is withdrawn"),
        max_length=1000,
        error_messages={"required": _("Say why the entry is withdrawn.")},
    )


class EvidenceForm(forms.Form):
    evidence_files = EvidenceField(label=_("Evidence files"), required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evidence_files"].help_text = evidence_help()
        self.fields["evidence_files"].error_messages["required"] = _("Choose at least one file.")
