from django.urls import path

from minwon.core.links import FOLLOW_PATH
from minwon.notifications import views as notification_views
from minwon.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("services/", views.service_search, name="service-search"),
    path("complaints/new/", views.complaint_new, name="complaint-new"),
    path("my/", views.my_complaints, name="my-complaints"),
    path("my/notices/", notification_views.notices, name="notices"),
    path("my/notices/<int:notice_id>/read/", notification_views.notice_read, name="notice-read"),
    path(
        "my/notifications/",
        notification_views.channel_preferences,
        name="channel-preferences",
    ),
    path("my/<int:complaint_id>/", views.my_complaint, name="my-complaint"),
    path(
        "my/<int:complaint_id>/withdraw/", views.my_complaint_withdraw, name="my-complaint-withdraw"
    ),
    path(
        "my/<int:complaint_id>/supplement/",
        views.my_complaint_supplement,
        name="my-complaint-supplement",
    ),
    path("my/<int:complaint_id>/rating/", views.my_complaint_rating, name="my-complaint-rating"),
    path(
        "my/<int:complaint_id>/files/<int:attachment_id>/",
        views.my_complaint_attachment,
        name="my-complaint-attachment",
    ),
    path(
        "my/<int:complaint_id>/receipt.pdf",
        views.my_complaint_receipt_pdf,
        name="my-complaint-receipt-pdf",
    ),
    path(FOLLOW_PATH.removeprefix("/"), views.follow, name="follow"),  # printed on the 접수증
    path("demo/messages/", notification_views.demo_messages, name="demo-messages"),
    path("display/", views.display_settings, name="display"),
    path("privacy/", views.privacy, name="privacy"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("offline/", views.offline, name="offline"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service-worker"),
]
