"""`fazhi hotline_import FILE --user NAME`: register a sheet of calls (CSV or
XLSX) as 12345 tickets, as the named centre operator, in batches.

Each batch is all or none; a bad row stops the import with its line number
and field, after the batches before it have been saved. Running the file
again after fixing it makes nothing twice (every row has a stable key)."""

import re
from itertools import islice
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from rich.progress import Progress

from ...importfile import HEADERS, TYPES, read_rows
from ...models import Ticket
from ...services.intake_batch import IMPORT_MAX, tickets_import

_ROW_KEY = re.compile(r"^row (\d+): (.*)$")


def _messages(exc: ValidationError, lines: list[int]) -> str:
    """The service names rows by position in the batch and fields by code;
    say the file's line and the sheet's column."""
    out = []
    for key, msgs in exc.message_dict.items():
        m = _ROW_KEY.match(key)
        where = f"第 {lines[int(m[1]) - 1]} 行“{HEADERS.get(m[2], m[2])}”" if m else key
        text = "；".join(msgs)
        if m and m[2] == "ticket_type":
            text += f"（可填：{'、'.join(TYPES)}）"
        out.append(f"{where}：{text}")
    return "\n".join(out)


class Command(BaseCommand):
    help = "从 CSV/XLSX 批量登记 12345 来电工单（可重复执行，不会重复登记）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--user", required=True, help="登记人（热线中心话务员）用户名"
        )
        parser.add_argument(
            "--batch", type=int, default=500, help=f"每批条数（1-{IMPORT_MAX}）"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        path: Path = opts["path"]
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        size = opts["batch"]
        if not 1 <= size <= IMPORT_MAX:
            raise CommandError(f"--batch 应在 1 至 {IMPORT_MAX} 之间")
        user = get_user_model().objects.filter(username=opts["user"]).first()
        if user is None:
            raise CommandError(f"没有这个用户：{opts['user']}")
        try:
            rows = list(read_rows(path))
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        # Every row has a key, so what was registered before is what the
        # keys already name (counting all tickets would count others' too).
        keys = {row["idempotency_key"] for _, row in rows}
        ordered = sorted(keys)
        known: set[str] = set()
        for start in range(0, len(ordered), 500):
            known.update(
                Ticket.objects.filter(
                    idempotency_key__in=ordered[start : start + 500], api_client=None
                ).values_list("idempotency_key", flat=True)
            )
        saved = 0
        with Progress(disable=opts["verbosity"] < 1) as progress:
            task = progress.add_task("登记工单", total=len(rows))
            it = iter(rows)
            while part := list(islice(it, size)):
                lines = [line for line, _ in part]
                try:
                    tickets_import(
                        actor=user, rows=[row for _, row in part], channel="phone"
                    )
                except ValidationError as exc:
                    kept = f"前 {saved} 行已保存；" if saved else ""
                    raise CommandError(
                        f"{kept}第 {lines[0]} 行起的各行均未保存（每批 {size} 行，"
                        "整批保存）。改正后重新运行即可，已保存的不会重复：\n"
                        + _messages(exc, lines)
                    ) from None
                except PermissionDenied as exc:
                    raise CommandError(str(exc)) from None
                saved += len(part)
                progress.update(task, advance=len(part))
        made = len(keys - known)
        self.stdout.write(
            self.style.SUCCESS(
                f"已处理 {saved} 行：新登记 {made} 件，"
                f"其余 {saved - made} 行此前已登记或在文件中重复"
            )
        )
