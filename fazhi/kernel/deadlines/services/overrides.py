"""Local settings for the periods the law leaves to the locality."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from fazhi.kernel.audit.services import audit_record

from ..models import PeriodRuleOverride
from ..rules import MAX_DAYS, PeriodRule, UnknownRule, apply_override, national_rule
from .clocks import actor_id, to_days


def _configurable(rule_id: str) -> PeriodRule:
    try:
        rule = national_rule(rule_id)
    except UnknownRule:
        raise ValidationError({"rule_id": f"未知的期限规则：{rule_id}"}) from None
    if not rule.configurable:
        raise ValidationError(
            {"rule_id": f"{rule.id} 的期限由{rule.citation}规定，不能在本地修改"}
        )
    return rule


def period_rule_override_set(
    *, actor: Any, rule_id: str, days: int, citation: str
) -> PeriodRule:
    """Set the local value of a configurable rule; `citation` is the local text."""
    rule = _configurable(rule_id)
    low = rule.min_days if rule.min_days is not None else 1
    n = to_days(days, "days", low=low, high=rule.max_days or MAX_DAYS)
    if not citation.strip():
        raise ValidationError({"citation": "请写明本地设置的依据（文件名称和条款）"})
    with transaction.atomic():
        before = (
            PeriodRuleOverride.objects.select_for_update().filter(pk=rule.id).first()
        )
        PeriodRuleOverride.objects.update_or_create(
            rule_id=rule.id,
            defaults={
                "days": n,
                "citation": citation.strip(),
                "updated_by_id": actor_id(actor),
            },
        )
        audit_record(
            actor=actor,
            action="period_rule.override",
            record_type="period_rule",
            record_id=rule.id,
            payload={
                "days": n,
                "citation": citation.strip(),
                "national_days": rule.days,
                "previous": before.days if before else None,
            },
        )
    return apply_override(rule, n, citation.strip())


def period_rule_override_clear(*, actor: Any, rule_id: str) -> PeriodRule:
    """Go back to the national default of a configurable rule."""
    rule = _configurable(rule_id)
    with transaction.atomic():
        deleted, _ = PeriodRuleOverride.objects.filter(pk=rule.id).delete()
        if not deleted:
            raise ValidationError({"rule_id": f"{rule.id} 没有本地设置"})
        audit_record(
            actor=actor,
            action="period_rule.clear",
            record_type="period_rule",
            record_id=rule.id,
            payload={"days": rule.days},
        )
    return rule
