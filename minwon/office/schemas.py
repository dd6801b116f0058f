"""Parsing of the officer forms (Django forms as parsers; the rules live in the services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from minwon.complaints.domain import (
    ALLOWED_EXTENSION_REASONS,
    ANSWER_MAX_LENGTH,
    ANSWER_NOTE_MAX_LENGTH,
    CommitteeDecision,
    ConsentMethod,
    ExtensionReason,
    IntakeChannel,
    Outcome,
)
from minwon.complaints.labels import EXCLUSION_KIND_LABELS
from minwon.complaints.services import ApplicantInput, FileInput, FilingInput
from minwon.lawclock.exclusions import EXCLUSION_BASES, ExclusionKind
from minwon.lawclock.kinds import ComplaintKind
from minwon.web.files import MultipleFileField, files_help

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
        max_length=ANSWER_MAX_LENGTH,
        widget=forms.Textarea,
        error_messages={"required": _("Write the answer.")},
    )
    reason = forms.CharField(
        label=_("Reason (required when refusing, partly doing or not processing)"),
        max_length=ANSWER_NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea,
    )
    appeal_route = forms.CharField(
        label=_("How to appeal (required when refusing or partly doing)"),
        max_length=ANSWER_NOTE_MAX_LENGTH,
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
    late_reason = forms.CharField(
        label=_(
            "Why it could not be asked earlier (required more than 8 working hours after "
            "registration)"
        ),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
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
    consent_method = forms.ChoiceField(
        label=_("The complainant's consent (needed for a second extension)"),
        choices=[
            ("", _("No consent given")),
            (ConsentMethod.WRITTEN.value, _("In writing")),
            (ConsentMethod.PHONE.value, _("By phone")),
            (ConsentMethod.ELECTRONIC.value, _("Electronically")),
        ],
        required=False,
    )
    consent_at = forms.DateTimeField(
        label=_("When the complainant agreed"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={"invalid": _("Give the date and time the complainant agreed.")},
    )
    consent_note = forms.CharField(
        label=_("Who agreed and what was said (for consent by phone)"),
        max_length=1000,
        required=False,
    )


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"
    format = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    input_type = "date"
    format = "%Y-%m-%d"


DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
COMMITTEE_BASIS = "민원처리법 시행령 제26조, 제36조, 제38조의2"


class ExcludedTimeForm(forms.Form):
    """A period the legal clock does not count (영 제17조④⑤, 제20조); a 보완 is recorded by its
    own request, never here. Each kind names its legal basis."""

    kind = forms.ChoiceField(
        label=_("What the time was spent on"),
        choices=[
            (
                kind.value,
                format_lazy("{} ({})", EXCLUSION_KIND_LABELS[kind.value], EXCLUSION_BASES[kind]),
            )
            for kind in ExclusionKind
            if kind != ExclusionKind.SUPPLEMENT
        ],
    )
    start = forms.DateTimeField(
        label=_("Started"),
        widget=DateTimeLocalInput,
        input_formats=DATETIME_FORMATS,
        error_messages={
            "required": _("Give the date and time it started."),
            "invalid": _("Give the date and time it started."),
        },
    )
    end = forms.DateTimeField(
        label=_("Ended"),
        help_text=_("Leave it empty while it is still running: the clock stops until it ends."),
        required=False,
        widget=DateTimeLocalInput,
        input_formats=DATETIME_FORMATS,
        error_messages={"invalid": _("Give the date and time it ended.")},
    )
    note = forms.CharField(
        label=_("What was done (kept in the history)"), max_length=1000, required=False
    )


class ExcludedTimeEndForm(forms.Form):
    end = forms.DateTimeField(
        label=_("Ended"),
        widget=DateTimeLocalInput,
        input_formats=DATETIME_FORMATS,
        error_messages={
            "required": _("Give the date and time it ended."),
            "invalid": _("Give the date and time it ended."),
        },
    )
    note = forms.CharField(
        label=_("What was done (kept in the history)"), max_length=1000, required=False
    )


class HouseholdsForm(forms.Form):
    """법 제2조 제6호: the officer corrects how many 세대 the signers live in."""

    households = forms.IntegerField(
        label=_("Households the signers live in"),
        min_value=1,
        error_messages={
            "required": _("Give the number of households."),
            "invalid": _("Give the number of households."),
            "min_value": _("Give the number of households."),
        },
    )
    reason = forms.CharField(
        label=_("Why the count from the addresses is wrong"),
        max_length=1000,
        error_messages={"required": _("Give a reason.")},
    )


class CommitteeReviewForm(forms.Form):
    """민원조정위원회 심의 (영 제26조: a 다수인관련민원 is closed as repeated only after it;
    영 제36조, 제38조의2): when it met, what it decided and why."""

    held_on = forms.DateField(
        label=_("Day the committee met"),
        widget=DateInput,
        input_formats=["%Y-%m-%d"],
        error_messages={
            "required": _("Give the day the committee met."),
            "invalid": _("Give the day the committee met."),
        },
    )
    decision = forms.ChoiceField(
        label=_("The committee's decision"),
        widget=forms.RadioSelect,
        choices=[
            (CommitteeDecision.CLOSE.value, _("Close it as a repeated complaint")),
            (CommitteeDecision.CONTINUE.value, _("Handle it again")),
        ],
        error_messages={"required": _("Choose what the committee decided.")},
    )
    summary = forms.CharField(
        label=_("What the committee decided and why"),
        max_length=2000,
        widget=forms.Textarea,
        error_messages={"required": _("Write what the committee decided and why.")},
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


class RoutingDecisionForm(forms.Form):
    """The officer's answer to the department suggestion (routing): the unit that should handle
    the complaint; a unit other than the complaint's own passes it there (이송)."""

    unit = forms.ChoiceField(
        label=_("Department that should handle it"),
        help_text=_("The suggested departments come first, with their confidence."),
    )
    reason = forms.CharField(
        label=_("Reason for passing it on (optional)"),
        max_length=1000,
        required=False,
    )

    def __init__(
        self, *args: Any, unit_choices: list[tuple[str, str]], initial_unit: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ChoiceField)
        unit_field.choices = unit_choices
        if initial_unit:
            self.initial["unit"] = initial_unit


