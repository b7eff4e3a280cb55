"""The period engine on real 2025/2026 dates (chinese-calendar's notices)."""

from datetime import date, timedelta

import chinese_calendar

from fazhi.kernel.deadlines.calendar import WorkCalendar
from fazhi.kernel.deadlines.engine import Extension, Pause, compute_due, merge_pauses
from fazhi.kernel.deadlines.rules import apply_override, national_rule

from .conftest import D


def brute_force_working(start: date, n: int) -> date:
    """Independent reference: walk days with chinese-calendar's is_workday."""
    d, counted = start, 0
    while counted < n:
        d += timedelta(days=1)
        counted += chinese_calendar.is_workday(d)
    return d


def test_tiaoxiu_saturdays_are_working_days_in_2026_per_the_notice():
    assert chinese_calendar.is_workday(D("2026-02-14"))
    assert chinese_calendar.is_workday(D("2026-02-28"))


def test_working_period_counts_tiaoxiu_and_skips_spring_festival(cal):
    r = compute_due(start=D("2026-02-10"), days=20, unit="working", calendar=cal)
    assert r.due == D("2026-03-16") == brute_force_working(D("2026-02-10"), 20)
    assert r.provisional is False
    text = "\n".join(r.explain)
    assert "2026年2月15日至2月23日为春节假期，不计入" in text
    assert "2026年2月14日（星期六）为调休上班日（春节），计入" in text
    assert "2026年2月28日（星期六）为调休上班日（春节），计入" in text
    assert "起算日2026年2月10日（星期二）当日不计入" in text


def test_a_tiaoxiu_saturday_can_be_the_due_date(cal):
    r = compute_due(start=D("2026-02-13"), days=1, unit="working", calendar=cal)
    assert r.due == D("2026-02-14")


def test_holidays_do_not_count(cal):
    r = compute_due(start=D("2026-02-14"), days=1, unit="working", calendar=cal)
    assert r.due == D("2026-02-24")
    r = compute_due(start=D("2025-09-30"), days=1, unit="working", calendar=cal)
    assert r.due == D("2025-10-09") == brute_force_working(D("2025-09-30"), 1)


def test_many_2025_and_2026_working_periods_match_chinese_calendar(cal):
    for start in (D("2025-01-20"), D("2025-04-30"), D("2025-09-26"), D("2026-09-18")):
        for n in (1, 3, 5, 7, 10, 15, 20, 40):
            due = compute_due(start=start, days=n, unit="working", calendar=cal).due
            assert due == brute_force_working(start, n), (start, n)


def test_natural_period_ending_on_a_holiday_rolls_to_next_working_day(cal):
    r = compute_due(start=D("2026-09-03"), days=30, unit="natural", calendar=cal)
    assert r.due == D("2026-10-08")
    text = "\n".join(r.explain)
    assert "第30日为2026年10月3日（星期六）" in text
    assert "该日为国庆节假期，顺延至其后第一个工作日2026年10月8日（星期四）" in text
    assert "第二百零三条" in text


def test_natural_period_ending_on_a_weekend_rolls_to_monday(cal):
    r = compute_due(start=D("2026-03-06"), days=15, unit="natural", calendar=cal)
    assert r.due == D("2026-03-23")
    assert any("周末休息日，顺延" in line for line in r.explain)


def test_natural_period_ending_on_a_tiaoxiu_saturday_does_not_roll(cal):
    r = compute_due(start=D("2026-02-13"), days=15, unit="natural", calendar=cal)
    assert r.due == D("2026-02-28")
    assert not any("顺延" in line for line in r.explain)


def test_pause_days_from_through_to_do_not_count(cal):
    plain = compute_due(start=D("2026-03-02"), days=5, unit="working", calendar=cal)
    assert plain.due == D("2026-03-09")
    paused = compute_due(
        start=D("2026-03-02"),
        days=5,
        unit="working",
        calendar=cal,
        pauses=[Pause(D("2026-03-04"), D("2026-03-05"), "征求第三方意见")],
    )
    assert paused.due == D("2026-03-11")
    assert "2026年3月4日至3月5日暂停计时（征求第三方意见），其间2个工作日不计入。" in (
        paused.explain
    )


def test_pause_before_the_start_counts_only_from_the_day_after_start(cal):
    r = compute_due(
        start=D("2026-03-02"),
        days=5,
        unit="working",
        calendar=cal,
        pauses=[Pause(D("2026-02-25"), D("2026-03-03"))],
    )
    assert r.due == D("2026-03-10")
    early = compute_due(
        start=D("2026-03-02"),
        days=5,
        unit="working",
        calendar=cal,
        pauses=[Pause(D("2026-02-25"), D("2026-03-02"))],
    )
    assert early.due == D("2026-03-09")  # ends on the start day: no effect


