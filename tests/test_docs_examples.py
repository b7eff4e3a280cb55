"""The examples the README and pages point people to actually work."""

from pathlib import Path

from django.core.management import call_command

from fazhi.kernel.deadlines.models import CalendarDay

ROOT = Path(__file__).resolve().parent.parent


def test_the_2026_calendar_example_loads_and_matches_the_builtin_year(db, capsys):
    before = sorted(
        CalendarDay.objects.filter(date__year=2026).values_list("date", "kind")
    )
    call_command("calendar", "load", str(ROOT / "docs/calendar-2026.example.json"))
    after = sorted(
        CalendarDay.objects.filter(date__year=2026).values_list("date", "kind")
    )
    assert after == before and len(after) == 33 + 6
