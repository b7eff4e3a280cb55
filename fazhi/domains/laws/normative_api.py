"""Normative documents over the REST API, mounted at /api/laws/normative.

GET  /                      documents in the caller's scope (?state=&q=)
POST /                      register a draft {"agency","title","text",...}
GET  /catalogue?period=     备案目录 of a quarter (2026-Q3) or a year
GET  /{number}              one document with its clocks and opinions
POST /{number}/actions/{a}  fire a step; the body holds the fields of its
                            form (e.g. {"verdict": "lawful", "on": "2026-03-02"})
Outside the caller's scope a number answers 404 like a missing one; a step
the caller may not take answers 403, invalid input 422 naming the field.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Body, Router, Schema, Status
from ninja.errors import HttpError

from fazhi.kernel.org.models import Agency
from fazhi.kernel.workflow.engine import TransitionDenied, WorkflowError

from . import normative_queries as nq
from .models import NormativeDocument
from .normative_actions import ACTIONS
from .services import normative as ns

router = Router(tags=["normative"])


class ClockOut(Schema):
    name: str
    state: str
    due_date: date
    provisional: bool
    rule: str


class OpinionOut(Schema):
    stage: str
    verdict: str
    text: str
    given_on: date


class DocumentOut(Schema):
    number: str
    title: str
    doc_number: str
    agency: str
    filing_agency: str
    state: str
    state_label: str
    validity: str
    published_on: date | None
    effective_on: date | None
    expires_on: date | None
    filed_on: date | None
    filing_result: str
    corrected_on: date | None
    platform_id: int | None
    clocks: list[ClockOut] = []


class DetailOut(DocumentOut):
    text: str
    opinions: list[OpinionOut]


class RegisterIn(Schema):
    agency: str
    title: str
    text: str
    summary: str = ""
    doc_number: str = ""


def _out(nd: NormativeDocument) -> dict[str, Any]:
    clocks = getattr(nd.case, "open_clocks", None)
    if clocks is None:
        clocks = list(nd.case.clocks.order_by("pk"))
    return {
        "number": nd.case.number,
        "title": nd.title,
        "doc_number": nd.doc_number,
        "agency": nd.case.agency.code,
        "filing_agency": nd.filing_agency.code,
        "state": nd.case.state,
        "state_label": nq.state_label(nd),
        "validity": nd.validity,
        "published_on": nd.published_on,
        "effective_on": nd.effective_on,
        "expires_on": nd.expires_on,
        "filed_on": nd.filed_on,
        "filing_result": nd.filing_result,
        "corrected_on": nd.corrected_on,
        "platform_id": nd.law_document_id,
        "clocks": [
            {
                "name": c.name,
                "state": c.state,
                "due_date": c.due_date,
                "provisional": c.provisional,
                "rule": c.rule_id,
            }
            for c in clocks
        ],
    }


def _detail(nd: NormativeDocument) -> dict[str, Any]:
    nd.case.open_clocks = list(nd.case.clocks.order_by("pk"))  # type: ignore[attr-defined]
    return {
        **_out(nd),
        "text": nd.text,
        "opinions": [
            {
                "stage": o.stage,
                "verdict": o.verdict,
                "text": o.text,
                "given_on": o.given_on,
            }
            for o in nq.opinions(nd)
        ],
    }


def _require_module(request: HttpRequest) -> None:
    if not nq.can_read_any(request.user):
        raise HttpError(403, "您没有使用规范性文件管理的权限")


@router.get("/", response=list[DocumentOut])
def list_documents(
    request: HttpRequest, state: str = "", q: str = "", limit: int = 100
) -> list[dict[str, Any]]:
    _require_module(request)
    rows = nq.documents_for(request.user, state=state or None, q=q or None)
    return [_out(nd) for nd in rows[: min(max(limit, 1), 500)]]


@router.post("/", response={201: DetailOut})
def register(request: HttpRequest, body: RegisterIn) -> Status:
    agency = get_object_or_404(Agency, code=body.agency)
    data = body.dict()
    data.pop("agency")
    nd = ns.normative_register(actor=request.user, agency=agency, **data)
    return Status(201, _detail(nq.document_for(request.user, nd.case.number)))


@router.get("/catalogue", response=list[DocumentOut])
def catalogue(request: HttpRequest, period: str) -> list[dict[str, Any]]:
    _require_module(request)
    return [_out(nd) for nd in nq.catalogue_for(request.user, period)]


@router.get("/{number}", response=DetailOut)
def get_document(request: HttpRequest, number: str) -> dict[str, Any]:
    return _detail(nq.document_for(request.user, number))


@router.post("/{number}/actions/{action}", response=DetailOut)
def act(
    request: HttpRequest, number: str, action: str, body: Body[dict[str, Any]]
) -> dict[str, Any]:
    nd = nq.document_for(request.user, number)
    if action not in ACTIONS:
        raise HttpError(404, f"没有“{action}”这一步")
    form_cls, handler, _perm, _states, _label = ACTIONS[action]
    form = form_cls(data={k: v for k, v in body.items() if v is not None})
    if not form.is_valid():
        raise ValidationError({k: [str(m) for m in v] for k, v in form.errors.items()})
    try:
        handler(request.user, nd, dict(form.cleaned_data))
    except TransitionDenied as exc:
        raise PermissionDenied(str(exc)) from None
    except WorkflowError as exc:
        raise HttpError(409, str(exc)) from None
    return _detail(nq.document_for(request.user, number))
