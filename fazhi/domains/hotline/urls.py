"""Staff pages under /staff/hotline/, public pages under /hotline/."""

from django.urls import path

from . import portal_views, views

app_name = "hotline"
urlpatterns = [
    path("staff/hotline/", views.queue, name="queue"),
    path("staff/hotline/new/", views.intake, name="intake"),
    path("staff/hotline/dashboard/", views.dashboard, name="dashboard"),
    path("staff/hotline/<str:number>/", views.detail, name="detail"),
    path("staff/hotline/<str:number>/do/<str:action>/", views.act, name="act"),
    path(
        "staff/hotline/<str:number>/attachment/<int:pk>/",
        views.attachment,
        name="attachment",
    ),
    path("hotline/", portal_views.submit, name="portal_submit"),
    path("hotline/done/", portal_views.done, name="portal_done"),
    path("hotline/track/", portal_views.track, name="portal_track"),
    path("hotline/track/<str:number>/", portal_views.status, name="portal_status"),
    path("hotline/track/<str:number>/rate/", portal_views.rate, name="portal_rate"),
]
