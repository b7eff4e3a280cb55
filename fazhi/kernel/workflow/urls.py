from django.urls import path

from . import views

app_name = "workflow"
urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("<str:number>/", views.case_detail, name="case_detail"),
    path("<str:number>/transition/", views.case_fire, name="case_fire"),
]
