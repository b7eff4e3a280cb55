"""Public pages, mounted at /laws/ under the namespace "laws"."""

from django.urls import path

from . import views

app_name = "laws"

urlpatterns = [
    path("", views.portal_search, name="portal_search"),
    path("<int:pk>/", views.portal_document, name="document"),
]
