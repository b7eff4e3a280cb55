"""Helpers shared by the plan's services: permission checks and small lookups."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from fazhi.kernel.org.models import Agency
from fazhi.kernel.org.policy import can, has_perm_anywhere
from fazhi.kernel.org.roles import CASE_VIEW

from ..workflow import PLAN_MANAGE


def require_manage(actor: Any, agency: Agency, *, plan_wide: bool = False) -> None:
    """The office's permission on `agency`; None (the CLI, the demo) may act.

    Someone who cannot even see the agency gets 404, as for a missing record.
    `plan_wide` is for edits of the plan itself, which every staff member can
    read: they get 403 rather than 404.
    """
    if actor is None:
        return
    if can(actor, PLAN_MANAGE, agency):
        return
    visible = has_perm_anywhere(actor, CASE_VIEW) if plan_wide else False
    if visible or can(actor, CASE_VIEW, agency):
        raise PermissionDenied(_("只有法治政府建设领导小组办公室可以执行此操作。"))
    raise Http404("No such record.")


def city_root() -> Agency:
    root = Agency.objects.filter(parent=None, is_active=True).order_by("path").first()
    if root is None:
        raise ValidationError({"owner": _("尚未建立机构树，请先运行 fazhi setup。")})
    return root


def clean_text(value: str | None, field: str, label: str, *, limit: int = 0) -> str:
    """Stripped text or a field error naming `label`."""
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: _("请填写%(label)s。") % {"label": label}})
    if limit and len(text) > limit:
        raise ValidationError(
            {field: _("%(label)s不能超过%(n)d个字。") % {"label": label, "n": limit}}
        )
    return text


def within(agency: Agency, owner: Agency) -> bool:
    """True if `agency` is `owner` or below it in the tree."""
    return agency.path.startswith(owner.path)
