"""Staff pages under /staff/disclosure/, public pages under /gongkai/."""

from django.urls import path

from . import portal_views, views, views_proactive, views_report

app_name = "disclosure"
urlpatterns = [
    path("staff/disclosure/", views.queue, name="queue"),
    path("staff/disclosure/new/", views.register, name="register"),
    path("staff/disclosure/report/", views_report.report, name="report"),
    path("staff/disclosure/catalogue/", views_proactive.catalogue, name="catalogue"),
    path(
        "staff/disclosure/catalogue/entry/",
        views_proactive.entry_add,
        name="entry_add",
    ),
    path(
        "staff/disclosure/catalogue/entry/<int:pk>/review/",
        views_proactive.entry_review,
        name="entry_review",
    ),
    path("staff/disclosure/catalogue/item/", views_proactive.item_add, name="item_add"),
    path(
        "staff/disclosure/catalogue/item/<str:number>/publish/",
        views_proactive.item_publish,
        name="item_publish",
    ),
    path(
        "staff/disclosure/report/figures/",
        views_proactive.figures,
        name="figures",
    ),
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
        "staff/disclosure/<str:number>/letter/<str:kind>/<int:item>/",
        views.letter,
        name="letter_item",
    ),
    path("staff/disclosure/<str:number>/attach/", views.attach, name="attach"),
    path(
        "staff/disclosure/<str:number>/attachment/<int:pk>/",
        views.attachment,
        name="attachment",
    ),
    path("gongkai/", portal_views.apply, name="portal_apply"),
    path("gongkai/done/", portal_views.done, name="portal_done"),
    path("gongkai/zhudong/", views_proactive.public_list, name="portal_proactive"),
    path(
        "gongkai/zhudong/<str:number>/",
        views_proactive.public_detail,
        name="portal_proactive_item",
    ),
    path("gongkai/track/", portal_views.track, name="portal_track"),
    path("gongkai/track/<str:number>/", portal_views.status, name="portal_status"),
    path(
        "gongkai/track/<str:number>/letter/<str:kind>/",
        portal_views.letter,
        name="portal_letter",
    ),
    path(
        "gongkai/track/<str:number>/file/<int:pk>/",
        portal_views.reply_file,
        name="portal_file",
    ),
    path(
        "gongkai/track/<str:number>/correction/",
        portal_views.correction,
        name="portal_correction",
    ),
]
