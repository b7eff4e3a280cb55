"""A case's timeline, drawn from its audit events (the full-process record).

Each entry says who (the person's name, or 系统), when (Asia/Shanghai,
2026年11月25日 14:05), what (the human label of the action: the transition's
label from the case type, or a kernel action's label) and the note given.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from fazhi.kernel.audit.labels import ACTION_LABELS
from fazhi.kernel.audit.labels import action_label as kernel_action_label
from fazhi.kernel.audit.models import AuditEvent
from fazhi.kernel.audit.queries import record_timeline
from fazhi.kernel.deadlines.models import Clock
from fazhi.kernel.deadlines.rules import national_rule
from fazhi.kernel.org.models import User
from fazhi.kernel.workflow.definitions import CaseType, get_case_type

from .tables import cn_date

_CLOCK_OPS = {
    "start": gettext_noop("起算"),
    "pause": gettext_noop("暂停"),
    "resume": gettext_noop("恢复"),
    "extend": gettext_noop("延长"),
    "stop": gettext_noop("停止"),
}


@dataclass
class TimelineEntry:
    seq: int
    when: datetime
    who: str
    action: str
    label: str
    note: str = ""
    change: str = ""
    details: list[str] = field(default_factory=list)


def _events(user: Any, case: Any) -> list[AuditEvent]:
    # The page has already checked that the user may view the case.
    return list(record_timeline(user, "case", case.pk, authorised=True))


def action_label(action: str, ctype: CaseType | None) -> str:
    if action == "case.open" and ctype is not None and ctype.open_label:
        return str(ctype.open_label)
    if action in ACTION_LABELS:
        return kernel_action_label(action)
    if ctype is not None and action.startswith("case."):
        t = ctype.by_name.get(action.removeprefix("case."))
        if t is not None:
            return str(t.label or t.name)
    return action


# Machine actors' labels as people read them; open311:<client> keeps its name.
ACTOR_WORDS = {
    "": gettext_noop("系统"),
    "system": gettext_noop("系统"),
    "cli": gettext_noop("系统（命令行）"),
    "anonymous": gettext_noop("匿名访问者"),
    "applicant": gettext_noop("申请人"),
    "citizen": gettext_noop("市民"),
    "normative-sweep": gettext_noop("系统（有效期检查）"),
}


def _actor_word(label: str) -> str:
    if label in ACTOR_WORDS:
        return _(ACTOR_WORDS[label])
    if label.startswith("open311:"):
        return _("Open311 客户端 %(name)s") % {"name": label.split(":", 1)[1]}
    return label


def _clock_labels(case: Any) -> dict[str, str]:
    """Clock name -> its period rule's name ("reply" -> "依申请公开答复")."""
    try:
        named = get_case_type(case.case_type).clock_labels
    except LookupError:
        named = {}
    labels = {}
    for name, rule_id in Clock.objects.filter(case=case).values_list("name", "rule_id"):
        labels[name] = _rule_name(rule_id) or str(named.get(name, name))
    return labels


def _rule_name(rule_id: str | None) -> str:
    if not rule_id:
        return ""
    try:
        return national_rule(rule_id).name
    except LookupError:
        return ""


def _date_text(value: Any) -> str:
    try:
        return cn_date(date.fromisoformat(str(value)))
    except ValueError:
        return str(value or "")


def case_timeline(user: Any, case: Any) -> list[TimelineEntry]:
    """The case's events, oldest first, with people's names resolved in one query."""
    events = _events(user, case)
    try:
        ctype: CaseType | None = get_case_type(case.case_type)
    except LookupError:
        ctype = None
    ids = {e.actor_id for e in events if e.actor_id}
    names = {
        pk: (full or username)
        for pk, full, username in User.objects.filter(pk__in=ids).values_list(
            "pk", "full_name", "username"
        )
    }
    clock_labels = _clock_labels(case)
    # Clock changes are events of their own on the case's chain; the engine's
    # summary of them inside the transition event would say the same twice.
    separate_clock_events = any(e.action.startswith("clock.") for e in events)
    states = ctype.states if ctype else {}
    entries = []
    for e in events:
        payload = e.payload or {}
        who = names.get(e.actor_id) if e.actor_id else None
        if who is None:
            who = _actor_word(e.actor_label)
        change = ""
        if "from" in payload and "to" in payload:
            change = f"{states.get(payload['from'], payload['from'])} → " + str(
                states.get(payload["to"], payload["to"])
            )
        details = []
        note = str(payload.get("note") or "")
        if e.action.startswith("clock."):
            clock = clock_labels.get(payload.get("clock", ""), payload.get("clock", ""))
            line = _("%(clock)s，到期日%(due)s") % {
                "clock": clock,
                "due": _date_text(payload.get("due")),
            }
            if payload.get("provisional"):
                line += _("（暂定）")
            details.append(line)
            note = note or str(payload.get("reason") or "")
        elif not separate_clock_events:
            for c in payload.get("clocks") or []:
                op = _(_CLOCK_OPS.get(c.get("op", ""), c.get("op", "")))
                details.append(
                    _("%(clock)s%(op)s，到期日%(due)s")
                    % {
                        "clock": clock_labels.get(
                            c.get("clock", ""), c.get("clock", "")
                        ),
                        "op": op,
                        "due": _date_text(c.get("due")),
                    }
                )
        entries.append(
            TimelineEntry(
                seq=e.seq,
                when=e.created_at,
                who=str(who),
                action=e.action,
                label=action_label(e.action, ctype),
                note=note,
                change=change,
                details=details,
            )
        )
    return entries
