from django.urls import URLPattern, URLResolver, include, path

from minwon.identity.urls import office_patterns as identity_patterns
from minwon.notifications import views as notification_views
from minwon.office import views, views_evaluation
from minwon.protection.urls import office_patterns as protection_patterns

app_name = "office"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("watch/", views.watch, name="watch"),
    path("audit/", views.audit_log, name="audit"),
    path("audit/export.csv", views.audit_export, name="audit-export"),
    path("intake/", views.intake, name="intake"),
    path("routing/", views.routing_metrics_page, name="routing-metrics"),
    path("evaluation/", views_evaluation.evaluation_page, name="evaluation"),
    path("evaluation/cases/", views_evaluation.evaluation_cases, name="evaluation-cases"),
    path(
        "evaluation/export.csv",
        views_evaluation.evaluation_export,
        {"fmt": "csv"},
        name="evaluation-export-csv",
    ),
    path(
        "evaluation/export.xlsx",
        views_evaluation.evaluation_export,
        {"fmt": "xlsx"},
        name="evaluation-export-xlsx",
    ),
    path(
        "evaluation/cases/export.csv",
        views_evaluation.evaluation_cases_export,
        {"fmt": "csv"},
        name="evaluation-cases-export-csv",
    ),
    path(
        "evaluation/cases/export.xlsx",
        views_evaluation.evaluation_cases_export,
        {"fmt": "xlsx"},
        name="evaluation-cases-export-xlsx",
    ),
    path("identity/", include(identity_patterns)),
    path("protection/", include(protection_patterns)),
    path(
        "notifications/problems/",
        notification_views.delivery_problems,
        name="delivery-problems",
    ),
    path(
        "notifications/templates/",
        notification_views.template_list,
        name="notification-templates",
    ),
    path(
        "notifications/templates/<slug:event>/<slug:language>/",
        notification_views.template_edit,
        name="notification-template",
    ),
    path(
        "complaints/<int:complaint_id>/files/<int:attachment_id>/",
        views.complaint_attachment,
        name="complaint-attachment",
    ),
    path(
        "complaints/<int:complaint_id>/receipt.pdf",
        views.complaint_receipt_pdf,
        name="complaint-receipt-pdf",
    ),
    path("complaints/<int:complaint_id>/", views.complaint_detail, name="complaint"),
    path("complaints/<int:complaint_id>/reveal/", views.complaint_reveal, name="complaint-reveal"),
    path(
        "complaints/<int:complaint_id>/<slug:action>/",
        views.complaint_action,
        name="complaint-action",
    ),
]
