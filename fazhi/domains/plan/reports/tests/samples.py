"""Hand-built report data for the renderer tests and the benchmark.

Text mixes Simplified, Traditional (the reference plan is Traditional with
Taiwan wording), full-width punctuation and non-BMP ideographs, as real
entered text does.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from ..data import (
    AnnualReportData,
    IndicatorRow,
    PartSection,
    SupervisionNoticeData,
    TaskSummary,
)

NON_BMP = "𠀀𪚥"  # U+20000 and U+2A6A5: in no Debian CJK font

STATUS_LABELS = {"green": "达标", "amber": "预警", "red": "未达标", "none": "未填报"}

PART_TITLES = [
    "健全政府机构职能体系",
    "健全依法行政制度體系",  # Traditional, as imported from the plan
    "健全行政决策制度体系",
    "健全行政执法工作体系",
    "健全突发事件应对体系",
]

RESULT = (
    "组织开展{title}专项工作，制定工作方案，明确责任分工和完成时限。"
    "全年召开推进会{n}次，印发指导文件{n}件，"
    "对照实施方案逐项核查，整改问题{m}个，相关做法被上级转发推广。"
)


def task(number: int, *, results: int = 2, status: str = "按期推进") -> TaskSummary:
    title = f"推进第{number}项重点任务落实"
    return TaskSummary(
        number=str(number),
        title=title,
        lead_units=["市司法局"],
        co_units=["市政务服务和大数据管理局", "市市场监管局"][: number % 3],
        status_label=status,
        progress_percent=min(100, number * 7),
        results=[
            RESULT.format(title=title, n=k + 2, m=k * 3 + 1) for k in range(results)
        ],
    )


def indicator(i: int, status: str) -> IndicatorRow:
    return IndicatorRow(
        name=f"第{i}项监测指标（行政机关负责人出庭应诉率）",
        unit="%",
        comparator_label="不低于",
        target="100",
        actual="" if status == "none" else f"{90 + i % 10}.5",
        status=status,
        status_label=STATUS_LABELS[status],
        agency_name="黄石市" if i % 2 else "市司法局",
        basis=f"实施方案二（四）{i}",
    )


def indicators(count: int) -> list[IndicatorRow]:
    order = ("green", "amber", "red", "none")
    return [indicator(i + 1, order[i % 4]) for i in range(count)]


def annual(
    *,
    parts: int = 3,
    tasks_per_part: int = 3,
    results: int = 2,
    indicator_count: int = 8,
    draft: bool = True,
    shortcomings: str = "一是部分单位重部署、轻落实。\n二是指標監測數據報送不夠及時。",
    leaders_duties: str = "",
    next_year_plan: str = "",
) -> AnnualReportData:
    sections = []
    number = 1
    for p in range(parts):
        tasks = []
        for _ in range(tasks_per_part):
            # every third task has no accepted report yet
            tasks.append(task(number, results=0 if number % 3 == 0 else results))
            number += 1
        sections.append(PartSection("（一）", PART_TITLES[p % len(PART_TITLES)], tasks))
    if sections and sections[0].tasks:
        sections[0].tasks[0].results.insert(
            0, f"在陽新縣{NON_BMP}村試點村級合法性審查，經驗在全市推廣。"
        )
    return AnnualReportData(
        year=2026,
        city_name="黄石市人民政府",
        title="黄石市人民政府2026年法治政府建设年度报告",
        plan_title="《黄石市法治政府建设实施方案（2021-2025年）》",
        parts=sections,
        indicators=indicators(indicator_count),
        shortcomings=shortcomings,
        leaders_duties=leaders_duties,
        next_year_plan=next_year_plan,
        version=3,
        draft=draft,
        submit_due=date(2027, 3, 1),
        publish_due=date(2027, 4, 1),
        generated_at=datetime(2026, 11, 25, 14, 5, tzinfo=UTC),
        submit_basis="《法治政府建设与责任落实督察工作规定》",
    )


def notice(**overrides) -> SupervisionNoticeData:
    values = dict(
        number="黄法办督〔2026〕3号",
        issuer_name="黄石市法治政府建设领导小组办公室",
        recipient_name="市生态环境局",
        issued_on=date(2026, 11, 25),
        task_number="16",
        task_title="提升行政应诉工作",
        task_text="認真落實行政機關負責人出庭應訴制度，出庭應訴率達100%。",
        milestone_title="第三季度出庭应诉情况报送",
        milestone_due=date(2026, 10, 31),
        problem="截至目前仍未报送进展情况，已逾期25天",
        requirement="立即组织核查，补报第三季度进展情况及佐证材料",
        reply_due=date(2026, 12, 5),
        contact="联系人：张三　电话：0714-6221234",
        plan_title="黄石市法治政府建设实施方案（2021-2025年）",
        copy_to=["市人民政府办公室"],
    )
    values.update(overrides)
    return SupervisionNoticeData(**values)
