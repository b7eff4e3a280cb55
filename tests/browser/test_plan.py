"""The plan as people use it, in a real browser: the office imports the plan,
assigns a task and issues a milestone, the unit reports progress with
evidence, the office reviews it, watches the dashboard, and writes, downloads,
finalises and publishes the annual report. Screenshots of every page."""

import io
import re
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from playwright.sync_api import Page, expect

from fazhi.domains.plan.views.report import report_year
from fazhi.kernel.deadlines.calendar import WorkCalendar, today

from .conftest import BROWSER_DB, login

pytestmark = [pytest.mark.browser, *BROWSER_DB]

PLAN_FILE = (
    Path(__file__).resolve().parents[2]
    / "fazhi/domains/plan/tests/fixtures/plans/huangshi-2021-2025.txt"
)
PLAN_TITLE = "黄石市法治政府建设实施方案（2021—2025年）"
LEADERS = "市政府主要负责人专题听取法治政府建设情况汇报，亲自部署推动重点任务。"
GENERATION_TIMEOUT = 60_000  # ms; rendering both documents takes a few seconds


def logout(page: Page) -> None:
    # The topbar's menu hides the form; post it the way the button does.
    page.locator("form[action$='/logout/'] button").dispatch_event("click")
    page.wait_for_url(re.compile(r"/staff/login/"))


def task_link(page: Page, number: str):
    """The tree's link to a task, found by its number (the title is kept in
    the plan's own script, Traditional here)."""
    row = page.locator("li.node-task > div.node").filter(
        has=page.locator("span.num", has_text=re.compile(rf"^\s*{number}\.?\s*$"))
    )
    return row.locator("a").first


def working_day_after(d):
    """A due date on a working day, so the clock keeps it as entered (a period
    ending on a rest day moves to the next working day)."""
    calendar = WorkCalendar.load()
    while not calendar.is_working(d):
        d += timedelta(days=1)
    return d


