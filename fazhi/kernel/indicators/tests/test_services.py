from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.http import Http404

from fazhi.kernel.audit.models import AuditEvent
from fazhi.kernel.indicators.models import IndicatorValue
from fazhi.kernel.indicators.services import (
    indicator_value_report,
    indicator_values_refresh,
)

from .conftest import METRIC_VALUES


def report(
    actor,
    indicator,
    agency,
    value="92.5",
    evidence="鄂法治办〔2026〕3号",
    period="2026",
):
    return indicator_value_report(
        actor=actor,
        indicator=indicator,
        agency=agency,
        period=period,
        value=value,
        evidence=evidence,
    )


def test_report_creates_first_version_and_audits(people, org, indicators):
    v = report(people["fzb"], indicators["manual"], org["420281"])
    assert (v.version, v.is_current, v.value) == (1, True, Decimal("92.5"))
    assert v.reported_by == people["fzb"]
    event = AuditEvent.objects.get(
        record_type="indicator_value", record_id="test.manual_rate:420281:2026"
    )
    assert event.action == "indicator.report"
    assert event.payload["value"] == "92.5"


def test_reporting_again_keeps_the_earlier_value(people, org, indicators):
    first = report(people["fzb"], indicators["manual"], org["420281"], value="80")
    second = report(people["fzb"], indicators["manual"], org["420281"], value="91")
    first.refresh_from_db()
    assert not first.is_current and first.superseded_at is not None
    assert first.value == Decimal("80")
    assert (second.version, second.is_current) == (2, True)
    history = IndicatorValue.objects.filter(
        indicator=indicators["manual"], agency=org["420281"], period="2026"
    ).order_by("version")
    assert [v.value for v in history] == [Decimal("80"), Decimal("91")]
    event = AuditEvent.objects.filter(
        record_type="indicator_value", record_id="test.manual_rate:420281:2026"
    ).latest("seq")
    assert event.payload["previous"] == "80" and event.payload["version"] == 2


def test_identical_report_adds_no_version(people, org, indicators):
    a = report(people["fzb"], indicators["manual"], org["420281"])
    b = report(people["fzb"], indicators["manual"], org["420281"], value="92.50")
    assert a.pk == b.pk
    assert IndicatorValue.objects.count() == 1


def test_agency_leader_reports_for_own_agency_only(people, org, indicators):
    leader = people["sfj_leader"]
    assert report(leader, indicators["manual"], org["420200-SFJ"]).version == 1
    with pytest.raises(Http404):
        report(leader, indicators["manual"], org["420200-SCJ"])


def test_viewer_without_report_permission_is_refused(people, org, indicators):
    # dy_handler sees the 大冶市 subtree but holds no indicator.report.
    with pytest.raises(PermissionDenied):
        report(people["dy_handler"], indicators["manual"], org["420281"])


@pytest.mark.parametrize("who", ["dy_handler", "outsider", "sysadmin"])
def test_out_of_scope_agency_is_404(people, org, indicators, who):
    with pytest.raises(Http404):
        report(people[who], indicators["manual"], org["420200-SCJ"])
    assert not IndicatorValue.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"value": "abc"}, "value"),
        ({"value": "1e12"}, "value"),
        ({"value": "Infinity"}, "value"),
        ({"value": "1.23456"}, "value"),
        ({"evidence": "  "}, "evidence"),
        ({"period": "2026Q3"}, "period"),
        ({"period": "1999"}, "period"),
        ({"period": "2026-13"}, "period"),
    ],
)
def test_bad_input_names_the_field(people, org, indicators, kwargs, field):
    with pytest.raises(ValidationError) as exc:
        report(people["fzb"], indicators["manual"], org["420281"], **kwargs)
    assert field in exc.value.message_dict


def test_periods_are_canonicalised(people, org, indicators):
    v = report(people["fzb"], indicators["manual"], org["420281"], period=" 2026-q3 ")
    assert v.period == "2026-Q3"


def test_metric_indicators_cannot_be_reported_by_hand(people, org, indicators):
    with pytest.raises(ValidationError) as exc:
        report(people["fzb"], indicators["metric"], org["420281"])
    assert "indicator" in exc.value.message_dict


def test_inactive_indicator_cannot_be_reported(people, org, indicators):
    indicators["manual"].is_active = False
    indicators["manual"].save()
    with pytest.raises(ValidationError) as exc:
        report(people["fzb"], indicators["manual"], org["420281"])
    assert "indicator" in exc.value.message_dict


def test_refresh_computes_every_agency_and_is_idempotent(org, indicators):
    METRIC_VALUES.update({"420281": Decimal("8"), "420222": Decimal("12.5")})
    result = indicator_values_refresh(period="2026-Q3")
    assert result.written == 2 and result.errors == []
    assert result.no_value == len(org) - 2
    again = indicator_values_refresh(period="2026-Q3")
    assert (again.written, again.unchanged) == (0, 2)
    METRIC_VALUES["420281"] = Decimal("9")
    third = indicator_values_refresh(period="2026-Q3")
    assert third.written == 1
    values = IndicatorValue.objects.filter(agency=org["420281"]).order_by("version")
    assert [(v.value, v.is_current) for v in values] == [
        (Decimal("8"), False),
        (Decimal("9"), True),
    ]
    assert values[1].reported_by is None
    assert (
        AuditEvent.objects.filter(
            record_type="indicator_value",
            record_id="test.metric_days:420281:2026-Q3",
            action="indicator.compute",
        ).count()
        == 2
    )


def test_refresh_survives_a_failing_compute(org, indicators):
    METRIC_VALUES.update({"420281": Decimal("8"), "420222": "not a number"})
    result = indicator_values_refresh(period="2026")
    assert result.written == 1
    assert result.errors == ["test.metric_days@420222"]


def test_refresh_skips_manual_and_rejects_bad_period(indicators):
    with pytest.raises(ValidationError):
        indicator_values_refresh(period="last year")


def test_refresh_command(org, indicators, capsys):
    METRIC_VALUES.update({"420281": Decimal("8"), "420222": "bad"})
    call_command("indicators", "refresh", "--period", "2026")
    out = capsys.readouterr()
    assert "2026: written 1" in out.out
    assert "failed: test.metric_days@420222" in out.err
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("indicators", "refresh", "--period", "soon")
