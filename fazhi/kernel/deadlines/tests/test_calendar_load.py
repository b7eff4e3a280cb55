"""Calendar years: the seed, loading a notice file, recomputing open clocks."""

import json

import pytest
from django.core.exceptions import ValidationError

from fazhi.kernel.audit.models import AuditEvent
from fazhi.kernel.deadlines import services
from fazhi.kernel.deadlines.calendar import WorkCalendar
from fazhi.kernel.deadlines.ledger import clock_result
from fazhi.kernel.deadlines.models import CalendarDay, CalendarYear, Clock, ClockEvent
from fazhi.kernel.deadlines.yearfile import parse_year_file

from .conftest import YEAR_2027, D

pytestmark = pytest.mark.django_db


def test_fresh_database_has_2004_to_2026_from_the_migration():
    assert list(CalendarYear.objects.values_list("year", flat=True)) == list(
        range(2004, 2027)
    )
    day = CalendarDay.objects.get(date=D("2026-02-14"))
    assert (day.kind, day.name) == ("workday", "春节")
    assert CalendarDay.objects.get(date=D("2026-10-01")).name == "国庆节"
    assert "chinese-calendar" in CalendarYear.objects.get(year=2026).source


def test_seed_is_idempotent_and_restores_a_missing_year():
    assert services.calendar_seed(actor=None) == []
    CalendarYear.objects.filter(year=2025).delete()
    CalendarDay.objects.filter(date__year=2025).delete()
    assert services.calendar_seed(actor=None) == [2025]
    assert CalendarDay.objects.filter(date__year=2025).count() > 20
    assert AuditEvent.objects.filter(
        record_type="calendar", record_id="2025", action="calendar.seed"
    ).exists()


def load(content=None, **changes):
    data = parse_year_file(content or json.dumps({**YEAR_2027, **changes}))
    return services.calendar_year_load(
        actor=None,
        year=data.year,
        source=data.source,
        holidays=data.holidays,
        workdays=data.workdays,
    )


def test_loading_2027_recomputes_provisional_clocks_and_audits_it(make_case):
    case = make_case()
    # Crosses 春节 2027: provisionally only 5 and 8 Feb are weekday holidays.
    spring = services.clock_start(
        actor=None,
        case=case,
        name="reply",
        start=D("2027-01-25"),
        rule_id="disclosure.reply",
    )
    assert spring.provisional and spring.due_date == D("2027-02-24")
    newyear = services.clock_start(
        actor=None,
        case=case,
        name="other",
        start=D("2026-12-20"),
        days=20,
        unit="working",
    )
    assert newyear.provisional and newyear.due_date == D("2027-01-18")
    inside = services.clock_start(
        actor=None,
        case=make_case(),
        name="x",
        start=D("2026-03-02"),
        days=5,
        unit="working",
    )
    stopped = services.clock_start(
        actor=None,
        case=make_case(),
        name="y",
        start=D("2027-01-25"),
        days=20,
        unit="working",
    )
    services.clock_stop(actor=None, clock=stopped, on=D("2027-01-26"))

    result = load()

    assert (result.year, result.replaced, result.recomputed) == (2027, False, 2)
    spring.refresh_from_db()
    newyear.refresh_from_db()
    # Notice: 5-13 Feb off, 30 Jan and 20 Feb worked -> 4 more days off, 2 back.
    assert not spring.provisional and spring.due_date == D("2027-02-26")
    assert not newyear.provisional and newyear.due_date == D("2027-01-18")
    recompute = spring.events.get(kind="recompute")
    assert recompute.due_date == D("2027-02-26") and "2027" in recompute.reason
    assert not ClockEvent.objects.filter(clock=inside, kind="recompute").exists()
    assert not ClockEvent.objects.filter(clock=stopped, kind="recompute").exists()
    chain = AuditEvent.objects.filter(
        record_type="calendar", record_id="2027"
    ).order_by("seq")
    assert [e.action for e in chain] == ["calendar.load", "clock.recompute"]
    changes = chain[1].payload["changes"].split(",")
    assert f"{spring.pk}:2027-02-24>2027-02-26" in changes
    assert f"{newyear.pk}:2027-01-18>2027-01-18" in changes  # no longer provisional
    assert chain[0].payload["previous"] is None
    assert len(chain[0].payload["holidays"]) == 3 + 9 + 3 + 5 + 1 + 1 + 7


def test_reloading_a_year_replaces_its_days_and_keeps_the_old_ones_in_the_record():
    load()
    # A corrected notice: the 劳动节 break shortened to its two statutory days.
    shorter = [h for h in YEAR_2027["holidays"] if h["name"] != "劳动节"] + [
        {"from": "2027-05-01", "to": "2027-05-02", "name": "劳动节"}
    ]
    result = load(holidays=shorter, workdays=[])
    assert result.replaced and result.holidays == 29 - 3 and result.workdays == 0
    assert CalendarDay.objects.filter(date__year=2027).count() == 26
    last = AuditEvent.objects.filter(
        record_type="calendar", record_id="2027", action="calendar.load"
    ).latest("seq")
    assert len(last.payload["previous"]["days"]) == 29 + 3


