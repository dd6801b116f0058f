"""Plain words for the lifecycle's codes (complaints.domain values), in the reader's language.

One table per vocabulary, used by every interface and notice (the portal's and the office's
template filters, the PDF documents, the notifications outbox), so a code is never shown raw and
never worded two ways.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

STATUS_LABELS: dict[str, Promise] = {
    "received": _("Arrived, waiting to be registered"),
    "registered": _("Registered"),
    "in_progress": _("Being handled"),
    "supplement_pending": _("Waiting for information from you"),
    "answered": _("Answered"),
    "objection_pending": _("Objection being decided"),
    "objection_decided": _("Objection decided"),
    "transferred": _("Sent to another agency"),
    "returned": _("Returned"),
    "withdrawn": _("Withdrawn"),
    "closed": _("Closed"),
}
# The same states in the officer's words (the office is not the complainant's "you").
OFFICE_STATUS_LABELS: dict[str, Promise] = {
    **STATUS_LABELS,
    "received": _("Waiting for registration"),
    "supplement_pending": _("Waiting for the complainant's information"),
}
KIND_LABELS: dict[str, Promise] = {
    "statutory": _("Application (permit, certificate, report)"),
    "inquiry_law": _("Question about a law"),
    "inquiry_procedure": _("Question about a procedure"),
    "suggestion": _("Suggestion"),
    "other": _("Simple request"),
    "grievance": _("Problem or inconvenience"),
    "tip": _("Anonymous tip"),
}
ACTION_LABELS: dict[str, Promise] = {
    "arrive": _("Arrived"),
    "register": _("Registered, receipt number given"),
    "assign": _("Officer in charge assigned"),
    "transfer_internal": _("Passed to another department"),
    "transfer_external": _("Sent to another agency"),
    "request_supplement": _("More information requested"),
    "receive_supplement": _("Information received"),
    "extend_supplement": _("More time to supplement given"),
    "return": _("Returned"),
    "extend": _("Processing period extended"),
    "record_progress_notice": _("Progress notice"),
    "answer": _("Answered"),
    "withdraw": _("Withdrawn"),
    "reopen": _("Reopened"),
    "file_objection": _("Objection filed"),
    "decide_objection": _("Objection decided"),
    "merge": _("Merged with similar complaints"),
    "close_repeated": _("Closed as repeated"),
    "committee_review": _("Deliberated by the complaint committee"),
    "correct_households": _("Number of households corrected"),
    "exclude_time": _("Time not counted recorded"),
    "end_excluded_time": _("Time not counted ended"),
    "rate": _("Answer rated"),
    "move_dates": _("Dates moved by a holiday change"),
    "claim": _("Attached to the complainant's account"),
}
SCORE_LABELS: dict[int, Promise] = {
    5: _("5 – very satisfied"),
    4: _("4 – satisfied"),
    3: _("3 – neither satisfied nor dissatisfied"),
    2: _("2 – dissatisfied"),
    1: _("1 – very dissatisfied"),
}
CHANNEL_LABELS: dict[str, Promise] = {
    "web": _("Website"),
    "counter": _("At the counter, in writing"),
    "oral": _("At the counter, orally"),
    "phone": _("By phone"),
    "post": _("By post"),
    "fax": _("By fax"),
    "api": _("Another system"),
    "epeople": _("National e-People portal"),
    "gov24": _("Government24"),
}
OUTCOME_LABELS: dict[str, Promise] = {
    "granted": _("Done as requested"),
    "partially_granted": _("Partly done"),
    "refused": _("Refused"),
    "informed": _("Explained"),
    "not_processed": _("Not processed"),
}
OBJECTION_OUTCOME_LABELS: dict[str, Promise] = {
    "upheld": _("Objection upheld: the decision is changed in your favour"),
    "dismissed": _("Objection dismissed: the original decision stands"),
    "rejected": _("Objection rejected without examination (not admissible)"),
}
EXTENSION_REASON_LABELS: dict[str, Promise] = {
    "cooperation": _("Other departments or agencies must help"),
    "fact_finding": _("The facts or the site must be checked"),
    "force_majeure": _("A natural disaster or other force majeure"),
    "equivalent": _("A comparable reason (described below)"),
}

# 영 제21조① 단서: how the complainant agreed to a second extension (domain.ConsentMethod)
CONSENT_METHOD_LABELS: dict[str, Promise] = {
    "written": _("in writing"),
    "phone": _("by phone"),
    "electronic": _("electronically"),
}

# lawclock.exclusions.ExclusionKind: time the law does not count (영 제17조④⑤, 제20조)
EXCLUSION_KIND_LABELS: dict[str, Promise] = {
    "supplement": _("Waiting for the supplement"),
    "document_transit": _("Sending documents to distant agencies"),
    "representative": _("Choosing representatives"),
    "hearing": _("Hearing or public hearing"),
    "testing": _("Tests, inspections or expert review"),
    "prior_matter": _("Waiting for a prior matter to be completed"),
    "site_investigation": _("Site investigation"),
    "system_outage": _("Information system outage"),
}

# domain.CommitteeDecision: what the 민원조정위원회 decided (영 제26조, 제38조의2)
COMMITTEE_DECISION_LABELS: dict[str, Promise] = {
    "close": _("close it as a repeated complaint"),
    "continue": _("handle it again"),
}


# the legal dates a holiday change may move (Action.MOVE_DATES, the deadline_moved notice)
MOVED_DATE_LABELS: dict[str, Promise] = {
    "due_at": _("Expected completion"),
    "supplement_due_on": _("Last day to supplement"),
    "objection_last_day": _("Last day to file an objection"),
}


def label(table: dict[str, Promise], value: str) -> str:
    """The word for `value` in the active language; an unknown code is shown as it is."""
    return str(table.get(value, value))


def period_words(value: str) -> str:
    """'7d' → '7 days', '8h' → '8 working hours', 'instant' → 'at once (3 working hours)'."""
    if value == "instant":
        return str(_("at once (within 3 working hours)"))
    if len(value) < 2 or not value[:-1].isdigit():
        return value
    amount, unit = int(value[:-1]), value[-1]
    labels = {
        "h": ngettext("%(n)d working hour", "%(n)d working hours", amount),
        "d": ngettext("%(n)d day", "%(n)d days", amount),
        "w": ngettext("%(n)d week", "%(n)d weeks", amount),
        "m": ngettext("%(n)d month", "%(n)d months", amount),
        "y": ngettext("%(n)d year", "%(n)d years", amount),
    }
    return labels[unit] % {"n": amount} if unit in labels else value
