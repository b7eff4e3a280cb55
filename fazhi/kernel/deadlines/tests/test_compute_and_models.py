import pytest

from fazhi.kernel.deadlines import services
from fazhi.kernel.deadlines.compute import compute
from fazhi.kernel.deadlines.models import (
    CalendarDay,
    CalendarYear,
    Clock,
    ClockEvent,
    PeriodRuleOverride,
)

from .conftest import D

pytestmark = pytest.mark.django_db


def test_compute_accepts_date_objects_and_shows_local_citation():
    services.period_rule_override_set(
        actor=None,
        rule_id="hotline.consult",
        days=1,
        citation="黄石市12345热线管理办法第十条",
    )
    out = compute(start=D("2026-03-02"), rule_id="hotline.consult")
    assert out["due"] == "2026-03-03"
    assert out["citation"].endswith("本地规定：黄石市12345热线管理办法第十条")


def test_model_strings_read_in_chinese():
    assert str(CalendarYear.objects.get(year=2026)) == "2026"
    assert (
        str(CalendarDay.objects.get(date=D("2026-02-14"))) == "2026-02-14 调休上班 春节"
    )
    clock = services.clock_start(
        actor=None,
        case=None,
        name="reply",
        start=D("2026-03-02"),
        days=1,
        unit="working",
    )
    assert str(clock) == "reply due 2026-03-03"
    assert str(ClockEvent.objects.get(clock=clock)) == "start 2026-03-02"
    services.period_rule_override_set(
        actor=None, rule_id="hotline.help", days=7, citation="x"
    )
    assert str(PeriodRuleOverride.objects.get()) == "hotline.help=7"
    assert Clock.objects.count() == 1


def test_clock_explain_method_reads_the_ledger():
    clock = services.clock_start(
        actor=None,
        case=None,
        name="reply",
        start=D("2026-02-10"),
        rule_id="disclosure.reply",
    )
    lines = clock.explain()
    assert lines[0].startswith("起算日2026年2月10日")
    assert "2026年2月15日至2月23日为春节假期，不计入。" in lines
    assert lines[-1] == "到期日为2026年3月16日（星期一），当日24时届满。"