def test_a_notice_missing_a_statutory_holiday_is_refused():
    # Only 元旦 and 春节: loading it would make 清明 ... 国庆 working days.
    with pytest.raises(ValidationError) as exc:
        load(holidays=YEAR_2027["holidays"][:2])
    assert "清明节（2027-04-05）" in exc.value.message_dict["holidays"][0]
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_changing_a_known_year_moves_due_dates_of_clocks_in_it(make_case):
    clock = services.clock_start(
        actor=None,
        case=make_case(),
        name="c",
        start=D("2026-03-02"),
        days=5,
        unit="working",
    )
    assert clock.due_date == D("2026-03-09")
    cal = WorkCalendar.load()
    days = [(d, n) for d, n in cal.holidays.items() if d.year == 2026]
    services.calendar_year_load(
        actor=None,
        year=2026,
        source="更正",
        holidays=[*days, (D("2026-03-04"), "测试")],
        workdays=[(d, n) for d, n in cal.workdays.items() if d.year == 2026],
    )
    clock.refresh_from_db()
    assert clock.due_date == D("2026-03-10")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"year": 1900}, "year"),
        ({"source": " "}, "source"),
        ({"holidays": []}, "holidays"),
        ({"holidays": [{"date": "2026-01-01", "name": "元旦"}]}, "holidays"),
        ({"holidays": [{"date": "2027-01-01"}, {"date": "2027-01-01"}]}, "holidays"),
        ({"workdays": [{"date": "2027-01-01", "name": "x"}]}, "workdays"),
        ({"workdays": [{"date": "2027-01-04", "name": "周一"}]}, "workdays"),
    ],
)
def test_load_validation_names_the_field(changes, field):
    data = {**YEAR_2027, **changes}
    days = parse_year_file(json.dumps({**data, "year": 2027, "source": "x"}))
    with pytest.raises(ValidationError) as exc:
        services.calendar_year_load(
            actor=None,
            year=data["year"],
            source=data["source"],
            holidays=days.holidays,
            workdays=days.workdays,
        )
    assert field in exc.value.message_dict
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_recompute_all_touches_nothing_when_nothing_changed(make_case):
    services.clock_start(
        actor=None,
        case=make_case(),
        name="c",
        start=D("2026-03-02"),
        days=5,
        unit="working",
    )
    assert services.clocks_recompute(actor=None, years=None) == 0


def test_recompute_skips_a_clock_whose_ledger_changed_meanwhile(make_case, monkeypatch):
    """The version guard: a concurrent write wins over a stale batch."""
    clock = services.clock_start(
        actor=None,
        case=make_case(),
        name="c",
        start=D("2026-12-20"),
        days=20,
        unit="working",
    )
    from fazhi.kernel.deadlines.services import recompute

    real_write = recompute._write

    def racing_write(*args, **kwargs):
        Clock.objects.filter(pk=clock.pk).update(version=99)  # someone else wrote
        return real_write(*args, **kwargs)

    monkeypatch.setattr(recompute, "_write", racing_write)
    CalendarYear.objects.create(year=2027, source="x")
    assert services.clocks_recompute(actor=None, years={2027}) == 0
    clock.refresh_from_db()
    assert clock.provisional  # untouched by the stale batch


def test_recompute_works_in_batches_and_counts_pauses(make_case):
    clocks = []
    for i in range(5):
        c = services.clock_start(
            actor=None,
            case=make_case(),
            name="c",
            start=D("2026-12-21"),
            days=10 + i,
            unit="working",
        )
        clocks.append(c)
    paused = services.clock_pause(
        actor=None, clock=clocks[0], on=D("2026-12-23"), reason=""
    )
    paused = services.clock_resume(actor=None, clock=paused, on=D("2026-12-28"))
    services.clock_pause(actor=None, clock=clocks[1], on=D("2026-12-23"), reason="")
    CalendarYear.objects.create(year=2027, source="x")  # 2027 known, no holidays
    assert services.clocks_recompute(actor=None, years={2027}, batch_size=2) == 5
    for c in clocks:
        c.refresh_from_db()
        assert not c.provisional
        assert c.due_date == clock_result(c).due  # vector recompute == ledger
    # 1 Jan 2027 is now an ordinary Friday: one working day earlier than before;
    # 23-27 Dec paused (resumed 28 Dec) as before.
    assert clocks[0].due_date == D("2027-01-07")
    assert (
        AuditEvent.objects.filter(
            record_type="calendar", record_id="2027", action="clock.recompute"
        ).count()
        == 3
    )


def test_years_before_the_2024_revision_are_not_held_to_its_holiday_list():
    # 2024 followed the 2013 放假办法 (no 除夕, one 劳动节 day): not checked.
    result = services.calendar_year_load(
        actor=None,
        year=2024,
        source="更正",
        holidays=[(D("2024-01-01"), "元旦")],
        workdays=[],
    )
    assert result.holidays == 1


def test_recompute_skips_a_batch_whose_clocks_closed_meanwhile(make_case, monkeypatch):
    from fazhi.kernel.deadlines.services import recompute

    clock = services.clock_start(
        actor=None,
        case=make_case(),
        name="c",
        start=D("2026-12-20"),
        days=20,
        unit="working",
    )
    # As if a batch's clocks were stopped between the id scan and its read.
    monkeypatch.setattr(recompute, "_candidate_ids", lambda q: [10**9, clock.pk])
    assert services.clocks_recompute(actor=None, years=None, batch_size=1) == 0
