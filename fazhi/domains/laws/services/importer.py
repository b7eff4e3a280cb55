"""`fazhi laws import PATH`: the corpus (JSON Lines, gzip or plain) into
documents, articles and the search index.

Idempotent: a document is keyed by its source id and carries the hash of its
record, so a re-import of the same file changes nothing and a changed record
replaces its document's articles and index rows. A line that is not a valid
record is reported with its number and skipped; a source id seen twice in one
file is imported once. One audit event records the run.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from fazhi.kernel.audit.services import audit_record
from fazhi.kernel.textzh import normalise

from ..models import Article, Document, Level
from ..parsing import split_articles
from ..search.indexing import index_batch, index_document, unindex_document
from .versions import relations_rebuild

BATCH = 100
Progress = Callable[[int, int], None]  # bytes read, bytes in total
# "国务院令第708号" in a history line is the document number (文号).
_ORDER_RE = re.compile(
    r"([^\s，,（(《]{0,20}令(?:第|〔\d{4}〕)[\d一二三四五六七八九十百零]+号)"
)
_NATIONAL = "全国"
# Levels that bind the whole country: their category's second part names the
# issuing ministry (部门规章/公安部), not a region.
_NATIONWIDE = {
    Level.CONSTITUTION, Level.LAW, Level.ADMIN_REGULATION,
    Level.DEPARTMENT_RULE, Level.JUDICIAL,
}  # fmt: skip


def region_of(level: str, category: str) -> str:
    """全国 for national instruments, the region of a local one, and nothing
    for a case (案例/消费购物 is a topic)."""
    if level in _NATIONWIDE:
        return _NATIONAL
    if level == Level.CASE:
        return ""
    return category.split("/", 1)[1][:50] if "/" in category else _NATIONAL


def order_number(history: list[Any], version_date: str | None) -> str:
    """The decree number (国务院令第711号) of the latest history line up to
    the version's own date: the 2019 text of a regulation first made by
    国务院令第492号 was revised by 第711号."""
    number = ""
    for h in history:
        if not isinstance(h, dict):
            continue
        if version_date and str(h.get("date") or "") > version_date:
            continue  # a later amendment this text does not have
        found = _ORDER_RE.search(str(h.get("event", "")))
        if found:
            number = found.group(1)[:100]
    return number


@dataclass
class ImportReport:
    lines: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    articles: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "lines": self.lines,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "articles": self.articles,
            "errors": len(self.errors),
        }


def _date(value: Any) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _record(raw: bytes) -> dict[str, Any]:
    """The record of one line, or ValueError with a Chinese reason."""
    try:
        rec = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ValueError("不是 UTF-8 文本") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"不是有效的 JSON（{exc.msg}）") from None
    if not isinstance(rec, dict):
        raise ValueError("不是 JSON 对象")
    for key in ("id", "title", "text"):
        if not isinstance(rec.get(key), str) or not rec[key].strip():
            raise ValueError(f"缺少字段“{key}”")
    if len(rec["id"]) > 64:
        raise ValueError("编号过长")
    return rec


def _fields(rec: dict[str, Any], digest: str) -> dict[str, Any]:
    level = rec.get("level") if rec.get("level") in Level.values else Level.OTHER
    category = str(rec.get("category") or "")
    history = rec.get("history") if isinstance(rec.get("history"), list) else []
    subtitle = str(rec.get("subtitle") or "")[:200]
    title = rec["title"].strip()[:300]
    return {
        "level": level,
        "title": title,
        "subtitle": subtitle,
        "title_key": normalise(f"{title} {subtitle}".strip())[:500],
        "doc_number": order_number(history, str(rec.get("version_date") or "")),
        "issuer": str(rec.get("issuer") or "")[:200],
        "category": category[:100],
        "region": region_of(level, category),
        "published": _date(rec.get("published")),
        "first_published": _date(rec.get("first_published")),
        "effective": _date(rec.get("effective")),
        "expiry": _date(rec.get("expiry")),
        "version_date": _date(rec.get("version_date")),
        "source_status": str(rec.get("status") or "")[:8],
        "history": history,
        "source_path": str(rec.get("source_path") or "")[:500],
        "text": rec["text"],
        "content_hash": digest,
    }


def _upsert(existing: Document | None, fields: dict[str, Any]) -> tuple[Document, int]:
    if existing is not None:
        old = list(existing.articles.order_by("ordinal"))
        unindex_document(existing, old)
        existing.articles.all().delete()
        for name, value in fields.items():
            setattr(existing, name, value)
        existing.full_clean(exclude=["source_id", "status"])
        existing.save()
        doc = existing
    else:
        doc = Document(**fields)
        doc.full_clean(exclude=["status"])
        doc.save()
    parsed = split_articles(doc.text)
    articles = Article.objects.bulk_create(
        Article(
            document=doc,
            ordinal=i,
            number=p.number,
            heading=p.heading[:400],
            text=p.text,
        )
        for i, p in enumerate(parsed, 1)
    )
    index_document(doc, articles)
    return doc, len(articles)


def _lines(stream: BinaryIO) -> BinaryIO:
    head = stream.read(2)
    stream.seek(0)
    if head == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=stream)  # type: ignore[return-value]
    return stream


def laws_import(
    *, actor: Any, path: Path, progress: Progress | None = None
) -> ImportReport:
    """Import (or refresh) every document of the file at `path`."""
    report = ImportReport()
    known = {
        sid: (pk, digest)
        for pk, sid, digest in Document.objects.values_list(
            "pk", "source_id", "content_hash"
        )
    }
    seen: dict[str, int] = {}
    pending: list[tuple[int, dict[str, Any], str]] = []
    total = path.stat().st_size
    with path.open("rb") as raw:
        for lineno, line in enumerate(_lines(raw), 1):
            report.lines = lineno
            if not line.strip():
                continue
            try:
                rec = _record(line)
            except ValueError as exc:
                report.errors.append((lineno, str(exc)))
                continue
            sid = rec["id"].strip()
            if sid in seen:
                report.errors.append(
                    (lineno, f"编号 {sid} 与第 {seen[sid]} 行重复，未再导入")
                )
                continue
            seen[sid] = lineno
            canonical = json.dumps(rec, ensure_ascii=False, sort_keys=True)
            digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
            if sid in known and known[sid][1] == digest:
                report.unchanged += 1
            else:
                pending.append((lineno, rec, digest))
            if len(pending) >= BATCH:
                _flush(pending, known, report)
                pending = []
            if progress:
                progress(raw.tell(), total)
    _flush(pending, known, report)
    with transaction.atomic():
        changed = relations_rebuild() if report.created or report.updated else 0
        audit_record(
            actor=actor,
            action="laws.import",
            record_type="laws",
            record_id="import",
            payload={**report.as_dict(), "file": path.name, "statuses": changed},
        )
    if progress:
        progress(total, total)
    if report.created or report.updated:
        from ..search.suggest import forget_titles

        forget_titles()  # "did you mean" sees the new titles at once
    return report


def _flush(
    pending: list[tuple[int, dict[str, Any], str]],
    known: dict[str, tuple[int, str]],
    report: ImportReport,
) -> None:
    if not pending:
        return
    with transaction.atomic(), index_batch():
        ids = [rec["id"].strip() for _, rec, _ in pending]
        existing = Document.objects.in_bulk([known[i][0] for i in ids if i in known])
        for lineno, rec, digest in pending:
            sid = rec["id"].strip()
            prior = existing.get(known[sid][0]) if sid in known else None
            fields = _fields(rec, digest)
            if prior is None:
                fields["source_id"] = sid
            try:
                with transaction.atomic():
                    doc, n = _upsert(prior, fields)
            except ValidationError as exc:
                report.errors.append((lineno, "；".join(exc.messages)))
                continue
            except IntegrityError:
                # Another import run created this source id first (two runs
                # at once): it is there once, which is what matters.
                report.errors.append((lineno, f"编号 {sid} 已由另一导入进程写入"))
                continue
            known[sid] = (doc.pk, digest)
            report.articles += n
            if prior is None:
                report.created += 1
            else:
                report.updated += 1
