"""Dates and limits the plan office works to, each with where it comes from.

The annual report's two dates are fixed days of the following year, not
periods counted from an event, so they live here rather than among the
kernel's period rules. Numbers in this module are the only place these
values appear.
"""

from __future__ import annotations

from fazhi.kernel.deadlines.yearly import YearlyDate

_DUCHA = (
    "《法治政府建设与责任落实督察工作规定》（中共中央办公厅、国务院办公厅2019年印发）"
)


REPORT_SUBMIT = YearlyDate(
    "plan.annual_report.submit",
    "年度报告报送上一级政府",
    3,
    1,
    f"{_DUCHA}第二十四条（每年3月1日前报送上一年度法治政府建设情况）",
    verify=True,
)
REPORT_PUBLISH = YearlyDate(
    "plan.annual_report.publish",
    "年度报告向社会公开",
    4,
    1,
    f"{_DUCHA}第二十五条（每年4月1日前通过报刊、网站等向社会公开）",
    verify=True,
)

# Progress a milestone needs before the office may accept it as done.
COMPLETE = 100

# Evidence files: what a unit may attach to a progress report.
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024
EVIDENCE_MAX_FILES = 10
