"""The REST API: one NinjaAPI assembled from the apps' routers.

OpenAPI at /api/openapi.json, interactive docs at /api/docs.
"""

from ninja import NinjaAPI
from ninja.security import django_auth

api = NinjaAPI(
    title="fazhi API",
    version="1",
    description="法治政府建设数字化平台接口",
    auth=django_auth,
    urls_namespace="api",
)


@api.get("/health", auth=None, tags=["system"])
def health(request):  # type: ignore[no-untyped-def]
    return {"status": "ok"}
