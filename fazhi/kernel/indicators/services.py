"""Writing indicators and their values.

Values are versioned: a new report or a changed computation for the same
(indicator, agency, period) marks the current row superseded and adds the
next version, in one transaction, with its audit event on the chain
``indicator_value / <code>:<agency code>:<period>`` — so the record shows
every value a cell ever had, who reported it and on what evidence.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.kernel.audit.services import audit_record
from fazhi.kernel.org.models import Agency
from fazhi.kernel.org.policy import can
from fazhi.kernel.org.roles import INDICATOR_REPORT, INDICATOR_VIEW

from .models import Indicator, IndicatorValue, plain
from .periods import validate_period
from .registry import registered

log = logging.getLogger(__name__)

VALUE_LIMIT = Decimal("1e10")  # max_digits 14, decimal_places 4


@dataclass
class SyncResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)


def sync_indicators(*, actor: Any = None) -> SyncResult:
    """Upsert the registered indicators; rows no longer registered go inactive.

    Idempotent: a second run changes nothing and writes no audit event.
    Inactive rows are kept because their values are history.
    """
    result = SyncResult()
    specs = registered()
    with transaction.atomic():
        rows = {i.code: i for i in Indicator.objects.select_for_update()}
        for code, spec in sorted(specs.items()):
            wanted = spec.row_fields()
            row = rows.get(code)
            if row is None:
                row = Indicator.objects.create(code=code, **wanted)
                result.created.append(code)
            else:
                changed = {k: v for k, v in wanted.items() if getattr(row, k) != v}
                if not changed:
                    continue
                for k, v in changed.items():
                    setattr(row, k, v)
                row.save(update_fields=list(changed))
                result.updated.append(code)
            audit_record(
                actor=actor,
                action="indicator.sync",
                record_type="indicator",
                record_id=code,
                payload={k: str(v) for k, v in wanted.items()},
            )
        for code, row in sorted(rows.items()):
            if row.origin == Indicator.Origin.DATA:
                continue  # defined by a domain's data, not by a registration
            if code not in specs and row.is_active:
                row.is_active = False
                row.save(update_fields=["is_active"])
                result.deactivated.append(code)
                audit_record(
                    actor=actor,
                    action="indicator.deactivate",
                    record_type="indicator",
                    record_id=code,
                )
    return result


def indicator_define(
    *,
    actor: Any,
    code: str,
    name: str,
    unit: str,
    comparator: str,
    target: Decimal | int | str | None,
    basis: str = "",
    description: str = "",
) -> Indicator:
    """Create or update a manual indicator that a domain's data defines.

    A plan's targets become indicators this way: they are data (imported and
    edited by the office), so `sync_indicators` never deactivates them. A
    code already taken by a registered indicator is refused. Writes an audit
    event only when something changed.
    """
    from .registry import CODE_RE

    if not CODE_RE.fullmatch(code) or len(code) > 64:
        raise ValidationError({"code": _("指标编码格式不正确。")})
    if comparator not in Indicator.Comparator.values:
        raise ValidationError({"comparator": _("比较方式不正确。")})
    number = None if target in (None, "") else _parse_value(target)
    wanted = {
        "name": (name or "").strip()[:255] or code,
        "unit": (unit or "")[:16],
        "comparator": comparator,
        "target": number,
        "basis": (basis or "")[:255],
        "description": description or "",
        "source": Indicator.Source.MANUAL,
        "is_active": True,
    }
    with transaction.atomic():
        row = Indicator.objects.select_for_update().filter(code=code).first()
        if row is not None and row.origin != Indicator.Origin.DATA:
            raise ValidationError({"code": _("该编码已被模块注册的指标占用。")})
        if row is None:
            row = Indicator.objects.create(
                code=code, origin=Indicator.Origin.DATA, **wanted
            )
        else:
            changed = [k for k, v in wanted.items() if getattr(row, k) != v]
            if not changed:
                return row
            for k in changed:
                setattr(row, k, wanted[k])
            row.save(update_fields=changed)
        audit_record(
            actor=actor,
            action="indicator.define",
            record_type="indicator",
            record_id=code,
            payload={k: None if v is None else str(v) for k, v in wanted.items()},
        )
    return row


def indicator_retire(*, actor: Any, codes: list[str]) -> int:
    """Deactivate data-defined indicators whose defining data was withdrawn.

    Their values stay (they are history); registered indicators are never
    touched here. Returns how many were deactivated.
    """
    with transaction.atomic():
        rows = list(
            Indicator.objects.select_for_update().filter(
                code__in=codes, origin=Indicator.Origin.DATA, is_active=True
            )
        )
        for row in rows:
            row.is_active = False
            row.save(update_fields=["is_active"])
            audit_record(
                actor=actor,
                action="indicator.deactivate",
                record_type="indicator",
                record_id=row.code,
            )
    return len(rows)


def _cell_id(indicator: Indicator, agency: Agency, period: str) -> str:
    return f"{indicator.code}:{agency.code}:{period}"


def _store(
    *,
    actor: Any,
    indicator: Indicator,
    agency: Agency,
    period: str,
    value: Decimal,
    evidence: str,
    action: str,
) -> IndicatorValue | None:
    """Write a new version unless the current one says the same; in a transaction."""
    current = (
        IndicatorValue.objects.select_for_update()
        .filter(indicator=indicator, agency=agency, period=period, is_current=True)
        .first()
    )
    if current is not None and current.value == value and current.evidence == evidence:
        return None
    now = timezone.now()
    if current is not None:
        current.is_current = False
        current.superseded_at = now
        current.save(update_fields=["is_current", "superseded_at"])
    row = IndicatorValue.objects.create(
        indicator=indicator,
        agency=agency,
        period=period,
        value=value,
        evidence=evidence,
        version=current.version + 1 if current else 1,
        reported_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        actor=actor,
        action=action,
        record_type="indicator_value",
        record_id=_cell_id(indicator, agency, period),
        payload={
            "version": row.version,
            "value": plain(value),
            "previous": plain(current.value) if current else None,
            "evidence": evidence,
        },
    )
    return row


def _parse_value(value: Any) -> Decimal:
    """A Decimal that fits the column (14 digits, 4 decimals) or a field error."""
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({"value": _("指标值必须是数字。")}) from None
    if not number.is_finite() or abs(number) >= VALUE_LIMIT:
        raise ValidationError({"value": _("指标值超出范围。")})
    if number != number.quantize(Decimal("0.0001")):
        raise ValidationError({"value": _("指标值最多保留4位小数。")})
    return number


def indicator_value_report(
    *,
    actor: Any,
    indicator: Indicator,
    agency: Agency,
    period: str,
    value: Decimal | int | str,
    evidence: str,
) -> IndicatorValue:
    """Report the value of a manual indicator for an agency and a period.

    Needs `indicator.report` on the agency (an agency the actor cannot even
    see answers 404). Reporting again adds a version; the earlier value stays
    in the table, superseded.
    """
    if not can(actor, INDICATOR_REPORT, agency):
        if can(actor, INDICATOR_VIEW, agency):
            raise PermissionDenied(_("您没有为该机构填报指标的权限。"))
        raise Http404("No such agency.")
    if indicator.source != Indicator.Source.MANUAL:
        raise ValidationError({"indicator": _("该指标由系统自动统计，不能手工填报。")})
    if not indicator.is_active:
        raise ValidationError({"indicator": _("该指标已停用。")})
    period = validate_period(period)
    number = _parse_value(value)
    # Reported figures are rates, counts, hours and shares: never below zero.
    if number < 0:
        raise ValidationError({"value": _("指标值不能为负数。")})
    evidence = (evidence or "").strip()
    if not evidence:
        raise ValidationError(
            {"evidence": _("请填写佐证材料（文件名称、文号或说明）。")}
        )
    with transaction.atomic():
        row = _store(
            actor=actor,
            indicator=indicator,
            agency=agency,
            period=period,
            value=number,
            evidence=evidence,
            action="indicator.report",
        )
        if row is None:  # same value and evidence again: nothing to record
            row = IndicatorValue.objects.get(
                indicator=indicator, agency=agency, period=period, is_current=True
            )
    return row


@dataclass
class RefreshResult:
    period: str
    written: int = 0
    unchanged: int = 0
    no_value: int = 0
    errors: list[str] = field(default_factory=list)


def indicator_values_refresh(*, actor: Any = None, period: str) -> RefreshResult:
    """Compute every active metric indicator for every active agency.

    Each cell is written in its own transaction, so one module's failing
    compute function is logged and reported without losing the others.
    Running twice at once is safe: the loser of a race on a cell hits the
    one-current-value constraint and leaves the winner's row.
    """
    period = validate_period(period)
    sync_indicators(actor=actor)
    specs = registered()
    result = RefreshResult(period=period)
    indicators = Indicator.objects.filter(
        source=Indicator.Source.METRIC, is_active=True, code__in=list(specs)
    )
    agencies = list(Agency.objects.filter(is_active=True).order_by("path"))
    for indicator in indicators:
        compute = specs[indicator.code].compute
        assert compute is not None  # guaranteed by register_indicator
        for agency in agencies:
            try:
                raw = compute(agency, period)
                number = None if raw is None else _parse_value(raw)
            except Exception:
                log.exception("indicator %s failed for %s", indicator.code, agency.code)
                result.errors.append(f"{indicator.code}@{agency.code}")
                continue
            if number is None:
                result.no_value += 1
                continue
            try:
                with transaction.atomic():
                    row = _store(
                        actor=actor,
                        indicator=indicator,
                        agency=agency,
                        period=period,
                        value=number,
                        evidence="",
                        action="indicator.compute",
                    )
            except IntegrityError:
                result.unchanged += 1  # a concurrent refresh wrote this cell
                continue
            if row is None:
                result.unchanged += 1
            else:
                result.written += 1
    return result
