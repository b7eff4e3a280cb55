"""`fazhi audit verify | checkpoint | show RECORD_TYPE RECORD_ID`.

verify      check every chain, head and checkpoint; exit 1 naming each
            tampered record, exit 0 with a summary when clean
checkpoint  seal the events written since the last checkpoint now
show        print one record's timeline
"""

from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, transaction
from django.utils import timezone
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from fazhi.kernel.audit.models import AuditEvent
from fazhi.kernel.audit.services import (
    Actor,
    CheckpointBusy,
    audit_verify_recorded,
    checkpoint_seal,
)
from fazhi.kernel.audit.verify import verify

CLI = Actor("cli")
STAGES = {"chains": "校验哈希链", "checkpoints": "校验检查点"}


class Command(BaseCommand):
    help = "全过程记录：校验、封存检查点、查看记录时间线"
    # Verifying must not depend on the rest of the site importing cleanly.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        v = sub.add_parser("verify", help="校验哈希链与检查点")
        v.add_argument("--max-problems", type=int, default=200)
        v.add_argument("--no-progress", action="store_true")
        v.add_argument(
            "--expect-root",
            action="append",
            default=[],
            metavar="ROOT",
            help="第三方保存的检查点根哈希，须仍在记录中（可重复）",
        )
        v.add_argument("--chunk-size", type=int, default=2000, help="每批读取的事件数")
        sub.add_parser("checkpoint", help="立即封存检查点")
        s = sub.add_parser("show", help="查看一条记录的时间线")
        s.add_argument("record_type")
        s.add_argument("record_id")

    def handle(self, *args: Any, **options: Any) -> None:
        console = Console(
            file=cast(IO[str], self.stdout), highlight=False, soft_wrap=True
        )
        if options["action"] == "verify":
            self._verify(console, options)
        elif options["action"] == "checkpoint":
            self._checkpoint(console)
        else:
            self._show(console, options["record_type"], options["record_id"])

    def _verify(self, console: Console, options: dict[str, Any]) -> None:
        show_progress = not options["no_progress"] and console.is_terminal
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=console,
            disable=not show_progress,
            transient=True,
        ) as bar:
            tasks: dict[str, Any] = {}

            def tick(stage: str, done: int, total: int) -> None:
                if stage not in tasks:
                    tasks[stage] = bar.add_task(STAGES.get(stage, stage), total=total)
                bar.update(tasks[stage], completed=done, total=total)

            report = verify(
                expected_roots=options["expect_root"],
                progress=tick,
                max_problems=options["max_problems"],
                chunk_size=options["chunk_size"],
            )
        try:
            with transaction.atomic():
                audit_verify_recorded(actor=CLI, summary=report.as_dict())
        except DatabaseError as exc:  # a tampered database may refuse even this
            report.warnings.append(f"could not record this verification: {exc}")
        for warning in report.warnings:
            console.print(f"warning: {warning}")
        for problem in report.problems:
            console.print(str(problem), markup=False)
        if report.problem_count > len(report.problems):
            console.print(f"... {report.problem_count - len(report.problems)} more")
        console.print(report.summary())
        if not report.ok:
            raise CommandError(
                f"audit record verification failed: {report.problem_count} problems",
                returncode=1,
            )

    def _checkpoint(self, console: Console) -> None:
        try:
            checkpoint = checkpoint_seal(actor=CLI)
        except CheckpointBusy as exc:
            raise CommandError(str(exc), returncode=2) from exc
        if checkpoint is None:
            console.print("nothing to seal: no event since the last checkpoint")
            return
        console.print(
            f"checkpoint #{checkpoint.pk}: {checkpoint.event_count} events "
            f"#{checkpoint.first_event_id}-#{checkpoint.last_event_id}, "
            f"root {checkpoint.root}"
        )

    def _show(self, console: Console, record_type: str, record_id: str) -> None:
        events = AuditEvent.objects.filter(
            record_type=record_type, record_id=record_id
        ).order_by("seq")
        table = Table(title=f"{record_type}:{record_id}")
        for column in ("seq", "time", "actor", "action", "payload", "hash"):
            table.add_column(column)
        rows = 0
        for event in events.iterator(chunk_size=500):
            rows += 1
            table.add_row(
                str(event.seq),
                timezone.localtime(event.created_at).strftime("%Y-%m-%d %H:%M:%S"),
                event.actor_label,
                event.action,
                _short(event.payload),
                event.hash[:12],
            )
        if not rows:
            raise CommandError(f"no events for {record_type}:{record_id}", returncode=1)
        console.print(table)


def _short(payload: Any, limit: int = 80) -> str:
    text = str(payload)
    return text if len(text) <= limit else text[: limit - 1] + "…"
