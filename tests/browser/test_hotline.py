"""The 12345 hotline in a real browser: a citizen submits on the portal
without an account, tracks the ticket with its number and the last four
digits of the phone (masked), the centre's 话务派单员 reads the routing
suggestion with its reasons and dispatches, the agency signs for it and
replies, the citizen gives a 差评, the 回访 turns it into rectification, and
the dashboard draws its charts. Bad input gets a clear message and a double
click makes one ticket. Screenshots of every page."""

from datetime import date

import pytest
from django.core.cache import cache
from playwright.sync_api import Browser, Page, expect

from fazhi.domains.hotline.demo import load_hotline_demo
from fazhi.domains.hotline.models import Ticket
from fazhi.domains.hotline.rules import TEXT_MAX
from fazhi.kernel.org.models import Agency
from fazhi.kernel.org.responsibility import responsibility_item_create

from .conftest import BROWSER_DB, DESKTOP, PHONE, login

pytestmark = [pytest.mark.browser, *BROWSER_DB]

MOBILE = "13812345678"
FOOD = "我在黄石港区某超市买到过期食品，商家拒绝退款，请市场监管部门查处。"


@pytest.fixture(autouse=True)
def _clear_cache():
    """Submission and lookup counters live in the cache, keyed by address
    and number; numbers repeat across tests."""
    cache.clear()


@pytest.fixture
def food_item(people):
    return responsibility_item_create(
        actor=None,
        code="SCJ-CF-0099",
        name="对销售过期食品的行政处罚",
        item_type="行政处罚",
        legal_basis="《食品安全法》第一百二十四条",
        agency=Agency.objects.get(code="420200-SCJ"),
        effective_from=date(2020, 1, 1),
    )


