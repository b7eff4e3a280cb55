"""State machines as data.

A domain declares its case type once, in its own `workflow.py`, and registers
it from its AppConfig.ready():

    CaseType(
        code="disclosure", name="依申请公开", number_prefix="GK",
        states={"received": "已收到", "replied": "已答复"},
        initial="received",
        transitions=[
            Transition("reply", {"received"}, "replied", permission="case.handle",
                       label="答复", clocks=(ClockAction("stop", "reply"),)),
        ],
        on_open=(ClockAction("start", "reply", rule="disclosure.reply"),),
    )
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from django.utils.functional import Promise

ClockOp = Literal["start", "pause", "resume", "extend", "stop"]

# A guard gets the case and the transition's payload and returns an error
# message (shown to the user) when the transition may not fire, else None.
Guard = Callable[[Any, dict[str, Any]], str | None]


@dataclass(frozen=True)
class ClockAction:
    op: ClockOp
    clock: str
    rule: str | None = None  # period rule id, for start and extend


@dataclass(frozen=True)
class Transition:
    name: str
    source: frozenset[str] | set[str]
    target: str
    permission: str
    label: str | Promise = ""
    guards: tuple[Guard, ...] = ()
    clocks: tuple[ClockAction, ...] = ()
    requires_note: bool = False
    # A step the calendar takes rather than a person (有效期届满): a
    # scheduled job (engine.Job) may fire it, which no other non-user actor
    # may do with any transition. Users still need `permission`.
    system: bool = False


def service_transitions(marker: str, page: str | Promise) -> Callable[..., Transition]:
    """A maker of transitions only a domain's services may fire.

    The services put `marker` in the payload, with the data only they check
    (a reply's type, a fee's amount); the generic case page does not, and is
    told which page does the step instead."""

    def guard(case: Any, payload: dict[str, Any]) -> str | None:
        if not payload.get(marker):
            return f"请在“{page}”页面执行此操作"
        return None

    def make(
        name: str,
        source: set[str],
        target: str,
        permission: str,
        label: str | Promise,
        **kw: Any,
    ) -> Transition:
        return Transition(
            name, source, target, permission, label, guards=(guard,), **kw
        )

    return make


@dataclass(frozen=True)
class CaseType:
    code: str
    name: str | Promise
    number_prefix: str
    states: dict[str, str | Promise]
    initial: str
    transitions: Iterable[Transition]
    terminal: frozenset[str] = frozenset()
    on_open: tuple[ClockAction, ...] = ()
    # Names people read for clocks without a period rule ("due" -> "完成时限").
    clock_labels: dict[str, str | Promise] = field(default_factory=dict)
    # What opening a case of this type is called in the record ("下达任务").
    open_label: str | Promise = ""
    by_name: dict[str, Transition] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        table = {t.name: t for t in self.transitions}
        object.__setattr__(self, "transitions", tuple(table.values()))
        object.__setattr__(self, "by_name", table)
        self.validate()

    def validate(self) -> None:
        """Refuse a malformed machine at import time, not at the first case."""
        if self.initial not in self.states:
            raise ValueError(f"{self.code}: initial state {self.initial!r} undeclared")
        for state in self.terminal:
            if state not in self.states:
                raise ValueError(f"{self.code}: terminal state {state!r} undeclared")
        for t in self.by_name.values():
            for state in [*t.source, t.target]:
                if state not in self.states:
                    raise ValueError(
                        f"{self.code}.{t.name}: state {state!r} undeclared"
                    )

    def available(self, state: str) -> list[Transition]:
        return [t for t in self.by_name.values() if state in t.source]


_REGISTRY: dict[str, CaseType] = {}


def register(case_type: CaseType) -> CaseType:
    existing = _REGISTRY.get(case_type.code)
    if existing is not None and existing != case_type:
        raise ValueError(f"case type {case_type.code!r} registered twice")
    _REGISTRY[case_type.code] = case_type
    return case_type


def get_case_type(code: str) -> CaseType:
    try:
        return _REGISTRY[code]
    except KeyError:
        raise LookupError(f"unknown case type {code!r}") from None


def registered() -> list[CaseType]:
    return list(_REGISTRY.values())
