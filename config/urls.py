from django.http import HttpRequest, JsonResponse
from django.urls import include, path

from config.api import api


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("accounts/", include("minwon.accounts.urls")),
    path("office/", include("minwon.office.urls")),
    path("identity/", include("minwon.identity.urls")),
    path("open311/", include("minwon.open311.urls")),
    path("", include("minwon.portal.urls")),
]

# Errors Django answers itself: JSON under /api/, GeoReport under /open311/, 503 + Retry-After
# when the database is unreachable (config/handlers.py).
handler400 = "config.handlers.bad_request"
handler403 = "config.handlers.permission_denied"
handler404 = "config.handlers.page_not_found"
handler500 = "config.handlers.server_error"
