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
