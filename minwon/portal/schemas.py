"""Parsing of the citizen forms (Django forms as parsers; the rules live in the services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from minwon.complaints.domain import Channel, ComplaintKind
from minwon.complaints.services import ApplicantInput, FilingInput

# What a citizen chooses on the web, in plain words (the legal kind in brackets for officers).
WEB_KINDS: list[tuple[str, Any]] = [
    (
        ComplaintKind.GRIEVANCE.value,
        _("Something is wrong or causes trouble (a broken road, noise, an unfair decision)"),
    ),
    (ComplaintKind.INQUIRY_PROCEDURE.value, _("A question about a procedure or a city service")),
    (ComplaintKind.INQUIRY_LAW.value, _("A question about how a law or a rule applies")),
    (ComplaintKind.SUGGESTION.value, _("An idea to make the city better")),
    (
        ComplaintKind.STATUTORY.value,
        _("An application listed in the service catalogue (a permit, a certificate, a report)"),
    ),
]


class FilingForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What is it about?"),
        choices=WEB_KINDS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what your complaint is about.")},
    )
    complaint_type = forms.ChoiceField(
        label=_("Which application?"),
        required=False,
        help_text=_("Only for applications from the service catalogue."),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("A few words, for example: pothole in front of Geumchon station"),
        error_messages={"required": _("Give the complaint a title.")},
    )
    body = forms.CharField(
        label=_("What happened, and what would you like the city to do?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Describe the complaint.")},
    )
    location = forms.CharField(
        label=_("Where? (optional)"),
        max_length=200,
        required=False,
        help_text=_("An address or a landmark, for example: 50 Sicheong-ro, near the bus stop"),
    )
    name = forms.CharField(
        label=_("Your name"),
        max_length=100,
        error_messages={"required": _("Enter your name.")},
    )
    address = forms.CharField(
        label=_("Your address"),
        max_length=200,
        help_text=_("The law asks for the name and address of whoever files a complaint."),
        error_messages={"required": _("Enter your address.")},
    )
    phone = forms.CharField(
        label=_("Mobile phone (optional)"),
        max_length=20,
        required=False,
        help_text=_("We send a text message when your complaint is answered."),
    )
    email = forms.EmailField(
        label=_("E-mail (optional)"),
        required=False,
        error_messages={"invalid": _("Enter an e-mail address like name@example.kr.")},
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that Paju City uses the personal information above to handle this "
            "complaint and to send me the answer."
        ),
        error_messages={
            "required": _("Agree to the use of your personal information, or call us instead.")
        },
    )

    def __init__(self, *args: Any, type_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        type_field = self.fields["complaint_type"]
        assert isinstance(type_field, forms.ChoiceField)
        type_field.choices = [("", _("Choose an application")), *type_choices]

    def filing(self) -> FilingInput:
        data = self.cleaned_data
        body = data["body"].strip()
        if data["location"].strip():
            body = f"{_('Location')}: {data['location'].strip()}\n\n{body}"
        kind = ComplaintKind(data["kind"])
        return FilingInput(
            kind=kind,
            title=data["title"],
            body=body,
            channel=Channel.WEB,
            complaint_type_code=data["complaint_type"] if kind == ComplaintKind.STATUTORY else "",
            applicant=ApplicantInput(
                name=data["name"], address=data["address"], phone=data["phone"], email=data["email"]
            ),
        )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you withdrawing it? (optional)"), max_length=500, required=False
    )
