from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.index, name="index"),
    path("quanze/", views.responsibility_list, name="responsibility_list"),
]
