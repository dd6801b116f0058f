from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.urls import include, path

from config.api import api
from config.metrics import metrics_view


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers (touches neither the database nor the broker)."""
    return JsonResponse({"status": "ok"})


def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: database, migrations and broker (minwon.core.health); 503 when not ready."""
    from minwon.core.health import readiness

    ready, document = readiness()
    response = JsonResponse(document, status=200 if ready else 503)
    if not ready:
        response["Retry-After"] = str(int(getattr(settings, "RETRY_AFTER_SECONDS", 30)))
    return response


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics_view, name="metrics"),
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
