"""Staff pages under /staff/disclosure/, public pages under /gongkai/."""

from django.urls import path

from . import portal_views, views

app_name = "disclosure"
urlpatterns = [
    path("staff/disclosure/", views.queue, name="queue"),
    path("staff/disclosure/new/", views.register, name="register"),
    path("staff/disclosure/report/", views.report, name="report"),
    path("staff/disclosure/<str:number>/", views.detail, name="detail"),
    path("staff/disclosure/<str:number>/do/<str:action>/", views.act, name="act"),
    path(
        "staff/disclosure/<str:number>/duplicate/",
        views.mark_duplicate,
        name="mark_duplicate",
    ),
    path(
        "staff/disclosure/<str:number>/followup/<int:pk>/settle/",
        views.settle,
        name="settle",
    ),
    path(
        "staff/disclosure/<str:number>/letter/<str:kind>/",
        views.letter,
        name="letter",
    ),
    path(
        "staff/disclosure/<str:number>/attachment/<int:pk>/",
        views.attachment,
        name="attachment",
    ),
    path("gongkai/", portal_views.apply, name="portal_apply"),
    path("gongkai/done/", portal_views.done, name="portal_done"),
    path("gongkai/track/", portal_views.track, name="portal_track"),
    path("gongkai/track/<str:number>/", portal_views.status, name="portal_status"),
    path(
        "gongkai/track/<str:number>/correction/",
        portal_views.correction,
        name="portal_correction",
    ),
]
