"""URLs of the identity context: the wallet's OpenID4VP endpoints under /identity/ (config/urls.py)
and the office pages, which the office URLconf includes under /office/identity/."""

from __future__ import annotations

from django.urls import path

from minwon.identity import views

app_name = "identity"

urlpatterns = [
    path("oid4vp/requests/<str:state>", views.oid4vp_request, name="oid4vp-request"),
    path("oid4vp/response", views.oid4vp_response, name="oid4vp-response"),
]

# Included by minwon.office.urls (names office:identity-…).
office_patterns = [
    path("", views.identity_home, name="identity-home"),
    path("start/", views.identity_start, name="identity-start"),
    path("scan/", views.identity_scan, name="identity-scan"),
    path("manual/", views.identity_manual, name="identity-manual"),
    path("records/", views.identity_records, name="identity-records"),
    path("sessions/<int:session_id>/", views.identity_session, name="identity-session"),
    path(
        "sessions/<int:session_id>/state/",
        views.identity_session_state,
        name="identity-session-state",
    ),
    path(
        "sessions/<int:session_id>/clear/",
        views.identity_session_clear,
        name="identity-session-clear",
    ),
]
