"""The demo plan: Huangshi's 2021-2025 plan imported, assigned to the demo
departments, and a year of progress on it.

Milestones fall at the quarter ends of the current year; those already due
are mostly done on time, some late, a few still overdue (so the dashboard has
red), with accepted progress reports. Target values go back to the plan's
first year so trends show; the previous year's annual report is published.
Idempotent: nothing is added when the plan is already there.
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path
from typing import Any

from rich.progress import track

from fazhi.domains.plan import services
from fazhi.domains.plan.models import Assignment, Milestone, Plan, PlanNode, Target
from fazhi.domains.plan.parsing import parse_plan_file
from fazhi.domains.plan.queries.dashboard import carrier_code
from fazhi.kernel.deadlines.calendar import today
from fazhi.kernel.indicators.models import Indicator
from fazhi.kernel.indicators.services import (
    indicator_value_report,
    indicator_values_refresh,
)
from fazhi.kernel.org.models import Agency, User
from fazhi.kernel.org.policy import can
from fazhi.kernel.org.roles import CASE_HANDLE
from fazhi.kernel.org.services import membership_grant

PLAN_FILE = Path(__file__).parent / "data" / "huangshi-2021-2025.txt"
PLAN_TITLE = "黄石市法治政府建设实施方案（2021-2025年）"

# Task number -> lead department, co-responsible units (agency codes).
DUTIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "1": ("420200-ZWJ", ("420200-SFJ",)),
    "2": ("420200-ZWJ", ("420200-SCJ",)),
    "3": ("420200-SCJ", ("420200-ZWJ",)),
    "4": ("420200-SFJ", ()),
    "5": ("420200-SFJ", ()),
    "6": ("420200-SFJ", ("420200-ZWJ",)),
    "7": ("420200-SFJ", ("420200-ZGJ",)),
    "8": ("420200-SFJ", ()),
    "9": ("420200-CGW", ("420200-SFJ", "420281")),
    "10": ("420200-SFJ", ("420200-SCJ", "420200-HBJ")),
    "11": ("420200-YJJ", ()),
    "12": ("420200-YJJ", ("420200-GAJ",)),
    "13": ("420200-SFJ", ("420200-RSJ",)),
    "14": ("420200-SFJ", ("420200-ZGJ",)),
    "15": ("420200-SFJ", ()),
    "16": ("420200-SFJ", ("420281", "420222")),
    "17": ("420200-SFJ", ()),
    "18": ("420200-SFJ", ("420281", "420222")),
    "19": ("420200-ZWJ", ()),
    "20": ("420200-ZWJ", ()),
    "21": ("420200-ZWJ", ()),
    "22": ("420200-ZWJ", ()),
    "23": ("420200-CGW", ("420200-GAJ",)),
    "24": ("420200-SFJ", ("420200-RSJ", "420281")),
    "25": ("420200-SFJ", ()),
}

QUARTERS = [
    ((3, 31), "一季度工作要点落实"),
    ((6, 30), "上半年任务推进"),
    ((9, 30), "三季度任务推进"),
    ((12, 31), "全年任务完成并形成总结"),
]

RESULTS = [
    "已制定年度工作方案并印发各科室、各县（市、区）执行，明确责任人和时间表。",
    "组织召开专题推进会{n}次，梳理问题清单{m}项，已整改到位。",
    "完成阶段性任务，形成工作台账和佐证材料，按季度向市法治办报送。",
    "开展专项检查，覆盖全市{n}个县（市、区）和市直相关部门。",
    "相关制度文件已经局务会审议通过并公开发布。",
]

# A demo value per target subject keyword (first match wins), per year from
# the plan's start.
SERIES: dict[str, list[str]] = {
    "脱产培训": ["0", "1", "1", "1", "1", "1"],
    "出庭应诉率": ["82", "88", "93", "97", "98.5", "96"],
    "答复率": ["100", "100", "100", "100", "100", "100"],
    "培训": ["48", "55", "60", "62", "64", "58"],
    "法制审核人员": ["3.1", "3.8", "4.2", "4.9", "5.2", "4.6"],
    "讲座": ["1", "2", "2", "3", "2", "2"],
    "旁听": ["1", "1", "1", "1", "1", "0"],
    "督察覆盖率": ["60", "75", "90", "100", "100", "85"],
    "覆盖率": ["70", "80", "90", "95", "100", "98"],
}


def _agency(code: str) -> Agency:
    return Agency.objects.get(code=code)


def _date(year: int, month_day: tuple[int, int]) -> date:
    return date(year, *month_day)


def load_plan(progress: bool = False) -> dict[str, int]:
    if Plan.objects.exists():
        return {"plan": 0}
    office = User.objects.get(username="fzb")
    parsed = parse_plan_file(PLAN_FILE)
    parsed.title = PLAN_TITLE
    result = services.plan_import(
        actor=office,
        parsed=parsed,
        source_name=PLAN_FILE.name,
        source_text=PLAN_FILE.read_text(encoding="utf-8"),
    )
    plan = result.plan
    tasks = {n.number: n for n in plan.nodes.filter(kind=PlanNode.Kind.TASK)}
    for number, (lead, cos) in DUTIES.items():
        node = tasks[number]
        services.task_assign(actor=office, node=node, agency=_agency(lead), role="lead")
        for code in cos:
            services.task_assign(
                actor=office, node=node, agency=_agency(code), role="co"
            )
    counts = {"plan": 1, "milestones": _year_of_progress(plan, office, progress)}
    counts["values"] = _target_values(plan, office)
    _oversight(plan, office)
    _annual_reports(plan, office)
    for period in (str(today().year), str(today().year - 1)):
        indicator_values_refresh(actor=None, period=period)
    return counts


def _handler_for(agency: Agency) -> Any:
    """Who reports for the unit: a demo persona who may, else the unit's
    法治联络员 — an account without a password (it cannot sign in) that
    stands for the department's liaison in the record."""
    for username in ("scj_handler", "dy_handler", "sfj_leader"):
        user = User.objects.get(username=username)
        if can(user, CASE_HANDLE, agency):
            return user
    username = f"lly_{agency.code.lower().replace('-', '_')}"
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create(
            username=username,
            full_name=f"{agency.short_name or agency.name}法治联络员",
            default_agency=agency,
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
        membership_grant(
            actor=None, user=user, agency=agency, role="handler", scope="own"
        )
    return user


def _year_of_progress(plan: Plan, office: Any, progress: bool) -> int:
    rng = random.Random(2026)
    year, now = today().year, today()
    opened = date(year, 1, 5)
    leads = [
        (a.node, a.agency)
        for a in Assignment.objects.filter(node__plan=plan, role="lead")
        .select_related("node", "agency")
        .order_by("node__position")
    ]
    made = 0
    steps = track(leads, description="方案推进") if progress else leads
    for node, agency in steps:
        reporter = _handler_for(agency)
        for month_day, label in QUARTERS:
            due = _date(year, month_day)
            m = services.milestone_create(
                actor=office,
                node=node,
                agency=agency,
                title=f"{label}",
                due_date=due,
                opened_on=opened,
            )
            made += 1
            if due > now:
                if rng.random() < 0.4:  # some units report ahead of time
                    services.progress_report_submit(
                        actor=reporter, milestone=m, text=_result(rng), progress=60
                    )
                continue
            luck = rng.random()
            if luck < 0.08:
                continue  # overdue, nothing reported: shows red
            report = services.progress_report_submit(
                actor=reporter,
                milestone=m,
                text=_result(rng),
                progress=100,
                on=due,
            )
            if luck < 0.14:
                continue  # reported, waiting for the office's review
            late = luck > 0.9
            done_on = date.fromordinal(
                m.due_date.toordinal() + (rng.randint(3, 20) if late else 0)
            )
            services.progress_report_review(
                actor=office,
                report=report,
                decision="complete",
                score=rng.randint(80, 100),
                note="",
                on=min(done_on, now),
            )
    return made


def _result(rng: random.Random) -> str:
    return rng.choice(RESULTS).format(n=rng.randint(2, 6), m=rng.randint(3, 12))


def _target_values(plan: Plan, office: Any) -> int:
    city = _agency("420200")
    first = plan.year_from or today().year
    written = 0
    for target in Target.objects.filter(node__plan=plan):
        indicator = Indicator.objects.get(code=carrier_code(target))
        if target.kind == Target.Kind.DATE:
            if not target.deadline_year or target.deadline_year > today().year:
                continue
            # Done by its deadline, and still done in every year since.
            years = list(range(max(first, target.deadline_year), today().year + 1))
            series = ["1"] * len(years)
        elif target.kind == Target.Kind.QUALITATIVE:
            continue  # left unreported: the dashboard shows 未填报
        else:
            key = next((k for k in SERIES if k in target.subject), None)
            if key is None:
                continue
            series = SERIES[key]
            years = list(range(first, first + len(series)))
        for year, value in zip(years, series, strict=False):
            if year > today().year:
                break
            indicator_value_report(
                actor=office,
                indicator=indicator,
                agency=city,
                period=str(year),
                value=value,
                evidence=f"{year}年度{target.subject}统计表（市法治办汇总）",
            )
            written += 1
    return written


def _oversight(plan: Plan, office: Any) -> None:
    year, now = today().year, today()
    overdue = Milestone.objects.filter(
        node__plan=plan, completed_on=None, due_date__lt=now
    ).first()
    if overdue is not None:
        services.supervision_issue(
            actor=office,
            milestone=overdue,
            problem="该任务已超过完成时限，尚未报送完成情况。",
            requirement="请于反馈期限内书面报送推进情况、未按期完成的原因和整改措施。",
        )
    campaign = services.campaign_create(
        actor=office,
        plan=plan,
        title=f"{year}年度法治政府建设督察",
        year=year,
        starts_on=date(year, 9, 1),
        ends_on=date(year, 12, 15),
    )
    visits = list(campaign.visits.select_related("agency"))
    for i, visit in enumerate(visits[: len(visits) * 2 // 3]):
        visit_on = date(year, 9, 2 + i)
        services.visit_record(
            actor=office,
            visit=visit,
            visited_on=visit_on,
            summary="听取工作汇报，查阅行政执法案卷和规范性文件备案材料。",
        )
        if i % 4 == 0:
            services.finding_add(
                actor=office,
                visit=visit,
                text="行政执法案卷中部分文书送达回证缺失。",
                on=visit_on,
            )


def _annual_reports(plan: Plan, office: Any) -> None:
    last = today().year - 1
    report = services.annual_report_get_or_create(actor=office, plan=plan, year=last)
    services.annual_report_texts_save(
        actor=office,
        report=report,
        leaders_duties=(
            "市政府主要负责人认真履行推进法治建设第一责任人职责，"
            "全年主持召开市政府常务会议专题研究法治政府建设工作4次。"
        ),
        shortcomings="基层行政执法人员法律素养有待提升；部分领域执法监督仍需加强。",
        next_year_plan="持续推进行政执法“三项制度”，开展法治政府建设示范创建。",
    )
    version = services.annual_report_generate(actor=office, report=report)
    if version.state == version.State.DONE:
        services.annual_report_finalise(
            actor=office,
            report=report,
            version=version.version,
            on=date(last + 1, 2, 20),
        )
        services.annual_report_publish(
            actor=office, report=report, on=date(last + 1, 3, 25)
        )
    current = services.annual_report_get_or_create(
        actor=office, plan=plan, year=today().year
    )
    services.annual_report_texts_save(
        actor=office,
        report=current,
        leaders_duties="（起草中）市政府主要负责人履职情况由市政府办公室提供。",
        shortcomings="",
        next_year_plan="",
    )
