"""Officer web interface (/office/): thin views (parse, check access, call a service, render).

Every view is wrapped in `officer_required` (password and second factor); a complaint is reached
only through `access_complaint_for_officer`, which answers "not found" for other units' cases.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from minwon.accounts.access import officer_required
from minwon.accounts.domain import Role
from minwon.accounts.models import User
from minwon.accounts.selectors import org_unit_list, org_units_visible_to, user_has_role
from minwon.complaints.access import access_complaint_for_officer
from minwon.complaints.domain import (
    Action,
    ClockKind,
    CommitteeDecision,
    ComplaintStatus,
    Outcome,
    TransferKind,
    allowed_actions,
)
from minwon.complaints.labels import CHANNEL_LABELS, KIND_LABELS, OFFICE_STATUS_LABELS
from minwon.complaints.models import Complaint
from minwon.complaints.selectors import (
    applicant_masked,
    attachment_list,
    complaint_event_list,
    excluded_time_list,
    satisfaction_list,
)
from minwon.complaints.services import (
    ConsentInput,
    complaint_answer,
    complaint_answer_problems,
    complaint_assign,
    complaint_close_repeated,
    complaint_committee_review,
    complaint_excluded_time_end,
    complaint_excluded_time_record,
    complaint_extend,
    complaint_file,
    complaint_households_correct,
    complaint_merge,
    complaint_register,
    complaint_routing_decide,
    complaint_supplement_request,
    complaint_transfer,
)
from minwon.core import clock
from minwon.core.domain import choose_particles, csv_safe
from minwon.core.errors import ApplicationError, NotFound, ValidationFailed
from minwon.core.pagination import paginate
from minwon.core.selectors import audit_event_search
from minwon.core.services import audit_record
from minwon.office.domain import Scope, default_scope
from minwon.office.schemas import (
    COMMITTEE_BASIS,
    AnswerForm,
    AssignForm,
    AuditFilterForm,
    CommitteeReviewForm,
    ExcludedTimeEndForm,
    ExcludedTimeForm,
    ExtendForm,
    HouseholdsForm,
    IntakeForm,
    LinkForm,
    MergeForm,
    QueueFilterForm,
    RepeatCloseForm,
    RoutingDecisionForm,
    SupplementForm,
    TransferForm,
)
from minwon.office.screening import complaint_screened, queue_rows_screened
from minwon.office.selectors import (
    QUEUE_STATES,
    QueueFilters,
    QueueRow,
    Related,
    RepeatSuggestion,
    assignable_officers,
    deadline_watch,
    queue_assignees,
    queue_counts,
    related_complaints,
    repeat_suggestion,
    routing_metrics,
    work_queue,
)
from minwon.protection.services.screening import screening_reveal
from minwon.routing.selectors import CaseView, case_view
from minwon.routing.services import duplicate_link
from minwon.web.choices import catalogue_type_choices, filing_type_choices
from minwon.web.downloads import attachment_download, receipt_download
from minwon.web.files import file_inputs, file_limits
from minwon.web.forms import form_errors, service_error, summary_errors


def _officer(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _complaint(request: HttpRequest, complaint_id: int) -> Complaint:
    try:
        return access_complaint_for_officer(_officer(request), complaint_id)
    except NotFound as exc:
        raise Http404 from exc


def _unit_choices(language: str) -> list[tuple[str, str]]:
    return [
        (unit.code, unit.display_name(language))
        for unit in org_unit_list()
        if unit.kind in {"division", "team", "eup", "myeon", "dong"}
    ]


def _queue_form(request: HttpRequest, officer: User) -> QueueFilterForm:
    language = request.LANGUAGE_CODE
    return QueueFilterForm(
        request.GET,
        status_choices=[(state.value, OFFICE_STATUS_LABELS[state.value]) for state in QUEUE_STATES],
        kind_choices=list(KIND_LABELS.items()),
        type_choices=catalogue_type_choices(language=language),
        channel_choices=list(CHANNEL_LABELS.items()),
        assignee_choices=[(str(user.pk), str(user)) for user in queue_assignees(officer)],
    )


@officer_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The work queue: counts per state, then one view (waiting for registration, mine, or all of
    my units; the default is the first that has work for this officer), filters, search, order
    and pages."""
    officer = _officer(request)
    now = clock.now()
    counts = queue_counts(officer=officer, now=now)
    chosen = request.GET.get("scope", "")
    scope = (
        Scope(chosen)
        if chosen in set(Scope)
        else default_scope(
            counter_officer=user_has_role(officer, Role.COUNTER_OFFICER),
            waiting=counts.waiting,
            mine=counts.mine,
            total=counts.total,
        )
    )
    form = _queue_form(request, officer)
    rows: list[QueueRow] = []
    next_cursor = None
    filtered = False
    if form.is_valid():
        data = form.cleaned_data
        filters = QueueFilters(
            scope=scope,
            status=data["status"],
            kind=data["kind"],
            complaint_type=data["complaint_type"],
            channel=data["channel"],
            assignee=data["assignee"],
            overdue=data["overdue"],
            query=data["q"],
            sort=data["sort"] or "due",
        )
        filtered = any(data[name] for name in form.fields if name != "sort")
        try:
            rows, next_cursor = work_queue(
                officer=officer, filters=filters, now=now, cursor=request.GET.get("cursor") or None
            )
        except ApplicationError as exc:
            form.add_error(None, str(exc.message))
        if filters.query.strip():
            # A search may match the complainant's name: recorded, without the words searched.
            audit_record(actor=officer, action="complaint.queue_searched")
    query = request.GET.copy()
    query.pop("cursor", None)
    query["scope"] = scope.value
    return render(
        request,
        "office/home.html",
        {
            "rows": queue_rows_screened(rows),
            "scope": scope.value,
            "counts": counts,
            "states": [(state.value, counts.by_status[state.value]) for state in QUEUE_STATES],
            "form": form,
            "filtered": filtered,
            "next_cursor": next_cursor,
            "query": query.urlencode(),
            "paged": bool(request.GET.get("cursor")),
        },
        status=200 if form.is_valid() else 400,
    )


