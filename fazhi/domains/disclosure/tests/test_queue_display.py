"""The queue and detail pages: overdue time in working days like the time
left, and long names cut to one line with the whole in the title."""

import html
from datetime import date

import pytest
from django.urls import reverse

from fazhi.kernel.deadlines.models import Clock
from fazhi.web.countdown import forget_calendar
from fazhi.web.templatetags.fazhi_ui import countdown

from .conftest import at, company

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_calendar():
    forget_calendar()
    yield
    forget_calendar()


def reply_clock(app):
    return Clock.objects.get(case=app.case, name="reply")


def test_overdue_is_counted_in_working_days_on_queue_and_detail(
    client, file_app, people
):
    app = file_app(date(2026, 3, 2))
    assert reply_clock(app).due_date == date(2026, 3, 30)
    client.force_login(people["scj_handler"])
    with at(date(2026, 3, 27)):
        client.force_login(people["scj_handler"])
        queue = client.get(reverse("disclosure:queue")).content.decode()
        assert "剩余 1 个工作日" in queue
    # 7 April: 8 calendar days late, but 4-6 April are the Qingming holiday,
    # so 5 working days (31 Mar, 1-3 Apr, 7 Apr).
    with at(date(2026, 4, 7)):
        client.force_login(people["scj_handler"])
        queue = client.get(reverse("disclosure:queue")).content.decode()
        detail = client.get(
            reverse("disclosure:detail", args=[app.case.number])
        ).content.decode()
    for page in (queue, detail):
        assert "超期 5 个工作日" in page
        assert "超期 8 日" not in page


def test_overdue_on_a_rest_day_counts_as_the_first_working_day(file_app):
    app = file_app(date(2026, 3, 2))  # due Mon 30 March
    clock = reply_clock(app)
    with at(date(2026, 3, 31)):
        assert "超期 1 个工作日" in countdown(clock)
    clock.due_date = date(2026, 3, 27)  # a Friday: Saturday is already late
    with at(date(2026, 3, 28)):
        assert "超期 1 个工作日" in countdown(clock, compact=True)
    # Not overdue, paused, or a natural-day clock: the kernel badge as it is.
    clock.due_date = date(2026, 3, 30)
    with at(date(2026, 3, 27)):
        assert "剩余 1 个工作日" in countdown(clock)
    clock.unit = Clock.Unit.NATURAL
    with at(date(2026, 4, 7)):
        assert "超期 8 日" in countdown(clock)
    clock.state = Clock.State.PAUSED
    assert "已暂停" in countdown(clock)


def test_a_long_applicant_name_is_cut_with_the_whole_in_the_title(
    client, file_app, people
):
    long_name = "黄石" + "某" * 90 + "科技有限公司甲乙"
    assert len(long_name) == 100
    file_app(date(2026, 3, 2), **company(applicant_name=long_name))
    client.force_login(people["scj_handler"])
    with at(date(2026, 3, 3)):
        client.force_login(people["scj_handler"])
        page = client.get(reverse("disclosure:queue")).content.decode()
    cell = f'<span class="dc-clip" title="{html.escape(long_name)}">{long_name}</span>'
    assert cell in page
    assert ".dc-clip {" in page and "text-overflow: ellipsis" in page


def test_the_title_never_shows_a_persons_full_name(client, file_app, people):
    file_app(date(2026, 3, 2))  # 张晓三, a natural person
    with at(date(2026, 3, 3)):
        client.force_login(people["scj_handler"])
        page = client.get(reverse("disclosure:queue")).content.decode()
    assert 'title="张*三"' in page and "张晓三" not in page
