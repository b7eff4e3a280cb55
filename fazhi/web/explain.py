""" "Why is it due then?" — the reasons behind a clock's due date, for people.

The deadlines app owns the explanation (its period engine writes one line per
reason: start day not counted, holidays skipped, pauses, extensions,
provisional years). When it exposes it, that is what is shown; otherwise the
page falls back to what the clock's own ledger says, which is still true but
less detailed.
"""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from fazhi.kernel.deadlines.calendar import today
from fazhi.kernel.deadlines.models import Clock, ClockEvent

from .countdown import rule_for
from .queries import optional_function
from .tables import cn_date


def _deadlines_explainer() -> Any:
    return optional_function(
        "fazhi.kernel.deadlines.queries",
        "clock_explain",
        "explain_clock",
        "clock_explanation",
    )


def clock_explanation(user: Any, clock: Clock) -> dict[str, Any]:
    """{"lines": [...], "rule": PeriodRule | None} for one clock `user` may see."""
    fn = _deadlines_explainer()
    if fn is not None:
        result = fn(user, clock.pk)
        return {"lines": [str(x) for x in result.explain], "rule": result.rule}
    rule = rule_for(clock)
    return {"lines": _ledger_lines(clock, rule), "rule": rule}


_KIND_TEXT: dict[str, str] = {
    ClockEvent.Kind.START: gettext_noop("起算"),
    ClockEvent.Kind.PAUSE: gettext_noop("暂停计时"),
    ClockEvent.Kind.RESUME: gettext_noop("恢复计时"),
    ClockEvent.Kind.EXTEND: gettext_noop("延长"),
    ClockEvent.Kind.STOP: gettext_noop("停止计时"),
    ClockEvent.Kind.RECOMPUTE: gettext_noop("重新计算"),
}


def _ledger_lines(clock: Clock, rule: Any) -> list[str]:
    unit = clock.get_unit_display()
    lines = []
    if rule is not None:
        lines.append(
            _("期限规则：%(name)s，%(days)s%(unit)s，依据%(citation)s。")
            % {
                "name": rule.name,
                "days": clock.budget_days,
                "unit": unit,
                "citation": rule.citation,
            }
        )
    else:
        lines.append(
            _("期限：%(days)s%(unit)s。") % {"days": clock.budget_days, "unit": unit}
        )
    lines.append(
        _("起算日%(d)s当日不计入，自次日起算。") % {"d": cn_date(clock.start_date)}
    )
    events = getattr(clock, "_prefetched_objects_cache", {}).get("events")
    if events is None:
        events = clock.events.all()
    for e in events:
        if e.kind == ClockEvent.Kind.START:
            continue
        kind = str(e.kind)
        text = f"{cn_date(e.on)} {_(_KIND_TEXT.get(kind, kind))}"
        if e.days:
            text += _("%(n)s日") % {"n": e.days}
        if e.reason:
            text += f"（{e.reason}）"
        lines.append(text + "。")
    if clock.extension_days:
        lines.append(
            _("经批准延长%(n)s%(unit)s。") % {"n": clock.extension_days, "unit": unit}
        )
    lines.append(_("到期日为%(d)s，当日24时届满。") % {"d": cn_date(clock.due_date)})
    if clock.provisional:
        lines.append(
            _(
                "暂定：期限跨入尚未载入节假日安排的年度，按法定节日和周末推算；"
                "载入后将自动重算。"
            )
        )
    if clock.state == Clock.State.RUNNING and clock.due_date < today():
        lines.append(_("已超过到期日，仍未办结。"))
    return lines