AUDIT_PAGE_SIZE = 50


def _audit_rows(data: dict[str, Any]) -> Any:
    since, until = data.get("since"), data.get("until")
    return audit_event_search(
        action=data.get("action", ""),
        actor=data.get("actor", ""),
        target_type=data.get("target_type", ""),
        target_id=data.get("target_id", ""),
        since=clock.start_of_day(since) if since else None,
        until=clock.start_of_day(until + timedelta(days=1)) if until else None,
    )


def _auditor(request: HttpRequest) -> User:
    officer = _officer(request)
    if not user_has_role(officer, Role.ADMINISTRATOR, Role.AUDITOR):
        raise Http404
    return officer


AUDIT_EXPORT_COLUMNS = [
    "occurred_at",
    "actor_id",
    "actor",
    "action",
    "target_type",
    "target_id",
    "org_unit_id",
    "channel",
    "ip",
    "user_agent",
    "details",
]


@officer_required
@require_GET
def audit_export(request: HttpRequest) -> HttpResponseBase:
    """The audit rows the filters select, as CSV (UTF-8 with BOM, for Excel), oldest first: the
    export an audit of the 개인정보 접속기록 asks for (기준 제8조). Exporting is itself recorded;
    a cell that a spreadsheet would run as a formula is quoted (core.domain.csv_safe)."""
    officer = _auditor(request)
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return HttpResponseRedirect(reverse("office:audit") + "?" + request.GET.urlencode())
    data = form.cleaned_data if form.is_bound else {}
    filters = {k: str(v) for k, v in data.items() if v not in ("", None)}
    rows = _audit_rows(data).order_by("occurred_at", "id")
    audit_record(actor=officer, action="audit.exported", data=filters)

    def lines() -> Any:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        buffer.write("\ufeff")
        writer.writerow(AUDIT_EXPORT_COLUMNS)
        for row in rows.iterator(chunk_size=2000):
            writer.writerow(
                csv_safe(value)
                for value in (
                    row.occurred_at.astimezone(clock.SEOUL).isoformat(),
                    row.actor_id if row.actor_id is not None else "",
                    row.actor_label,
                    row.action,
                    row.target_type,
                    row.target_id,
                    row.org_unit_id if row.org_unit_id is not None else "",
                    row.channel,
                    row.ip or "",
                    row.user_agent,
                    json.dumps(row.data, ensure_ascii=False, sort_keys=True),
                )
            )
            if buffer.tell() > 64_000:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    stamp = clock.now().astimezone(clock.SEOUL).strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="minwon-audit-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response


