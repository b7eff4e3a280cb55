"""Browser tests: Playwright (sync API) driving Debian's chromium, headless,
against pytest-django's live server.

Fixtures: `browser` (one per test module), `page` (a fresh 1440×900 context per
test, its base URL the live server), `shot(page, step)` saving
artifacts/screenshots/<test>-<step>.png, and the helper `login(page, username)`.
Run with `python -m pytest -m browser tests/browser`.
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from fazhi.demo.huangshi import DEMO_PASSWORD
from fazhi.web.countdown import forget_calendar
from fazhi.web.testing import ensure_case_type

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--lang=zh-CN",  # the browser's own widgets (file picker) in Chinese
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}


# Every browser test module starts with:
#   pytestmark = [pytest.mark.browser, *BROWSER_DB]
# live_server serves from another thread, so data must be committed
# (transaction=True) and each test ends with a flush.
BROWSER_DB = [pytest.mark.django_db(transaction=True)]


def _seed_calendar() -> None:
    from fazhi.kernel.deadlines.models import CalendarDay, CalendarYear
    from fazhi.kernel.deadlines.seed import seed_builtin

    seed_builtin(CalendarYear, CalendarDay)


@pytest.fixture(autouse=True)
def _calendar_seeded(transactional_db):
    """The holiday calendar the migrations seed. Each transactional test ends
    with a flush, and serialized_rollback cannot restore it here: with
    Playwright's event loop running in the thread, Django hands out
    context-local connections that lack the serialized copy. So seed it."""
    _seed_calendar()


@pytest.fixture(scope="module", autouse=True)
def _calendar_left_seeded(django_db_blocker):
    """After the module's last flush, put the calendar back for later tests."""
    yield
    with django_db_blocker.unblock():
        _seed_calendar()


ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


@pytest.fixture(scope="module")
def browser():
    """Chromium for one test module. Playwright's sync API runs an event loop
    in this thread, and Django refuses ORM calls from a thread with a running
    loop unless DJANGO_ALLOW_ASYNC_UNSAFE is set (safe here: the loop only
    drives the browser). The variable is set only while the browser lives, so
    it never leaks into later tests or their subprocesses (`check --deploy`
    rightly rejects it)."""
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed (scripts/system-deps.sh)")
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            yield b
            b.close()
    finally:
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


@pytest.fixture
def page(browser: Browser, live_server):
    forget_calendar()
    ensure_case_type()
    context = browser.new_context(
        viewport=DESKTOP,
        base_url=live_server.url,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
    )
    context.set_default_timeout(15_000)
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture
def shot(request):
    """shot(page, "step") saves artifacts/screenshots/<test>-<step>.png."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", request.node.name)

    def take(page: Page, step: str, *, full_page: bool = True) -> Path:
        path = SHOTS / f"{name}-{step}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take


def login(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/staff/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state("domcontentloaded")


@pytest.fixture
def city_cases(org, people):
    """A realistic morning: cases across the city in different states, some
    overdue and some due soon, opened through the engine with their clocks."""
    from datetime import date

    from fazhi.kernel.deadlines.calendar import today
    from fazhi.kernel.workflow.engine import case_transition
    from fazhi.web.testing import open_case

    on = today()

    def days_ago(n: int) -> date:
        return date.fromordinal(on.toordinal() - n)

    fzb, dy = people["fzb"], people["dy_handler"]
    rows = [
        ("420281002", "金湖街道夜间施工噪音扰民", 45, "accept"),
        ("420281", "大冶市某小区供暖不达标", 33, None),
        ("420281-SCJ", "预付卡商家闭店退费纠纷", 27, "accept"),
        ("420200-SCJ", "超市销售过期食品投诉", 26, None),
        ("420281100", "陈贵镇农村道路破损维修", 12, "accept"),
        ("420200-SFJ", "申请公开2025年行政复议案件统计", 6, None),
        ("420200-HBJ", "工业园区异味排放举报", 3, None),
        ("420222100", "兴国镇菜市场占道经营", 1, None),
        ("420200-ZJJ", "老旧小区加装电梯补贴咨询", 0, None),
    ]
    out = {}
    for code, title, age, step in rows:
        case = open_case(fzb, org[code], title, opened_on=days_ago(age))
        if step:
            actor = dy if code.startswith("420281") else fzb
            case_transition(
                actor=actor, case=case, transition=step, note="材料齐全，予以受理"
            )
        out[title] = case
    return out
