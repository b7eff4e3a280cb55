"""Law search over the REST API, mounted at /api/laws. Public (laws are).
The normative-document procedure is under /api/laws/normative (normative_api).

GET /search?q=&level=&status=&region=&issuer=&date_from=&date_to=&page=&per_page=
           &exact=
    page 1..1000, per_page 1..30 (outside: 422 naming the field). A title with
    a typing slip (行证处罚法) is searched as the title it misses, and
    corrected_from gives the query as typed; exact=true searches as typed.
    {"query", "total", "page", "per_page", "pages", "suggestion",
     "corrected_from",
     "results": [{"id", "article_id", "title", "level", "status", "article",
                  "anchor", "score", "snippet"}]}
"""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from pydantic import field_validator

from .models import Level, Status
from .normative_api import router as normative_router
from .search import Filters, search

router = Router(tags=["laws"])
# 规范性文件全流程管理 (staff only: the API-wide session auth applies).
router.add_router("/normative", normative_router)


class SearchParams(Schema):
    q: str = ""
    level: str = ""
    status: str = ""
    region: str = ""
    issuer: str = ""
    date_from: date | None = None
    date_to: date | None = None
    # Refused rather than quietly changed: per_page=0 used to answer with
    # one result a page and per_page=100 with 30, and the answer did not say.
    page: int = Field(1, ge=1, le=1000)
    per_page: int = Field(10, ge=1, le=30)
    exact: bool = False  # search as typed, without correcting a title slip

    # An unknown level or status (法规, 现行有效) matched nothing and answered
    # "0 results", which reads as "no such law".
    @field_validator("level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        if value and value not in Level.values:
            raise ValueError("效力层级应为以下之一：" + "、".join(Level.values))
        return value

    @field_validator("status")
    @classmethod
    def _known_status(cls, value: str) -> str:
        if value and value not in Status.values:
            allowed = [v for v in Status.values if v]
            raise ValueError("时效性应为以下之一：" + "、".join(allowed))
        return value


class HitOut(Schema):
    id: int
    article_id: int
    title: str
    level: str
    status: str
    article: str
    anchor: str
    score: float
    snippet: str


class SearchOut(Schema):
    query: str
    total: int
    page: int
    per_page: int
    pages: int
    suggestion: str
    corrected_from: str  # the query as typed, when a slip was corrected
    results: list[HitOut]


@router.get("/search", response=SearchOut, auth=None)
def search_laws(request: HttpRequest, params: Query[SearchParams]) -> dict:
    filters = Filters(
        level=params.level,
        status=params.status,
        region=params.region[:50],
        issuer=params.issuer[:100],
        date_from=params.date_from,
        date_to=params.date_to,
    )
    page = search(
        params.q[:400],
        filters=filters,
        page=params.page,
        per_page=params.per_page,
        exact=params.exact,
    )
    return {
        "query": page.query,
        "total": page.total,
        "page": page.page,
        "per_page": page.per_page,
        "pages": page.pages,
        "suggestion": page.suggestion,
        "corrected_from": page.corrected_from,
        "results": [h.as_dict() for h in page.hits],
    }
