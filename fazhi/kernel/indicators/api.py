"""REST endpoints of indicators, mounted at /api/indicators.

GET  /?period=2026-Q3           indicators with the current values the caller may see
POST /{code}/values             report a manual indicator's value for an agency
GET  /{code}/history?agency=&period=   every version of one value
"""

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.errors import ValidationError as ApiValidationError

from fazhi.kernel.org.models import Agency
from fazhi.kernel.org.policy import has_perm_anywhere
from fazhi.kernel.org.roles import INDICATOR_VIEW

from . import queries, services
from .models import Indicator, IndicatorValue

router = Router(tags=["indicators"])


class ValueOut(Schema):
    agency_code: str
    agency_name: str
    value: Decimal
    status: str
    evidence: str
    version: int
    recorded_at: datetime


class IndicatorOut(Schema):
    code: str
    name: str
    unit: str
    comparator: str
    target: Decimal | None
    source: str
    basis: str
    values: list[ValueOut]


class ReportIn(Schema):
    agency_code: str
    period: str
    value: str
    evidence: str


def _invalid(exc: ValidationError, where: str) -> ApiValidationError:
    return ApiValidationError(
        [
            {"loc": [where, name], "msg": "；".join(msgs), "type": "value_error"}
            for name, msgs in exc.message_dict.items()
        ]
    )


def _value_out(v: IndicatorValue, status: str) -> dict[str, object]:
    return {
        "agency_code": v.agency.code,
        "agency_name": v.agency.name,
        "value": v.value,
        "status": status,
        "evidence": v.evidence,
        "version": v.version,
        "recorded_at": v.recorded_at,
    }


def _require_view(request: HttpRequest) -> None:
    if not has_perm_anywhere(request.user, INDICATOR_VIEW):
        raise Http404


@router.get("/", response=list[IndicatorOut], summary="指标及其数值")
def list_indicators(request: HttpRequest, period: str) -> list[dict[str, object]]:
    _require_view(request)
    try:
        table = queries.indicator_table(request.user, period)
    except ValidationError as exc:
        raise _invalid(exc, "query") from None
    return [
        {
            "code": row.indicator.code,
            "name": row.indicator.name,
            "unit": row.indicator.unit,
            "comparator": row.indicator.comparator,
            "target": row.indicator.target,
            "source": row.indicator.source,
            "basis": row.indicator.basis,
            "values": [_value_out(c.value, c.status) for c in row.cells],
        }
        for row in table
    ]


@router.post("/{code}/values", response={201: ValueOut}, summary="填报指标值")
def report_value(request: HttpRequest, code: str, data: ReportIn) -> Status:
    _require_view(request)
    indicator = get_object_or_404(Indicator, code=code, is_active=True)
    agency = get_object_or_404(Agency, code=data.agency_code, is_active=True)
    try:
        row = services.indicator_value_report(
            actor=request.user,
            indicator=indicator,
            agency=agency,
            period=data.period,
            value=data.value,
            evidence=data.evidence,
        )
    except ValidationError as exc:
        raise _invalid(exc, "body") from None
    return Status(201, _value_out(row, queries.value_status(indicator, row.value)))


@router.get("/{code}/history", response=list[ValueOut], summary="指标值历史版本")
def history(
    request: HttpRequest, code: str, agency: str, period: str
) -> list[dict[str, object]]:
    _require_view(request)
    indicator = get_object_or_404(Indicator, code=code)
    agency_row = get_object_or_404(Agency, code=agency)
    try:
        versions = queries.value_history(request.user, indicator, agency_row.pk, period)
    except ValidationError as exc:
        raise _invalid(exc, "query") from None
    if not versions:
        raise Http404
    for v in versions:
        v.agency = agency_row
    return [_value_out(v, queries.value_status(indicator, v.value)) for v in versions]
