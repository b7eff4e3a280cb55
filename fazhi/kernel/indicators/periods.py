"""Statistical periods: a year (2026), a quarter (2026-Q3) or a month (2026-11)."""

import re

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
