"""Index rows from the records, and the full rebuild (`fazhi search reindex`)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from django.db import connection, transaction

from fazhi.kernel.textzh.segment import index_text

from ..models import Article, Document
from .backends import IndexRow, current_backend

BATCH = 2000


def _join(text: str) -> str:
    return index_text(text)


def rows_for(document: Document, articles: Iterable[Article]) -> list[IndexRow]:
    title = _join(document.full_title)
    return [
        IndexRow(
            a.pk, document.pk, title, _join(a.heading), _join(a.text), document.level
        )
        for a in articles
    ]


@contextmanager
def index_batch() -> Iterator[None]:
    """Index many documents as one batch (an import's transaction): the
    PostgreSQL backend counts the new articles' lexemes once, at the end."""
    if connection.vendor != "postgresql":
        yield
        return
    from .pg import terms_counted_at_end

    with terms_counted_at_end():
        yield


def index_document(document: Document, articles: list[Article]) -> None:
    current_backend().add(rows_for(document, articles))


def unindex_document(document: Document, articles: list[Article]) -> None:
    """Call before the articles change: SQLite needs the indexed tokens."""
    current_backend().remove(rows_for(document, articles))


def reindex(progress: Callable[[int], None] | None = None) -> dict[str, float]:
    """Drop every index row and index every article again, in one transaction."""
    backend = current_backend()
    started = time.perf_counter()
    chars = articles = 0
    with transaction.atomic():
        backend.create()
        backend.clear()
        batch: list[IndexRow] = []
        for doc in Document.objects.order_by("pk").iterator(chunk_size=200):
            arts = list(doc.articles.order_by("ordinal"))
            batch.extend(rows_for(doc, arts))
            chars += sum(len(a.text) for a in arts)
            articles += len(arts)
            if len(batch) >= BATCH:
                backend.add(batch)
                batch = []
            if progress:
                progress(1)
        backend.add(batch)
    backend.optimize()
    seconds = time.perf_counter() - started
    return {"articles": articles, "chars": chars, "seconds": seconds}