def test_natural_pause_counts_calendar_days(cal):
    r = compute_due(
        start=D("2026-03-02"),
        days=10,
        unit="natural",
        calendar=cal,
        pauses=[Pause(D("2026-03-07"), D("2026-03-08"))],
    )
    assert r.due == D("2026-03-16")
    assert any("共2日不计入" in line for line in r.explain)


def test_natural_roll_over_skips_paused_days_too(cal):
    r = compute_due(
        start=D("2026-03-06"),
        days=15,
        unit="natural",
        calendar=cal,
        pauses=[Pause(D("2026-03-23"), D("2026-03-24"))],
    )
    assert r.due == D("2026-03-25")


def test_extension_adds_to_the_budget_and_is_explained(cal):
    r = compute_due(
        start=D("2026-02-10"),
        days=20,
        unit="working",
        calendar=cal,
        extensions=[Extension(20, "经负责人同意")],
    )
    assert (
        r.due
        == compute_due(start=D("2026-02-10"), days=40, unit="working", calendar=cal).due
    )
    assert "经批准延长20个工作日（经负责人同意）。" in r.explain
    assert "合计40个工作日。" in r.explain


def test_period_reaching_2027_is_provisional_and_says_why(cal):
    r = compute_due(start=D("2026-12-20"), days=20, unit="working", calendar=cal)
    assert r.provisional is True
    assert r.due == D("2027-01-18")
    last = r.explain[-1]
    assert last.startswith("暂定：2027年的节假日安排")
    assert "全国年节及纪念日放假办法" in last and "未计调休" in last
    assert "2027年1月1日（元旦）" in last


def test_provisional_2027_spring_festival_skips_chuxi_to_chuyi_san(cal):
    r = compute_due(start=D("2027-02-04"), days=1, unit="working", calendar=cal)
    assert r.due == D("2027-02-09")  # 5 Feb 除夕, 6-7 weekend, 8 Feb 初三
    assert "2027年2月5日至2月8日（春节）" in r.explain[-1]


def test_period_inside_a_known_year_is_not_provisional(cal):
    r = compute_due(start=D("2026-12-01"), days=20, unit="working", calendar=cal)
    assert r.due == D("2026-12-29") and r.provisional is False


def test_rule_and_local_citation_are_explained(cal):
    rule = national_rule("hotline.consult")
    r = compute_due(
        start=D("2026-03-02"),
        days=2,
        unit="working",
        calendar=cal,
        rule=apply_override(rule, 3, "黄石市12345热线管理办法第十条"),
    )
    assert any(rule.name in x and "本地规定：黄石市12345" in x for x in r.explain)
    # People read the rule's name; its code belongs to the API, not the text.
    assert not any("hotline.consult" in x for x in r.explain)
    r = compute_due(
        start=D("2026-03-02"),
        days=20,
        unit="working",
        calendar=cal,
        rule=national_rule("disclosure.reply"),
    )
    assert any("第三十三条" in x for x in r.explain)


def test_open_pause_gives_earliest_due_and_says_so(cal):
    r = compute_due(
        start=D("2026-03-02"),
        days=5,
        unit="working",
        calendar=cal,
        paused_since=D("2026-03-04"),
    )
    assert r.due == D("2026-03-09")
    assert any("尚未恢复" in x for x in r.explain)


def test_beyond_lunardate_range_still_computes_and_flags_missing_holidays():
    empty = WorkCalendar(years={}, holidays={}, workdays={})
    r = compute_due(start=D("2099-12-20"), days=20, unit="working", calendar=empty)
    assert r.provisional is True
    assert any("春节、端午节、中秋节的农历日期超出可推算范围" in x for x in r.explain)


def test_days_of_unloaded_years_are_ignored_even_if_stored():
    cal = WorkCalendar(years={}, holidays={D("2030-03-04"): "x"}, workdays={})
    assert cal.is_working(D("2030-03-04"))


def test_merge_pauses_joins_overlapping_and_adjacent():
    merged = merge_pauses(
        [
            Pause(D("2026-03-10"), D("2026-03-12"), "b"),
            Pause(D("2026-03-01"), D("2026-03-05"), "a"),
            Pause(D("2026-03-06"), D("2026-03-07")),
            Pause(D("2026-03-11"), D("2026-03-15"), "c"),
        ]
    )
    assert merged == [
        Pause(D("2026-03-01"), D("2026-03-07"), "a"),
        Pause(D("2026-03-10"), D("2026-03-15"), "b；c"),
    ]


def test_single_day_spans_and_cross_year_spans_read_naturally(cal):
    r = compute_due(
        start=D("2026-12-28"),
        days=10,
        unit="working",
        calendar=cal,
        pauses=[
            Pause(D("2026-12-29"), D("2026-12-29")),
            Pause(D("2026-12-31"), D("2027-01-05")),
        ],
    )
    assert "2026年12月29日暂停计时，其间1个工作日不计入。" in r.explain
    assert "2026年12月31日至2027年1月5日暂停计时，其间3个工作日不计入。" in r.explain
