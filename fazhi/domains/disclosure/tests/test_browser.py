"""In a real browser: the intake form shows only the receipt date the chosen
channel uses (条例 art. 31), and a 100-character name stays on one line of
the queue. Fixtures are the browser suite's (tests/browser/conftest.py)."""

from datetime import date

import pytest

from tests.browser import conftest as suite

from .conftest import company

pytestmark = [pytest.mark.browser, *suite.BROWSER_DB]

# The browser suite's fixtures, by name (its conftest is not this folder's).
browser = suite.browser
page = suite.page
shot = suite.shot
_calendar_seeded = suite._calendar_seeded
_calendar_left_seeded = suite._calendar_left_seeded
login = suite.login


def _visible(page, name):
    return page.locator(f"[name={name}]").is_visible()


def test_intake_shows_only_the_channels_receipt_date(page, people, shot):
    login(page, "scj_handler")
    page.goto("/staff/disclosure/new/")
    # At the counter the submission day is the receipt day: neither date.
    assert page.locator("[name=channel]").input_value() == "in_person"
    assert _visible(page, "submitted_on")
    assert not _visible(page, "signed_on") and not _visible(page, "confirmed_on")
    page.select_option("[name=channel]", "registered_mail")
    assert _visible(page, "signed_on") and not _visible(page, "confirmed_on")
    page.select_option("[name=channel]", "online")
    assert not _visible(page, "signed_on") and _visible(page, "confirmed_on")
    shot(page, "online")
    page.select_option("[name=channel]", "fax")
    assert not _visible(page, "signed_on") and _visible(page, "confirmed_on")


def test_a_long_name_does_not_widen_the_queue(page, file_app, people, shot):
    long_name = "黄石" + "某" * 90 + "科技有限公司甲乙"
    file_app(date(2026, 3, 2), **company(applicant_name=long_name))
    login(page, "scj_handler")
    page.goto("/staff/disclosure/")
    cell = page.locator(".dc-clip", has_text="黄石某").first
    assert cell.get_attribute("title") == long_name
    box = cell.bounding_box()
    line = page.locator(".dc-clip").nth(1).bounding_box()  # the agency: short
    assert box is not None and line is not None
    assert box["width"] < 300 and box["height"] <= line["height"] + 1
    # The text is cut, not wrapped: it overflows its own box.
    assert cell.evaluate("e => e.scrollWidth > e.clientWidth")
    table = page.locator("table").first.bounding_box()
    assert table is not None and table["width"] <= 1440
    shot(page, "queue")


LAPTOP = {"width": 1366, "height": 768}


def _box(locator):
    box = locator.bounding_box()
    assert box is not None
    return box


def test_long_values_wrap_inside_the_detail_cards(page, file_app, people, shot):
    from fazhi.domains.disclosure.tests.conftest import person

    name = "欧" + "阳" * 98 + "娜"  # masked as 欧 + 98 asterisks + 娜
    content = "关于" + "黄石市市场监督管理局" * 10 + "的抽检结果"
    app = file_app(date(2026, 3, 2), content=content, **person(applicant_name=name))
    page.set_viewport_size(LAPTOP)
    login(page, "scj_handler")
    page.goto(f"/staff/disclosure/{app.case.number}/")
    dd = page.locator("[data-field=applicant]")
    card = page.locator("section.card", has=dd)
    assert dd.evaluate("e => e.scrollWidth <= e.clientWidth")
    assert _box(dd)["x"] + _box(dd)["width"] <= _box(card)["x"] + _box(card)["width"]
    # The second column starts after the first card, inside the window.
    actions = _box(page.locator("#actions"))
    assert actions["x"] >= _box(card)["x"] + _box(card)["width"]
    assert actions["x"] + actions["width"] <= LAPTOP["width"]
    # The title: one line, cut with an ellipsis, the whole in its title.
    h1 = page.locator(".page-header h1")
    assert h1.get_attribute("title") == f"申请公开：{content}"
    assert h1.evaluate("e => getComputedStyle(e).textOverflow") == "ellipsis"
    assert h1.evaluate("e => e.scrollWidth > e.clientWidth")
    assert _box(h1)["x"] + _box(h1)["width"] <= LAPTOP["width"]
    shot(page, "detail")


def test_queue_fits_its_card_at_1366(page, file_app, people, shot):
    from fazhi.domains.disclosure import services
    from fazhi.domains.disclosure.tests.conftest import at

    app = file_app(date(2026, 3, 2))
    with at(date(2026, 3, 3)):
        services.reply_issue(
            actor=people["scj_handler"], application=app, result_code="disclose"
        )
    # A long name, and the same request twice: the 提示 column has a flag.
    long_name = "黄石" + "某" * 90 + "科技有限公司甲乙"
    for _ in range(2):
        file_app(date(2026, 3, 2), **company(applicant_name=long_name))
    page.set_viewport_size(LAPTOP)
    login(page, "scj_handler")
    page.goto("/staff/disclosure/")
    card = _box(page.locator(".data-table"))
    assert card["x"] + card["width"] <= LAPTOP["width"]
    scroller = page.locator(".data-table .table-scroll")
    assert _box(scroller)["x"] + _box(scroller)["width"] <= card["x"] + card["width"]
    # The table fits its card: 提示 is in view without scrolling.
    assert scroller.evaluate("e => e.scrollWidth <= e.clientWidth")
    flags = _box(page.locator("th", has_text="提示"))
    assert flags["x"] + flags["width"] <= card["x"] + card["width"]
    # 办理结果 is not one character per line.
    heads = page.locator(".data-table thead th").all_inner_texts()
    column = [h.strip() for h in heads].index("办理结果")
    result = page.locator("tbody tr", has_text="予以公开").locator("td").nth(column)
    lines = result.evaluate(
        """e => { const r = document.createRange(); r.selectNodeContents(e);
        return r.getBoundingClientRect().height
            / parseFloat(getComputedStyle(e).fontSize); }"""
    )
    assert lines < 2
    shot(page, "queue-1366")


def test_credit_code_shows_as_required_for_an_organisation(page, people):
    login(page, "scj_handler")
    page.goto("/staff/disclosure/new/")

    def mark(name):
        return page.locator(f".field:has([name={name}]) .field-label").evaluate(
            "e => getComputedStyle(e, '::after').content"
        )

    assert page.locator("[name=applicant_type]").input_value() == "natural"
    assert "*" not in mark("credit_code") and "*" in mark("id_number")
    page.select_option("[name=applicant_type]", "commercial")
    assert "*" in mark("credit_code") and "*" not in mark("id_number")
