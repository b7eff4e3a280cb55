"""Alerts on running clocks and the scoped reads."""

import pytest
from django.http import Http404

from fazhi.kernel.deadlines import services
from fazhi.kernel.deadlines.models import Clock
from fazhi.kernel.deadlines.queries import (
    clock_explain,
    clocks_due_soon,
    period_rules,
    visible_clocks,
)
from fazhi.kernel.deadlines.sweep import due_soon_limit, sweep_alerts

from .conftest import D

pytestmark = pytest.mark.django_db


def start(case, name, start_on, days, unit="working"):
    return services.clock_start(
        actor=None, case=case, name=name, start=start_on, days=days, unit=unit
    )


def test_due_soon_window_is_three_working_days_across_a_holiday():
    # Thursday 12 Feb 2026: 13 Fri, 14 Sat (调休), then 春节 until 23 Feb.
    assert due_soon_limit(D("2026-02-12")) == D("2026-02-24")
    assert due_soon_limit(D("2026-03-02")) == D("2026-03-05")


def test_sweep_sets_red_yellow_and_clears_with_guarded_updates(make_case):
    case = make_case()
    start(case, "late", D("2026-02-02"), 3)  # due 5 Feb
    start(case, "soon", D("2026-02-27"), 3)  # due 3 Mar (28 Feb 调休)
    later = start(case, "later", D("2026-03-02"), 20)  # due 30 Mar
    paused = start(case, "paused", D("2026-02-02"), 3)
    services.clock_pause(actor=None, clock=paused, on=D("2026-02-03"), reason="")
    Clock.objects.filter(pk=later.pk).update(alert="yellow")  # e.g. after an extension

    counts = sweep_alerts(today=D("2026-03-02"))

    assert counts == {"red": 1, "yellow": 1, "cleared": 1}
    alerts = dict(Clock.objects.values_list("name", "alert"))
    assert alerts == {
        "late": "red",
        "soon": "yellow",
        "later": "none",
        "paused": "none",
    }
    # A second sweep (or one running at the same time) changes nothing.
    assert sweep_alerts(today=D("2026-03-02")) == {"red": 0, "yellow": 0, "cleared": 0}


def test_due_today_is_yellow_not_red(make_case):
    clock = start(make_case(), "c", D("2026-03-06"), 1)  # due Mon 9 Mar
    assert clock.due_date == D("2026-03-09")
    sweep_alerts(today=D("2026-03-09"))
    clock.refresh_from_db()
    assert clock.alert == "yellow"


def test_sweep_defaults_to_today_and_honours_a_zero_threshold(make_case, time_machine):
    time_machine.move_to("2026-03-02 09:00:00+08:00")
    services.period_rule_override_set(
        actor=None, rule_id="alert.due_soon", days=0, citation="本地"
    )
    assert due_soon_limit(D("2026-03-02")) == D("2026-03-02")
    start(make_case(), "c", D("2026-03-03"), 1)  # due 4 Mar
    assert sweep_alerts() == {"red": 0, "yellow": 0, "cleared": 0}


def test_due_soon_is_scoped_by_case_agency(people, make_case):
    scj = make_case("420200-SCJ")
    dy = make_case("420281")
    start(scj, "a", D("2026-02-27"), 3)
    start(dy, "b", D("2026-02-26"), 3)
    start(dy, "far", D("2026-03-02"), 30)
    services.clock_start(
        actor=None,
        case=None,
        name="free",
        start=D("2026-02-26"),
        days=1,
        unit="working",
    )
    on = D("2026-03-02")
    assert [c.name for c in clocks_due_soon(people["fzb"], on=on)] == ["b", "a"]
    assert [c.name for c in clocks_due_soon(people["scj_handler"], on=on)] == ["a"]
    assert [c.name for c in clocks_due_soon(people["dy_handler"], on=on)] == ["b"]
    assert clocks_due_soon(people["outsider"], on=on) == []
    assert not visible_clocks(people["outsider"]).exists()


def test_due_soon_without_date_uses_today(people, make_case, time_machine):
    time_machine.move_to("2026-03-02 09:00:00+08:00")
    start(make_case(), "a", D("2026-02-27"), 3)
    assert len(clocks_due_soon(people["fzb"])) == 1


def test_clock_explain_is_scoped_and_404s_like_missing(people, make_case):
    clock = start(make_case("420200-SCJ"), "a", D("2026-02-10"), 20)
    out = clock_explain(people["scj_handler"], clock.pk)
    assert out.due == D("2026-03-16") and out.rule is None
    assert out.as_dict()["explain"][0].startswith("起算日2026年2月10日")
    for who in ("outsider", "dy_handler"):
        with pytest.raises(Http404):
            clock_explain(people[who], clock.pk)
    with pytest.raises(Http404):
        clock_explain(people["fzb"], 999_999)


def test_clock_explain_shows_rule_citation(people, make_case):
    clock = services.clock_start(
        actor=None,
        case=make_case(),
        name="reply",
        start=D("2026-02-10"),
        rule_id="disclosure.reply",
    )
    data = clock_explain(people["fzb"], clock.pk).as_dict()
    assert data["rule"] == "disclosure.reply" and "第三十三条" in data["citation"]


def test_period_rules_lists_all_rules():
    assert any(r.id == "litigation.answer" for r in period_rules())
