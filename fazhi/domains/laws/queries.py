"""Every read of the laws app outside search. Laws are public: a document
that does not exist answers 404, there is nothing else to hide."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F
from django.http import Http404

from .models import Article, Document, Level, Relation, Status
from .search import Filters
from .services.versions import version_key


@dataclass
class TocEntry:
    heading: str
    anchor: str
    depth: int


@dataclass
class RelationRow:
    label: str
    document: Document
    date: date | None
    # Another version of the same instrument: its date tells it apart ("修改了
    # 中华人民共和国行政复议法" on the 2023 text read as if it changed itself).
    version_date: date | None = None


def document_get(pk: int) -> Document:
    doc = Document.objects.filter(pk=pk).first()
    if doc is None:
        raise Http404("No such document.")
    return doc


def document_articles(doc: Document) -> list[Article]:
    return list(doc.articles.order_by("ordinal"))


def _new_headings(articles: list[Article]) -> list[tuple[Article, list[TocEntry]]]:
    """Each article with the chapter/section headings that begin at it: the
    levels of its heading path that differ from the previous article's."""
    out: list[tuple[Article, list[TocEntry]]] = []
    previous: list[str] = []
    for art in articles:
        path = [p.strip() for p in art.heading.split(" / ") if p.strip()]
        same = 0
        while same < min(len(path), len(previous)) and path[same] == previous[same]:
            same += 1
        out.append(
            (
                art,
                [
                    TocEntry(title, f"{art.anchor}h{depth}", depth)
                    for depth, title in enumerate(path)
                    if depth >= same
                ],
            )
        )
        previous = path
    return out


@dataclass
class ReadingBlock:
    article: Article
    headings: list[TocEntry]  # the chapter/section headings shown above it


_BLANK = str.maketrans("", "", "\u200b\u200c\u200d\ufeff")


def reading_blocks(articles: list[Article]) -> list[ReadingBlock]:
    """The articles as read: each chapter and section heading once, where it
    begins (not "第二章 … / 第一节 …" again above every section), and no
    empty blocks for blank preambles (some texts hold only a zero-width
    space there)."""
    blocks: list[ReadingBlock] = []
    carried: list[TocEntry] = []
    for art, headings in _new_headings(articles):
        carried += headings
        if not art.number and not art.text.translate(_BLANK).strip():
            continue
        blocks.append(ReadingBlock(art, carried))
        carried = []
    return blocks


def table_of_contents(articles: list[Article]) -> list[TocEntry]:
    """One entry per chapter/section, once, where it begins (a section used
    to be listed again for every article in it)."""
    return [entry for _, entries in _new_headings(articles) for entry in entries]


def document_versions(doc: Document) -> list[Document]:
    versions = list(
        Document.objects.filter(title_key=doc.title_key).only(
            "pk",
            "title",
            "subtitle",
            "status",
            "version_date",
            "published",
            "effective",
        )
    )
    return sorted(versions, key=version_key)


def newer_version(doc: Document, versions: list[Document]) -> Document | None:
    """The latest version of `doc`'s instrument when `doc` is not it (so the
    reading page can say it shows an older text), else None."""
    latest = versions[-1] if versions else None
    return latest if latest is not None and latest.pk != doc.pk else None


def version_in_force(doc: Document, on: date) -> Document | None:
    """The version of `doc`'s instrument in force on `on`: the latest one
    whose effective (else publish, else version) date is not after `on`."""
    best = None
    for version in document_versions(doc):
        start = version.effective or version.published or version.version_date
        if start and start <= on:
            best = version
    return best


_OUT = {
    Relation.Kind.AMEND: "修改了",
    Relation.Kind.REPEAL: "废止了",
    Relation.Kind.INTERPRET: "解释",
}
_IN = {
    Relation.Kind.AMEND: "被修改为",
    Relation.Kind.REPEAL: "被废止，依据",
    Relation.Kind.INTERPRET: "司法解释",
}


def document_relations(doc: Document) -> list[RelationRow]:
    def row(label: str, other: Document, when: date | None) -> RelationRow:
        version = None
        if other.title_key == doc.title_key:
            version = other.version_date or other.published
        return RelationRow(label, other, when, version)

    rows = [
        row(_OUT[Relation.Kind(r.kind)], r.target, r.date)
        for r in doc.relations_out.select_related("target")
    ]
    rows += [
        row(_IN[Relation.Kind(r.kind)], r.source, r.date)
        for r in doc.relations_in.select_related("source")
    ]
    return rows


def corpus_stats() -> dict[str, object]:
    by_level = dict(
        Document.objects.values_list("level").annotate(n=Count("pk")).order_by()
    )
    by_status = dict(
        Document.objects.values_list("status").annotate(n=Count("pk")).order_by()
    )
    return {
        "documents": sum(by_level.values()),
        "articles": Article.objects.count(),
        "levels": [(lv.label, by_level.get(lv.value, 0)) for lv in Level],
        "statuses": [(st.label, by_status.get(st.value, 0)) for st in Status],
    }


def filter_choices() -> dict[str, list[tuple[str, str]]]:
    regions = (
        Document.objects.exclude(region="")
        .values_list("region", flat=True)
        .distinct()
        .order_by("region")
    )
    return {
        "levels": [(lv.value, lv.label) for lv in Level],
        "statuses": [(st.value, st.label) for st in Status if st.value],
        "regions": [(r, r) for r in regions],
    }


@dataclass
class BrowseRow:
    """One document in a list by filters only, shaped like a search hit."""

    document_id: int
    title: str
    level: str
    status: str
    doc_number: str
    published: date | None
    article: str = ""
    anchor: str = ""
    heading: str = ""
    snippet: str = ""


@dataclass
class BrowsePage:
    hits: list[BrowseRow]
    total: int
    page: int
    per_page: int
    suggestion: str = ""
    browsing: bool = True

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def documents_browse(
    filters: Filters, *, page: int = 1, per_page: int = 10
) -> BrowsePage:
    """The documents passing the filters, newest first: what someone who
    picks 效力层级 = 规范性文件 and no keyword wants to see (search needs
    words, so this used to show nothing at all)."""
    qs = Document.objects.filter(**filters.lookups())
    total = qs.count()
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    rows = qs.order_by(F("published").desc(nulls_last=True), "title", "pk").values_list(
        "pk", "title", "subtitle", "level", "status", "doc_number", "published"
    )[(page - 1) * per_page : page * per_page]
    hits = [
        BrowseRow(
            pk,
            f"{title}（{subtitle}）" if subtitle else title,
            level,
            status,
            doc_number or "",
            published,
        )
        for pk, title, subtitle, level, status, doc_number, published in rows
    ]
    return BrowsePage(hits, total, page, per_page)
