"""Parsing of the officer forms (Django forms as parsers; the rules live in the services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from minwon.complaints.domain import ALLOWED_EXTENSION_REASONS, ExtensionReason, Outcome

OUTCOME_CHOICES: list[tuple[str, Any]] = [
    (Outcome.GRANTED.value, _("Done as requested")),
    (Outcome.PARTIALLY_GRANTED.value, _("Partly done")),
    (Outcome.INFORMED.value, _("Explained")),
    (Outcome.REFUSED.value, _("Refused")),
    (Outcome.NOT_PROCESSED.value, _("Not processed")),
]
EXTENSION_REASON_LABELS: dict[ExtensionReason, Any] = {
    ExtensionReason.COOPERATION: _("Other departments or agencies must help"),
    ExtensionReason.FACT_FINDING: _("The facts or the site must be checked"),
    ExtensionReason.FORCE_MAJEURE: _("A natural disaster or other force majeure"),
    ExtensionReason.EQUIVALENT: _("A comparable reason (describe it)"),
}


class AnswerForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=OUTCOME_CHOICES)
    answer = forms.CharField(
        label=_("Answer to the complainant"),
        max_length=8000,
        widget=forms.Textarea,
        error_messages={"required": _("Write the answer.")},
    )
    reason = forms.CharField(
        label=_("Reason (required when refusing, partly doing or not processing)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea,
    )
    appeal_route = forms.CharField(
        label=_("How to appeal (required when refusing or partly doing)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea,
    )


class SupplementForm(forms.Form):
    items = forms.CharField(
        label=_("What the complainant must send (one item a line)"),
        max_length=2000,
        widget=forms.Textarea,
        error_messages={"required": _("List what must be supplemented.")},
    )
    days = forms.IntegerField(
        label=_("Days to send it"),
        min_value=1,
        max_value=30,
        initial=7,
        error_messages={"required": _("Give the number of days.")},
    )

    def item_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["items"].splitlines() if line.strip()]


class ExtendForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Extend by (days)"),
        choices=[(f"{n}d", str(n)) for n in (3, 5, 7, 10, 14)],
    )
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[
            (r.value, EXTENSION_REASON_LABELS[r])
            for r in ExtensionReason
            if r in ALLOWED_EXTENSION_REASONS
        ],
    )
    reason_text = forms.CharField(
        label=_("Explain (sent to the complainant)"), max_length=1000, required=False
    )
    consent = forms.BooleanField(
        label=_("The complainant agreed to a second extension"), required=False
    )


class TransferForm(forms.Form):
    to_org_unit = forms.ChoiceField(label=_("Department"))
    reason = forms.CharField(
        label=_("Why it belongs there"),
        max_length=1000,
        error_messages={"required": _("Give a reason.")},
    )

    def __init__(self, *args: Any, unit_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["to_org_unit"]
        assert isinstance(unit_field, forms.ChoiceField)
        unit_field.choices = unit_choices
