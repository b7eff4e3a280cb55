"""The calendar years the `chinese-calendar` package knows (2004-2026).

Those years come from the State Council notices the package transcribes; the
data migration loads them so a fresh database has them, and
`services.calendar_seed` re-runs the same idempotent loader (only missing
years are inserted, a year loaded from a notice file is never overwritten).
"""

from datetime import date
from importlib.metadata import version
from typing import Any

import chinese_calendar

# The package's Chinese names are abbreviated (清明, 端午); use the names of
# 全国年节及纪念日放假办法 so stored and provisional days read the same.
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def builtin_source() -> str:
    return (
        f"chinese-calendar {version('chinese-calendar')}"
        "（据国务院办公厅历年部分节假日安排的通知）"
    )


def builtin_years() -> dict[int, dict[str, list[tuple[date, str]]]]:
    """{year: {"holidays": [(date, name)], "workdays": [(date, name)]}}."""
    out: dict[int, dict[str, list[tuple[date, str]]]] = {}
    first = min(chinese_calendar.holidays).year
    last = max(chinese_calendar.holidays).year
    for year in range(first, last + 1):
        out[year] = {"holidays": [], "workdays": []}
    for kind, table in (
        ("holidays", chinese_calendar.holidays),
        ("workdays", chinese_calendar.workdays),
    ):
        for d, name in sorted(table.items()):
            out[d.year][kind].append((d, HOLIDAY_NAMES.get(name, name)))
    return out


def seed_builtin(year_model: Any, day_model: Any) -> list[int]:
    """Insert the built-in years missing from the database; returns them."""
    present = set(year_model.objects.values_list("year", flat=True))
    source = builtin_source()
    added = []
    for year, days in builtin_years().items():
        if year in present:
            continue
        day_model.objects.filter(date__year=year).delete()
        day_model.objects.bulk_create(
            [day_model(date=d, kind="holiday", name=n) for d, n in days["holidays"]]
            + [day_model(date=d, kind="workday", name=n) for d, n in days["workdays"]]
        )
        year_model.objects.create(year=year, source=source)
        added.append(year)
    return added
