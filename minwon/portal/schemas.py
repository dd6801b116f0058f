"""Parsing of the citizen forms (Django forms as parsers; the rules live in the services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from minwon.complaints.domain import SATISFACTION_SCORES, IntakeChannel
from minwon.complaints.labels import SCORE_LABELS
from minwon.complaints.services import (
    ApplicantInput,
    FileInput,
    FilingInput,
    status_password_problems,
)
from minwon.complaints.services.intake import MIN_PASSWORD_LENGTH
from minwon.lawclock.kinds import ComplaintKind
from minwon.web.files import MultipleFileField, files_help

# What a citizen chooses on the web, in plain words (the legal kind in brackets for officers).
WEB_KINDS: list[tuple[str, Any]] = [
    # 기타민원 (영 제2조 제4호 … 일상생활에서 발생하는 불편사항): what most web reports are.
    (
        ComplaintKind.OTHER.value,
        _("Something in daily life needs fixing (a broken road, a streetlight, illegal parking)"),
    ),
    # 고충민원 (법 제2조 제5호): a decision or the way the city works wrongs the citizen.
    (
        ComplaintKind.GRIEVANCE.value,
        _("A decision or the way the city works is unfair to you (a refusal, nothing done)"),
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
    location_text = forms.CharField(
        label=_("Where? (optional)"),
        max_length=200,
        required=False,
        help_text=_(
            "A road-name address or a landmark, for example: 50 Sicheong-ro, near the bus stop"
        ),
    )
    location_lat = forms.FloatField(
        required=False, min_value=-90, max_value=90, widget=forms.HiddenInput
    )
    location_lng = forms.FloatField(
        required=False, min_value=-180, max_value=180, widget=forms.HiddenInput
    )
    attachments = MultipleFileField(label=_("Photos or documents (optional)"))
    upload_token = forms.CharField(required=False, max_length=32, widget=forms.HiddenInput)
    remove_uploads = forms.BooleanField(label=_("Remove the files attached so far"), required=False)
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

    def __init__(
        self,
        *args: Any,
        type_choices: list[tuple[str, str]],
        without_account: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.without_account = without_account
        type_field = self.fields["complaint_type"]
        assert isinstance(type_field, forms.ChoiceField)
        type_field.choices = [("", _("Choose an application")), *type_choices]
        self.fields["attachments"].help_text = files_help()
        if without_account:
            self.fields["phone"].help_text = _(
                "Give a mobile phone number or an e-mail address: we send the receipt number "
                "there, and you follow the complaint with it."
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.without_account and not data.get("phone") and not data.get("email"):
            self.add_error("phone", _("Give a mobile phone number or an e-mail address."))
        if (data.get("location_lat") is None) != (data.get("location_lng") is None):
            data["location_lat"] = data["location_lng"] = None  # half a pin is no pin
        return data

    def filing(self, *, files: list[FileInput], status_password: str = "") -> FilingInput:
        data = self.cleaned_data
        kind = ComplaintKind(data["kind"])
        return FilingInput(
            kind=kind,
            title=data["title"],
            body=data["body"],
            channel=IntakeChannel.WEB,
            complaint_type_code=data["complaint_type"] if kind == ComplaintKind.STATUTORY else "",
            applicant=ApplicantInput(
                name=data["name"], address=data["address"], phone=data["phone"], email=data["email"]
            ),
            location_text=data["location_text"],
            location_lat=data["location_lat"],
            location_lng=data["location_lng"],
            attachments=files,
            status_password=status_password,
        )


class FollowPasswordForm(forms.Form):
    """Chosen on the check page when filing without an account (never carried between pages)."""

    status_password = forms.CharField(
        label=_("Choose a password"),
        min_length=MIN_PASSWORD_LENGTH,
        max_length=128,
        strip=False,
        widget=forms.PasswordInput,
        help_text=_(
            "At least 8 characters, not a common password such as 12345678. With the follow-up "
            "number it lets you follow this complaint."
        ),
        error_messages={
            "required": _("Choose a password of at least 8 characters."),
            "min_length": _("Choose a password of at least 8 characters."),
        },
    )
    status_password_again = forms.CharField(
        label=_("The password again"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput,
        error_messages={"required": _("Type the password again.")},
    )

    def clean_status_password(self) -> str:
        password: str = self.cleaned_data["status_password"]
        if problems := status_password_problems(password):
            raise forms.ValidationError(problems)
        return password

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, again = data.get("status_password"), data.get("status_password_again")
        if first and again is not None and first != again:
            self.add_error("status_password_again", _("The two passwords are not the same."))
        return data


class FollowForm(forms.Form):
    follow_number = forms.CharField(
        label=_("Follow-up number"),
        max_length=40,
        help_text=_(
            "The follow-up number shown when you sent the complaint and printed on your 접수증 "
            "(for example K7QF-3MXA-9RTB). Hyphens and spaces do not matter. The receipt number "
            "is public and cannot open a complaint."
        ),
        error_messages={"required": _("Enter the follow-up number.")},
    )
    password = forms.CharField(
        label=_("Password"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput,
        help_text=_("The password you chose when you filed the complaint."),
        error_messages={"required": _("Enter the password.")},
    )

    def __init__(self, *args: Any, signed_in: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if signed_in:  # a citizen's own complaint opens by its number; others still need it
            self.fields["password"].required = False
            self.fields["password"].help_text = _(
                "Needed only for a complaint filed without an account; your own complaints open "
                "with their number."
            )


class SupplementForm(forms.Form):
    text = forms.CharField(
        label=_("What you are sending"),
        max_length=4000,
        required=False,
        widget=forms.Textarea,
        help_text=_("Answer the questions, or say which files you attach."),
    )
    attachments = MultipleFileField(label=_("Files (optional)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = files_help()


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How satisfied are you with the answer?"),
        choices=[(str(n), SCORE_LABELS[n]) for n in reversed(SATISFACTION_SCORES)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a rating from 1 to 5.")},
    )
    comment = forms.CharField(
        label=_("Anything you would like to tell us? (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea,
    )


class WithdrawForm(forms.Form):
    """Withdrawal cannot be undone (the complaint ends; filing again starts a new one), so the
    citizen confirms it on the form itself: a required box, checked on the server."""

    reason = forms.CharField(
        label=_("Why are you withdrawing it? (optional)"), max_length=500, required=False
    )
    confirm = forms.BooleanField(
        label=_("I understand that a withdrawn complaint cannot be reopened."),
        error_messages={
            "required": _("Tick the box to confirm the withdrawal. Nothing has been withdrawn yet.")
        },
    )


# --- accounts: sign-up, password reset ---------------------------------------------------------

_ADDRESS_HELP = _(
    "We send a six-digit code there. A mobile number gets it as a KakaoTalk notice or a text "
    "message."
)


class AddressForm(forms.Form):
    address = forms.CharField(
        label=_("E-mail address or mobile number"),
        max_length=254,
        help_text=_ADDRESS_HELP,
        error_messages={"required": _("Enter an e-mail address or a mobile number.")},
    )


class _NewPasswordFields(forms.Form):
    password = forms.CharField(
        label=_("Password"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput,
        help_text=_(
            "At least 10 characters; not only digits, not a common password and not like your "
            "name or address."
        ),
        error_messages={"required": _("Choose a password.")},
    )
    password_again = forms.CharField(
        label=_("Password again"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput,
        error_messages={"required": _("Enter the password again.")},
    )


_CODE_FIELD_ARGS: dict[str, Any] = {
    "label": _("Code"),
    "max_length": 12,
    "help_text": _("The six digits we sent you. It is good for 10 minutes."),
    "error_messages": {"required": _("Enter the code we sent you.")},
}


class SignupCodeForm(_NewPasswordFields):
    field_order = ["code", "name", "password", "password_again"]
    code = forms.CharField(**_CODE_FIELD_ARGS)
    name = forms.CharField(
        label=_("Your name"),
        max_length=100,
        error_messages={"required": _("Enter your name.")},
    )


class ResetCodeForm(_NewPasswordFields):
    field_order = ["code", "password", "password_again"]
    code = forms.CharField(**_CODE_FIELD_ARGS)
