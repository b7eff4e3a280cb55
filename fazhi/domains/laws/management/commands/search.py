"""Search the laws from the command line, and rebuild the index.

fazhi search "查询词" [--level L] [--status S] [--issuer I] [--region R]
             [--from DATE] [--to DATE] [--limit N] [--page P] [--json]
    --json prints [{"id","title","level","status","article","score",
    "snippet"}, ...] (id is the document's; snippet is HTML with <mark>)
fazhi search reindex
    rebuild the search index from the stored documents
fazhi search --query reindex
    search for the word "reindex" itself
"""

from __future__ import annotations

import json
import time
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.html import strip_tags

from fazhi.domains.laws.models import Level, Status
from fazhi.domains.laws.search import Filters, search
from fazhi.domains.laws.search.backends import current_backend
from fazhi.domains.laws.search.indexing import reindex

CONTRACT = ("id", "title", "level", "status", "article", "score", "snippet")


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"日期“{value}”应写作 YYYY-MM-DD。") from None


class Command(BaseCommand):
    help = "法规检索（fazhi search 查询词 --json；fazhi search reindex 重建索引）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("words", nargs="*", help="查询词；单独的 reindex 重建索引")
        parser.add_argument("--query", default=None, help="查询词（可为 reindex）")
        # Choices: an unknown level (法规x) printed [] as if no law matched.
        parser.add_argument("--level", default="", choices=["", *Level.values])
        statuses = [v for v in Status.values if v]
        parser.add_argument("--status", default="", choices=["", *statuses])
        parser.add_argument("--issuer", default="")
        parser.add_argument("--region", default="")
        parser.add_argument("--from", dest="date_from", default=None)
        parser.add_argument("--to", dest="date_to", default=None)
        parser.add_argument("--limit", type=int, default=10, help="1-30")
        parser.add_argument("--page", type=int, default=1)
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        words = options["words"]
        if options["query"] is None and words == ["reindex"]:
            self._reindex()
            return
        query = options["query"] if options["query"] is not None else " ".join(words)
        filters = Filters(
            level=options["level"],
            status=options["status"],
            issuer=options["issuer"],
            region=options["region"],
            date_from=_date(options["date_from"]),
            date_to=_date(options["date_to"]),
        )
        limit, page_no = options["limit"], options["page"]
        if not 1 <= limit <= 30:
            raise CommandError(f"--limit 应在 1 到 30 之间，收到 {limit}。")
        if page_no < 1:
            raise CommandError(f"--page 应不小于 1，收到 {page_no}。")
        page = search(
            # As typed: a script gets what it asked for; the suggestion line
            # below says when the query looks like a slip for a title.
            query,
            filters=filters,
            page=page_no,
            per_page=limit,
            exact=True,
        )
        if options["json"]:
            rows = [{k: h.as_dict()[k] for k in CONTRACT} for h in page.hits]
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        if page.suggestion:
            self.stdout.write(f"您是不是要找：{page.suggestion}")
        self.stdout.write(f"共 {page.total} 条结果")
        for h in page.hits:
            status = h.status or "未标注"
            self.stdout.write(
                f"{h.score:8.3f}  {h.title} {h.article}  [{h.level}·{status}]"
            )
            self.stdout.write(f"          {strip_tags(str(h.snippet))}")

    def _reindex(self) -> None:
        started = time.perf_counter()
        stats = reindex()
        size = current_backend().size_bytes()
        seconds = time.perf_counter() - started
        size_text = f"{size / 1e6:.1f} MB" if size >= 0 else "未知"
        self.stdout.write(
            f"已重建索引：条文 {stats['articles']} 条，"
            f"{stats['chars'] / 1e6:.1f} M 字，"
            f"用时 {seconds:.1f} 秒，索引 {size_text}。"
        )
