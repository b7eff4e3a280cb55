"""Disclosure on request in a real browser: the applicant applies on the
portal, the office confirms receipt and asks for a 补正, the applicant answers
it, the office receives it, the leader approves an extension, the office
replies, and the applicant sees the result, masked. Then the annual table
for the demo year balances. Screenshots of every step."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from fazhi.domains.disclosure.demo import load_disclosure_demo

from .conftest import BROWSER_DB, DESKTOP, PHONE, login

pytestmark = [pytest.mark.browser, *BROWSER_DB]

ID_NUMBER = "420202199001011231"
MOBILE = "13812345678"


def new_page(browser: Browser, live_server, viewport=DESKTOP) -> Page:
    context = browser.new_context(
        viewport=viewport,
        base_url=live_server.url,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
    )
    context.set_default_timeout(15_000)
    return context.new_page()


def act(
    page: Page,
    action: str,
    fields: dict[str, str],
    selects: dict[str, str] | None = None,
) -> None:
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


def track(page: Page, number: str) -> None:
    page.goto("/gongkai/track/")
    page.fill("#id_number", number)
    page.fill("#id_phone_tail", MOBILE[-4:])
    page.click("main button[type=submit]")
    expect(page.locator(".case-number")).to_have_text(number)


def test_apply_correct_extend_reply_and_see_result(
    browser: Browser, live_server, people, shot
):
    # 1. The applicant applies from a phone, without an account.
    applicant = new_page(browser, live_server, PHONE)
    applicant.goto("/")
    applicant.click("a.entry.e-disclosure")
    applicant.select_option("#id_agency", "420200-SCJ")
    applicant.select_option("#id_applicant_type", "natural")
    applicant.fill("#id_applicant_name", "张晓三")
    applicant.fill("#id_id_number", ID_NUMBER)
    applicant.fill("#id_phone", MOBILE)
    applicant.fill("#id_content", "2025年度食品安全抽检结果")
    shot(applicant, "1-apply")
    applicant.click("main button[type=submit]")
    number = applicant.locator("[data-tracking-number]").inner_text()
    assert re.fullmatch(r"GK-\d{4}-\d{6}", number)
    shot(applicant, "2-submitted")

    # 2. The office confirms receipt (art. 31) and asks for a 补正 (art. 30).
    staff = new_page(browser, live_server)
    login(staff, "scj_handler")
    staff.goto("/staff/disclosure/")
    staff.click(f"a:has-text('{number}')")
    expect(staff.locator("[data-field=phone]")).to_have_text("138****5678")
    act(staff, "receive", {})
    act(staff, "correction", {"text": "请写明抽检批次或文号", "days": "10"})
    expect(staff.locator(".state-pill")).to_have_text("待补正")
    # No due date while the 补正 is awaited: the period restarts (art. 30).
    expect(staff.locator("[data-clock-restarts]")).to_contain_text("第三十条")
    shot(staff, "3-correction-asked")

    # 3. The applicant tracks the request and answers the 补正.
    track(applicant, number)
    expect(applicant.locator("[data-correction]")).to_contain_text("请写明抽检批次")
    applicant.fill("#id_text", "2025年第三季度食品安全抽检结果公告")
    applicant.click("[data-correction] button[type=submit]")
    expect(applicant.locator(".alert-info").first).to_contain_text("补正已提交")
    shot(applicant, "4-correction-answered")

    # 4. The office receives the correction: the reply clock starts afresh.
    staff.reload()
    act(staff, "correction_received", {})
    expect(staff.locator(".state-pill")).to_have_text("办理中")

    # 5. The head of the agency's disclosure office approves the one extension
    #    (art. 33(2)); the city's rule-of-law office cannot consent for it.
    leader = new_page(browser, live_server)
    login(leader, "scj_gk_head")
    leader.goto(f"/staff/disclosure/{number}/")
    act(leader, "extend", {"reason": "需调取档案"})
    leader.click("summary:has-text('为什么是这一天')")
    expect(leader.locator(".clock-why").first).to_contain_text("经批准延长20个工作日")
    shot(leader, "5-extended")

    # 6. The office replies: partial disclosure, with the reason.
    staff.reload()
    act(
        staff,
        "reply",
        {
            "body": "涉及第三方商业秘密的部分不予公开",
            "doc_number": "黄市监公开〔2026〕7号",
        },
        selects={"result_code": "partial"},
    )
    expect(staff.locator(".state-pill")).to_have_text("已答复")
    expect(staff.locator("a:has-text('答复书')")).to_be_visible()
    shot(staff, "6-replied")

    # 7. The applicant sees the result, masked.
    track(applicant, number)
    expect(applicant.locator("[data-reply] [data-result]")).to_have_text("部分公开")
    body = applicant.content()
    assert "张*三" in body and "138****5678" in body
    for secret in ("张晓三", MOBILE, ID_NUMBER):
        assert secret not in body
    shot(applicant, "7-result")

    # 8. The applicant downloads the reply letter: their own masked copy.
    with applicant.expect_download() as download:
        applicant.click("[data-letters] a[data-letter=reply]")
    assert download.value.suggested_filename == f"{number}-reply.docx"
    expect(applicant.locator("[data-letter=correction]")).to_be_visible()
    expect(applicant.locator("[data-letter=extension]")).to_be_visible()


def test_annual_table_for_demo_year_balances(
    browser: Browser, live_server, people, shot
):
    load_disclosure_demo(per_agency=10)
    page = new_page(browser, live_server)
    login(page, "fzb")
    page.goto("/staff/disclosure/report/?agency=420200&year=2025&scope=departments")
    expect(page.locator("[data-balance=ok]")).to_be_visible()
    expect(page.locator("table[data-table=requests]")).to_contain_text("本年新收")
    shot(page, "annual-2025")
