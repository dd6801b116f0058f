from django.urls import re_path

from minwon.open311 import views

app_name = "open311"
FMT = r"\.(?P<fmt>xml|json)$"

urlpatterns = [
    re_path(r"^discovery" + FMT, views.discovery, name="discovery"),
    re_path(r"^v2/services" + FMT, views.services, name="services"),
    re_path(r"^v2/services/(?P<code>[-\w]+)" + FMT, views.service_definition, name="service"),
    # Non-standard alias: the `open311` 1.1 client asks for service/{code} (a spec typo).
    re_path(r"^v2/service/(?P<code>[-\w]+)" + FMT, views.service_definition, name="service-alias"),
    re_path(r"^v2/requests" + FMT, views.requests, name="requests"),
    re_path(r"^v2/requests/(?P<request_id>[-\w]+)" + FMT, views.request_detail, name="request"),
    re_path(r"^v2/tokens/(?P<token>[-\w]+)" + FMT, views.token, name="token"),
    re_path(r"^v2/servicerequestupdates" + FMT, views.updates, name="updates"),
]
