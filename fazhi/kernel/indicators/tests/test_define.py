"""Indicators defined by data (a plan's targets) next to registered ones."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from fazhi.kernel.audit.models import AuditEvent
from fazhi.kernel.indicators.models import Indicator
from fazhi.kernel.indicators.periods import period_bounds
from fazhi.kernel.indicators.services import indicator_define, sync_indicators

pytestmark = pytest.mark.django_db


def define(**kw):
    base = dict(
        actor=None,
        code="plan.target.t1",
        name="出庭应诉率",
        unit="%",
        comparator=">=",
        target="100",
        basis="方案 16",
    )
    return indicator_define(**{**base, **kw})


def test_define_is_idempotent_and_audited_on_change():
    row = define()
    assert (row.origin, row.source, row.target) == ("data", "manual", 100)
    define()
    assert AuditEvent.objects.filter(action="indicator.define").count() == 1
    define(target="95")
    row.refresh_from_db()
    assert row.target == 95
    assert AuditEvent.objects.filter(action="indicator.define").count() == 2


def test_sync_never_deactivates_data_indicators():
    define()
    sync_indicators(actor=None)
    assert Indicator.objects.get(code="plan.target.t1").is_active


def test_registered_code_and_bad_fields_are_refused():
    Indicator.objects.create(code="hotline.x", name="x", origin="code")
    for kwargs, field in [
        ({"code": "hotline.x"}, "code"),
        ({"code": "Bad Code"}, "code"),
        ({"comparator": "!="}, "comparator"),
        ({"target": "很多"}, "value"),
    ]:
        with pytest.raises(ValidationError) as err:
            define(**kwargs)
        assert field in err.value.message_dict
    assert define(target=None).target is None


@pytest.mark.parametrize(
    ("period", "bounds"),
    [
        ("2026", (date(2026, 1, 1), date(2026, 12, 31))),
        ("2026-Q4", (date(2026, 10, 1), date(2026, 12, 31))),
        ("2026-q1", (date(2026, 1, 1), date(2026, 3, 31))),
        ("2024-02", (date(2024, 2, 1), date(2024, 2, 29))),
        ("2026-12", (date(2026, 12, 1), date(2026, 12, 31))),
    ],
)
def test_period_bounds(period, bounds):
    assert period_bounds(period) == bounds
