"""The protection pages of the office (routed from the office URLconf under /office/protection/,
templates in templates/office/protection/): the incident register, one incident with its
corrections, measures and evidence. Thin: parse, check access, call one service, render."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from minwon.accounts.access import officer_required
from minwon.accounts.models import User
from minwon.core import clock
from minwon.core.errors import ApplicationError, NotFound
from minwon.core.http import download_response
from minwon.core.pagination import paginate
from minwon.core.services import audit_record
from minwon.protection.access import (
    access_incident_for_officer,
    access_panic_alarm_for_officer,
    incidents_visible_to,
    may_record_incident,
    panic_alarms_for,
)
from minwon.protection.models import Incident
from minwon.protection.schemas import (
    CorrectionForm,
    EvidenceForm,
    MeasureForm,
    NewIncidentForm,
    WithdrawForm,
    evidence_inputs,
    file_limits,
)
from minwon.protection.selectors import incident_rows, incident_view
from minwon.protection.services import (
    incident_correct,
    incident_evidence_add,
    incident_evidence_read,
    incident_measure_correct,
    incident_measure_record,
    incident_record,
    panic_acknowledge,
    panic_raise,
)
from minwon.protection.services.incidents import evidence_download_name

Errors = list[tuple[str | None, str]]
PAGE_SIZE = 50


def _officer(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not may_record_incident(user):
        raise Http404
    return user


def _errors(form: forms.Form, prefix: str = "") -> Errors:
    return [
        (None if name == "__all__" else f"{prefix}{name}", str(errors[0]))
        for name, errors in form.errors.items()
    ]


def _apply(form: forms.Form, exc: ApplicationError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))


def _incident(request: HttpRequest, incident_id: int) -> Incident:
    try:
        return access_incident_for_officer(officer=_officer(request), incident_id=incident_id)
    except NotFound as exc:
        raise Http404 from exc


def _now_local() -> str:
    return clock.now().astimezone(clock.SEOUL).strftime("%Y-%m-%dT%H:%M")


@officer_required
@require_GET
def incident_list(request: HttpRequest) -> HttpResponse:
    officer = _officer(request)
    try:
        roots, next_cursor = paginate(
            incidents_visible_to(officer).select_related("org_unit", "officer"),
            order_field="occurred_at",
            descending=True,
            cursor=request.GET.get("cursor") or None,
            limit=PAGE_SIZE,
        )
    except ApplicationError:
        return HttpResponseRedirect(reverse("office:protection-incidents"))
    return render(
        request,
        "office/protection/incidents.html",
        {"rows": incident_rows(roots), "next_cursor": next_cursor},
    )


@officer_required
@require_http_methods(["GET", "POST"])
def incident_new(request: HttpRequest) -> HttpResponse:
    officer = _officer(request)
    if request.method == "POST":
        form = NewIncidentForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                incident = incident_record(
                    actor=officer,
                    kind=data["kind"],
                    channel=data["channel"],
                    occurred_at=data["occurred_at"],
                    description=data["description"],
                    complainant=data["complainant"],
                    complaint_reference=data["complaint_reference"],
                    location=data["location"],
                    files=evidence_inputs(data["evidence_files"]),
                )
            except ApplicationError as exc:
                _apply(form, exc)
            else:
                messages.success(
                    request, _("Incident no. %(number)s is recorded.") % {"number": incident.pk}
                )
                return HttpResponseRedirect(
                    reverse("office:protection-incident", args=[incident.pk])
                )
        status = 400
    else:
        form = NewIncidentForm(initial={"occurred_at": _now_local()})
        status = 200
    return render(
        request,
        "office/protection/incident_new.html",
        {"form": form, "errors": _errors(form), **file_limits()},
        status=status,
    )


def _detail(
    request: HttpRequest,
    incident: Incident,
    *,
    measure: MeasureForm | None = None,
    evidence: EvidenceForm | None = None,
    status: int = 200,
) -> HttpResponse:
    measure = measure or MeasureForm(prefix="m", initial={"taken_at": _now_local()})
    evidence = evidence or EvidenceForm(prefix="e")
    return render(
        request,
        "office/protection/incident.html",
        {
            "view": incident_view(incident),
            "measure_form": measure,
            "evidence_form": evidence,
            "errors": _errors(measure, "m-") + _errors(evidence, "e-"),
            **file_limits(),
        },
        status=status,
    )


@officer_required
@require_GET
def incident_detail(request: HttpRequest, incident_id: int) -> HttpResponse:
    """The record, its measures and evidence; it names people, so every look is logged."""
    incident = _incident(request, incident_id)
    audit_record(
        actor=_officer(request),
        action="protection.incident_viewed",
        target=incident,
        org_unit_id=incident.org_unit_id,
    )
    return _detail(request, incident)


@officer_required
@require_POST
def incident_measure(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = _incident(request, incident_id)
    form = MeasureForm(request.POST, prefix="m")
    if form.is_valid():
        data = form.cleaned_data
        try:
            incident_measure_record(
                actor=_officer(request),
                incident=incident,
                measure=data["measure"],
                taken_at=data["taken_at"],
                detail=data["detail"],
                performed_by=data["performed_by"],
            )
        except ApplicationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("The measure is recorded."))
            return HttpResponseRedirect(reverse("office:protection-incident", args=[incident.pk]))
    return _detail(request, incident, measure=form, status=400)


@officer_required
@require_POST
def incident_evidence(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = _incident(request, incident_id)
    form = EvidenceForm(request.POST, request.FILES, prefix="e")
    if form.is_valid():
        try:
            incident_evidence_add(
                actor=_officer(request),
                incident=incident,
                files=evidence_inputs(form.cleaned_data["evidence_files"]),
            )
        except ApplicationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("The files are added."))
            return HttpResponseRedirect(reverse("office:protection-incident", args=[incident.pk]))
    return _detail(request, incident, evidence=form, status=400)


def _initial_of(entry: Incident) -> dict[str, Any]:
    return {
        "kind": entry.kind,
        "channel": entry.channel,
        "occurred_at": entry.occurred_at.astimezone(clock.SEOUL).strftime("%Y-%m-%dT%H:%M"),
        "description": entry.description,
        "complainant": entry.complainant,
        "complaint_reference": entry.complaint_reference,
        "location": entry.location,
    }


@officer_required
@require_http_methods(["GET", "POST"])
def incident_correction(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = _incident(request, incident_id)
    view = incident_view(incident)
    if request.method == "POST":
        form = CorrectionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                incident_correct(actor=_officer(request), incident=incident, **data)
            except ApplicationError as exc:
                _apply(form, exc)
            else:
                messages.success(request, _("The correction is recorded as a new entry."))
                return HttpResponseRedirect(
                    reverse("office:protection-incident", args=[incident.pk])
                )
        status = 400
    else:
        form = CorrectionForm(initial=_initial_of(view.current))
        status = 200
    return render(
        request,
        "office/protection/incident_correct.html",
        {"form": form, "view": view, "errors": _errors(form)},
        status=status,
    )


@officer_required
@require_http_methods(["GET", "POST"])
def incident_measure_withdraw(
    request: HttpRequest, incident_id: int, entry_id: int
) -> HttpResponse:
    incident = _incident(request, incident_id)
    view = incident_view(incident)
    line = next((m for m in view.measures if m.entry.pk == entry_id), None)
    if line is None or line.entry.withdrawn:
        raise Http404
    if request.method == "POST":
        form = WithdrawForm(request.POST)
        if form.is_valid():
            try:
                incident_measure_correct(
                    actor=_officer(request),
                    incident=incident,
                    entry_id=entry_id,
                    withdrawn=True,
                    detail=form.cleaned_data["detail"],
                )
            except ApplicationError as exc:
                _apply(form, exc)
            else:
                messages.success(request, _("The entry is withdrawn; it stays in the history."))
                return HttpResponseRedirect(
                    reverse("office:protection-incident", args=[incident.pk])
                )
        status = 400
    else:
        form = WithdrawForm()
        status = 200
    return render(
        request,
        "office/protection/measure_withdraw.html",
        {"form": form, "view": view, "line": line, "errors": _errors(form)},
        status=status,
    )


@officer_required
@require_GET
def incident_evidence_file(
    request: HttpRequest, incident_id: int, evidence_id: int
) -> HttpResponse:
    """An evidence file, after the access check; every download is logged."""
    incident = _incident(request, incident_id)
    try:
        evidence, data = incident_evidence_read(
            actor=_officer(request), incident=incident, evidence_id=evidence_id
        )
    except NotFound as exc:
        raise Http404 from exc
    return download_response(
        data, content_type=evidence.content_type, filename=evidence_download_name(evidence)
    )


# --- the panic button and its alarm -------------------------------------------------------------


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@officer_required
@require_POST
def panic_press(request: HttpRequest) -> HttpResponse:
    """The panic button of every office page: a click posts this form, the shortcut posts it by
    script (JSON answer); without script the officer comes back to the page they were on."""
    officer = _officer(request)
    page = str(request.POST.get("page", ""))[:200]
    try:
        incident, _new = panic_raise(actor=officer, page=page)
    except ApplicationError as exc:
        if _wants_json(request):
            return JsonResponse({"ok": False, "message": str(exc.message)}, status=400)
        messages.error(request, str(exc.message))
        return HttpResponseRedirect(reverse("office:home"))
    text = _("The alarm is raised: the security desk and your head are told (record no. %(n)s).")
    text = text % {"n": incident.pk}
    if _wants_json(request):
        return JsonResponse({"ok": True, "incident": incident.pk, "message": text})
    messages.warning(request, text)
    back = page if url_has_allowed_host_and_scheme(page, allowed_hosts={request.get_host()}) else ""
    return HttpResponseRedirect(back or reverse("office:protection-incident", args=[incident.pk]))


@officer_required
@require_GET
def panic_alarms(request: HttpRequest) -> HttpResponse:
    """The alarms sounding for this officer (their open office pages ask every second)."""
    officer = _officer(request)
    alarms = [
        {
            "id": i.pk,
            "text": _("Panic button: %(officer)s, %(unit)s, at %(time)s%(place)s")
            % {
                "officer": i.officer,
                "unit": i.org_unit,
                "time": i.created_at.astimezone(clock.SEOUL).strftime("%H:%M:%S"),
                "place": f" ({i.location})" if i.location else "",
            },
            "ack": reverse("office:protection-panic-ack", args=[i.pk]),
            "record": reverse("office:protection-incident", args=[i.pk]),
        }
        for i in panic_alarms_for(officer)
    ]
    response = JsonResponse({"alarms": alarms})
    response["Cache-Control"] = "no-store"
    return response


@officer_required
@require_POST
def panic_ack(request: HttpRequest, incident_id: int) -> HttpResponse:
    officer = _officer(request)
    try:
        incident = access_panic_alarm_for_officer(officer=officer, incident_id=incident_id)
    except NotFound as exc:
        raise Http404 from exc
    panic_acknowledge(actor=officer, incident=incident)
    if _wants_json(request):
        return JsonResponse({"ok": True})
    return HttpResponseRedirect(reverse("office:protection-incident", args=[incident.pk]))
