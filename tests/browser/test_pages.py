"""The pages people use every day, driven in a real browser, with screenshots."""

import os
import shutil

import pytest
from playwright.sync_api import Page, expect

from fazhi.portal.views import ENTRIES

from .conftest import BROWSER_DB, PHONE, ROOT, login

pytestmark = [pytest.mark.browser, *BROWSER_DB]


def save_for_docs(path, name):
    """Refresh the README's screenshots only when asked (FAZHI_DOCS_SCREENSHOTS=1):
    they are committed, and a test run should not dirty the checkout."""
    if os.environ.get("FAZHI_DOCS_SCREENSHOTS") == "1":
        shutil.copyfile(path, ROOT / "docs" / name)


def test_login_failure_then_success(page: Page, shot, people):
    page.goto("/staff/login/")
    expect(page.locator("h1")).to_contain_text("法治政府建设平台")
    shot(page, "1-empty")
    page.fill("#id_username", "fzb")
    page.fill("#id_password", "not-the-password")
    page.click("main button[type=submit]")
    expect(page.locator(".form-errors")).to_contain_text("用户名或密码不正确")
    shot(page, "2-failed")
    login(page, "fzb")
    expect(page).to_have_url(page.url.split("/staff/")[0] + "/staff/")
    expect(page.locator(".page-header h1")).to_have_text("工作台")
    shot(page, "3-home")


def test_staff_home_shows_counters(page: Page, shot, city_cases):
    login(page, "fzb")
    overdue = page.locator('[data-count="overdue"]')
    expect(overdue).not_to_have_text("0")
    expect(page.locator('[data-stat="overdue"]')).to_contain_text(overdue.inner_text())
    expect(page.locator(".agency-chip")).to_have_text("黄石市司法局")
    expect(page.locator("#urgent-h")).to_be_visible()
    path = shot(page, "home", full_page=False)
    save_for_docs(path, "screenshot-staff.png")


def test_case_list_filters(page: Page, shot, city_cases):
    login(page, "fzb")
    page.click("nav.sidenav >> text=案件")
    expect(page.locator(".table-total")).to_contain_text("共 9 条")
    shot(page, "1-all")
    page.select_option("select[name=state]", "handling")
    page.click(".filter-bar button[type=submit]")
    expect(page.locator(".table-total")).to_contain_text("共 3 条")
    expect(page.locator("tbody")).to_contain_text("金湖街道夜间施工噪音扰民")
    expect(page.locator("tbody")).not_to_contain_text("超市销售过期食品投诉")
    shot(page, "2-handling")
    page.goto("/staff/cases/?due=overdue")
    expect(page.locator("tbody .badge-over").first).to_be_visible()
    shot(page, "3-overdue")


def test_case_detail_fires_a_transition(page: Page, shot, city_cases):
    case = city_cases["超市销售过期食品投诉"]
    login(page, "scj_handler")
    page.goto(f"/staff/cases/{case.number}/")
    expect(page.locator("h1")).to_have_text("超市销售过期食品投诉")
    expect(page.locator(".clock .countdown .badge").first).to_be_visible()
    page.click("summary:has-text('为什么是这一天')")
    expect(page.locator(".clock-why ol")).to_contain_text("起算日")
    shot(page, "1-detail")
    page.fill("#note", "已联系投诉人，材料齐全")
    page.click("button[value=accept]")
    expect(page.locator(".message-success")).to_contain_text("已执行“受理”")
    expect(page.locator("[data-state]")).to_have_text("办理中")
    expect(page.locator(".timeline")).to_contain_text("已联系投诉人，材料齐全")
    shot(page, "2-accepted")
    # 办结 needs a note: the engine's refusal appears beside the buttons.
    page.on("dialog", lambda d: d.accept())
    page.click("button[value=close]")
    expect(page.locator("[data-transition-error]")).to_contain_text("请填写说明")
    shot(page, "3-refused")


def test_outsider_gets_404_on_a_case(page: Page, shot, city_cases):
    case = city_cases["大冶市某小区供暖不达标"]
    login(page, "outsider")
    response = page.goto(f"/staff/cases/{case.number}/")
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_contain_text("页面不存在")
    shot(page, "404")


def test_portal_on_a_phone(browser, live_server, shot):
    context = browser.new_context(
        viewport=PHONE,
        base_url=live_server.url,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
    )
    page = context.new_page()
    try:
        page.goto("/")
        expect(page.locator(".entry")).to_have_count(len(ENTRIES))
        expect(page.locator(".entry-grid")).to_contain_text("12345 诉求")
        expect(page.locator(".portal-foot")).to_contain_text("网站标识码")
        # Mobile first: nothing wider than the screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        path = shot(page, "phone")
        save_for_docs(path, "screenshot-portal.png")
    finally:
        context.close()


def test_traditional_switch(page: Page, shot, people):
    login(page, "fzb")
    page.click(".topbar .lang-switch button[value=zh-hant]")
    expect(page.locator(".page-header h1")).to_have_text("工作臺")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hant")
    expect(page.locator("nav.sidenav")).to_contain_text("工作日曆")
    shot(page, "hant")
    page.click(".topbar .lang-switch button[value=zh-hans]")
    expect(page.locator(".page-header h1")).to_have_text("工作台")


def test_lockout_page(page: Page, shot, people, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        page.goto("/staff/login/")
        page.fill("#id_username", "dy_sfj")
        page.fill("#id_password", "wrong-password")
        page.click("main button[type=submit]")
    expect(page.locator(".alert-error")).to_contain_text("账号已被暂时锁定")
    shot(page, "locked")


def test_staff_pages_on_a_phone(browser, live_server, shot, city_cases):
    context = browser.new_context(
        viewport=PHONE,
        base_url=live_server.url,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
    )
    page = context.new_page()
    try:
        login(page, "fzb")
        expect(page.locator(".page-header h1")).to_have_text("工作台")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        shot(page, "1-home")
        page.click("[data-nav-toggle]")
        expect(page.locator("#sidenav")).to_have_class("sidenav open")
        shot(page, "2-menu", full_page=False)
        page.click("#sidenav >> text=案件")
        expect(page.locator(".table-total")).to_contain_text("共 9 条")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        shot(page, "3-cases")
    finally:
        context.close()
