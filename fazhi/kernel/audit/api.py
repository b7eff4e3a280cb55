"""/api/audit: the audit administrator's read API. Anybody else: 403."""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from . import queries
from .verify import verify as run_verify

router = Router(tags=["audit"])

MAX_LIMIT = 200


class EventOut(Schema):
    id: int
    record_type: str
    record_id: str
    seq: int
    action: str
    actor_id: int | None
    actor_label: str
    payload: dict[str, Any]
    created_at: datetime
    prev_hash: str
    hash: str


class EventPage(Schema):
    count: int
    items: list[EventOut]


class EventFilters(Schema):
    actor: str = ""
    action: str = ""
    record_type: str = ""
    record_id: str = ""
    date_from: date | None = None
    date_to: date | None = None
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0)


class VerifyOut(Schema):
    ok: bool
    events: int
    records: int
    checkpoints: int
    unsealed: int
    problem_count: int
    problems: list[str]
    warnings: list[str]
    summary: str


def _reader(request: HttpRequest) -> None:
    try:
        queries.require_audit_reader(request.user)
    except PermissionDenied as exc:
        raise HttpError(403, "只有审计管理员可以查阅审计记录") from exc


@router.get("/events", response=EventPage)
def list_events(request: HttpRequest, filters: Query[EventFilters]) -> dict[str, Any]:
    """Events matching the filters, newest first (audit administrator only)."""
    _reader(request)
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise HttpError(422, "date_to: 截止日期不能早于起始日期")
    qs = queries.search_events(
        request.user,
        actor=filters.actor,
        action=filters.action,
        record_type=filters.record_type,
        record_id=filters.record_id,
        date_from=filters.date_from,
        date_to=filters.date_to,
    )
    items = list(qs[filters.offset : filters.offset + filters.limit])
    return {"count": qs.count(), "items": items}


@router.get("/verify", response=VerifyOut)
def verify_summary(request: HttpRequest) -> dict[str, Any]:
    """Run the verification now and return its summary (audit administrator only)."""
    _reader(request)
    return run_verify(max_problems=100).as_dict()
