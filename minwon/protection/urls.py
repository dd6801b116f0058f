"""URLs of the protection context: the office pages, which the office URLconf includes under
/office/protection/ (names office:protection-…)."""

from __future__ import annotations

from django.urls import path

from minwon.protection import views

office_patterns = [
    path("panic/", views.panic_press, name="protection-panic"),
    path("panic/alarms/", views.panic_alarms, name="protection-panic-alarms"),
    path("panic/<int:incident_id>/ack/", views.panic_ack, name="protection-panic-ack"),
    path("incidents/", views.incident_list, name="protection-incidents"),
    path("incidents/new/", views.incident_new, name="protection-incident-new"),
    path("incidents/<int:incident_id>/", views.incident_detail, name="protection-incident"),
    path(
        "incidents/<int:incident_id>/correct/",
        views.incident_correction,
        name="protection-incident-correct",
    ),
    path(
        "incidents/<int:incident_id>/measures/",
        views.incident_measure,
        name="protection-incident-measure",
    ),
    path(
        "incidents/<int:incident_id>/measures/<int:entry_id>/withdraw/",
        views.incident_measure_withdraw,
        name="protection-measure-withdraw",
    ),
    path(
        "incidents/<int:incident_id>/evidence/",
        views.incident_evidence,
        name="protection-incident-evidence",
    ),
    path(
        "incidents/<int:incident_id>/evidence/<int:evidence_id>/",
        views.incident_evidence_file,
        name="protection-evidence-file",
    ),
]
