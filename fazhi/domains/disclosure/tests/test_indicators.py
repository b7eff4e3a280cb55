"""Reply rate and on-time rate, as registered kernel indicators."""

from datetime import date
from decimal import Decimal

import pytest

from fazhi.domains.disclosure import services
from fazhi.domains.disclosure.indicators import ON_TIME_RATE, REPLY_RATE
from fazhi.kernel.indicators.registry import get_spec
from fazhi.kernel.org.models import Agency

from .conftest import at

pytestmark = pytest.mark.django_db


def test_indicators_are_registered_with_the_plan_target():
    for code in (REPLY_RATE, ON_TIME_RATE):
        spec = get_spec(code)
        assert spec is not None and spec.target == Decimal("100")
        assert spec.source == "metric"


def test_rates_count_overdue_and_late_replies(file_app, people, scj):
    h = people["scj_handler"]
    on_time = file_app(date(2026, 3, 2), content="甲")  # due 30 March
    late = file_app(date(2026, 3, 2), content="乙")
    overdue = file_app(date(2026, 3, 2), content="丙")
    still_running = file_app(date(2026, 11, 20), content="丁")
    with at(date(2026, 3, 20)):
        services.reply_issue(actor=h, application=on_time, result_code="disclose")
    with at(date(2026, 4, 2)):
        services.reply_issue(actor=h, application=late, result_code="disclose")
    assert overdue.case.state == "handling" and still_running.received_on
    with at(date(2026, 11, 25)):
        spec_reply, spec_time = get_spec(REPLY_RATE), get_spec(ON_TIME_RATE)
        assert spec_reply and spec_time
        reply_rate, on_time_rate = spec_reply.compute, spec_time.compute
        assert reply_rate and on_time_rate
        # 2 concluded out of 2 concluded + 1 overdue; the November one is
        # still within its period and counts in neither part.
        assert reply_rate(scj, "2026") == Decimal("66.67")
        assert on_time_rate(scj, "2026") == Decimal("50.00")
        city = Agency.objects.get(code="420200")
        assert reply_rate(city, "2026") == Decimal("66.67")
        assert reply_rate(Agency.objects.get(code="420281"), "2026") is None
