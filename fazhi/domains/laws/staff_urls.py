"""Staff pages, mounted at /staff/laws/ under the namespace "laws_staff"."""

from django.urls import path

from . import views

app_name = "laws_staff"

urlpatterns = [
    path("", views.staff_search, name="search"),
]
