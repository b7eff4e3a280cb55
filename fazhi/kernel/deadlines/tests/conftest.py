"""Fixtures for the deadlines tests: the built-in calendar, cases, year files."""

import json
from datetime import date
from typing import Any

import pytest
from django.utils import timezone

from fazhi.kernel.deadlines.calendar import WorkCalendar
from fazhi.kernel.deadlines.seed import builtin_years
from fazhi.kernel.workflow.models import Case


def builtin_calendar() -> WorkCalendar:
    """2004-2026 from chinese-calendar, without the database."""
    years = builtin_years()
    return WorkCalendar(
        years={y: "chinese-calendar" for y in years},
        holidays={d: n for y in years.values() for d, n in y["holidays"]},
        workdays={d: n for y in years.values() for d, n in y["workdays"]},
    )


@pytest.fixture
def cal() -> WorkCalendar:
    return builtin_calendar()


@pytest.fixture
def make_case(org: dict[str, Any]) -> Any:
    counter = iter(range(1, 10_000))

    def make(agency_code: str = "420200-SCJ") -> Case:
        now = timezone.now()
        return Case.objects.create(
            case_type="test",
            number=f"T-{next(counter):06d}",
            state="open",
            agency=org[agency_code],
            title="测试案件",
            opened_at=now,
            updated_at=now,
        )

    return make


# A made-up 2027 notice, shaped like the real ones (the real one is not out):
# 元旦 1-3 Jan; 春节 5-13 Feb with 调休 Saturdays 30 Jan and 20 Feb; ...
YEAR_2027: dict[str, Any] = {
    "year": 2027,
    "source": "测试用：假设的国务院办公厅关于2027年部分节假日安排的通知",
    "holidays": [
        {"from": "2027-01-01", "to": "2027-01-03", "name": "元旦"},
        {"from": "2027-02-05", "to": "2027-02-13", "name": "春节"},
        {"from": "2027-04-03", "to": "2027-04-05", "name": "清明节"},
        {"from": "2027-05-01", "to": "2027-05-05", "name": "劳动节"},
        {"date": "2027-06-09", "name": "端午节"},
        {"date": "2027-09-15", "name": "中秋节"},
        {"from": "2027-10-01", "to": "2027-10-07", "name": "国庆节"},
    ],
    "workdays": [
        {"date": "2027-01-30", "name": "春节"},
        {"date": "2027-02-20", "name": "春节"},
        {"date": "2027-10-09", "name": "国庆节"},
    ],
}


@pytest.fixture
def year_2027_json() -> bytes:
    return json.dumps(YEAR_2027, ensure_ascii=False).encode()


D = date.fromisoformat
