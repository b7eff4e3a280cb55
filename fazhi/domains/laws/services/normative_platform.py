"""A published normative document into the unified query platform.

The laws app owns both sides, so publishing is a direct write: a `Document`
of level 规范性文件 keyed "normative:<case number>", split into articles
and indexed through the search package's public `index_document` /
`unindex_document`. It runs inside the caller's transaction, so a failed
publication leaves neither a half-indexed document nor a published case
(both search backends keep their index in the same database).
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from django.db import transaction

from fazhi.kernel.deadlines.calendar import today
from fazhi.kernel.textzh import normalise

from ..models import Article, Document, Level, NormativeDocument, Status, Validity
from ..parsing import split_articles
from ..search.indexing import index_document, unindex_document

SOURCE_PREFIX = "normative:"
# A document's validity as the query platform names it.
PLATFORM_STATUS = {
    Validity.IN_FORCE: Status.IN_FORCE,
    Validity.EXPIRED: Status.EXPIRED,
    Validity.REPEALED: Status.REPEALED,
}


def _region(agency: Any) -> str:
    """The city (root of the agency tree) the document belongs to."""
    while agency.parent_id is not None:
        agency = agency.parent
    return (agency.short_name or agency.name)[:50]


def _fields(nd: NormativeDocument) -> dict[str, Any]:
    agency = nd.case.agency
    region = _region(agency)
    effective = nd.effective_on or nd.published_on
    status = Status.PENDING if effective and effective > today() else Status.IN_FORCE
    history = [{"date": str(nd.published_on), "event": f"{agency.name}公布"}]
    meta = f"{nd.title}|{nd.doc_number}|{nd.published_on}|{nd.expires_on}"
    return {
        "level": Level.NORMATIVE,
        "title": nd.title[:300],
        "subtitle": "",
        "title_key": normalise(nd.title)[:500],
        "doc_number": nd.doc_number[:100],
        "issuer": agency.name[:200],
        "category": f"{Level.NORMATIVE.value}/{region}"[:100],
        "region": region,
        "published": nd.published_on,
        "first_published": nd.published_on,
        "effective": effective,
        "expiry": nd.expires_on,
        "version_date": nd.published_on,
        "status": status,
        "source_status": "有效",
        "history": history,
        "source_path": nd.case.number,
        "text": nd.text,
        "content_hash": hashlib.sha256(f"{meta}\n{nd.text}".encode()).hexdigest(),
    }


def _articles(doc: Document) -> list[Article]:
    return Article.objects.bulk_create(
        Article(
            document=doc,
            ordinal=i,
            number=p.number,
            heading=p.heading[:400],
            text=p.text,
        )
        for i, p in enumerate(split_articles(doc.text), 1)
    )


def platform_publish(
    nd: NormativeDocument, *, event: str = "", on: date | None = None
) -> Document:
    """Create or refresh the platform's copy of `nd` (its current text); a
    refresh adds `event` (e.g. 按备案审查意见修改) to the history."""
    fields = _fields(nd)
    doc = nd.law_document
    if doc is None:
        doc = Document(source_id=f"{SOURCE_PREFIX}{nd.case.number}", **fields)
        doc.full_clean()
        doc.save()
    else:
        history = list(doc.history)
        unindex_document(doc, list(doc.articles.order_by("ordinal")))
        doc.articles.all().delete()
        for name, value in fields.items():
            setattr(doc, name, value)
        line = {"date": str(on or today()), "event": event} if event else None
        doc.history = [*history, *([line] if line else [])]
        doc.full_clean(exclude=["source_id"])
        doc.save()
    index_document(doc, _articles(doc))
    if nd.law_document_id != doc.pk:
        nd.law_document = doc
        nd.save(update_fields=["law_document"])
    transaction.on_commit(_forget_titles)
    return doc


def platform_mark(nd: NormativeDocument, *, event: str, on: date) -> None:
    """Record in the platform that `nd` ceased to be in force, as its
    validity says: repealed by a decision (废止决定, 清理, 纠错) is 已废止; a
    有效期 that ran out is 失效.

    The source status says the same, so a later `relations_rebuild` keeps it;
    the history line says why and when."""
    doc = nd.law_document
    if doc is None:
        return
    status = PLATFORM_STATUS[Validity(nd.validity)]
    doc.source_status = status.value
    doc.status = status
    # `status` and `reason` let the reading page say when and why it ceased.
    reason = event.split("：", 1)[1] if "：" in event else event
    line = {
        "date": str(on),
        "event": event,
        "status": status.value,
        "reason": reason,
        "day": f"{on.year}年{on.month}月{on.day}日",
    }
    doc.history = [*doc.history, line]
    doc.save(update_fields=["source_status", "status", "history", "updated_at"])


def _forget_titles() -> None:
    from ..search.suggest import forget_titles

    forget_titles()  # "did you mean" sees the new title at once