@officer_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    """The audit log, read-only, for administrators and auditors; to anyone else it does not
    exist. Reading it is itself recorded (who looked, with which filters)."""
    officer = _auditor(request)
    form = AuditFilterForm(request.GET or None)
    rows: list[Any] = []
    next_cursor = None
    filters: dict[str, Any] = {}
    if not form.is_bound or form.is_valid():  # else the form shows its errors; nothing listed
        data = form.cleaned_data if form.is_bound else {}
        filters = {k: v for k, v in data.items() if v not in ("", None)}
        try:
            rows, next_cursor = paginate(
                _audit_rows(data),
                order_field="occurred_at",
                descending=True,
                cursor=request.GET.get("cursor") or None,
                limit=AUDIT_PAGE_SIZE,
            )
        except ApplicationError as exc:
            form.add_error(None, str(exc.message))
        audit_record(
            actor=officer,
            action="audit.viewed",
            data={k: str(v) for k, v in filters.items()},
        )
    query = request.GET.copy()
    query.pop("cursor", None)
    return render(
        request,
        "office/audit.html",
        {
            "form": form,
            "rows": rows,
            "next_cursor": next_cursor,
            "query": query.urlencode(),
            "filtered": bool(filters),
        },
    )


@officer_required
@require_GET
def watch(request: HttpRequest) -> HttpResponse:
    """Overdue and at-risk complaints of the officer's units (for heads and the supervisor)."""
    rows = queue_rows_screened(deadline_watch(officer=_officer(request), now=clock.now()))
    return render(request, "office/watch.html", {"rows": rows})


@officer_required
@require_GET
def routing_metrics_page(request: HttpRequest) -> HttpResponse:
    """How routing's department suggestions fared (citywide officers: 민원총괄, administrators;
    to others the page does not exist): accuracy and misroutes per week and per unit."""
    if org_units_visible_to(_officer(request)) is not None:
        raise Http404
    metrics = routing_metrics(today=clock.local_now().date(), language=request.LANGUAGE_CODE)
    return render(request, "office/routing_metrics.html", {"metrics": metrics})


