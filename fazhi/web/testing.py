"""Test support for the web layer: a small case type and a way to open cases.

Used by fazhi/web/tests, fazhi/portal/tests, the workflow page tests and the
browser tests, so that pages have real cases (opened through the engine, with
their clocks and audit events) without depending on any domain app.
"""

from typing import Any

from fazhi.kernel.org import roles
from fazhi.kernel.workflow.definitions import (
    CaseType,
    ClockAction,
    Transition,
    register,
)

WEBTEST = CaseType(
    code="webtest",
    name="群众诉求（测试）",
    number_prefix="WT",
    states={"received": "已收到", "handling": "办理中", "closed": "已办结"},
    initial="received",
    transitions=[
        Transition(
            "accept",
            {"received"},
            "handling",
            permission=roles.CASE_HANDLE,
            label="受理",
        ),
        Transition(
            "close",
            {"handling"},
            "closed",
            permission=roles.CASE_HANDLE,
            label="办结",
            requires_note=True,
            clocks=(ClockAction("stop", "reply"),),
        ),
    ],
    terminal=frozenset({"closed"}),
    # 政府信息公开条例 art. 33: 20 working days — a real rule, so the badge and
    # the explanation are the ones users will see.
    on_open=(ClockAction("start", "reply", rule="disclosure.reply"),),
)


def ensure_case_type() -> CaseType:
    return register(WEBTEST)


def open_case(actor: Any, agency: Any, title: str, **kwargs: Any) -> Any:
    from fazhi.kernel.workflow.engine import case_open

    ensure_case_type()
    return case_open(
        actor=actor, case_type=WEBTEST.code, agency=agency, title=title, **kwargs
    )
