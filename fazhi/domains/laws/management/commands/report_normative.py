"""fazhi report normative --agency 420200 --year 2026 [--quarter 3] [--out DIR]

Writes the annual filing-review report (DOCX, 年度备案审查工作报告, plan
task 5) of the agency's subtree and the catalogue of documents filed in the
year or the quarter (XLSX, the same columns as the staff page's export).
"""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from fazhi.kernel.audit.services import audit_export
from fazhi.kernel.deadlines.calendar import today
from fazhi.kernel.org.models import Agency
from fazhi.web.tables import build_xlsx, excel_value

from ...normative_queries import annual_figures_of, catalogue_of
from ...normative_report import CATALOGUE_COLUMNS, annual_report_docx


class Command(BaseCommand):
    help = "规范性文件年度备案审查工作报告（DOCX）和备案目录（XLSX）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--agency", required=True, help="机构代码，如 420200")
        parser.add_argument("--year", required=True, type=int, help="报告年度")
        parser.add_argument("--quarter", type=int, default=None, help="目录的季度 1-4")
        parser.add_argument("--out", default=None, help="输出目录（默认 var/reports）")

    def handle(self, *args: Any, **opts: Any) -> None:
        agency = Agency.objects.filter(code=opts["agency"]).first()
        if agency is None:
            raise CommandError(f"--agency: 没有代码为 {opts['agency']} 的机构")
        year, quarter = opts["year"], opts["quarter"]
        if not 2000 <= year <= 2100:
            raise CommandError(f"--year: 年度应在 2000 至 2100 之间，收到 {year}")
        if quarter is not None and quarter not in (1, 2, 3, 4):
            raise CommandError(f"--quarter: 季度应为 1 至 4，收到 {quarter}")
        out = Path(opts["out"]) if opts["out"] else settings.VAR_DIR / "reports"
        out.mkdir(parents=True, exist_ok=True)
        figures = annual_figures_of(agency, year)
        report = out / f"规范性文件备案审查年度报告-{agency.code}-{year}.docx"
        report.write_bytes(annual_report_docx(figures, issued=today()))
        self.stdout.write(str(report))
        period = f"{year}-Q{quarter}" if quarter else str(year)
        rows = list(catalogue_of(agency, period))
        cols = [c for c in CATALOGUE_COLUMNS if c.export]
        body = build_xlsx(
            [str(c.label) for c in cols],
            [[excel_value(c.get_value(r)) for c in cols] for r in rows],
        )
        catalogue = out / f"规范性文件备案目录-{agency.code}-{period}.xlsx"
        catalogue.write_bytes(body)
        self.stdout.write(str(catalogue))
        audit_export(
            actor=None,
            what="normative.annual_report",
            filters={"agency": agency.code, "year": year, "period": period},
            rows=len(rows),
        )
        self.stdout.write(
            f"公布 {figures.published} 件，报送备案 {figures.filed} 件"
            f"（按时 {figures.filed_on_time} 件），作出审查结论 {figures.reviewed} 件，"
            f"纠错 {figures.corrected}/{figures.unlawful + figures.inappropriate} 件；"
            f"目录 {len(rows)} 件。"
        )