# The form of each action that takes one, unbound (data None) or bound to the POST.
ActionForm = Callable[[HttpRequest, Complaint, Any], forms.Form]
ACTION_FORMS: dict[str, ActionForm] = {
    "answer": lambda request, complaint, data: AnswerForm(data, prefix="answer"),
    "supplement": lambda request, complaint, data: SupplementForm(data, prefix="supplement"),
    "extend": lambda request, complaint, data: ExtendForm(data, prefix="extend"),
    "transfer": lambda request, complaint, data: TransferForm(
        data, prefix="transfer", unit_choices=_unit_choices(request.LANGUAGE_CODE)
    ),
    "assign": lambda request, complaint, data: AssignForm(
        data, prefix="assign", officer_choices=_officer_choices(complaint)
    ),
    "route": lambda request, complaint, data: _routing_form(request, complaint, data),
    "link": lambda request, complaint, data: LinkForm(data, prefix="link"),
    "merge": lambda request, complaint, data: MergeForm(
        data,
        prefix="merge",
        choices=[
            (str(c.pk), f"{c.receipt_number or c.pk} {c.title}")
            for c in related_complaints(
                officer=_officer(request), complaint=complaint, passages=False
            ).merge_choices
        ],
    ),
    "excluded": lambda request, complaint, data: ExcludedTimeForm(data, prefix="excluded"),
    "excluded_end": lambda request, complaint, data: ExcludedTimeEndForm(
        data, prefix="excluded_end"
    ),
    "committee": lambda request, complaint, data: CommitteeReviewForm(data, prefix="committee"),
    "close-repeated": lambda request, complaint, data: RepeatCloseForm(
        data,
        prefix="close-repeated",
        choices=[
            (str(c.pk), f"{c.receipt_number or c.pk} {c.title}")
            for c in (_repeat(request, complaint) or RepeatSuggestion([], 0, "")).visible
        ],
    ),
    "households": lambda request, complaint, data: HouseholdsForm(
        data, prefix="households", initial={"households": complaint.household_count}
    ),
}


def _repeat(request: HttpRequest, complaint: Complaint) -> RepeatSuggestion | None:
    return repeat_suggestion(officer=_officer(request), complaint=complaint)


def _related(request: HttpRequest, complaint: Complaint) -> Related:
    return related_complaints(officer=_officer(request), complaint=complaint)


def _routing(request: HttpRequest, complaint: Complaint) -> CaseView:
    return case_view(complaint_id=complaint.pk, language=request.LANGUAGE_CODE)


def _routing_form(request: HttpRequest, complaint: Complaint, data: Any) -> RoutingDecisionForm:
    """The units, the suggested ones first (rank, confidence); the top one chosen."""
    view = _routing(request, complaint)
    suggested = [
        (
            s.label,
            _("Suggestion %(rank)s (%(percent)s%%): %(name)s")
            % {"rank": s.rank, "percent": s.percent, "name": s.name},
        )
        for s in view.suggestions
    ]
    codes = {code for code, _label in suggested}
    others = [
        (code, name) for code, name in _unit_choices(request.LANGUAGE_CODE) if code not in codes
    ]
    return RoutingDecisionForm(
        data,
        prefix="route",
        unit_choices=suggested + others,
        initial_unit=view.suggestions[0].label if view.suggestions else "",
    )


def _action_forms(
    request: HttpRequest, complaint: Complaint, bound: tuple[str, forms.Form] | None = None
) -> dict[str, forms.Form]:
    found = {name: make(request, complaint, None) for name, make in ACTION_FORMS.items()}
    if bound is not None:
        found[bound[0]] = bound[1]
    return found


def _officer_choices(complaint: Complaint) -> list[tuple[str, str]]:
    return [
        (str(user.pk), f"{user} ({user.org_unit.name_ko})" if user.org_unit else str(user))
        for user in assignable_officers(complaint)
    ]


