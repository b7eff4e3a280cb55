"""Seed the holidays and 调休 of 2004-2026 from the chinese-calendar package."""

from django.db import migrations


def seed(apps, schema_editor):
    from fazhi.kernel.deadlines.seed import seed_builtin

    seed_builtin(
        apps.get_model("deadlines", "CalendarYear"),
        apps.get_model("deadlines", "CalendarDay"),
    )


class Migration(migrations.Migration):

    dependencies = [
        ("deadlines", "0003_clock_ledger_and_rule_overrides"),
    ]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
