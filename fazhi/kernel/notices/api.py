"""REST endpoints of notices, mounted at /api/notices.

GET  /            the caller's own notices, newest first
POST /{id}/read   mark one of them read (404 for anyone else's)
"""

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from . import queries, services
from .models import Notice

router = Router(tags=["notices"])


class NoticeOut(Schema):
    id: int
    channel: str
    subject: str
    body: str
    case_id: int | None
    case_number: str | None
    status: str
    created_at: datetime
    sent_at: datetime | None
    read_at: datetime | None


class UnreadOut(Schema):
    unread: int


def _out(n: Notice) -> dict[str, object]:
    return {
        "id": n.pk,
        "channel": n.channel,
        "subject": n.subject,
        "body": n.body,
        "case_id": n.case_id,
        "case_number": n.case.number if n.case_id and n.case else None,
        "status": n.status,
        "created_at": n.created_at,
        "sent_at": n.sent_at,
        "read_at": n.read_at,
    }


@router.get("/", response=list[NoticeOut], summary="我的通知")
def list_notices(
    request: HttpRequest,
    unread_only: bool = False,
    channel: Notice.Channel | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[dict[str, object]]:
    limit = max(1, min(limit, 200))
    qs = queries.notices_for(request.user, channel=channel, unread_only=unread_only)
    return [_out(n) for n in qs[max(0, offset) : max(0, offset) + limit]]


@router.get("/unread-count", response=UnreadOut, summary="未读站内信数")
def unread(request: HttpRequest) -> dict[str, int]:
    return {"unread": queries.unread_count(request.user)}


@router.post("/{notice_id}/read", response=NoticeOut, summary="标为已读")
def mark_read(request: HttpRequest, notice_id: int) -> dict[str, object]:
    notice = queries.notice_get(request.user, notice_id)
    return _out(services.notice_mark_read(actor=request.user, notice=notice))