def _detail(
    request: HttpRequest,
    complaint: Complaint,
    *,
    bound: tuple[str, forms.Form] | None = None,
    errors: list[tuple[str | None, str]] | None = None,
    status: int = 200,
    revealed: bool = False,
) -> HttpResponse:
    officer = _officer(request)
    # 개인정보 접속기록: every look at a complainant's data by an officer is logged.
    audit_record(actor=officer, action="complaint.applicant_viewed", target=complaint)
    actions = set(allowed_actions(ComplaintStatus(complaint.status)))
    routing = _routing(request, complaint)
    excluded = excluded_time_list(complaint)
    running = any(row.running for row in excluded)
    clocked = complaint.clock in (ClockKind.PROCESSING.value, ClockKind.OBJECTION.value)
    repeat = _repeat(request, complaint)
    action_forms = _action_forms(request, complaint, bound)
    events = list(complaint_event_list(complaint).select_related("actor"))
    ratings = list(satisfaction_list(complaint))
    # 특이민원 (issue 16): the citizen's words as screened, masked unless the officer revealed them.
    screened = complaint_screened(complaint, events, ratings, revealed=revealed)
    if screened["revealed"]:
        screening_reveal(
            actor=officer,
            complaint_id=complaint.pk,
            screening_ids=screened["screening_ids"],
            org_unit_id=complaint.org_unit_id,
        )
    context: dict[str, Any] = {
        "complaint": complaint,
        "screened": screened,
        "applicant": applicant_masked(complaint),
        "events": events,
        "can": {
            "register": Action.REGISTER in actions,
            "assign": Action.ASSIGN in actions and complaint.assignee_id != officer.pk,
            "assign_other": Action.ASSIGN in actions and complaint.org_unit_id is not None,
            "answer": Action.ANSWER in actions,
            "supplement": Action.REQUEST_SUPPLEMENT in actions,
            "extend": Action.EXTEND in actions,
            "transfer": Action.TRANSFER_INTERNAL in actions,
            "route": Action.TRANSFER_INTERNAL in actions and routing.read,
            "close_repeated": Action.CLOSE_REPEATED in actions and repeat is not None,
            "merge": complaint.status
            in (ComplaintStatus.REGISTERED.value, ComplaintStatus.IN_PROGRESS.value),
            "exclude_time": Action.EXCLUDE_TIME in actions and clocked and not running,
            "end_excluded_time": Action.END_EXCLUDED_TIME in actions
            and any(row.running and row.kind != "supplement" for row in excluded),
            "committee_review": Action.COMMITTEE_REVIEW in actions,
            "households": Action.CORRECT_HOUSEHOLDS in actions and complaint.signer_count > 1,
        },
        "excluded": excluded,
        "committee_basis": COMMITTEE_BASIS,
        "forms": action_forms,
        "close_form": action_forms["close-repeated"],
        "attachments": attachment_list(complaint),
        "ratings": ratings,
        "routing": routing,
        "related": _related(request, complaint),
        "repeat": repeat,
        "errors": errors or [],
        "has_errors": bool(errors),
    }
    response = render(request, "office/complaint.html", context, status=status)
    if screened["revealed"]:
        response["Cache-Control"] = "no-store"  # the words as written stay out of every cache
    return response


@officer_required
@require_GET
def complaint_detail(request: HttpRequest, complaint_id: int) -> HttpResponse:
    return _detail(request, _complaint(request, complaint_id))


@officer_required
@require_POST
def complaint_reveal(request: HttpRequest, complaint_id: int) -> HttpResponse:
    """Show the citizen's words the screen masked, as written (issue 16); recorded
    (``protection.text_revealed``). A reload of the page masks them again."""
    return _detail(request, _complaint(request, complaint_id), revealed=True)


# Each action's service call (with the cleaned data of its form in ACTION_FORMS, if it has one).
# The view parses, checks access, calls it.
ServiceCall = Callable[[Complaint, User, Any], Complaint]


def _answer(complaint: Complaint, officer: User, data: dict[str, Any]) -> Complaint:
    return complaint_answer(
        complaint=complaint,
        actor=officer,
        outcome=Outcome(data["outcome"]),
        answer=data["answer"],
        reason=data["reason"],
        appeal_route=data["appeal_route"],
    )


def _supplement(complaint: Complaint, officer: User, data: dict[str, Any]) -> Complaint:
    items = [line.strip() for line in data["items"].splitlines() if line.strip()]
    return complaint_supplement_request(
        complaint=complaint,
        actor=officer,
        items=items,
        days=data["days"],
        late_reason=data["late_reason"],
    )


def _extend(complaint: Complaint, officer: User, data: dict[str, Any]) -> Complaint:
    return complaint_extend(
        complaint=complaint,
        actor=officer,
        period=data["period"],
        reason=data["reason"],
        reason_text=data["reason_text"],
        consent=(
            ConsentInput(
                method=data["consent_method"],
                given_at=data["consent_at"],
                note=data["consent_note"],
            )
            if data["consent_method"]
            else None
        ),
    )


