"""Targets become indicators.

Each target gets its own manual indicator in the kernel (code
plan.target.t<pk>), so units report values with evidence through the kernel's
versioned, audited indicator values. Where a module measures the same thing
(12345 on-time rate, disclosure reply rate ...) the office links the target to
that module's metric instead and the values come in by themselves.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fazhi.kernel.audit.services import audit_record
from fazhi.kernel.indicators.models import Indicator
from fazhi.kernel.indicators.services import indicator_define
from fazhi.kernel.textzh import normalise, tokenize

from ..models import Target
from .common import require_manage

# A date target ("2024年前基本建成…") is met when a unit reports it done.
DONE_FLAG = Decimal(1)


def _indicator_shape(target: Target) -> tuple[str, str, Decimal | None, str]:
    """(comparator, unit, target value, description) of the target's indicator."""
    if target.kind == Target.Kind.DATE:
        return (
            ">=",
            "",
            DONE_FLAG,
            _("完成时限：%(y)s年；填报 1 表示已完成，0 表示未完成")
            % {"y": target.deadline_year or ""},
        )
    if target.kind == Target.Kind.QUALITATIVE or target.value is None:
        return ">=", target.unit, None, _("定性要求，填报数值并附佐证")
    comparator = target.comparator if target.comparator in ("<=", "=") else ">="
    period = {"year": _("每年"), "term": _("任期内"), "plan": _("方案期内")}
    return comparator, target.unit, target.value, period.get(target.period, "")


def target_define_indicator(*, actor: Any, target: Target) -> Indicator:
    """Create or refresh the target's own indicator (idempotent)."""
    node = target.node
    comparator, unit, value, description = _indicator_shape(target)
    return indicator_define(
        actor=actor,
        code=target.own_indicator_code,
        name=target.subject,
        unit=unit,
        comparator=comparator,
        target=value,
        basis=f"{node.plan.title} {node.label}"[:255],
        description=description,
    )


def target_update(
    *,
    actor: Any,
    target: Target,
    kind: str,
    comparator: str,
    value: str | Decimal | None,
    unit: str,
    period: str,
    subject: str,
) -> Target:
    """Correct what the parser read; the indicator follows."""
    require_manage(actor, target.node.plan.owner, plan_wide=True)
    if kind not in Target.Kind.values:
        raise ValidationError({"kind": _("目标类型不正确。")})
    if comparator not in (">=", "<=", "=", "by"):
        raise ValidationError({"comparator": _("比较方式不正确。")})
    number: Decimal | None = None
    if value not in (None, ""):
        try:
            number = Decimal(str(value).strip())
        except ArithmeticError:
            raise ValidationError({"value": _("目标值必须是数字。")}) from None
        if not number.is_finite():
            raise ValidationError({"value": _("目标值必须是数字。")})
    subject = (subject or "").strip()
    if not subject:
        raise ValidationError({"subject": _("请填写考核内容。")})
    with transaction.atomic():
        target = Target.objects.select_for_update().get(pk=target.pk)
        before = {
            "kind": target.kind,
            "comparator": target.comparator,
            "value": None if target.value is None else str(target.value),
            "unit": target.unit,
            "period": target.period,
            "subject": target.subject,
        }
        target.kind, target.comparator, target.value = kind, comparator, number
        target.unit, target.period = unit.strip()[:16], period.strip()[:8]
        target.subject = subject[:255]
        target.save()
        target_define_indicator(actor=actor, target=target)
        audit_record(
            actor=actor,
            action="plan.target_update",
            record_type="plan_target",
            record_id=target.pk,
            payload={"before": before},
        )
    return target


def target_link(*, actor: Any, target: Target, indicator_code: str) -> Target:
    """Let a registered metric carry the target's values ("" unlinks)."""
    require_manage(actor, target.node.plan.owner, plan_wide=True)
    code = (indicator_code or "").strip()
    if code:
        indicator = Indicator.objects.filter(code=code, is_active=True).first()
        if indicator is None or indicator.origin != Indicator.Origin.CODE:
            raise ValidationError({"indicator_code": _("没有这个在用的模块指标。")})
    with transaction.atomic():
        before = target.indicator_code
        Target.objects.filter(pk=target.pk).update(indicator_code=code)
        target.indicator_code = code
        audit_record(
            actor=actor,
            action="plan.target_link",
            record_type="plan_target",
            record_id=target.pk,
            payload={"before": before, "after": code},
        )
    return target


def suggest_metrics(target: Target, limit: int = 3) -> list[Indicator]:
    """Registered metrics whose names share the most words with the subject."""
    words = set(tokenize(normalise(target.subject)))
    if not words:
        return []
    scored = []
    for ind in Indicator.objects.filter(
        origin=Indicator.Origin.CODE, is_active=True, source="metric"
    ):
        overlap = words & set(tokenize(normalise(ind.name)))
        if overlap:
            scored.append((-len(overlap), ind.code, ind))
    return [ind for *_, ind in sorted(scored)[:limit]]
