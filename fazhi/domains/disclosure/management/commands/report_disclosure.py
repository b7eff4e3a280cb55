"""fazhi report disclosure --agency 420200-SCJ --year 2026 [--scope own] [--out DIR]

Writes the 政府信息公开工作年度报告 tables (国办公开办函〔2021〕30号) of the
agency (--scope: itself, with its departments, or its whole area), and
checks that rows and columns balance. Exit status 1 when a cell does not
balance (the files are still written, with the problems listed in them).
Due before 31 January (条例 art. 49).
"""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from fazhi.kernel.audit.services import audit_export
from fazhi.kernel.org.models import Agency

from ...report import (
    OWN,
    SCOPE_LABELS,
    build_tables,
    check_balance,
    render_docx,
    render_xlsx,
)

FORMATS = {"xlsx": render_xlsx, "docx": render_docx}


class Command(BaseCommand):
    help = "政府信息公开工作年度报告统计表（XLSX/DOCX），并校验行列合计"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--agency", required=True, help="机构代码，如 420200-SCJ")
        parser.add_argument("--year", required=True, type=int, help="报告年度")
        parser.add_argument("--out", default=None, help="输出目录（默认 var/reports）")
        parser.add_argument("--format", default="xlsx,docx", help="xlsx、docx 或两者")
        parser.add_argument(
            "--scope",
            default=OWN,
            choices=list(SCOPE_LABELS),
            help="own 本机关（默认）、departments 本级政府及其工作部门、"
            "subtree 全辖区（含下级政府）",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        agency = Agency.objects.filter(code=opts["agency"]).first()
        if agency is None:
            raise CommandError(f"--agency: 没有代码为 {opts['agency']} 的机构")
        year = opts["year"]
        if not 2008 <= year <= 2100:  # 条例 in force since 2008
            raise CommandError(f"--year: 年度应在 2008 至 2100 之间，收到 {year}")
        formats = [f.strip() for f in opts["format"].split(",") if f.strip()]
        bad = [f for f in formats if f not in FORMATS]
        if bad or not formats:
            raise CommandError(f"--format: 只支持 xlsx、docx，收到 {opts['format']}")
        out = Path(opts["out"]) if opts["out"] else settings.VAR_DIR / "reports"
        out.mkdir(parents=True, exist_ok=True)
        tables = build_tables(agency, year, opts["scope"])
        for f in formats:
            path = (
                out / f"政府信息公开年度报告-{agency.code}-{opts['scope']}-{year}.{f}"
            )
            path.write_bytes(FORMATS[f](tables))
            self.stdout.write(str(path))
        audit_export(
            actor=None,
            what="disclosure.annual_report",
            filters={"agency": agency.code, "year": year, "formats": formats},
            rows=tables.cell("new", "total") + tables.cell("carried_in", "total"),
        )
        t = tables
        self.stdout.write(
            f"本年新收 {t.cell('new', 'total')}，"
            f"上年结转 {t.cell('carried_in', 'total')}，"
            f"办结 {t.cell('results_total', 'total')}，"
            f"结转下年度 {t.cell('carried_out', 'total')}"
        )
        problems = check_balance(tables)
        if problems:
            for p in problems:
                self.stderr.write(f"不平衡：{p}")
            raise CommandError("年度报告统计表行列合计不平衡，见上")
        self.stdout.write(self.style.SUCCESS("平衡校验通过：各行各列合计一致"))