class LinkForm(forms.Form):
    other = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class MergeForm(forms.Form):
    """병합 접수 (영 제6조⑦): the near-duplicates to close into this complaint."""

    others = forms.MultipleChoiceField(
        label=_("Complaints to merge into this one"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose the complaints to merge.")},
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["others"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = choices


class RepeatCloseForm(forms.Form):
    """반복민원 종결 (법 제23조): the earlier filings it repeats and the officer's finding."""

    earlier = forms.MultipleChoiceField(
        label=_("Earlier complaints it repeats"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose the earlier complaints it repeats.")},
    )
    reason = forms.CharField(
        label=_("Why the content is the same (법 제23조③)"),
        help_text=_(
            "Its nature, how it resembles the earlier ones, and why the same answer would be given."
        ),
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"required": _("Give the reason.")},
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["earlier"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = choices
        self.initial.setdefault("earlier", [value for value, _label in choices])


class AssignForm(forms.Form):
    assignee = forms.ChoiceField(label=_("Officer"))

    def __init__(self, *args: Any, officer_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assignee_field = self.fields["assignee"]
        assert isinstance(assignee_field, forms.ChoiceField)
        assignee_field.choices = officer_choices


# How a complaint reached the counter (영 제5조·제6조): in writing at the counter, orally or by
# phone (기타민원 only, 법 제8조 단서), by post or by fax.
INTAKE_CHANNELS: list[tuple[str, Any]] = [
    (IntakeChannel.COUNTER.value, _("At the counter, in writing")),
    (IntakeChannel.ORAL.value, _("At the counter, orally (simple requests only)")),
    (IntakeChannel.PHONE.value, _("By phone (simple requests only)")),
    (IntakeChannel.POST.value, _("By post")),
    (IntakeChannel.FAX.value, _("By fax")),
]
INTAKE_KINDS: list[tuple[str, Any]] = [
    (ComplaintKind.OTHER.value, _("Simple request (기타민원)")),
    (ComplaintKind.GRIEVANCE.value, _("Problem or inconvenience (고충민원)")),
    (ComplaintKind.INQUIRY_PROCEDURE.value, _("Question about a procedure (질의민원)")),
    (ComplaintKind.INQUIRY_LAW.value, _("Question about a law (질의민원)")),
    (ComplaintKind.SUGGESTION.value, _("Suggestion (건의민원)")),
    (ComplaintKind.STATUTORY.value, _("Application from the catalogue (법정민원)")),
]


class IntakeForm(forms.Form):
    """A complaint an officer takes in for the complainant; registered at once (접수)."""

    channel = forms.ChoiceField(
        label=_("How did it reach us?"), choices=INTAKE_CHANNELS, widget=forms.RadioSelect
    )
    kind = forms.ChoiceField(label=_("Kind of complaint"), choices=INTAKE_KINDS)
    complaint_type = forms.ChoiceField(
        label=_("Application (for applications from the catalogue)"), required=False
    )
    arrived_at = forms.DateTimeField(
        label=_("Arrived (post and fax: when it reached the city; empty: now)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={"invalid": _("Give the date and time like 2026-03-09 14:30.")},
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Give the complaint a title.")},
    )
    body = forms.CharField(
        label=_("What the complainant asks"),
        max_length=8000,
        widget=forms.Textarea,
        error_messages={"required": _("Describe the complaint.")},
    )
    location_text = forms.CharField(label=_("Where? (optional)"), max_length=200, required=False)
    name = forms.CharField(label=_("Complainant's name"), max_length=100, required=False)
    address = forms.CharField(label=_("Complainant's address"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone (optional)"), max_length=20, required=False)
    email = forms.EmailField(
        label=_("E-mail (optional)"),
        required=False,
        error_messages={"invalid": _("Enter an e-mail address like name@example.kr.")},
    )
    org_unit = forms.ChoiceField(label=_("Department in charge (empty: your own)"), required=False)
    attachments = MultipleFileField(label=_("Scanned letter or documents (optional)"))

    def __init__(
        self,
        *args: Any,
        type_choices: list[tuple[str, str]],
        unit_choices: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        type_field = self.fields["complaint_type"]
        unit_field = self.fields["org_unit"]
        assert isinstance(type_field, forms.ChoiceField)
        assert isinstance(unit_field, forms.ChoiceField)
        type_field.choices = [("", _("Choose an application")), *type_choices]
        unit_field.choices = [("", _("My own department")), *unit_choices]
        self.fields["attachments"].help_text = files_help()

    def filing(self, *, files: list[FileInput]) -> FilingInput:
        data = self.cleaned_data
        kind = ComplaintKind(data["kind"])
        return FilingInput(
            kind=kind,
            title=data["title"],
            body=data["body"],
            channel=IntakeChannel(data["channel"]),
            complaint_type_code=data["complaint_type"] if kind == ComplaintKind.STATUTORY else "",
            applicant=ApplicantInput(
                name=data["name"], address=data["address"], phone=data["phone"], email=data["email"]
            ),
            arrived_at=data["arrived_at"],
            location_text=data["location_text"],
            attachments=files,
        )


class AuditFilterForm(forms.Form):
    """The audit log's filters (every field optional; dates in Korean time, both included)."""

    action = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=100,
        help_text=_("The start of the action's name, e.g. complaint. or user.login"),
    )
    actor = forms.CharField(label=_("Who"), required=False, max_length=200)
    target_type = forms.CharField(
        label=_("Object type"),
        required=False,
        max_length=100,
        help_text=_("e.g. complaints.complaint"),
    )
    target_id = forms.CharField(label=_("Object number"), required=False, max_length=64)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end date is before the start date."))
        return data


QUEUE_SORT_CHOICES: list[tuple[str, Any]] = [
    ("due", _("Soonest deadline first")),
    ("newest", _("Newest first")),
    ("oldest", _("Oldest first")),
]


class QueueFilterForm(forms.Form):
    """The work queue's filters and search (every field optional; a bad value is an error)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("A receipt or follow-up number, the complainant's full name, or words"),
    )
    status = forms.ChoiceField(label=_("State"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    complaint_type = forms.ChoiceField(label=_("Type"), required=False)
    channel = forms.ChoiceField(label=_("How it came in"), required=False)
    assignee = forms.ChoiceField(label=_("Officer in charge"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    sort = forms.ChoiceField(label=_("Order"), required=False, choices=QUEUE_SORT_CHOICES)

    def __init__(
        self,
        *args: Any,
        status_choices: list[tuple[str, Any]],
        kind_choices: list[tuple[str, Any]],
        type_choices: list[tuple[str, str]],
        channel_choices: list[tuple[str, Any]],
        assignee_choices: list[tuple[str, Any]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        every: list[tuple[str, Any]] = [("", _("All"))]
        fields = self.fields
        for name, choices in (
            ("status", status_choices),
            ("kind", kind_choices),
            ("complaint_type", type_choices),
            ("channel", channel_choices),
        ):
            field = fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = every + choices
        assignee = fields["assignee"]
        assert isinstance(assignee, forms.ChoiceField)
        assignee.choices = [
            ("", _("Anyone")),
            ("me", _("Me")),
            ("none", _("Nobody yet")),
            *assignee_choices,
        ]


EVALUATION_DIMENSION_CHOICES: list[tuple[str, Any]] = [
    ("org_unit", _("Org unit")),
    ("complaint_type", _("Complaint type")),
    ("channel", _("How it came in")),
    ("month", _("Month of the answer")),
]
EVALUATION_READING_FIELDS: dict[str, tuple[Any, list[tuple[str, Any]]]] = {
    "aggregate": (
        _("Reduction rate: how cases are combined"),
        [("sum", _("Ratio of sums (default)")), ("mean", _("Mean of each case's rate"))],
    ),
    "unit": (
        _("Reduction rate: durations in"),
        [("days", _("Working days, 법 제19조② (default)")), ("hours", _("Working hours"))],
    ),
    "legal": (
        _("Reduction rate: legal period"),
        [("catalogue", _("The catalogue's period (default)")), ("extended", _("With extensions"))],
    ),
    "negative": (
        _("Reduction rate: late cases"),
        [("keep", _("Count negative (default)")), ("zero", _("Count as 0"))],
    ),
    "excluded": (
        _("Reduction rate: excluded time"),
        [("subtract", _("Taken off the duration (default)")), ("count", _("Left in"))],
    ),
}


class EvaluationFilterForm(forms.Form):
    """The evaluation dashboard's period, grouping and reading (dates in Korean time, both
    included; every field has a default, a bad value is an error)."""

    since = forms.DateField(
        label=_("Answered from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Answered until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    by = forms.ChoiceField(
        label=_("Group by"), required=False, choices=EVALUATION_DIMENSION_CHOICES
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, (label, choices) in EVALUATION_READING_FIELDS.items():
            self.fields[name] = forms.ChoiceField(label=label, required=False, choices=choices)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end date is before the start date."))
        if since and until and (until - since).days > 3 * 366:
            self.add_error("until", _("Choose a period of at most three years."))
        return data


class EvaluationDrilldownForm(EvaluationFilterForm):
    """The complaints behind one figure: the dashboard's filters plus the group and the figure."""

    group = forms.CharField(required=False, max_length=100)
    figure = forms.ChoiceField(
        required=True,
        choices=[
            (f, f)
            for f in (
                "answered",
                "late",
                "reduction",
                "transferred",
                "extended",
                "supplemented",
                "rated",
                "flagged",
            )
        ],
    )
