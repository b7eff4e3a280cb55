from django.urls import path

from . import views

app_name = "notices"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("read-all/", views.mark_all_read, name="mark_all_read"),
    path("<int:notice_id>/", views.detail, name="detail"),
    path("<int:notice_id>/read/", views.mark_read, name="mark_read"),
]
