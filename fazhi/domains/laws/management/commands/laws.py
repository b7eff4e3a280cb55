"""Laws from the command line.

fazhi laws import PATH
    import the corpus (JSON Lines, gzip or plain; see
    ../shared/corpus/README.md for the fields). Safe to run again: an
    unchanged record is skipped, a changed one replaces its document.
    Malformed lines are reported with their line number and skipped.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

from fazhi.domains.laws.services import laws_import
from fazhi.kernel.audit.services import Actor


class Command(BaseCommand):
    help = "法规库：导入语料（fazhi laws import PATH）"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="导入 JSON Lines 语料（可重复执行）")
        imp.add_argument("path")
        imp.add_argument("--quiet", action="store_true", help="不显示进度条")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"文件“{path}”不存在。")
        started = time.perf_counter()
        actor = Actor("laws-import")
        if options["quiet"]:
            report = laws_import(actor=actor, path=path)
        else:
            with Progress(
                "[progress.description]{task.description}",
                BarColumn(),
                DownloadColumn(),
                TimeRemainingColumn(),
                transient=True,
            ) as bar:
                task = bar.add_task("导入法规", total=path.stat().st_size)

                def progress(done: int, total: int) -> None:
                    bar.update(task, completed=done, total=total)

                report = laws_import(actor=actor, path=path, progress=progress)
        for lineno, reason in report.errors:
            self.stderr.write(f"第 {lineno} 行：{reason}，已跳过。")
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"共 {report.lines} 行：新增 {report.created} 件，"
            f"更新 {report.updated} 件，"
            f"未变 {report.unchanged} 件，条文 {report.articles} 条，"
            f"跳过 {len(report.errors)} 行；用时 {seconds:.1f} 秒。"
        )
