"""Reading notices. A user only ever sees notices addressed to them."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from .models import Notice


def _own(user: Any) -> QuerySet[Notice]:
    if not getattr(user, "is_authenticated", False):
        return Notice.objects.none()
    return Notice.objects.filter(recipient=user)


def inbox(user: Any, unread_only: bool = False) -> QuerySet[Notice]:
    """The user's in-app notices (站内信), newest first."""
    qs = (
        _own(user).filter(channel=Notice.Channel.INBOX).select_related("case", "sender")
    )
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-pk")


def unread_count(user: Any) -> int:
    """How many in-app notices the user has not read."""
    return _own(user).filter(channel=Notice.Channel.INBOX, read_at__isnull=True).count()


def notices_for(
    user: Any, *, channel: str | None = None, unread_only: bool = False
) -> QuerySet[Notice]:
    """Every notice addressed to the user on any channel (or one channel)."""
    qs = _own(user).select_related("case", "sender")
    if channel:
        qs = qs.filter(channel=channel)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-pk")


def notice_get(user: Any, notice_id: int) -> Notice:
    """One of the user's notices; 404 for a missing one and for anyone else's."""
    notice = _own(user).select_related("case", "sender").filter(pk=notice_id).first()
    if notice is None:
        raise Http404("No such notice.")
    return notice
