"""Staff pages, mounted at /staff/laws/ under the namespace "laws_staff"."""

from django.urls import path

from . import normative_views as nv
from . import views

app_name = "laws_staff"

urlpatterns = [
    path("", views.staff_search, name="search"),
    # 规范性文件全流程管理
    path("normative/", nv.index, name="normative_index"),
    path("normative/new/", nv.register, name="normative_register"),
    path("normative/sweep/", nv.sweep, name="normative_sweep"),
    path("normative/catalogue/", nv.catalogue, name="normative_catalogue"),
    path("normative/report/", nv.report, name="normative_report"),
    path("normative/cleanup/", nv.cleanups, name="normative_cleanups"),
    path("normative/cleanup/<int:pk>/", nv.cleanup, name="normative_cleanup"),
    path(
        "normative/cleanup/<int:pk>/item/<int:item>/",
        nv.cleanup_decide,
        name="normative_cleanup_decide",
    ),
    path(
        "normative/cleanup/<int:pk>/close/",
        nv.cleanup_close,
        name="normative_cleanup_close",
    ),
    path("normative/<str:number>/", nv.detail, name="normative_detail"),
    path("normative/<str:number>/do/<str:action>/", nv.act, name="normative_act"),
]
