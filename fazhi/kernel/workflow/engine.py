"""The one place a case changes state.

`case_transition` locks the case row, checks the state and the actor's
permission on the case's agency, runs the guards, moves the state, applies the
clock actions and writes the audit event, all in one transaction. An illegal
transition raises; it is never a silent no-op.

The actor is a user, checked against the transition's permission, or a
scheduled `Job`, which holds no permission and may fire only the transitions
marked `system` (a citizen, an API client or the anonymous visitor, the other
non-user actors, fire none).
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from fazhi.kernel.audit.batch import EventSpec, audit_record_batch
from fazhi.kernel.audit.services import Actor, audit_record
from fazhi.kernel.deadlines import services as clocks
from fazhi.kernel.deadlines.calendar import today
from fazhi.kernel.org.models import Agency
from fazhi.kernel.org.policy import can

from .definitions import CaseType, ClockAction, Transition, get_case_type
from .models import Case, NumberSequence


@dataclass(frozen=True)
class Job(Actor):
    """A scheduled job acting in its own name (a nightly sweep), recorded
    by its label like any non-user actor."""


def may_fire(actor: Any, t: Transition, agency: Agency) -> bool:
    """A user needs the transition's permission on the agency; a `Job` needs
    the transition to be a system one; nobody else may fire it."""
    if isinstance(actor, Job):
        return t.system
    return can(actor, t.permission, agency)


class WorkflowError(Exception):
    """A transition that may not fire; the message is for the user."""


class IllegalTransition(WorkflowError):
    pass


class TransitionDenied(WorkflowError):
    pass


class GuardFailed(WorkflowError):
    pass


def _bump_sql() -> str:
    qn = connection.ops.quote_name
    return (
        f"UPDATE {qn(NumberSequence._meta.db_table)} "  # noqa: S608
        f"SET {qn('last')} = {qn('last')} + %s "
        f"WHERE {qn('prefix')} = %s AND {qn('year')} = %s RETURNING {qn('last')}"
    )


def next_numbers(prefix: str, year: int, count: int) -> list[str]:
    """Allocate `count` consecutive public numbers; the row lock serialises
    writers.

    One statement in the common case: the UPDATE takes the row lock
    (PostgreSQL; SQLite holds the database write lock) and returns the value
    it wrote, so two writers can never read the same one. The first number of
    a prefix and year creates the row under the same lock.
    """
    if count < 1:
        return []
    # savepoint=False: a failed allocation fails the caller's transaction.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(_bump_sql(), [count, prefix, year])
        row = cursor.fetchone()
        if row is not None:
            last = int(row[0])
        else:
            seq, _ = NumberSequence.objects.select_for_update().get_or_create(
                prefix=prefix, year=year
            )
            seq.last += count
            seq.save(update_fields=["last"])
            last = seq.last
    return [f"{prefix}-{year}-{n:06d}" for n in range(last - count + 1, last + 1)]


def next_number(prefix: str, year: int) -> str:
    """Allocate the next public number."""
    return next_numbers(prefix, year, 1)[0]


def _apply_clocks(
    *,
    actor: Any,
    case: Case,
    actions: tuple[ClockAction, ...],
    on: date,
    reason: str,
    payload: dict[str, Any],
) -> None:
    """Run a transition's clock actions; each clock service audits itself."""
    for action in actions:
        if action.op == "start":
            clocks.clock_start(
                actor=actor,
                case=case,
                name=action.clock,
                start=on,
                rule_id=action.rule,
                # A rule with a range (合理的补正期限, 5-15 working days of
                # review) takes the day count the case chose; clock_start
                # refuses one for a fixed statutory period.
                days=payload.get(f"{action.clock}_days"),
                unit=payload.get(f"{action.clock}_unit") if not action.rule else None,
            )
        else:
            clock = case.clocks.select_for_update().filter(name=action.clock).first()
            if clock is None:
                raise IllegalTransition(f"计时器 {action.clock} 不存在")
            if action.op == "pause":
                clocks.clock_pause(actor=actor, clock=clock, on=on, reason=reason)
            elif action.op == "resume":
                clocks.clock_resume(actor=actor, clock=clock, on=on)
            elif action.op == "extend":
                clocks.clock_extend(
                    actor=actor,
                    clock=clock,
                    rule_id=action.rule,
                    days=payload.get("extension_days"),
                    reason=reason,
                )
            else:
                clocks.clock_stop(actor=actor, clock=clock, on=on)


def _opened_at(on: date, now: datetime) -> datetime:
    # A case received earlier (a letter registered days later, an import) is
    # opened as of its receipt day, so the list and the clocks agree; the
    # audit event still carries the real time of recording.
    if on < today():
        return timezone.make_aware(datetime.combine(on, time(9, 0)))
    return now


