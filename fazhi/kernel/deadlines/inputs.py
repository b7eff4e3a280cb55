"""Dates typed by people into a form or an API call.

Every app records days that have already happened (received, replied,
paid); one check gives the same message, naming the field, everywhere.
"""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError

from .calendar import today


def check_day(
    value: Any,
    field: str,
    *,
    not_before: date | None = None,
    empty_is_today: bool = False,
) -> date:
    """`value` (a date or "YYYY-MM-DD") as a date that is not in the future
    and not before `not_before`; otherwise a ValidationError on `field`.
    With `empty_is_today`, a missing value (None) means today."""
    if value is None and empty_is_today:
        value = today()
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError(
                {field: f"日期格式应为 YYYY-MM-DD：{value}"}
            ) from None
    if not isinstance(value, date):
        raise ValidationError({field: "请填写日期"})
    if value > today():
        raise ValidationError({field: "日期不能晚于今天"})
    if not_before is not None and value < not_before:
        raise ValidationError(
            {
                field: f"日期不能早于{not_before.year}年{not_before.month}月"
                f"{not_before.day}日"
            }
        )
    return value
