"""Parsing of the identity pages' forms (Django forms as parsers; the rules live in services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from minwon.identity import configuration
from minwon.identity.models import DOCUMENT_CHOICES, METHOD_CHOICES


def purpose_choices() -> list[tuple[str, str]]:
    language = get_language() or "ko"
    return [(p.code, p.label(language)) for p in configuration.purposes().values()]


class _PurposeForm(forms.Form):
    purpose = forms.ChoiceField(
        label=_("What is the check for?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what the check is for.")},
    )
    reference = forms.CharField(
        label=_("Ticket or complaint number (optional)"),
        max_length=40,
        required=False,
        help_text=_("Written in the record so the check can be found later."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["purpose"].choices = purpose_choices()  # type: ignore[attr-defined]


class StartForm(_PurposeForm):
    """Show a request QR code on the tablet (OpenID4VP, or the government mobile ID)."""

    channel = forms.ChoiceField(
        choices=[("oid4vp", "oid4vp"), ("mip", "mip")],
        error_messages={"required": _("Choose how the ID is shown.")},
    )


class ScanForm(_PurposeForm):
    """The citizen's app shows a QR code; the USB scanner types it into `m120`."""

    m120 = forms.CharField(
        label=_("Scanned code"),
        max_length=4000,
        help_text=_("Put the cursor here and scan the QR code the citizen's app shows."),
        error_messages={"required": _("Scan the QR code the citizen's app shows.")},
    )


class ManualCheckForm(_PurposeForm):
    method = forms.ChoiceField(
        label=_("How was it checked?"),
        choices=METHOD_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the ID was checked.")},
    )
    document = forms.ChoiceField(
        label=_("Which document was checked?"),
        choices=DOCUMENT_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose which document was checked.")},
    )
    outcome = forms.ChoiceField(
        label=_("Result"),
        choices=[
            ("passed", _("The ID is genuine and belongs to the person")),
            ("failed", _("The ID could not be confirmed")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the result of the check.")},
    )
    reason = forms.CharField(
        label=_("Why a manual check (optional)"),
        max_length=300,
        required=False,
        help_text=_("For example: the wallet app could not reach the network."),
    )
