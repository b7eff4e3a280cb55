from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from fazhi.kernel.audit.models import AuditEvent
from fazhi.kernel.indicators import registry
from fazhi.kernel.indicators.models import Indicator
from fazhi.kernel.indicators.services import sync_indicators

from .conftest import fake_metric


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        (("Bad Code", "n", "", ">="), {"source": "manual"}),
        (("x.y", "n", "", "=>"), {"source": "manual"}),
        (("x.y", "n", "", ">="), {"source": "guess"}),
        (("x.y", "n", "", ">="), {"source": "metric"}),
        (("x.y", "n", "", ">="), {"source": "manual", "compute": fake_metric}),
        (("x.y", "n", "", ">="), {"source": "manual", "target": "ninety"}),
        (("x.y", "n", "", ">="), {"source": "manual", "target": "NaN"}),
    ],
)
def test_bad_registrations_fail_at_startup(args, kwargs):
    with pytest.raises(ImproperlyConfigured):
        registry.register_indicator(*args, **kwargs)
    assert registry.get_spec("x.y") is None


def test_registering_twice_is_harmless_but_a_different_spec_is_refused(indicators):
    again = registry.register_indicator(
        "test.manual_rate",
        "行政复议纠错率",
        "%",
        ">=",
        target=90,
        source="manual",
        basis="测试依据",
    )
    assert again == registry.get_spec("test.manual_rate")
    with pytest.raises(ImproperlyConfigured):
        registry.register_indicator(
            "test.manual_rate", "行政复议纠错率", "%", ">=", target=95, source="manual"
        )


def test_sync_creates_rows_and_is_idempotent(indicators):
    row = indicators["manual"]
    assert row.target == Decimal("90") and row.source == "manual" and row.is_active
    assert row.basis == "测试依据"
    before = AuditEvent.objects.count()
    result = sync_indicators()
    assert (result.created, result.updated, result.deactivated) == ([], [], [])
    assert AuditEvent.objects.count() == before


def test_sync_updates_changed_specs_and_deactivates_unregistered(indicators):
    registry.unregister("test.manual_rate")
    registry.register_indicator(
        "test.manual_rate", "行政复议纠错率", "%", ">=", target="95.5", source="manual"
    )
    registry.unregister("test.metric_days")
    result = sync_indicators()
    assert result.updated == ["test.manual_rate"]
    assert result.deactivated == ["test.metric_days"]
    assert Indicator.objects.get(code="test.manual_rate").target == Decimal("95.5")
    assert not Indicator.objects.get(code="test.metric_days").is_active
    assert AuditEvent.objects.filter(
        record_type="indicator",
        record_id="test.metric_days",
        action="indicator.deactivate",
    ).exists()
    # A second run finds nothing more to deactivate.
    assert sync_indicators().deactivated == []


def test_sync_command(indicators, capsys):
    call_command("indicators", "sync")
    assert "created 0, updated 0, deactivated 0" in capsys.readouterr().out


def test_registered_is_a_copy(indicators):
    copy = registry.registered()
    copy.clear()
    assert registry.get_spec("test.manual_rate") is not None
