"""A clock's ledger folded into the inputs of the period engine.

The due date is always derivable from the ledger (ClockEvent rows) plus the
calendar: `fold` replays the events, `clock_result` runs the engine on them.
The Clock row caches the fold (budget, extensions, pauses, state) and the
result (due date, provisional) so that sweeps and lists are one indexed query.

Pause semantics: `pause on X` stops the count from day X; `resume on Y`
counts again from day Y; so days X .. Y-1 do not count (a pause and resume on
the same day change nothing). A pause not yet resumed does not move the due
date until it is resumed; the explanation says the date is the earliest.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from .calendar import ONE_DAY, WorkCalendar
from .engine import DueResult, Extension, Pause, compute_due
from .models import Clock, ClockEvent
from .rules import PeriodRule, UnknownRule, get_rule


@dataclass
class LedgerState:
    start: date | None = None
    days: int = 0
    unit: str = Clock.Unit.WORKING
    rule_id: str = ""
    extensions: list[Extension] = field(default_factory=list)
    pauses: list[Pause] = field(default_factory=list)
    paused_since: date | None = None
    pause_reason: str = ""
    state: str = Clock.State.RUNNING
    stopped_on: date | None = None

    @property
    def extension_days(self) -> int:
        return sum(e.days for e in self.extensions)

    def pauses_json(self) -> list[list[str | None]]:
        out: list[list[str | None]] = [
            [p.start.isoformat(), p.end.isoformat()] for p in self.pauses
        ]
        if self.paused_since is not None:
            out.append([self.paused_since.isoformat(), None])
        return out


def fold(events: Iterable[ClockEvent]) -> LedgerState:
    """Replay a clock's events (in id order) into the engine's inputs."""
    s = LedgerState()
    for e in events:
        if e.kind == ClockEvent.Kind.START:
            s = LedgerState(
                start=e.on,
                days=e.days or 0,
                unit=e.unit or Clock.Unit.WORKING,
                rule_id=e.rule_id,
            )
        elif e.kind == ClockEvent.Kind.PAUSE:
            s.paused_since, s.pause_reason = e.on, e.reason
            s.state = Clock.State.PAUSED
        elif e.kind == ClockEvent.Kind.RESUME:
            if s.paused_since is not None and e.on > s.paused_since:
                s.pauses.append(Pause(s.paused_since, e.on - ONE_DAY, s.pause_reason))
            s.paused_since, s.pause_reason = None, ""
            s.state = Clock.State.RUNNING
        elif e.kind == ClockEvent.Kind.EXTEND:
            s.extensions.append(Extension(e.days or 0, e.reason, e.rule_id))
        elif e.kind == ClockEvent.Kind.STOP:
            s.state, s.stopped_on = Clock.State.STOPPED, e.on
    return s


def rule_or_none(rule_id: str) -> PeriodRule | None:
    if not rule_id:
        return None
    try:
        return get_rule(rule_id)
    except UnknownRule:
        return None  # a rule retired from the table: the clock keeps its budget


def state_result(
    state: LedgerState, calendar: WorkCalendar, rule: PeriodRule | None = None
) -> DueResult:
    assert state.start is not None, "a clock's ledger begins with its start"
    return compute_due(
        start=state.start,
        days=state.days,
        unit=state.unit,
        calendar=calendar,
        pauses=state.pauses,
        extensions=state.extensions,
        rule=rule,
        paused_since=state.paused_since,
    )


def clock_result(clock: Clock, calendar: WorkCalendar | None = None) -> DueResult:
    """Due date, provisional flag and explanation of `clock`, from its ledger."""
    state = fold(clock.events.order_by("id"))
    cal = calendar or WorkCalendar.load()
    return state_result(state, cal, rule_or_none(state.rule_id))


def pauses_from_json(value: list[list[str | None]]) -> list[tuple[date, date]]:
    """The closed pauses stored on a Clock row (an open pause is left out)."""
    return [
        (date.fromisoformat(a), date.fromisoformat(b))
        for a, b in value
        if a is not None and b is not None
    ]
