"""Annual report generation for a full demo year, end to end.

    DATABASE_URL=sqlite:///var/bench.sqlite3 python bench/bench_plan_report.py

Loads the demo city (the Huangshi plan with a year of milestones, reviewed
progress, target values, 督办 and 督察) unless it is there, then times what
the 生成 button does: build the report data from the records, render the DOCX
and the PDF, store the version. The baseline measured in the same run is
building the data alone (the queries), so the ratio says what rendering adds.
Target: the whole generation in ≤ 10 s.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
django.setup()

from django.core.management import call_command  # noqa: E402

from fazhi.demo.loader import load_demo  # noqa: E402
from fazhi.domains.plan import services  # noqa: E402
from fazhi.domains.plan.models import AnnualReport, Plan  # noqa: E402
from fazhi.domains.plan.queries.report import build_annual_report_data  # noqa: E402
from fazhi.kernel.deadlines.calendar import today  # noqa: E402

REPEAT = 3


def main() -> None:
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    load_demo()
    print(f"demo ready in {time.perf_counter() - start:.1f} s")
    plan = Plan.objects.get()
    report, _ = AnnualReport.objects.get_or_create(plan=plan, year=today().year)

    data_times, full_times = [], []
    for _ in range(REPEAT):
        t0 = time.perf_counter()
        data = build_annual_report_data(report, version=0)
        data_times.append(time.perf_counter() - t0)
        t1 = time.perf_counter()
        version = services.annual_report_generate(actor=None, report=report)
        full_times.append(time.perf_counter() - t1)
        assert version.state == "done", version.error
    tasks = sum(len(p.tasks) for p in data.parts)
    results = sum(len(t.results) for p in data.parts for t in p.tasks)
    print(
        f"report {report.year}: {tasks} tasks, {results} results, "
        f"{len(data.indicators)} indicator rows; "
        f"docx {len(version.docx) // 1024} KB, pdf {len(version.pdf) // 1024} KB"
    )
    base, full = statistics.median(data_times), statistics.median(full_times)
    print(
        f"baseline  build data only:       {base * 1000:8.1f} ms (median of {REPEAT})"
    )
    print(
        f"generate  data + DOCX + PDF:     {full * 1000:8.1f} ms  ({full / base:.0f}×)"
    )
    print(f"target ≤ 10 s: {'met' if full <= 10 else 'NOT met'}")


if __name__ == "__main__":
    main()
