"""Cases over the REST API (mounted at /api/cases), same scope as the pages.

Reads go through `queries` (a case outside the caller's scope is 404 like a
missing one); the only write fires a transition through the engine, and a
refused transition answers 400 with the engine's message.
"""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from fazhi.kernel.org import roles
from fazhi.kernel.org.policy import has_perm_anywhere
from fazhi.web.timeline import case_timeline

from . import queries
from .engine import WorkflowError, case_transition
from .models import Case

router = Router(tags=["workflow"])

MAX_LIMIT = 200


class CaseFilters(Schema):
    type: str | None = None
    state: str | None = None
    agency: str | None = None
    due: str | None = None
    open: bool | None = None
    q: str | None = None
    limit: int = 50
    offset: int = 0


class CaseOut(Schema):
    number: str
    case_type: str
    type_label: str
    state: str
    state_label: str
    title: str
    agency_code: str
    agency_name: str
    opened_at: datetime
    updated_at: datetime
    closed_at: datetime | None


class CasePage(Schema):
    count: int
    items: list[CaseOut]


class ClockOut(Schema):
    name: str
    rule_id: str
    state: str
    start_date: date
    due_date: date
    provisional: bool
    alert: str


class TransitionOut(Schema):
    name: str
    label: str
    target: str
    requires_note: bool


class CaseDetail(CaseOut):
    clocks: list[ClockOut]
    transitions: list[TransitionOut]


class TimelineOut(Schema):
    seq: int
    when: datetime
    who: str
    action: str
    label: str
    note: str
    change: str


class FireIn(Schema):
    transition: str
    note: str = ""


def _out(case: Case) -> dict[str, Any]:
    return {
        "number": case.number,
        "case_type": case.case_type,
        "type_label": queries.type_label(case),
        "state": case.state,
        "state_label": queries.state_label(case),
        "title": case.title,
        "agency_code": case.agency.code,
        "agency_name": case.agency.name,
        "opened_at": case.opened_at,
        "updated_at": case.updated_at,
        "closed_at": case.closed_at,
    }


def _require_view(request: HttpRequest) -> None:
    if not has_perm_anywhere(request.user, roles.CASE_VIEW):
        raise HttpError(403, "您没有查看案件的权限")


@router.get("", response=CasePage, summary="案件列表（按权限范围）")
def list_cases(request: HttpRequest, filters: Query[CaseFilters]) -> dict[str, Any]:
    _require_view(request)
    if not 1 <= filters.limit <= MAX_LIMIT:
        raise HttpError(400, f"limit 应在 1 到 {MAX_LIMIT} 之间")
    if filters.offset < 0:
        raise HttpError(400, "offset 不能为负数")
    values = {k: v for k, v in filters.dict().items() if k in queries.FILTER_KEYS}
    qs = queries.cases_for(request.user, values)
    rows = qs[filters.offset : filters.offset + filters.limit]
    return {"count": qs.count(), "items": [_out(c) for c in rows]}


@router.get("/{number}", response=CaseDetail, summary="案件详情")
def get_case(request: HttpRequest, number: str) -> dict[str, Any]:
    case = queries.case_for(request.user, number)
    return {
        **_out(case),
        "clocks": [
            {
                "name": c.name,
                "rule_id": c.rule_id,
                "state": c.state,
                "start_date": c.start_date,
                "due_date": c.due_date,
                "provisional": c.provisional,
                "alert": c.alert,
            }
            for c in queries.case_clocks(case)
        ],
        "transitions": [
            {
                "name": t.name,
                "label": str(t.label or t.name),
                "target": t.target,
                "requires_note": t.requires_note,
            }
            for t in queries.transitions_for(request.user, case)
        ],
    }


@router.get("/{number}/timeline", response=list[TimelineOut], summary="办理过程")
def get_timeline(request: HttpRequest, number: str) -> list[dict[str, Any]]:
    case = queries.case_for(request.user, number)
    return [
        {
            "seq": e.seq,
            "when": e.when,
            "who": e.who,
            "action": e.action,
            "label": e.label,
            "note": e.note,
            "change": e.change,
        }
        for e in case_timeline(request.user, case)
    ]


@router.post("/{number}/transitions", response=CaseOut, summary="执行办理操作")
def fire(request: HttpRequest, number: str, body: FireIn) -> dict[str, Any]:
    case = queries.case_for(request.user, number)
    try:
        case = case_transition(
            actor=request.user,
            case=case,
            transition=body.transition,
            note=body.note[:2000],
        )
    except (WorkflowError, PermissionDenied) as exc:
        raise HttpError(400, str(exc)) from exc
    except ValidationError as exc:
        raise HttpError(400, "；".join(exc.messages)) from exc
    return _out(case)
