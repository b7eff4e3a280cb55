"""Org endpoints: who am I, agencies in scope, and the 权责清单."""

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from . import queries
from .models import Agency
from .policy import get_scoped_or_404
from .responsibility import responsibility_item_create, responsibility_item_revise
from .responsibility_xlsx import export_items, import_items
from .roles import RESPONSIBILITY_MANAGE, ROLES

router = Router(tags=["org"])


class MembershipOut(Schema):
    agency: str
    agency_name: str
    role: str
    role_name: str
    scope: str


class MeOut(Schema):
    username: str
    full_name: str
    memberships: list[MembershipOut]


class AgencyOut(Schema):
    code: str
    name: str
    short_name: str
    level: str
    parent: str | None
    depth: int


class ItemOut(Schema):
    code: str
    version: int
    is_current: bool
    name: str
    item_type: str
    legal_basis: str
    agency: str
    agency_name: str
    effective_from: date
    effective_to: date | None


class ItemIn(Schema):
    code: str
    name: str
    item_type: str
    legal_basis: str
    agency: str
    effective_from: date
    effective_to: date | None = None


class ItemPatch(Schema):
    name: str | None = None
    item_type: str | None = None
    legal_basis: str | None = None
    agency: str | None = None
    effective_from: date | None = None
    effective_to: date | None = None


class RowErrorOut(Schema):
    row: int
    field: str
    label: str
    message: str


class ImportOut(Schema):
    created: int
    revised: int
    unchanged: int
    errors: list[RowErrorOut]


def _item(i: Any) -> dict[str, Any]:
    return {
        "code": i.code,
        "version": i.version,
        "is_current": i.is_current,
        "name": i.name,
        "item_type": i.item_type,
        "legal_basis": i.legal_basis,
        "agency": i.agency.code,
        "agency_name": i.agency.name,
        "effective_from": i.effective_from,
        "effective_to": i.effective_to,
    }


def _agency_by_code(request: HttpRequest, code: str) -> Agency:
    return get_scoped_or_404(
        request.user, RESPONSIBILITY_MANAGE, Agency.objects.all(), field="pk", code=code
    )


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> dict[str, Any]:
    user: Any = request.user
    return {
        "username": user.username,
        "full_name": user.full_name,
        "memberships": [
            {
                "agency": m.agency.code,
                "agency_name": m.agency.name,
                "role": m.role,
                "role_name": str(ROLES[m.role].name),
                "scope": m.scope,
            }
            for m in user.memberships.select_related("agency")
        ],
    }


@router.get("/agencies", response=list[AgencyOut])
def agencies(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "code": a.code,
            "name": a.name,
            "short_name": a.short_name,
            "level": a.level,
            "parent": a.parent.code if a.parent else None,
            "depth": a.depth,
        }
        for a in queries.agencies_for(request.user).select_related("parent")
    ]


@router.get("/responsibility", response=list[ItemOut])
def responsibility_list(
    request: HttpRequest,
    q: str = "",
    item_type: str = "",
    history: bool = False,
    on_date: date | None = None,
) -> list[dict[str, Any]]:
    items = queries.responsibility_items(
        request.user, q=q, item_type=item_type, history=history, on_date=on_date
    )
    return [_item(i) for i in items[:1000]]


@router.get("/responsibility.xlsx")
def responsibility_export(
    request: HttpRequest, q: str = "", item_type: str = ""
) -> HttpResponse:
    items = queries.responsibility_items(request.user, q=q, item_type=item_type)
    data = export_items(
        actor=request.user, items=items, filters={"q": q, "item_type": item_type}
    )
    response = HttpResponse(
        data,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="responsibility.xlsx"'
    return response


@router.post("/responsibility/import", response=ImportOut)
def responsibility_import(
    request: HttpRequest,
    file: UploadedFile = File(...),
    dry_run: bool = False,
) -> dict[str, Any]:
    report = import_items(actor=request.user, file=file, dry_run=dry_run)
    return {
        "created": report.created,
        "revised": report.revised,
        "unchanged": report.unchanged,
        "errors": [
            {"row": e.row, "field": e.field, "label": e.label, "message": e.message}
            for e in report.errors
        ],
    }


@router.get("/responsibility/{code}", response=list[ItemOut])
def responsibility_versions(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    return [_item(i) for i in queries.responsibility_item_versions(request.user, code)]


@router.post("/responsibility", response={201: ItemOut})
def responsibility_create(request: HttpRequest, data: ItemIn) -> Status:
    values = data.dict()
    values["agency"] = _agency_by_code(request, values["agency"])
    item = responsibility_item_create(actor=request.user, **values)
    return Status(201, _item(item))


@router.patch("/responsibility/{code}", response=ItemOut)
def responsibility_revise(
    request: HttpRequest, code: str, data: ItemPatch
) -> dict[str, Any]:
    current = queries.responsibility_item_versions(request.user, code)[0]
    changes = data.dict(exclude_unset=True)
    if "agency" in changes:
        changes["agency"] = _agency_by_code(request, changes["agency"])
    return _item(
        responsibility_item_revise(actor=request.user, item=current, **changes)
    )
