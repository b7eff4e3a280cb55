"""Periods in years (民法典 art. 202): the corresponding day of the last year,
the month's last day when it has none, then art. 203 unless the rule is a
term that does not roll over (有效期)."""

import pytest
from django.core.exceptions import ValidationError

from fazhi.kernel.deadlines import services
from fazhi.kernel.deadlines.compute import compute, parse_days
from fazhi.kernel.deadlines.engine import Extension, Pause, add_years, compute_due
from fazhi.kernel.deadlines.models import Clock
from fazhi.kernel.deadlines.rules import (
    MAX_YEARS,
    YEARS,
    PeriodRule,
    national_rule,
)

from .conftest import D


def test_add_years_keeps_the_corresponding_day():
    assert add_years(D("2021-03-01"), 5) == D("2026-03-01")
    assert add_years(D("2024-02-29"), 4) == D("2028-02-29")  # leap to leap


def test_add_years_from_29_february_ends_on_the_last_day_of_february():
    assert add_years(D("2024-02-29"), 1) == D("2025-02-28")
    assert add_years(D("2020-02-29"), 5) == D("2025-02-28")


def test_years_period_ends_on_the_corresponding_day(cal):
    # 2025-06-03 is a Tuesday, an ordinary working day.
    r = compute_due(start=D("2020-06-03"), days=5, unit=YEARS, calendar=cal)
    assert r.due == D("2025-06-03")
    assert r.provisional is False
    text = "\n".join(r.explain)
    assert "期限为5年" in text
    assert "5年期间的最后一日为到期月的对应日2025年6月3日（星期二）" in text
    assert "第二百零二条" in text
    assert "顺延" not in text


def test_years_period_from_29_february_ends_on_28_february_and_rolls_over(cal):
    # 2021-02-28 is a Sunday: 民法典 art. 203 moves the last day to Monday.
    r = compute_due(start=D("2020-02-29"), days=1, unit=YEARS, calendar=cal)
    assert r.due == D("2021-03-01")
    text = "\n".join(r.explain)
    assert "到期月没有对应日，最后一日为该月末日2021年2月28日（星期日）" in text
    assert "顺延至其后第一个工作日2021年3月1日（星期一）" in text


def test_years_period_ending_on_a_tiaoxiu_saturday_does_not_roll(cal):
    # 28 February 2026 is a Saturday worked for the Spring Festival (调休).
    r = compute_due(start=D("2024-02-29"), days=2, unit=YEARS, calendar=cal)
    assert r.due == D("2026-02-28")


def test_years_extensions_add_years_and_pauses_push_the_end_on(cal):
    r = compute_due(
        start=D("2024-01-10"),
        days=1,
        unit=YEARS,
        calendar=cal,
        extensions=[Extension(1, "批准延长")],
        pauses=[Pause(D("2025-03-01"), D("2025-03-10"), "中止")],
    )
    # 2026-01-10 (Saturday) + 10 paused days = 2026-01-20, a Tuesday.
    assert r.due == D("2026-01-20")
    text = "\n".join(r.explain)
    assert "经批准延长1年（批准延长）" in text
    assert "合计2年" in text
    assert "2025年3月1日至3月10日暂停计时（中止），共10日不计入" in text
    assert "2年期间的最后一日为到期月的对应日2026年1月10日（星期六）" in text
    assert "扣除暂停计时的天数，顺延至2026年1月20日（星期二）" in text


def test_a_term_that_does_not_roll_over_ends_on_a_rest_day(cal):
    rule = national_rule("normative.validity")
    assert (rule.days, rule.unit, rule.rolls_over) == (5, YEARS, False)
    assert rule.label == "5年"
    assert "国办发〔2018〕37号" in rule.citation
    # 2026-03-01 is a Sunday; a 有效期 is not moved to the Monday.
    r = compute_due(
        start=D("2021-03-01"), days=rule.days, unit=rule.unit, calendar=cal, rule=rule
    )
    assert r.due == D("2026-03-01")
    text = "\n".join(r.explain)
    assert "期限：规范性文件有效期上限，5年" in text
    assert "该日为休息日；本期限为有效期限而非办理期限，不顺延" in text


def test_a_term_ending_on_a_working_day_says_nothing_about_rest(cal):
    rule = national_rule("normative.validity")
    r = compute_due(start=D("2021-03-02"), days=5, unit=YEARS, calendar=cal, rule=rule)
    assert r.due == D("2026-03-02")
    assert "不顺延" not in "\n".join(r.explain)


def test_a_term_into_unknown_years_is_not_provisional(cal):
    """The calendar cannot move a term that does not roll over, so a year
    without its holiday notice changes nothing."""
    rule = national_rule("normative.validity")
    term = compute_due(
        start=D("2026-03-02"), days=5, unit=YEARS, calendar=cal, rule=rule
    )
    assert term.due == D("2031-03-02")
    assert term.provisional is False
    assert not any("暂定" in line for line in term.explain)
    period = compute_due(start=D("2026-03-02"), days=5, unit=YEARS, calendar=cal)
    assert period.provisional is True


def test_a_natural_rule_that_does_not_roll_over_keeps_its_nth_day(cal):
    rule = PeriodRule("t.term", "测试期限", 5, "natural", "测试", rolls_over=False)
    # 2026-03-02 + 5 days = Saturday 7 March.
    r = compute_due(
        start=D("2026-03-02"), days=5, unit="natural", calendar=cal, rule=rule
    )
    assert r.due == D("2026-03-07")
    assert "第5日为2026年3月7日（星期六）" in "\n".join(r.explain)


@pytest.mark.django_db
def test_compute_takes_years_by_rule_or_by_unit():
    out = compute(start="2021-03-01", rule_id="normative.validity")
    assert out["due"] == "2026-03-01"
    assert out["rule"] == "normative.validity"
    assert "国办发〔2018〕37号" in out["citation"]
    out = compute(start="2020-02-29", days="1", unit="years")
    assert out["due"] == "2021-03-01"


@pytest.mark.django_db
def test_compute_names_the_field_for_a_bad_year_count_or_unit():
    with pytest.raises(ValidationError) as exc:
        compute(start="2021-03-01", days=str(MAX_YEARS + 1), unit="years")
    assert exc.value.message_dict == {
        "days": [f"年数应在 1 至 {MAX_YEARS} 之间，收到 11"]
    }
    with pytest.raises(ValidationError) as exc:
        compute(start="2021-03-01", days="2", unit="months")
    assert "years" in exc.value.message_dict["unit"][0]
    with pytest.raises(ValidationError) as exc:
        parse_days("x", YEARS)
    assert exc.value.message_dict == {"days": ["年数应为整数，收到 'x'"]}
    assert parse_days("3650") == 3650


@pytest.mark.django_db
def test_a_years_rule_cannot_start_a_clock():
    with pytest.raises(ValidationError) as exc:
        services.clock_start(
            actor=None,
            case=None,
            name="validity",
            start=D("2026-03-02"),
            rule_id="normative.validity",
        )
    assert "按年计算" in exc.value.message_dict["rule_id"][0]
    assert not Clock.objects.exists()


def test_rule_dict_says_whether_it_rolls_over():
    assert national_rule("normative.validity").as_dict()["rolls_over"] is False
    assert national_rule("disclosure.reply").as_dict()["rolls_over"] is True
