"""Statistical periods: a year (2026), a quarter (2026-Q3) or a month (2026-11)."""

import re
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PERIOD_RE = re.compile(r"(?P<y>\d{4})(?:-(?:Q(?P<q>[1-4])|(?P<m>0[1-9]|1[0-2])))?")


def validate_period(value: str) -> str:
    """The period in canonical form; ValidationError on the `period` field."""
    period = (value or "").strip().upper()
    m = PERIOD_RE.fullmatch(period)
    if not m or not 2000 <= int(m["y"]) <= 2100:
        raise ValidationError(
            {"period": _("统计期格式应为 2026、2026-Q3 或 2026-11。")}
        )
    return period


def period_bounds(value: str) -> tuple[date, date]:
    """The first and last day of a period: 2026-Q3 -> (2026-07-01, 2026-09-30)."""
    period = validate_period(value)
    m = PERIOD_RE.fullmatch(period)
    assert m is not None  # validate_period accepted it
    year = int(m["y"])
    if m["q"]:
        first_month, months = (int(m["q"]) - 1) * 3 + 1, 3
    elif m["m"]:
        first_month, months = int(m["m"]), 1
    else:
        first_month, months = 1, 12
    start = date(year, first_month, 1)
    end_month = first_month + months  # the month after the period
    end = (
        date(year + 1, 1, 1) if end_month > 12 else date(year, end_month, 1)
    ) - timedelta(days=1)
    return start, end
