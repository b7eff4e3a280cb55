"""Clock writes: start, pause, resume, extend, stop.

Each appends one ClockEvent, refolds the ledger, recomputes the due date and
writes its audit event in the same transaction: on the case's chain when the
clock belongs to a case, else on the clock's own chain.
"""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from fazhi.kernel.audit.services import audit_record

from ..calendar import WorkCalendar, today
from ..engine import DueResult
from ..ledger import LedgerState, fold, rule_or_none, state_result
from ..models import Clock, ClockEvent
from ..rules import (
    MAX_DAYS,
    NATURAL,
    WORKING,
    YEARS,
    PeriodRule,
    UnknownRule,
    get_rule,
)


def actor_id(actor: Any) -> int | None:
    return actor.pk if getattr(actor, "is_authenticated", False) else None


def to_days(value: Any, field: str, *, low: int = 1, high: int = MAX_DAYS) -> int:
    """A day count from an int or a digit string (workflow payloads are strings)."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValidationError({field: f"期限天数应为整数，收到 {value!r}"})
    try:
        n = int(value)
    except ValueError:
        raise ValidationError({field: f"期限天数应为整数，收到 {value!r}"}) from None
    if not low <= n <= high:
        raise ValidationError({field: f"期限天数应在 {low} 至 {high} 之间，收到 {n}"})
    return n


def find_rule(rule_id: str, field: str = "rule_id") -> PeriodRule:
    try:
        return get_rule(rule_id)
    except UnknownRule:
        raise ValidationError({field: f"未知的期限规则：{rule_id}"}) from None


def _locked(clock: Clock) -> Clock:
    return Clock.objects.select_for_update().get(pk=clock.pk)


def _record(
    *,
    actor: Any,
    clock: Clock,
    kind: str,
    on: date,
    days: int | None = None,
    unit: str = "",
    rule_id: str = "",
    reason: str = "",
) -> tuple[LedgerState, DueResult]:
    """Append the event, refold the ledger, store the derived fields, audit."""
    event = ClockEvent.objects.create(
        clock=clock,
        kind=kind,
        on=on,
        days=days,
        unit=unit,
        rule_id=rule_id,
        reason=reason[:255],
        actor_id=actor_id(actor),
        due_date=None,
    )
    state = fold(clock.events.order_by("id"))
    result = state_result(state, WorkCalendar.load(), rule_or_none(state.rule_id))
    ClockEvent.objects.filter(pk=event.pk).update(
        due_date=result.due, provisional=result.provisional
    )
    assert state.start is not None
    clock.start_date = state.start
    clock.budget_days = state.days
    clock.unit = state.unit
    clock.rule_id = state.rule_id
    clock.extension_days = state.extension_days
    clock.pauses = state.pauses_json()
    clock.state = state.state
    clock.stopped_on = state.stopped_on
    clock.due_date = result.due
    clock.provisional = result.provisional
    if state.state != Clock.State.RUNNING:
        clock.alert = Clock.Alert.NONE  # only a running clock is late or due soon
    clock.version += 1
    clock.save()
    case = clock.case
    audit_record(
        actor=actor,
        action=f"clock.{kind}",
        record_type="case" if case is not None else "clock",
        record_id=case.pk if case is not None else clock.pk,
        payload={
            "clock": clock.name,
            "clock_id": clock.pk,
            "on": on,
            "days": days,
            "unit": unit or clock.unit,
            "rule": rule_id or None,
            "reason": reason,
            "due": result.due,
            "provisional": result.provisional,
        },
    )
    return state, result


def clock_start(
    *,
    actor: Any,
    case: Any,
    name: str,
    start: date,
    rule_id: str | None = None,
    days: int | None = None,
    unit: str | None = None,
) -> Clock:
    """Start the clock `name` of `case` (restart it if the case already has it).

    With `rule_id` the period comes from the rule; a rule with a range
    (e.g. normative.legality_review, 5-15 working days) accepts `days` within
    it. Without a rule both `days` and `unit` are required. A restart is the
    disclosure 补正 case: "答复期限自收到补正的申请之日起计算" (art. 30).
    """
    if not name.strip():
        raise ValidationError({"name": "计时器名称不能为空"})
    if rule_id:
        rule = find_rule(rule_id)
        if rule.unit == YEARS:
            # A term in years (有效期) is a limit computed once, not a clock:
            # sweeps, badges and bulk recomputes count days.
            raise ValidationError(
                {"rule_id": f"规则 {rule.id} 按年计算，是期限上限，不能作为计时器启动"}
            )
        if unit and unit != rule.unit:
            raise ValidationError({"unit": f"规则 {rule.id} 按{rule.label}计算"})
        if days is None:
            n = rule.days
        elif rule.min_days is None and rule.max_days is None:
            raise ValidationError(
                {"days": f"规则 {rule.id} 的期限是法定的，不能另行指定"}
            )
        else:
            n = to_days(
                days, "days", low=rule.min_days or 1, high=rule.max_days or MAX_DAYS
            )
        u = rule.unit
    else:
        if days is None:
            raise ValidationError({"days": "未指定期限规则时必须给出期限天数"})
        n = to_days(days, "days")
        if unit not in (WORKING, NATURAL):
            raise ValidationError(
                {"unit": "期限单位应为 working（工作日）或 natural（自然日）"}
            )
        u = unit
    with transaction.atomic():
        existing = None
        if case is not None:
            existing = (
                Clock.objects.select_for_update().filter(case=case, name=name).first()
            )
        clock = existing or Clock(
            case=case,
            name=name,
            start_date=start,
            budget_days=n,
            unit=u,
            rule_id=rule_id or "",
            due_date=start,
        )
        if existing is None:
            clock.save()
        _record(
            actor=actor,
            clock=clock,
            kind=ClockEvent.Kind.START,
            on=start,
            days=n,
            unit=u,
            rule_id=rule_id or "",
            reason="重新起算" if existing else "",
        )
    return clock


def clock_pause(*, actor: Any, clock: Clock, on: date, reason: str) -> Clock:
    """Stop the count from day `on` (中止: 补正, third-party consultation ...)."""
    with transaction.atomic():
        clock = _locked(clock)
        if clock.state != Clock.State.RUNNING:
            raise ValidationError({"state": "计时器不在计时中，不能暂停"})
        if on < clock.start_date:
            raise ValidationError({"on": "暂停日期不能早于起算日"})
        last_resume = clock.events.filter(kind=ClockEvent.Kind.RESUME).order_by("-id")
        resumed = last_resume.values_list("on", flat=True).first()
        if resumed is not None and on < resumed:
            raise ValidationError({"on": "暂停日期不能早于上次恢复计时的日期"})
        _record(
            actor=actor, clock=clock, kind=ClockEvent.Kind.PAUSE, on=on, reason=reason
        )
    return clock


def clock_resume(*, actor: Any, clock: Clock, on: date) -> Clock:
    """Count again from day `on`; days from the pause up to `on` - 1 do not count."""
    with transaction.atomic():
        clock = _locked(clock)
        if clock.state != Clock.State.PAUSED:
            raise ValidationError({"state": "计时器未暂停，不能恢复"})
        since = clock.events.filter(kind=ClockEvent.Kind.PAUSE).order_by("-id").first()
        assert since is not None
        if on < since.on:
            raise ValidationError({"on": "恢复日期不能早于暂停日期"})
        _record(actor=actor, clock=clock, kind=ClockEvent.Kind.RESUME, on=on)
    return clock


def clock_extend(
    *,
    actor: Any,
    clock: Clock,
    reason: str,
    rule_id: str | None = None,
    days: int | None = None,
) -> Clock:
    """Add an approved extension (延长) to the clock's budget.

    With neither rule nor days, the clock's rule names its extension rule
    (disclosure.reply -> disclosure.extension, 20 working days). An extension
    rule is a statutory maximum, so it can be applied once per clock.
    """
    if not reason.strip():
        raise ValidationError({"reason": "延长期限应写明理由和批准情况"})
    with transaction.atomic():
        clock = _locked(clock)
        if clock.state == Clock.State.STOPPED:
            raise ValidationError({"state": "计时器已停止，不能延长"})
        if not rule_id and days is None:
            own = rule_or_none(clock.rule_id)
            rule_id = own.extension if own is not None else None
            if not rule_id:
                raise ValidationError({"days": "请指定延长的天数或期限规则"})
        if rule_id:
            rule = find_rule(rule_id)
            if rule.unit != clock.unit:
                raise ValidationError(
                    {
                        "rule_id": f"规则 {rule.id} 按{rule.label}计算，"
                        "与计时器单位不一致"
                    }
                )
            if clock.events.filter(
                kind=ClockEvent.Kind.EXTEND, rule_id=rule.id
            ).exists():
                raise ValidationError(
                    {"rule_id": f"已按规则 {rule.id} 延长过，不能再次延长"}
                )
            n = rule.days
        else:
            n = to_days(days, "days")
        _record(
            actor=actor,
            clock=clock,
            kind=ClockEvent.Kind.EXTEND,
            on=today(),
            days=n,
            rule_id=rule_id or "",
            reason=reason,
        )
    return clock


def clock_stop(*, actor: Any, clock: Clock, on: date) -> Clock:
    """Stop the clock on `on` (the act the period was for is done)."""
    with transaction.atomic():
        clock = _locked(clock)
        if clock.state == Clock.State.STOPPED:
            raise ValidationError({"state": "计时器已停止"})
        if on < clock.start_date:
            raise ValidationError({"on": "停止日期不能早于起算日"})
        _record(actor=actor, clock=clock, kind=ClockEvent.Kind.STOP, on=on)
    return clock
