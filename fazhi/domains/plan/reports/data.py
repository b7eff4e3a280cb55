"""What a rendered document contains, built from the database by services.

The renderers (DOCX, PDF) take these plain objects and never touch the ORM,
so they are tested with hand-built data and the builders are tested apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass
class TaskSummary:
    number: str  # "16"
    title: str  # "提升行政应诉工作"
    lead_units: list[str]  # ["市司法局"]
    co_units: list[str]
    status_label: str  # "按期推进" / "已完成" / "已逾期" ...
    progress_percent: int  # 0-100, from the latest accepted report
    results: list[str]  # accepted progress-report texts of the year, newest first


@dataclass
class PartSection:
    number: str  # "（一）" or "一、"
    title: str  # "健全政府机构职能体系"
    tasks: list[TaskSummary] = field(default_factory=list)


@dataclass
class IndicatorRow:
    name: str  # "行政机关负责人出庭应诉率"
    unit: str  # "%"
    comparator_label: str  # "不低于"
    target: str  # "100" ("" when the target has no number)
    actual: str  # "96.5" ("" when nothing reported)
    status: str  # "green" | "amber" | "red" | "none"
    status_label: str  # "达标" / "预警" / "未达标" / "未填报"
    agency_name: str  # whose value this is (the city for city-wide rows)
    basis: str  # where the target comes from: "实施方案二（四）16"


@dataclass
class AnnualReportData:
    year: int  # the year reported on (2026)
    city_name: str  # "黄石市人民政府"
    title: str  # "黄石市人民政府2026年法治政府建设年度报告"
    plan_title: str  # the plan the report follows
    parts: list[PartSection]
    indicators: list[IndicatorRow]
    shortcomings: str  # entered text, may be empty
    leaders_duties: str  # 主要负责人履行推进法治建设第一责任人职责情况 (entered)
    next_year_plan: str  # entered text
    version: int
    draft: bool  # True until the office marks a version final
    submit_due: date  # report to the level above before this day (1 March)
    publish_due: date  # publish to the public before this day (1 April)
    generated_at: datetime
    # Optional (renderer helper): citations printed beside the two due dates,
    # e.g. rules.REPORT_SUBMIT.citation; left out of the cover note when empty.
    submit_basis: str = ""
    publish_basis: str = ""


@dataclass
class SupervisionNoticeData:
    number: str  # "黄法办督〔2026〕3号"
    issuer_name: str  # "黄石市法治政府建设领导小组办公室"
    recipient_name: str  # "市生态环境局"
    issued_on: date
    task_number: str  # "16"
    task_title: str
    task_text: str  # the plan's own words for the task
    milestone_title: str  # what is behind
    milestone_due: date | None
    problem: str  # why this is sent (逾期未报送 ...)
    requirement: str  # what the recipient must do
    reply_due: date  # report back by
    contact: str  # "联系人：… 电话：…"
    # Optional (renderer helper): the plan the task comes from, quoted in the
    # body when set, and the units copied (抄送) in the 版记.
    plan_title: str = ""
    copy_to: list[str] = field(default_factory=list)
