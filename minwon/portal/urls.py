from django.urls import path

from minwon.core.links import FOLLOW_PATH
from minwon.notifications import views as notification_views
from minwon.portal.views import account, app, claim, filing, follow, identity, mine, pages

app_name = "portal"

urlpatterns = [
    path("", pages.home, name="home"),
    path("services/", pages.service_search, name="service-search"),
    path("complaints/new/", filing.complaint_new, name="complaint-new"),
    path("my/", mine.my_complaints, name="my-complaints"),
    path("my/claim/", claim.my_complaint_claim, name="my-complaint-claim"),
    path("my/identity/", identity.my_identity, name="my-identity"),
    path(
        "my/identity/<slug:provider_key>/start/",
        identity.my_identity_start,
        name="my-identity-start",
    ),
    path(
        "my/identity/<slug:provider_key>/return/",
        identity.my_identity_return,
        name="my-identity-return",
    ),
    path("my/notices/", notification_views.notices, name="notices"),
    path("my/notices/<int:notice_id>/read/", notification_views.notice_read, name="notice-read"),
    path(
        "my/notifications/",
        notification_views.channel_preferences,
        name="channel-preferences",
    ),
    path("my/<int:complaint_id>/", mine.my_complaint, name="my-complaint"),
    path(
        "my/<int:complaint_id>/withdraw/", mine.my_complaint_withdraw, name="my-complaint-withdraw"
    ),
    path(
        "my/<int:complaint_id>/supplement/",
        mine.my_complaint_supplement,
        name="my-complaint-supplement",
    ),
    path("my/<int:complaint_id>/rating/", mine.my_complaint_rating, name="my-complaint-rating"),
    path(
        "my/<int:complaint_id>/files/<int:attachment_id>/",
        mine.my_complaint_attachment,
        name="my-complaint-attachment",
    ),
    path(
        "my/<int:complaint_id>/receipt.pdf",
        mine.my_complaint_receipt_pdf,
        name="my-complaint-receipt-pdf",
    ),
    path(FOLLOW_PATH.removeprefix("/"), follow.follow, name="follow"),  # printed on the 접수증
    path("demo/messages/", notification_views.demo_messages, name="demo-messages"),
    path("signup/", account.signup, name="signup"),
    path("signup/code/", account.signup_code, name="signup-code"),
    path("password-reset/", account.password_reset, name="password-reset"),
    path("password-reset/code/", account.password_reset_code, name="password-reset-code"),
    path("display/", pages.display_settings, name="display"),
    path("privacy/", pages.privacy, name="privacy"),
    path("accessibility/", pages.accessibility, name="accessibility"),
    path("offline/", app.offline, name="offline"),
    path("manifest.webmanifest", app.manifest, name="manifest"),
    path("sw.js", app.service_worker, name="service-worker"),
]
