"""Normative documents in a real browser: the drafting agency registers a
draft and sends it for legality review, the justice bureau gives its opinion,
the agency publishes (the text appears in the public query platform) and
files it, the bureau finds a fault, the agency corrects it by amendment and
the corrected text is what the public reads. Then the queues of the demo
documents, the filing catalogue, the annual report and a cleanup campaign.
Screenshots of every step."""

import pytest
from playwright.sync_api import Page, expect

from fazhi.domains.laws.normative_demo import load_normative_demo

from .conftest import BROWSER_DB, login

pytestmark = [pytest.mark.browser, *BROWSER_DB]

TEXT = (
    "第一条 为了规范本市户外广告设施设置管理，制定本办法。\n"
    "第二条 本办法适用于本市中心城区户外广告设施的设置及其监督管理。\n"
    "第三条 设置户外广告设施的，应当经过审批，并缴纳设置保证金。\n"
    "第四条 本办法自公布之日起施行，有效期5年。"
)


def act(page: Page, action: str, fields: dict[str, str], selects=None) -> None:
    """Open the step's form, fill it in and submit it; no error may come back."""
    form = page.locator(f"form[data-action={action}]")
    details = page.locator("details.action").filter(has=form)
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    expect(form).to_be_visible()
    for name, value in (selects or {}).items():
        form.locator(f"select[name='{action}-{name}']").select_option(value)
    for name, value in fields.items():
        form.locator(f"[name='{action}-{name}']").fill(value)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("domcontentloaded")
    expect(page.locator("[data-action-error]")).to_have_count(0)
    expect(page.locator(".has-error")).to_have_count(0)


def switch(page: Page, username: str) -> None:
    page.context.clear_cookies()
    login(page, username)


def test_draft_review_publish_file_correct_and_read_it_in_the_platform(
    page: Page, people, shot
):
    login(page, "scj_handler")
    page.goto("/staff/laws/normative/")
    shot(page, "1-drafter-index")
    page.click("text=登记草案")
    page.select_option("#id_agency", "420200-SCJ")
    page.fill("#id_title", "黄石市户外广告设施设置管理办法")
    page.fill("#id_summary", "依据《城市市容和环境卫生管理条例》起草。")
    page.fill("#id_text", TEXT)
    shot(page, "2-register")
    page.click("form[data-form=register] button")
    number = page.locator(".case-number").first.inner_text()
    act(page, "submit_review", {})
    expect(page.locator("[data-clock=legality]")).to_be_visible()
    shot(page, "3-in-review")

    switch(page, "fzb")
    page.goto("/staff/laws/normative/")
    expect(page.locator(f"[data-section=review] [data-doc='{number}']")).to_be_visible()
    page.click(f"[data-section=review] a:text('{number}')")
    act(
        page,
        "legality",
        {"text": "经审核，未发现违法内容，同意出台。"},
        {"verdict": "lawful"},
    )
    expect(page.locator("[data-state=approved]")).to_be_visible()

    switch(page, "scj_handler")
    page.goto(f"/staff/laws/normative/{number}/")
    act(page, "publish", {"doc_number": "黄市监规〔2026〕5号"})
    expect(page.locator("[data-clock=filing]")).to_be_visible()
    shot(page, "4-published")
    act(page, "file", {})
    expect(page.locator("[data-state=filed]")).to_be_visible()

    switch(page, "fzb")
    page.goto(f"/staff/laws/normative/{number}/")
    act(
        page,
        "find_fault",
        {"text": "第三条设定“设置保证金”缺乏法律、法规依据，应予纠正。"},
        {"result": "unlawful"},
    )
    expect(page.locator("[data-clock=correction]")).to_be_visible()
    shot(page, "5-fault-found")

    switch(page, "scj_handler")
    page.goto(f"/staff/laws/normative/{number}/")
    act(
        page,
        "correct",
        {
            "text": "已删除第三条关于设置保证金的规定，并重新公布。",
            "new_text": TEXT.replace("，并缴纳设置保证金", ""),
        },
        {"method": "amend"},
    )
    expect(page.locator("[data-state=corrected]")).to_be_visible()
    shot(page, "6-corrected")
    page.click("[data-platform]")
    expect(page.locator("main")).to_contain_text("户外广告设施设置管理办法")
    expect(page.locator("main")).not_to_contain_text("保证金")
    shot(page, "7-public-text")


def test_queues_catalogue_report_and_cleanup_of_the_demo(page: Page, people, shot):
    load_normative_demo()
    login(page, "fzb")
    page.goto("/staff/laws/normative/")
    expect(page.locator("[data-section=review] [data-doc]")).to_have_count(1)
    expect(page.locator("[data-section=filing] [data-doc]")).to_have_count(1)
    expect(page.locator("[data-expiring]")).to_be_visible()
    expect(page.locator(".countdown, .badge").first).to_be_visible()
    shot(page, "1-office-index")
    page.locator("[data-section=corrections] a").first.click()
    shot(page, "2-correction-detail")
    page.goto("/staff/laws/normative/catalogue/?period=2026")
    shot(page, "3-catalogue")
    page.goto("/staff/laws/normative/report/?agency=420200&year=2026")
    expect(page.locator("[data-download]")).to_be_visible()
    shot(page, "4-annual-report")
    page.goto("/staff/laws/normative/cleanup/")
    page.locator("[data-campaign] a").first.click()
    shot(page, "5-cleanup")
