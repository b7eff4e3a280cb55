"""Search over the articles of every document.

    page = search("政府信息公开条例 第三十三条", filters=Filters(level="行政法规"))
    page.hits[0].title, page.hits[0].article, page.hits[0].snippet

The results contract is the same on both databases (see `Hit.as_dict`);
only the scale of `score` differs (bm25 vs ts_rank; higher is better).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.safestring import SafeString

from ..models import Article
from . import rank
from .backends import Filters
from .query import QueryPlan, build_plan
from .snippet import make_snippet
from .suggest import is_misspelt, suggest_title

PER_DOCUMENT = 3  # articles of one document shown before the next document
ARTICLE_PEERS = 0.5  # see _article_lookup
MAX_PAGE = 30

__all__ = ["Filters", "Hit", "SearchPage", "build_plan", "search"]


@dataclass
class Hit:
    article_id: int
    document_id: int
    title: str
    level: str
    status: str
    article: str  # 第X条, or "" for a preamble / unnumbered text
    heading: str
    anchor: str
    score: float
    snippet: SafeString
    published: object = None
    base_title: str = ""  # the title without the subtitle
    doc_number: str = ""  # 文号, for normative documents

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.document_id,
            "article_id": self.article_id,
            "title": self.title,
            "level": self.level,
            "status": self.status,
            "article": self.article,
            "anchor": self.anchor,
            "score": round(self.score, 4),
            "snippet": str(self.snippet),
        }


@dataclass
class SearchPage:
    query: str
    plan: QueryPlan
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = 10
    suggestion: str = ""
    corrected_from: str = ""  # the query as typed, when a slip was corrected

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _article_lookup(
    plan: QueryPlan, ranked: list[tuple[int, int, float]]
) -> list[tuple[int, int, float]]:
    """The named article of the best-matching documents comes first: those
    scoring at least ARTICLE_PEERS of the best (the law named and its other
    versions). The same article number of a loosely matching law is no
    answer to "行政处罚法 第三十二条" and keeps its place in the ranking."""
    doc_order: dict[int, float] = {}
    for _, did, score in ranked:
        doc_order.setdefault(did, score)
        if len(doc_order) == 10:
            break
    if doc_order:
        best = max(doc_order.values())
        if best > 0:
            doc_order = {
                d: s for d, s in doc_order.items() if s >= ARTICLE_PEERS * best
            }
    found = Article.objects.filter(
        document_id__in=doc_order, number=plan.article
    ).values_list("pk", "document_id")
    named = sorted(
        ((aid, did, doc_order[did]) for aid, did in found),
        key=lambda row: -row[2],
    )
    ids = {aid for aid, _, _ in named}
    return named + [row for row in ranked if row[0] not in ids]


def _collapse(ranked: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    """At most PER_DOCUMENT articles per document, then the others after."""
    shown: dict[int, int] = {}
    first, rest = [], []
    for row in ranked:
        n = shown.get(row[1], 0)
        (first if n < PER_DOCUMENT else rest).append(row)
        shown[row[1]] = n + 1
    return first + rest


def search(
    q: str | None,
    *,
    filters: Filters | None = None,
    page: int = 1,
    per_page: int = 10,
    exact: bool = False,
) -> SearchPage:
    """One page of results. A query that is a title with a typing slip
    (行证处罚法) is answered for the title, saying so, unless `exact`."""
    result = _search(build_plan(q), filters or Filters(), page, per_page)
    if exact or not result.suggestion:
        return result
    typed = result.plan.rest or result.plan.text
    if not is_misspelt(typed, result.suggestion):
        return result
    article = f" {result.plan.article}" if result.plan.article else ""
    fixed = _search(
        build_plan(result.suggestion + article), filters or Filters(), page, per_page
    )
    fixed.corrected_from = result.query
    fixed.suggestion = ""
    return fixed


def _search(plan: QueryPlan, filters: Filters, page: int, per_page: int) -> SearchPage:
    per_page = max(1, min(per_page, MAX_PAGE))
    page = max(1, page)
    result = SearchPage(query=plan.text, plan=plan, page=page, per_page=per_page)
    if plan.empty:
        return result
    ranked = rank.ranked(plan, filters)
    if plan.article:
        ranked = _article_lookup(plan, ranked)
    ranked = _collapse(ranked)
    result.total = len(ranked)
    window = ranked[(page - 1) * per_page : page * per_page]
    # Plain values, not model instances (and never the document's full
    # text): building ten Articles with their Documents was a third of a
    # search's CPU time.
    fields = (
        "id", "number", "heading", "ordinal", "text", "document_id",
        "document__title", "document__subtitle", "document__level",
        "document__status", "document__published", "document__doc_number",
    )  # fmt: skip
    rows = {
        r[0]: r
        for r in Article.objects.filter(pk__in=[aid for aid, _, _ in window])
        .order_by()
        .values_list(*fields)
    }
    terms = plan.highlight_terms()
    for aid, _, score in window:
        row = rows.get(aid)
        if row is None:  # an index row left by a flushed test database
            continue
        _, number, heading, ordinal, text, did, title, subtitle = row[:8]
        level, status, published, doc_number = row[8:]
        result.hits.append(
            Hit(
                article_id=aid,
                document_id=did,
                title=f"{title}（{subtitle}）" if subtitle else title,
                level=level,
                status=status,
                article=number,
                heading=heading,
                anchor=Article(ordinal=ordinal).anchor,
                score=score,
                snippet=make_snippet(text, terms),
                published=published,
                base_title=title,
                doc_number=doc_number or "",
            )
        )
    top_titles = [h.title for h in result.hits[:3]]
    result.suggestion = suggest_title(plan.rest or plan.text, top_titles)
    return result