def _assign(complaint: Complaint, officer: User, data: dict[str, Any]) -> Complaint:
    assignee = next(
        (u for u in assignable_officers(complaint) if str(u.pk) == data["assignee"]), None
    )
    if assignee is None:
        raise ValidationFailed(code="complaint.assignee_not_officer", field="assignee")
    return complaint_assign(complaint=complaint, actor=officer, assignee=assignee)


def _transfer(complaint: Complaint, officer: User, data: dict[str, Any]) -> Complaint:
    unit = org_unit_list().filter(code=data["to_org_unit"]).first()
    return complaint_transfer(
        complaint=complaint,
        actor=officer,
        kind=TransferKind.INTERNAL,
        reason=data["reason"],
        to_org_unit=unit,
    )


def _route(complaint: Complaint, officer: User, data: dict[str, Any]) -> Complaint:
    unit = org_unit_list().filter(code=data["unit"]).first()
    if unit is None:
        raise ValidationFailed(code="complaint.unit_required", field="unit")
    complaint, _decision = complaint_routing_decide(
        complaint=complaint, actor=officer, unit=unit, reason=data["reason"]
    )
    return complaint


def _link(complaint: Complaint, officer: User, data: dict[str, Any]) -> Complaint:
    other = access_complaint_for_officer(officer, data["other"])
    duplicate_link(actor=officer, complaint_id=complaint.pk, other_id=other.pk)
    return complaint


def _merge(complaint: Complaint, officer: User, data: dict[str, Any]) -> Complaint:
    others = [access_complaint_for_officer(officer, int(pk)) for pk in data["others"]]
    return complaint_merge(primary=complaint, others=others, actor=officer)


def _excluded_time(complaint: Complaint, officer: User, data: dict[str, Any]) -> Complaint:
    return complaint_excluded_time_record(
        complaint=complaint,
        actor=officer,
        kind=data["kind"],
        start=data["start"],
        end=data["end"],
        note=data["note"],
    )


def _excluded_time_end(complaint: Complaint, officer: User, data: dict[str, Any]) -> Complaint:
    return complaint_excluded_time_end(
        complaint=complaint, actor=officer, end=data["end"], note=data["note"]
    )


def _committee_review(complaint: Complaint, officer: User, data: dict[str, Any]) -> Complaint:
    return complaint_committee_review(
        complaint=complaint,
        actor=officer,
        held_on=data["held_on"],
        decision=CommitteeDecision(data["decision"]),
        summary=data["summary"],
    )


def _close_repeated(complaint: Complaint, officer: User, data: dict[str, Any]) -> Complaint:
    earlier = [access_complaint_for_officer(officer, int(pk)) for pk in data["earlier"]]
    return complaint_close_repeated(
        complaint=complaint, actor=officer, earlier=earlier, reason=data["reason"]
    )


ACTIONS: dict[str, ServiceCall] = {
    "register": lambda c, o, d: complaint_register(complaint=c, actor=o),
    "assign-me": lambda c, o, d: complaint_assign(complaint=c, actor=o, assignee=o),
    "assign": _assign,
    "answer": _answer,
    "supplement": _supplement,
    "extend": _extend,
    "transfer": _transfer,
    "route": _route,
    "link": _link,
    "merge": _merge,
    "excluded": _excluded_time,
    "excluded_end": _excluded_time_end,
    "committee": _committee_review,
    "close-repeated": _close_repeated,
    "households": lambda c, o, d: complaint_households_correct(
        complaint=c, actor=o, households=d["households"], reason=d["reason"]
    ),
}


