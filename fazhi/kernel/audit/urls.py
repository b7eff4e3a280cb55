from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("", views.event_search, name="events"),
    path("verify/", views.verify, name="verify"),
    path(
        "records/<str:record_type>/<str:record_id>/",
        views.record_timeline,
        name="timeline",
    ),
]