def _new_case(
    *, actor: Any, ctype: CaseType, agency: Agency, title: str, on: date, now: datetime
) -> Case:
    return Case(
        case_type=ctype.code,
        state=ctype.initial,
        agency=agency,
        title=title.strip(),
        opened_at=_opened_at(on, now),
        updated_at=now,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


def _open_payload(ctype: CaseType, case: Case, on: date) -> dict[str, Any]:
    return {
        "type": ctype.code,
        "number": case.number,
        "state": case.state,
        "agency": case.agency.code,
        "title": case.title,
        "received_on": on,
    }


def case_open(
    *,
    actor: Any,
    case_type: str,
    agency: Agency,
    title: str,
    opened_on: date | None = None,
    payload: dict[str, Any] | None = None,
) -> Case:
    """Create a case in its initial state, start its opening clocks, audit it."""
    ctype: CaseType = get_case_type(case_type)
    if not title.strip():
        raise WorkflowError("事由不能为空")
    on = opened_on or today()
    case = _new_case(
        actor=actor, ctype=ctype, agency=agency, title=title, on=on, now=timezone.now()
    )
    # savepoint=False: nothing inside is meant to be caught and carried on
    # from; a failed open fails the caller's transaction (and saves the
    # savepoint's two statements on every case opened).
    with transaction.atomic(savepoint=False):
        case.number = next_number(ctype.number_prefix, on.year)
        case.save(force_insert=True)
        # The case's own event comes first in its chain; each clock action
        # then appends its event (with the due date it derived) after it.
        audit_record(
            actor=actor,
            action="case.open",
            record_type="case",
            record_id=case.pk,
            new_record=True,
            payload=_open_payload(ctype, case, on),
        )
        _apply_clocks(
            actor=actor,
            case=case,
            actions=ctype.on_open,
            on=on,
            reason="",
            payload=payload or {},
        )
    return case


@dataclass(frozen=True)
class Opening:
    """One case for `cases_open`: its title and the day it was received
    (None: today)."""

    title: str
    opened_on: date | None = None


def cases_open(
    *, actor: Any, case_type: str, agency: Agency, openings: Sequence[Opening]
) -> list[Case]:
    """Open many cases of one type at one agency, in order, as `case_open`
    would one by one, in a fixed number of statements: one number range per
    year, one insert, one audit batch. A bad title is named by its position
    and nothing is opened.

    A type that starts clocks on open goes case by case through `case_open`
    (each clock start is a service of its own)."""
    ctype: CaseType = get_case_type(case_type)
    for i, opening in enumerate(openings, start=1):
        if not opening.title.strip():
            raise WorkflowError(f"第 {i} 件：事由不能为空")
    if ctype.on_open:
        return [
            case_open(
                actor=actor,
                case_type=case_type,
                agency=agency,
                title=o.title,
                opened_on=o.opened_on,
            )
            for o in openings
        ]
    now, current = timezone.now(), today()
    days = [o.opened_on or current for o in openings]
    cases = [
        _new_case(actor=actor, ctype=ctype, agency=agency, title=o.title, on=d, now=now)
        for o, d in zip(openings, days, strict=True)
    ]
    with transaction.atomic(savepoint=False):
        by_year = Counter(d.year for d in days)
        numbers = {
            year: iter(next_numbers(ctype.number_prefix, year, n))
            for year, n in sorted(by_year.items())
        }
        for case, d in zip(cases, days, strict=True):
            case.number = next(numbers[d.year])
        Case.objects.bulk_create(cases)
        audit_record_batch(
            actor=actor,
            events=[
                EventSpec("case", c.pk, "case.open", _open_payload(ctype, c, d))
                for c, d in zip(cases, days, strict=True)
            ],
        )
    return cases


def case_transition(
    *,
    actor: Any,
    case: Case,
    transition: str,
    note: str = "",
    on: date | None = None,
    payload: dict[str, Any] | None = None,
) -> Case:
    """Fire `transition` on `case` as `actor`; raises WorkflowError if it may not."""
    payload = payload or {}
    on = on or today()
    with transaction.atomic():
        locked = (
            # Lock the case row only: the agency is read, not changed, and
            # locking it queued every transition on a busy agency (the 12345
            # centre) and deadlocked with the roll-up's shared rows.
            Case.objects.select_for_update(of=("self",))
            .select_related("agency")
            .get(pk=case.pk)
        )
        ctype = get_case_type(locked.case_type)
        t: Transition | None = ctype.by_name.get(transition)
        if t is None:
            raise IllegalTransition(f"{ctype.name}没有“{transition}”这一步")
        if locked.state not in t.source:
            raise IllegalTransition(
                f"案件处于“{ctype.states[locked.state]}”，不能执行“{t.label or t.name}”"
            )
        if not may_fire(actor, t, locked.agency):
            raise TransitionDenied("您无权在该机构执行此操作")
        if t.requires_note and not note.strip():
            raise GuardFailed("请填写说明")
        for guard in t.guards:
            message = guard(locked, payload)
            if message:
                raise GuardFailed(message)
        before = locked.state
        locked.state = t.target
        locked.updated_at = timezone.now()
        if t.target in ctype.terminal:
            locked.closed_at = locked.updated_at
        locked.save(update_fields=["state", "updated_at", "closed_at"])
        audit_record(
            actor=actor,
            action=f"case.{t.name}",
            record_type="case",
            record_id=locked.pk,
            payload={"from": before, "to": t.target, "note": note, "data": payload},
        )
        _apply_clocks(
            actor=actor,
            case=locked,
            actions=t.clocks,
            on=on,
            reason=note,
            payload=payload,
        )
    case.state, case.updated_at, case.closed_at = (
        locked.state,
        locked.updated_at,
        locked.closed_at,
    )
    return locked
