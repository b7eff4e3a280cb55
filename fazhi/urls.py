from django.urls import include, path

from .api import api

urlpatterns = [
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("fazhi.portal.urls")),
    path("staff/", include("fazhi.web.urls")),
]