def new_page(browser: Browser, live_server, viewport=DESKTOP) -> Page:
    context = browser.new_context(
        viewport=viewport,
        base_url=live_server.url,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        # Charts drawn at once, so a screenshot shows them whole.
        reduced_motion="reduce",
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    # An alert() would mean a script tag got through somewhere.
    page.on("dialog", lambda d: pytest.fail(f"unexpected dialog: {d.message}"))
    return page


def act(page: Page, action: str, fields=None, selects=None) -> None:
    """Open the step's form on the ticket page, fill it in and submit it; no
    error may come back."""
    form = page.locator(f"form[data-action={action}]")
    details = page.locator("details.action").filter(has=form)
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    expect(form).to_be_visible()
    for name, value in (selects or {}).items():
        form.locator(f"select[name='{action}-{name}']").select_option(value)
    for name, value in (fields or {}).items():
        form.locator(f"[name='{action}-{name}']").fill(value)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("domcontentloaded")
    expect(page.locator("[data-action-error]")).to_have_count(0)
    expect(page.locator(".has-error")).to_have_count(0)


def fill_portal(page: Page, content: str, phone: str = MOBILE) -> None:
    page.select_option("#id_service_code", "market")
    page.select_option("#id_ticket_type", "complaint")
    page.fill("#id_content", content)
    page.fill("#id_location", "黄石港区湖滨大道1号")
    page.fill("#id_caller_name", "张晓三")
    page.fill("#id_phone", phone)


def track(page: Page, number: str, tail: str = MOBILE[-4:]) -> None:
    page.goto("/hotline/track/")
    page.fill("#id_number", number)
    page.fill("#id_phone_tail", tail)
    page.click("main button[type=submit]")


def test_submit_track_dispatch_reply_rate_rectify_dashboard(
    browser: Browser, live_server, people, food_item, shot
):
    # 1. The citizen submits from a phone, without an account.
    citizen = new_page(browser, live_server, PHONE)
    citizen.goto("/")
    citizen.click("a:has-text('12345 诉求')")
    expect(citizen.locator("h1")).to_contain_text("12345")
    fill_portal(citizen, FOOD)
    shot(citizen, "01-portal-submit")
    citizen.click("main button[type=submit]")
    number = citizen.locator("[data-number]").inner_text()
    assert number.startswith("RX-")
    shot(citizen, "02-portal-done")

    # 2. Later, on another device: number + last four digits, masked view.
    other = new_page(browser, live_server, PHONE)
    track(other, number, "0000")
    expect(other.locator(".form-errors")).to_contain_text("不正确")
    shot(other, "03-track-wrong-tail")
    track(other, number)
    expect(other.locator(".case-number")).to_have_text(number)
    expect(other.locator("[data-field=phone]")).to_have_text("138****5678")
    expect(other.locator("[data-field=caller]")).to_have_text("张*三")
    assert MOBILE not in other.content() and "张晓三" not in other.content()
    expect(other.locator("[data-state]")).to_contain_text("待派单")
    shot(other, "04-track-status")

    # 3. The centre's dispatcher: queue, suggestion with reasons, dispatch.
    centre = new_page(browser, live_server)
    login(centre, "rx_operator")
    centre.goto("/staff/hotline/?view=centre")
    expect(centre.locator(f"a.case-number:has-text('{number}')")).to_be_visible()
    shot(centre, "05-centre-queue")
    centre.click(f"a.case-number:has-text('{number}')")
    suggestion = centre.locator("[data-suggestions]")
    expect(suggestion).to_contain_text("黄石市市场监督管理局")
    expect(suggestion).to_contain_text("对销售过期食品的行政处罚")
    expect(suggestion.locator("li li").first).to_be_visible()  # the reasons
    expect(centre.locator("select[name='dispatch-agency']")).to_have_value("420200-SCJ")
    # A dispatcher has no agency case-handling steps.
    for step in ("sign", "reply"):
        expect(centre.locator(f"form[data-action={step}]")).to_have_count(0)
    shot(centre, "06-centre-detail")
    act(centre, "dispatch", {"note": "请核查并答复市民"})
    expect(centre.locator(".state-pill")).to_have_text("待签收")
    shot(centre, "07-dispatched")

    # 4. The agency signs for it and replies.
    agency = new_page(browser, live_server)
    login(agency, "scj_handler")
    agency.goto("/staff/hotline/")
    expect(agency.locator(f"a.case-number:has-text('{number}')")).to_be_visible()
    shot(agency, "08-agency-queue")
    agency.click(f"a.case-number:has-text('{number}')")
    act(agency, "sign")
    expect(agency.locator(".state-pill")).to_have_text("办理中")
    shot(agency, "09-agency-signed")
    act(agency, "reply", {"note": "经核查，已责令商家退款，并立案调查。"})
    expect(agency.locator(".state-pill")).to_have_text("已答复待回访")
    shot(agency, "10-agency-replied")

    # 5. The citizen reads the answer and gives a 差评.
    track(other, number)
    expect(other.locator("[data-reply]")).to_contain_text("已责令商家退款")
    other.check("input[name=grade][value='2']")
    other.fill("#id_comment", "只退了一半")
    shot(other, "11-rate")
    other.click("[data-rate] button[type=submit]")
    expect(other.locator("[data-rating]")).to_have_text("不满意")
    shot(other, "12-rated")

    # 6. The 回访 closes the ticket and turns the 差评 into rectification.
    centre.reload()
    expect(centre.locator("[data-rating]")).to_contain_text("不满意")
    act(centre, "visit", {"note": "已电话回访，市民对退款金额不满意"})
    expect(centre.locator(".state-pill")).to_have_text("差评整改中")
    expect(centre.locator(".clock-name")).to_contain_text(["差评整改"])
    shot(centre, "13-rectifying")

    agency.reload()
    act(agency, "rectify_done", {"note": "已督促商家全额退款，市民认可。"})
    expect(agency.locator(".state-pill")).to_have_text("已办结")
    shot(agency, "14-rectified")

    # 7. The dashboard draws its charts.
    centre.goto("/staff/hotline/dashboard/")
    for chart in ("type", "agency", "week"):
        expect(centre.locator(f"#chart-{chart} svg")).to_be_visible()
        box = centre.locator(f"#chart-{chart}").bounding_box()
        assert box and box["height"] >= 200
    # No ticket named its area: the chart says so instead of a blank box.
    expect(centre.locator("#chart-area")).to_have_text("所选范围内暂无数据")
    expect(centre.locator("[data-kpi]")).to_have_count(5)
    shot(centre, "15-dashboard")

    t = Ticket.objects.get(case__number=number)
    assert t.case.state == "closed" and t.rating.grade == 2


def test_bad_input_gets_a_message_and_a_double_click_one_ticket(
    browser: Browser, live_server, people, shot
):
    page = new_page(browser, live_server)
    page.goto("/hotline/")
    hidden = "\u200b\u200d\ufeff"
    content = f"<script>alert(1)</script>{hidden}ＡＢＣ全角 🚧 路灯坏了一个月没人修"

    # An invalid phone: the field says so, what was typed stays.
    fill_portal(page, content, phone="12345")
    page.click("main button[type=submit]")
    expect(page.locator(".form-errors")).to_be_visible()
    expect(page.locator(".field.has-error")).to_have_count(1)
    expect(page.locator(".field.has-error")).to_contain_text("联系电话")
    expect(page.locator("#id_content")).to_have_value(content)
    shot(page, "1-bad-phone")

    # Text over the limit (the textarea's maxlength stops typists; a script
    # posting round it gets the same clear message from the server).
    page.eval_on_selector("#id_content", "el => el.removeAttribute('maxlength')")
    page.fill("#id_content", "路" * (TEXT_MAX + 1))
    page.fill("#id_phone", MOBILE)
    page.click("main button[type=submit]")
    expect(page.locator(".field.has-error")).to_contain_text(str(TEXT_MAX))
    shot(page, "2-too-long")
    assert not Ticket.objects.exists()

    # Valid now: a double click on submit makes one ticket.
    page.fill("#id_content", content)
    form = {
        name: page.locator(f"main form [name={name}]").input_value()
        for name in ("csrfmiddlewaretoken", "token")
    }
    page.dblclick("main button[type=submit]")
    number = page.locator("[data-number]").inner_text()
    shot(page, "3-done")
    # The same form posted again (a replay): the same ticket, no second one.
    replay = page.request.post(
        "/hotline/",
        form={**form, "service_code": "market", "ticket_type": "complaint"}
        | {"content": content, "phone": MOBILE},
        headers={"Referer": page.url},
    )
    assert replay.ok and replay.url.endswith("/hotline/done/")
    assert Ticket.objects.count() == 1
    t = Ticket.objects.get()
    assert t.case.number == number
    assert not any(ch in t.content for ch in hidden)
    assert "<script>" in t.content  # kept as text, shown escaped

    staff = new_page(browser, live_server)
    login(staff, "rx_operator")
    staff.goto(f"/staff/hotline/{number}/")
    expect(staff.locator("[data-field=content]")).to_contain_text("<script>")
    shot(staff, "4-staff-sees-text")


def test_dashboard_with_a_year_of_tickets(browser: Browser, live_server, people, shot):
    load_hotline_demo(n=200)
    page = new_page(browser, live_server)
    login(page, "fzb")
    page.goto("/staff/hotline/dashboard/")
    for chart in ("type", "agency", "area", "week"):
        expect(page.locator(f"#chart-{chart} svg")).to_be_visible()
    shot(page, "dashboard")
    page.goto("/staff/hotline/")
    shot(page, "queue", full_page=False)


def intake_call(page: Page, kind: str, service: str, content: str, phone: str) -> str:
    """Type a phone call in on the intake page; returns the new number."""
    page.goto("/staff/hotline/")
    page.click("a:has-text('登记来电')")
    page.select_option("#id_service_code", service)
    page.select_option("#id_ticket_type", kind)
    page.fill("#id_content", content)
    page.fill("#id_caller_name", "李四")
    page.fill("#id_phone", phone)
    page.select_option("#id_area", "420202")
    page.click("main button[type=submit]")
    expect(page.locator(".has-error")).to_have_count(0)
    expect(page.get_by_role("status").first).to_contain_text("已登记")
    return page.locator(".page-header .case-number").inner_text()


def test_dispatcher_desk_call_direct_answer_and_merge(
    browser: Browser, live_server, people, shot
):
    desk = new_page(browser, live_server)
    login(desk, "rx_operator")

    # A consultation by phone, answered at once from the knowledge base.
    desk.goto("/staff/hotline/new/")
    expect(desk.locator("#id_urgency")).to_be_visible()
    shot(desk, "1-intake")
    number = intake_call(
        desk, "consult", "policy-consult", "请问新生儿落户需要带哪些材料？", MOBILE
    )
    shot(desk, "2-call-registered")
    act(desk, "answer", {"answer": "携带出生医学证明、父母户口簿到派出所办理。"})
    expect(desk.locator(".state-pill")).to_have_text("已办结")
    expect(desk.locator("[data-waiting]")).to_have_text("已办结。")
    expect(desk.locator("[data-no-clock]")).to_contain_text("直接答复")
    shot(desk, "3-answered")
    assert Ticket.objects.get(case__number=number).direct_answer

    # The same caller calls again about the same street light: flagged, merged.
    light = "湖滨大道路灯不亮已经一周，晚上行人摔倒，请尽快维修路灯"
    first = intake_call(desk, "complaint", "city-management", light, "13900001111")
    second = intake_call(
        desk, "complaint", "city-management", light + "，再次反映", "13900001111"
    )
    expect(desk.locator("[data-duplicate]")).to_contain_text(first)
    shot(desk, "4-duplicate-flagged")
    # The merge form opens first, filled in with the earlier ticket.
    expect(desk.locator("input[name='merge-into']")).to_have_value(first)
    act(desk, "merge")
    expect(desk.locator(".state-pill")).to_have_text("已合并")
    expect(desk.locator("[data-waiting]")).to_contain_text(f"已并入{first}")
    shot(desk, "5-merged")
    assert Ticket.objects.get(case__number=second).merged_into.case.number == first

    # The queue's duplicate filter and the centre tab.
    desk.goto("/staff/hotline/?view=centre")
    expect(desk.locator(f"a.case-number:has-text('{first}')")).to_be_visible()
    expect(desk.locator(f"a.case-number:has-text('{second}')")).to_have_count(0)
    shot(desk, "6-centre-queue", full_page=False)