def _answer_check(complaint: Complaint, form: forms.Form) -> list[ApplicationError]:
    """What the answer service would refuse in this form's content, found before calling it."""
    outcome = form.data.get(form.add_prefix("outcome"), "")
    if outcome not in set(Outcome):
        return []
    return complaint_answer_problems(
        complaint=complaint,
        outcome=Outcome(outcome),
        answer=str(form.data.get(form.add_prefix("answer"), "")),
        reason=str(form.data.get(form.add_prefix("reason"), "")),
        appeal_route=str(form.data.get(form.add_prefix("appeal_route"), "")),
    )


# Checks of a form's content against the rules, run with the form's own validation so that the
# page shows every error at once (the service still checks again when it is called).
ACTION_CHECKS: dict[str, Callable[[Complaint, forms.Form], list[ApplicationError]]] = {
    "answer": _answer_check,
}
# Rule errors that name no field, and the form field they are about.
FIELD_BY_CODE = {
    "complaint.refusal_reason_required": "reason",
    "complaint.appeal_route_required": "appeal_route",
    "complaint.extension_reason_text_required": "reason_text",
    "complaint.extension_consent_required": "consent_method",
    "complaint.extension_reason_not_allowed": "reason",
    "complaint.supplement_period_invalid": "days",
    "complaint.supplement_items_required": "items",
    "complaint.extension_too_long": "period",
    "complaint.extension_limit_reached": "period",
    "complaint.no_deadline_to_extend": "period",
    "complaint.unit_required": "to_org_unit",
    "complaint.assignee_not_officer": "assignee",
    "routing.no_case": "unit",
    "complaint.merge_too_few": "others",
    "complaint.merge_kinds_differ": "others",
    "complaint.exclusion_open": "end",
    "complaint.exclusion_none_open": "end",
    "complaint.exclusion_supplement": "kind",
    "complaint.repeat_closure_other_complainant": "earlier",
    "complaint.repeat_closure_too_few_filings": "earlier",
}
SUCCESS_MESSAGES: dict[str, Callable[[], str]] = {
    "register": lambda: _("The complaint is registered."),
    "assign-me": lambda: _("You are now in charge of this complaint."),
    "assign": lambda: _("The officer in charge has been changed."),
    "answer": lambda: _("The answer has been sent."),
    "supplement": lambda: _("The request for information has been sent."),
    "extend": lambda: _("The processing period has been extended."),
    "transfer": lambda: _("The complaint has been passed to the department."),
    "route": lambda: _("Your decision on the department suggestion is recorded."),
    "link": lambda: _("The two complaints are linked as one matter."),
    "merge": lambda: _("The complaints are merged into this one."),
    "excluded": lambda: _("The time not counted is recorded; the expected date is updated."),
    "excluded_end": lambda: _("The time not counted has ended; the clock runs again."),
    "committee": lambda: _("The committee's deliberation is recorded."),
    "close-repeated": lambda: _("The complaint is closed as a repeated complaint."),
    "households": lambda: _("The number of households is corrected."),
}


