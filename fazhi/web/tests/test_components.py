"""The countdown badge, dates in Chinese, the form component."""

from datetime import date

import pytest
from django import forms
from django.template import Context, Template

from fazhi.kernel.deadlines.models import Clock
from fazhi.web.countdown import clock_badge
from fazhi.web.tables import cn_date, cn_datetime


def _clock(**kw):
    base = dict(
        name="reply",
        start_date=date(2026, 11, 2),
        budget_days=20,
        unit=Clock.Unit.NATURAL,
        due_date=date(2026, 11, 30),
        state=Clock.State.RUNNING,
        alert=Clock.Alert.NONE,
    )
    base.update(kw)
    return Clock(**base)


@pytest.mark.django_db
def test_badge_counts_down_natural_days():
    b = clock_badge(_clock(due_date=date(2026, 12, 25)), on=date(2026, 11, 25))
    assert b.text == "剩余 30 日" and b.tone == "ok"


@pytest.mark.django_db
def test_badge_turns_amber_inside_the_due_soon_window():
    # alert.due_soon is a few working days: Monday 30 Nov is close on Wed 25 Nov.
    b = clock_badge(_clock(), on=date(2026, 11, 25))
    assert b.text == "剩余 5 日" and b.tone == "warn"


def test_badge_says_due_today():
    assert clock_badge(_clock(), on=date(2026, 11, 30)).text == "今日到期"


def test_badge_counts_overdue_days():
    b = clock_badge(_clock(), on=date(2026, 12, 3))
    assert b.text == "超期 3 日" and b.tone == "over"


@pytest.mark.django_db
def test_overdue_working_day_clock_is_counted_in_working_days():
    # Due Friday 27 Nov 2026: late by one on Saturday, three on Wednesday.
    clock = _clock(unit=Clock.Unit.WORKING, due_date=date(2026, 11, 27))
    assert clock_badge(clock, on=date(2026, 11, 28)).text == "超期 1 个工作日"
    assert clock_badge(clock, on=date(2026, 12, 2)).text == "超期 3 个工作日"


def test_paused_and_stopped_badges():
    assert clock_badge(_clock(state=Clock.State.PAUSED)).text == "已暂停"
    late = _clock(state=Clock.State.STOPPED, stopped_on=date(2026, 12, 1))
    assert clock_badge(late).text == "超期办结"


@pytest.mark.django_db
def test_provisional_badge_carries_the_reason():
    b = clock_badge(_clock(provisional=True), on=date(2026, 11, 25))
    assert b.provisional and "暂定" in b.tooltip


@pytest.mark.django_db
def test_working_day_badge_skips_the_weekend():
    # Wed 25 Nov 2026 -> Mon 30 Nov 2026: Thu, Fri, Mon = 3 working days.
    b = clock_badge(_clock(unit=Clock.Unit.WORKING), on=date(2026, 11, 25))
    assert b.text == "剩余 3 个工作日"


def test_chinese_dates():
    assert cn_date(date(2026, 11, 5)) == "2026年11月5日"
    from datetime import UTC, datetime

    assert (
        cn_datetime(datetime(2026, 11, 25, 6, 5, tzinfo=UTC)) == "2026年11月25日 14:05"
    )


class _Form(forms.Form):
    name = forms.CharField(label="姓名")
    phone = forms.CharField(label="手机号", required=False, help_text="11 位")

    def clean(self):
        raise forms.ValidationError("材料不完整")


def test_form_component_shows_errors_inline_in_chinese():
    form = _Form(data={"name": ""})
    html = Template("{% load fazhi_ui %}{% form_fields form %}").render(
        Context({"form": form})
    )
    assert "这个字段是必填项" in html  # Django's zh-hans message beside the field
    assert 'aria-invalid="true"' in html
    assert html.index("材料不完整") < html.index("姓名")  # non-field errors on top
    assert 'class="req"' in html  # required marker on 姓名 only
    assert html.count('class="req"') == 1
    assert "11 位" in html
