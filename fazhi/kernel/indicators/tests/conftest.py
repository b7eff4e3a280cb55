from decimal import Decimal

import pytest

from fazhi.kernel.indicators import registry
from fazhi.kernel.indicators.models import Indicator
from fazhi.kernel.indicators.services import sync_indicators

# What the fake metric returns, by agency code; tests change it (a str is a
# buggy module returning something that is not a number).
METRIC_VALUES: dict[str, Decimal | str | None] = {}


def fake_metric(agency, period):
    return METRIC_VALUES.get(agency.code)


@pytest.fixture
def indicators(db):
    """Two test indicators, registered and synced; unregistered afterwards.

    The domain apps' own registrations are set aside meanwhile, so counts
    here are of the test indicators alone.
    """
    METRIC_VALUES.clear()
    others = registry.registered()
    for code in others:
        registry.unregister(code)
    specs = [
        registry.register_indicator(
            "test.manual_rate",
            "行政复议纠错率",
            "%",
            ">=",
            target=90,
            source="manual",
            basis="测试依据",
        ),
        registry.register_indicator(
            "test.metric_days",
            "平均办理天数",
            "天",
            "<=",
            target=10,
            source="metric",
            compute=fake_metric,
        ),
    ]
    sync_indicators()
    yield {
        "manual": Indicator.objects.get(code="test.manual_rate"),
        "metric": Indicator.objects.get(code="test.metric_days"),
    }
    for spec in specs:
        registry.unregister(spec.code)
    registry._REGISTRY.update(others)
    METRIC_VALUES.clear()
