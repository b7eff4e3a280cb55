from django.urls import path

from . import views

app_name = "org"
urlpatterns = [
    path("", views.agency_tree, name="agency_tree"),
    path("responsibility/", views.responsibility_list, name="responsibility_list"),
    path("responsibility/new/", views.responsibility_edit, name="responsibility_new"),
    path(
        "responsibility/import/",
        views.responsibility_import,
        name="responsibility_import",
    ),
    path(
        "responsibility/<str:code>/",
        views.responsibility_detail,
        name="responsibility_detail",
    ),
    path(
        "responsibility/<str:code>/edit/",
        views.responsibility_edit,
        name="responsibility_edit",
    ),
    path("users/", views.user_list, name="user_list"),
    path("users/<str:username>/", views.user_detail, name="user_detail"),
    path("users/<str:username>/unlock/", views.user_unlock, name="user_unlock"),
    path("users/<str:username>/active/", views.user_active, name="user_active"),
    path(
        "memberships/<int:pk>/remove/",
        views.membership_remove,
        name="membership_remove",
    ),
]
