from django.urls import re_path

from . import views

app_name = "open311"

urlpatterns = [
    re_path(r"^discovery\.(?P<fmt>\w+)$", views.discovery, name="discovery"),
    re_path(r"^v2/services\.(?P<fmt>\w+)$", views.services, name="services"),
    re_path(
        r"^v2/services/(?P<code>[\w-]+)\.(?P<fmt>\w+)$",
        views.service_definition,
        name="service",
    ),
    re_path(r"^v2/requests\.(?P<fmt>\w+)$", views.requests, name="requests"),
    re_path(
        r"^v2/requests/(?P<request_id>[\w-]+)\.(?P<fmt>\w+)$",
        views.request_detail,
        name="request",
    ),
]
