"""The REST API: one NinjaAPI assembled from the apps' routers.

OpenAPI at /api/openapi.json, interactive docs at /api/docs.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import django_auth

from fazhi.api_errors import translated
from fazhi.domains.disclosure.api import router as disclosure_router
from fazhi.domains.hotline.api import router as hotline_router
from fazhi.domains.laws.api import router as laws_router
from fazhi.domains.plan.api import router as plan_router
from fazhi.kernel.audit.api import router as audit_router
from fazhi.kernel.deadlines.api import router as deadlines_router
from fazhi.kernel.indicators.api import router as indicators_router
from fazhi.kernel.notices.api import router as notices_router
from fazhi.kernel.org.api import router as org_router
from fazhi.kernel.workflow.api import router as workflow_router
from fazhi.kernel.workflow.engine import WorkflowError

api = NinjaAPI(
    title="fazhi API",
    version="1",
    description="法治政府建设数字化平台接口",
    auth=django_auth,
    urls_namespace="api",
)
api.add_router("/org", org_router)
api.add_router("/deadlines", deadlines_router)
api.add_router("/audit", audit_router)
api.add_router("/cases", workflow_router)
api.add_router("/notices", notices_router)
api.add_router("/indicators", indicators_router)
api.add_router("/plan", plan_router)
api.add_router("/disclosure", disclosure_router)
api.add_router("/hotline", hotline_router)
api.add_router("/laws", laws_router)


@api.get("/health", auth=None, tags=["system"])
def health(request):  # type: ignore[no-untyped-def]
    return {"status": "ok"}


# Errors the services raise become clear answers, never a 500.
@api.exception_handler(DjangoValidationError)
def on_validation_error(request, exc):  # type: ignore[no-untyped-def]
    detail = (
        exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    )
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(NinjaValidationError)
def on_request_invalid(request, exc):  # type: ignore[no-untyped-def]
    return api.create_response(request, {"detail": translated(exc.errors)}, status=422)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc):  # type: ignore[no-untyped-def]
    return api.create_response(request, {"detail": str(exc) or "无权操作"}, status=403)


@api.exception_handler(WorkflowError)
def on_workflow_error(request, exc):  # type: ignore[no-untyped-def]
    return api.create_response(request, {"detail": str(exc)}, status=409)
