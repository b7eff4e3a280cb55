from django.urls import include, path

from .api import api

urlpatterns = [
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("staff/org/", include("fazhi.kernel.org.urls")),
    path("staff/calendar/", include("fazhi.kernel.deadlines.urls")),
    path("staff/audit/", include("fazhi.kernel.audit.urls")),
    path("staff/cases/", include("fazhi.kernel.workflow.urls")),
    path("staff/notices/", include("fazhi.kernel.notices.urls")),
    path("staff/indicators/", include("fazhi.kernel.indicators.urls")),
    path("", include("fazhi.domains.disclosure.urls")),
    path("open311/", include("fazhi.open311.urls")),
    path("", include("fazhi.domains.hotline.urls")),
    path("staff/plan/", include("fazhi.domains.plan.urls")),
    path("staff/laws/", include("fazhi.domains.laws.staff_urls")),
    path("laws/", include("fazhi.domains.laws.urls")),
    path("staff/", include("fazhi.web.urls")),
    path("fazhi-baogao/", include("fazhi.domains.plan.portal_urls")),
    path("", include("fazhi.portal.urls")),
]
