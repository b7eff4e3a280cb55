from django.urls import path

from . import views

app_name = "deadlines"
urlpatterns = [
    path("", views.calendar_index, name="calendar_index"),
    path("<int:year>/", views.calendar_year, name="calendar_year"),
]