def test_plan_import_to_published_report(page: Page, shot, people, tmp_path, settings):
    # The test server shares an in-memory SQLite database between threads with
    # table-level locks, which a background writer would trip over; a real
    # SQLite file (WAL) and PostgreSQL run the generation in a thread.
    if connection.vendor == "sqlite":
        settings.FAZHI_BACKGROUND = "inline"
    # 1. The office uploads the reference plan and lands on its tree.
    login(page, "fzb")
    page.goto("/staff/plan/")
    expect(page.locator("form[data-import-form]")).to_be_visible()
    form = page.locator("form[data-import-form]")
    form.locator("input[name=file]").set_input_files(str(PLAN_FILE))
    form.locator("input[name=title]").fill(PLAN_TITLE)
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/staff/plan/\d+/$"))
    plan_url = page.url
    plan_id = int(re.search(r"/staff/plan/(\d+)/$", plan_url).group(1))
    expect(page.locator(".page-header h1")).to_have_text(PLAN_TITLE)
    expect(page.locator("[data-stat=tasks]")).to_have_text("25")
    expect(page.locator(".message-success")).to_contain_text("已导入")
    shot(page, "1-imported")

    # 2. Task 16 (提升行政應訴工作): assign the market regulator as lead, then
    #    issue a milestone due a month from now.
    task_link(page, "16").click()
    expect(page.locator(".page-header h1")).to_contain_text("16")
    expect(page.locator(".page-header h1")).to_contain_text("行政應訴")
    page.click("summary:has-text('分配责任单位')")
    assign = page.locator("form[data-form=assign]")
    assign.locator("select[name=agency]").select_option(label="黄石市市场监督管理局")
    assign.locator("select[name=role]").select_option("lead")
    assign.locator("button[type=submit]").click()
    expect(page.locator(".message-success")).to_contain_text("列为牵头单位")
    expect(page.locator("#units-h + ul")).to_contain_text("黄石市市场监督管理局")
    due = working_day_after(today() + timedelta(days=30))
    page.click("summary:has-text('下达节点任务')")
    ms = page.locator("form[data-form=milestone]")
    ms.locator("select[name=agency]").select_option(label="黄石市市场监督管理局")
    ms.locator("input[name=title]").fill("行政机关负责人出庭应诉情况专项报告")
    ms.locator("input[name=due_date]").fill(due.isoformat())
    ms.locator("button[type=submit]").click()
    expect(page.locator(".message-success")).to_contain_text("已下达节点任务")
    milestones = page.locator("#ms-h + ul")
    expect(milestones).to_contain_text("行政机关负责人出庭应诉情况专项报告")
    expect(milestones).to_contain_text(f"{due.year}年{due.month}月{due.day}日")
    shot(page, "2-node")

    # 3. The unit's handler sees the milestone and reports it done, with a PDF.
    logout(page)
    login(page, "scj_handler")
    page.goto("/staff/plan/milestones/")
    page.click("text=行政机关负责人出庭应诉情况专项报告")
    expect(page.locator(".page-header h1")).to_have_text(
        "行政机关负责人出庭应诉情况专项报告"
    )
    evidence = tmp_path / "出庭应诉统计.pdf"
    evidence.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n")
    report = page.locator("form[data-form=report]")
    report.locator("textarea[name=text]").fill(
        "本年度本单位行政机关负责人出庭应诉率100%，案件全部按期答辩。"
    )
    report.locator("input[name=progress]").fill("100")
    report.locator("input[name=files]").set_input_files(str(evidence))
    report.locator("button[type=submit]").click()
    expect(page.locator(".message-success")).to_contain_text("进展已报送")
    expect(page.locator("[data-report=submitted]")).to_contain_text("100%")
    expect(page.locator("[data-report=submitted] a.chip")).to_contain_text(
        "出庭应诉统计.pdf"
    )
    expect(page.locator("form[data-form=report]")).to_have_count(0)
    milestone_url = page.url
    shot(page, "3-reported")

    # 4. The office accepts it as done and scores it; the dashboard shows it.
    logout(page)
    login(page, "fzb")
    page.goto(milestone_url)
    review = page.locator("form[data-form=review]")
    review.get_by_label("通过（任务已完成）").check()
    review.locator("input[name=score]").fill("95")
    review.locator("button[type=submit]").click()
    expect(page.locator(".message-success")).to_contain_text("审核意见已保存")
    expect(page.locator("[data-state]")).to_have_text("已完成")
    expect(page.locator("[data-progress]")).to_have_text("100%")
    expect(page.locator("#reports-h ~ .report-result").first).to_contain_text("评分 95")
    shot(page, "4-reviewed")

    page.goto(f"/staff/plan/{plan_id}/dashboard/")
    expect(page.locator("#chart-status svg")).to_have_count(1)
    expect(page.locator("#chart-units svg")).to_have_count(1)
    # A drawn chart has shapes, not only an empty <svg>.
    expect(page.locator("#chart-status svg path").first).to_be_attached()
    expect(page.locator("#chart-units svg path").first).to_be_attached()
    scj = page.locator("table[data-units] tbody tr").filter(has_text="市市场监管局")
    expect(scj).to_have_count(1)
    expect(scj.locator("td").nth(1)).to_have_text("1")  # tasks
    expect(scj.locator("td").nth(2)).to_have_text("1（1）")  # milestones (done)
    expect(scj.locator("td").nth(3)).to_have_text("0")  # overdue
    on_time = scj.locator("td").nth(4)
    expect(on_time).to_have_text(re.compile(r"^100(\.0)?%$"))
    page.wait_for_timeout(800)  # ECharts animates its first frame
    shot(page, "5-dashboard")

    # 5. The annual report: the entered text, a generated version, downloads.
    # From the tree's tab bar: the dashboard's lacks the office's tabs (its
    # view does not pass `manager` to plan/_tabs.html).
    page.goto(plan_url)
    page.click("nav.plan-tabs >> text=年度报告")
    year = report_year(today())
    expect(page.locator(".page-header h1")).to_contain_text(
        f"{year}年法治政府建设年度报告"
    )
    texts = page.locator("form[data-form=texts]")
    texts.locator("textarea[name=leaders_duties]").fill(LEADERS)
    texts.locator("button[type=submit]").click()
    expect(page.locator(".message-success")).to_contain_text("已保存")
    expect(page.locator("textarea[name=leaders_duties]")).to_have_value(LEADERS)
    # On PostgreSQL generation runs in a server thread and htmx polls the
    # versions table until the version is done.
    page.click("button[data-generate]")
    expect(page.locator(".message-info")).to_contain_text("生成第1版")
    done = page.locator("#versions tr[data-version='1'][data-state=done]")
    expect(done).to_be_visible(timeout=GENERATION_TIMEOUT)
    expect(done).to_contain_text("已生成")

    with page.expect_download() as pdf_info:
        done.locator("a[data-download=pdf]").click()
    pdf = Path(pdf_info.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF"), pdf[:16]
    assert pdf_info.value.suggested_filename.endswith("年度报告-第1版.pdf")

    with page.expect_download() as docx_info:
        done.locator("a[data-download=docx]").click()
    docx = Path(docx_info.value.path()).read_bytes()
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        document = z.read("word/document.xml").decode("utf-8")
    text = re.sub(r"<[^>]+>", "", document)
    assert f"{year}年法治政府建设年度报告" in text
    assert LEADERS in text
    shot(page, "6-report")

    # 6. Finalise (定稿报送), publish, and the public page lists it.
    page.on("dialog", lambda d: d.accept())
    done.locator("button:has-text('定稿报送')").click()
    expect(page.locator(".message-success")).to_contain_text(
        "已定稿并记录报送", timeout=GENERATION_TIMEOUT
    )
    # The settled text is rendered again as version 2, without draft marks.
    final = page.locator("#versions tr[data-version='2'][data-state=done]")
    expect(final).to_contain_text("定稿", timeout=GENERATION_TIMEOUT)
    expect(page.locator("[data-report-status]")).not_to_have_text("草稿")
    page.click("button:has-text('在门户网站公开定稿')")
    expect(page.locator(".message-success")).to_contain_text("已在门户网站公开")
    expect(page.locator("[data-report-status]")).to_have_attribute(
        "data-report-status", "published"
    )
    shot(page, "7-published")

    logout(page)
    page.goto("/fazhi-baogao/")
    item = page.locator(".portal-section li").filter(
        has_text=f"{year}年法治政府建设年度报告"
    )
    expect(item).to_have_count(1)
    expect(item).to_contain_text("公开日期")
    # The public PDF opens inline (in the browser's viewer): fetch what the
    # link points at rather than wait for a download.
    public = page.request.get(item.locator("a").get_attribute("href"))
    assert public.ok and public.headers["content-type"] == "application/pdf"
    assert public.body().startswith(b"%PDF")
    shot(page, "8-portal")


@pytest.fixture
def imported_plan(people):
    from fazhi.domains.plan import services
    from fazhi.domains.plan.parsing import parse_plan, read_plan_bytes

    raw = PLAN_FILE.read_bytes()
    text = read_plan_bytes(raw, PLAN_FILE.name)
    result = services.plan_import(
        actor=people["fzb"],
        parsed=parse_plan(text, title=PLAN_TITLE),
        source_name=PLAN_FILE.name,
        source_text=text,
    )
    return result.plan


def test_handler_sees_no_office_actions_and_reads_traditional(
    page: Page, shot, imported_plan
):
    login(page, "scj_handler")
    page.goto("/staff/plan/")
    expect(page.locator(".page-header h1")).to_have_text("法治政府建设实施方案")
    expect(page.locator("form[data-import-form]")).to_have_count(0)
    expect(page.locator("#import-h")).to_have_count(0)
    response = page.goto(f"/staff/plan/{imported_plan.pk}/campaigns/")
    assert response is not None and response.status == 404
    response = page.goto(f"/staff/plan/{imported_plan.pk}/report/")
    assert response is not None and response.status == 404

    page.goto("/staff/plan/")
    page.click(".topbar .lang-switch button[value=zh-hant]")
    page.goto("/staff/plan/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hant")
    expect(page.locator(".page-header h1")).to_have_text("法治政府建設實施方案")
    expect(page.locator("nav.sidenav")).to_contain_text("工作日曆")
    expect(page.locator("#mine-h")).to_contain_text("未完成的節點任務")
    shot(page, "1-hant-list")
    page.click("a[data-plan-link]")
    expect(page.locator(".page-header h1")).to_have_text(
        "黃石市法治政府建設實施方案（2021—2025年）"
    )
    tabs = page.locator("nav.plan-tabs")
    expect(tabs).to_contain_text("任務分解")
    expect(tabs).not_to_contain_text("督察")
    expect(tabs).not_to_contain_text("年度報告")
    expect(page.locator("[data-stat=tasks]")).to_have_text("25")
    shot(page, "2-hant-tree")
    page.click(".topbar .lang-switch button[value=zh-hans]")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
