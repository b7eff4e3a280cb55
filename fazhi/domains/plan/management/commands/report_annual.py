"""fazhi report annual --year 2026 [--plan ID] [--out DIR]

Generates the next version of the year's 法治政府建设年度报告 from the data
(the same service as the page's button), writes its DOCX and PDF, and says
how long it took and how many days are left before the report is due to the
level above (1 March) and to the public (1 April), per plan/rules.py.
"""

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console

from fazhi.kernel.audit.services import audit_export
from fazhi.kernel.deadlines.calendar import today

from ... import services
from ...models import AnnualReportVersion, Plan
from ...rules import REPORT_PUBLISH, REPORT_SUBMIT


class Command(BaseCommand):
    help = "生成法治政府建设年度报告（DOCX 和 PDF，保存为新版本）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", required=True, type=int, help="报告年度")
        parser.add_argument("--plan", type=int, help="实施方案编号（默认最新导入的）")
        parser.add_argument("--out", help="输出目录（默认 var/reports）", default=None)

    def handle(self, *args: Any, **opts: Any) -> None:
        year = opts["year"]
        plan = self._plan(opts["plan"])
        out = Path(opts["out"]) if opts["out"] else settings.VAR_DIR / "reports"
        started = time.perf_counter()
        try:
            report = services.annual_report_get_or_create(
                actor=None, plan=plan, year=year
            )
            with Console(stderr=True).status(f"正在生成 {year} 年度报告……"):
                version = services.annual_report_generate(actor=None, report=report)
        except ValidationError as exc:
            raise CommandError(_message(exc)) from None
        seconds = time.perf_counter() - started
        if version.state != AnnualReportVersion.State.DONE:
            raise CommandError(f"第 {version.version} 版生成失败：{version.error}")
        out.mkdir(parents=True, exist_ok=True)
        paths = []
        for ext in ("docx", "pdf"):
            path = out / f"法治政府建设年度报告-{year}-v{version.version}.{ext}"
            path.write_bytes(bytes(getattr(version, ext)))
            audit_export(
                actor=None,
                what="plan.annual_report",
                filters={
                    "plan": plan.pk,
                    "year": year,
                    "version": version.version,
                    "format": ext,
                },
                rows=1,
            )
            paths.append(path)
        self.stdout.write(f"方案：{plan.title}（编号 {plan.pk}）")
        self.stdout.write(
            f"{year} 年度报告第 {version.version} 版，用时 {seconds:.1f} 秒"
            f"（SHA-256 {version.sha256[:16]}…）"
        )
        for path in paths:
            self.stdout.write(str(path))
        on = today()
        self.stdout.write(REPORT_SUBMIT.countdown(year, on))
        self.stdout.write(REPORT_PUBLISH.countdown(year, on))

    def _plan(self, pk: int | None) -> Plan:
        if pk is not None:
            plan = Plan.objects.select_related("owner").filter(pk=pk).first()
            if plan is None:
                raise CommandError(f"--plan: 没有编号为 {pk} 的实施方案")
            return plan
        plan = (
            Plan.objects.select_related("owner").order_by("-created_at", "-pk").first()
        )
        if plan is None:
            raise CommandError("还没有导入实施方案：请先运行 fazhi plan import 文件")
        return plan


def _message(exc: ValidationError) -> str:
    """The service's words; prefixed with the option when one is to blame."""
    if not hasattr(exc, "error_dict"):
        return "；".join(exc.messages)
    return "；".join(
        f"--{k}: {'，'.join(v)}" if k in ("year", "plan") else "，".join(v)
        for k, v in exc.message_dict.items()
    )