@officer_required
@require_POST
def complaint_action(request: HttpRequest, complaint_id: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    complaint = _complaint(request, complaint_id)
    call = ACTIONS[action]
    data: dict[str, Any] = {}
    make_form = ACTION_FORMS.get(action)
    form = make_form(request, complaint, request.POST) if make_form is not None else None
    if form is not None:
        form.is_valid()
        check = ACTION_CHECKS.get(action)
        for problem in check(complaint, form) if check is not None else []:
            about = problem.field or FIELD_BY_CODE.get(problem.code, "")
            if about in form.fields and about not in form.errors:
                form.add_error(about, str(problem.message))
        if form.errors:  # every error of the form at once, the rules' too
            errors = summary_errors(form)
            return _detail(request, complaint, bound=(action, form), errors=errors, status=400)
        data = form.cleaned_data
    try:
        call(complaint, _officer(request), data)
    except ApplicationError as exc:
        in_form = form is not None and exc.field in form.fields
        name = exc.field if in_form else FIELD_BY_CODE.get(exc.code, exc.field)
        field = f"{action}-{name}" if form is not None and name in form.fields else None
        if form is not None and name in form.fields:
            form.add_error(name, str(exc.message))
        bound = (action, form) if form is not None else None
        return _detail(
            request, complaint, bound=bound, errors=[(field, str(exc.message))], status=400
        )
    messages.success(request, SUCCESS_MESSAGES[action]())
    try:
        access_complaint_for_officer(_officer(request), complaint.pk)
    except NotFound:
        # Passed out of the officer's units (a transfer): its page is no longer theirs to see,
        # so back to the queue with what happened, not to a "not found".
        messages.info(
            request,
            _("%(title)s is no longer in your units; it has left your work queue.")
            % {"title": complaint.title},
        )
        return HttpResponseRedirect(reverse("office:home"))
    return HttpResponseRedirect(reverse("office:complaint", args=[complaint.pk]))


@officer_required
@require_GET
def complaint_attachment(
    request: HttpRequest, complaint_id: int, attachment_id: int
) -> HttpResponse:
    """A file of the complaint, after the access check; the look is logged (개인정보 접속기록)."""
    complaint = _complaint(request, complaint_id)
    attachment, response = attachment_download(complaint, attachment_id)
    audit_record(
        actor=_officer(request),
        action="complaint.attachment_viewed",
        target=complaint,
        org_unit_id=complaint.org_unit_id,
        data={"attachment": attachment.pk},
    )
    return response


@officer_required
@require_GET
def complaint_receipt_pdf(request: HttpRequest, complaint_id: int) -> HttpResponse:
    """The 접수증 as PDF; it names the complainant, so the download is logged (접속기록)."""
    complaint = _complaint(request, complaint_id)
    response = receipt_download(request, complaint)
    if response is None:
        return HttpResponseRedirect(reverse("office:complaint", args=[complaint.pk]))
    audit_record(
        actor=_officer(request),
        action="complaint.receipt_downloaded",
        target=complaint,
        org_unit_id=complaint.org_unit_id,
    )
    return response


def _intake_form(request: HttpRequest, data: Any = None, files: Any = None) -> IntakeForm:
    language = request.LANGUAGE_CODE
    return IntakeForm(
        data,
        files,
        type_choices=filing_type_choices(language=language),
        unit_choices=_unit_choices(language),
    )


def _intake_page(request: HttpRequest, form: IntakeForm, *, status: int = 200) -> HttpResponse:
    context = {"form": form, **form_errors(form), **file_limits()}
    return render(request, "office/intake.html", context, status=status)


# Service errors about the complainant, and the intake field they are about.
INTAKE_FIELD_BY_CODE = {
    "complaint.oral_not_allowed": "kind",
    "complaint.statutory_type_required": "complaint_type",
    "complaint.rrn_required": "complaint_type",
}


@officer_required
@require_http_methods(["GET", "POST"])
def intake(request: HttpRequest) -> HttpResponse:
    """Counter registration: a walk-in, an oral or phone request (기타민원), a letter or a fax,
    registered at once on the complainant's behalf."""
    officer = _officer(request)
    if request.method == "GET":
        return _intake_page(request, _intake_form(request))
    form = _intake_form(request, request.POST, request.FILES)
    if not form.is_valid():
        return _intake_page(request, form, status=400)
    unit_code = form.cleaned_data["org_unit"]
    unit = org_unit_list().filter(code=unit_code).first() if unit_code else officer.org_unit
    data = form.filing(files=file_inputs(form.cleaned_data["attachments"]))
    data.org_unit = unit
    try:
        complaint = complaint_file(data=data, filed_by=officer)
    except ApplicationError as exc:
        service_error(form, exc, field_by_code=INTAKE_FIELD_BY_CODE)
        return _intake_page(request, form, status=400)
    messages.success(
        request,
        choose_particles(
            _("Registered with receipt number %(number)s.") % {"number": complaint.receipt_number}
        ),
    )
    return HttpResponseRedirect(reverse("office:complaint", args=[complaint.pk]))
