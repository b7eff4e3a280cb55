from django.urls import path

from .views import portal

app_name = "plan_portal"

urlpatterns = [
    path("", portal.published_reports, name="reports"),
    path("<int:pk>.pdf", portal.published_pdf, name="report_pdf"),
]
