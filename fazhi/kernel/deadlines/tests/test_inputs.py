from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from fazhi.kernel.deadlines.inputs import check_day


@time_machine.travel("2026-03-10 10:00 +0800", tick=False)
def test_check_day_accepts_past_days_and_names_the_field():
    assert check_day(" 2026-03-02 ", "on") == date(2026, 3, 2)
    assert check_day(date(2026, 3, 10), "on", not_before=date(2026, 3, 10))
    for bad, words in (
        ("2026-02-30", "YYYY-MM-DD"),
        (None, "请填写日期"),
        (date(2026, 3, 11), "晚于今天"),
    ):
        with pytest.raises(ValidationError) as exc:
            check_day(bad, "paid_on")
        assert words in exc.value.message_dict["paid_on"][0]
    with pytest.raises(ValidationError) as exc:
        check_day(date(2026, 3, 1), "on", not_before=date(2026, 3, 2))
    assert exc.value.message_dict["on"][0] == "日期不能早于2026年3月2日"
    assert check_day(None, "on", empty_is_today=True) == date(2026, 3, 10)
