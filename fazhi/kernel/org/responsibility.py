"""The 权责清单: create, revise and retire items; every edit is a new version.

An item is identified by its code. Revising it closes the current version
(is_current=False) and adds version n+1 in the same transaction, so the list
as it stood on any day can be shown and nothing is overwritten.
"""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from fazhi.kernel.audit.services import audit_record
from fazhi.kernel.textzh.normalise import normalise

from .models import Agency, ResponsibilityItem
from .policy import can
from .roles import RESPONSIBILITY_MANAGE

EDITABLE = (
    "name",
    "item_type",
    "legal_basis",
    "agency",
    "effective_from",
    "effective_to",
)


def check_fields(
    *,
    code: str,
    name: str,
    item_type: str,
    legal_basis: str,
    effective_from: date | None,
    effective_to: date | None,
) -> None:
    errors: dict[str, str] = {}
    if not code.strip():
        errors["code"] = "事项编码不能为空"
    elif len(code) > 64:
        errors["code"] = "事项编码不能超过 64 个字符"
    if not name.strip():
        errors["name"] = "事项名称不能为空"
    if item_type not in ResponsibilityItem.ItemType.values:
        errors["item_type"] = "事项类型须为：" + "、".join(
            ResponsibilityItem.ItemType.values
        )
    if not legal_basis.strip():
        errors["legal_basis"] = "设定依据不能为空"
    if effective_from is None:
        errors["effective_from"] = "生效日期不能为空"
    elif effective_to is not None and effective_to < effective_from:
        errors["effective_to"] = "失效日期不能早于生效日期"
    if errors:
        raise ValidationError(errors)


def _payload(item: ResponsibilityItem) -> dict[str, Any]:
    return {
        "code": item.code,
        "version": item.version,
        "name": item.name,
        "item_type": item.item_type,
        "legal_basis": item.legal_basis,
        "agency": item.agency.code,
        "effective_from": item.effective_from,
        "effective_to": item.effective_to,
    }


def responsibility_item_create(
    *,
    actor: Any,
    code: str,
    name: str,
    item_type: str,
    legal_basis: str,
    agency: Agency,
    effective_from: date | None,
    effective_to: date | None = None,
) -> ResponsibilityItem:
    if actor is not None and not can(actor, RESPONSIBILITY_MANAGE, agency):
        raise PermissionDenied("无权维护该机构的权责清单")
    check_fields(
        code=code,
        name=name,
        item_type=item_type,
        legal_basis=legal_basis,
        effective_from=effective_from,
        effective_to=effective_to,
    )
    code = code.strip()
    assert effective_from is not None  # check_fields refused a missing one
    with transaction.atomic():
        if ResponsibilityItem.objects.filter(code=code).exists():
            raise ValidationError({"code": f"事项编码 {code} 已存在"})
        item = ResponsibilityItem.objects.create(
            code=code,
            version=1,
            is_current=True,
            name=name.strip(),
            name_normalised=normalise(name),
            item_type=item_type,
            legal_basis=legal_basis.strip(),
            agency=agency,
            effective_from=effective_from,
            effective_to=effective_to,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit_record(
            actor=actor,
            action="responsibility.create",
            record_type="responsibility",
            record_id=code,
            payload=_payload(item),
        )
    return item


def responsibility_item_revise(
    *, actor: Any, item: ResponsibilityItem, **changes: Any
) -> ResponsibilityItem:
    """Add a new version of `item` with `changes`; returns it (or `item` when
    nothing changed, so a re-import writes nothing)."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError({name: "该字段不可修改" for name in unknown})
    with transaction.atomic():
        current = (
            ResponsibilityItem.objects.select_for_update()
            .select_related("agency")
            .get(code=item.code, is_current=True)
        )
        values = {f: getattr(current, f) for f in EDITABLE} | changes
        if all(values[f] == getattr(current, f) for f in EDITABLE):
            return current
        for agency in {current.agency, values["agency"]}:
            if actor is not None and not can(actor, RESPONSIBILITY_MANAGE, agency):
                raise PermissionDenied("无权维护该机构的权责清单")
        check_fields(
            code=current.code,
            name=values["name"],
            item_type=values["item_type"],
            legal_basis=values["legal_basis"],
            effective_from=values["effective_from"],
            effective_to=values["effective_to"],
        )
        ResponsibilityItem.objects.filter(pk=current.pk).update(is_current=False)
        new = ResponsibilityItem.objects.create(
            code=current.code,
            version=current.version + 1,
            is_current=True,
            name=values["name"].strip(),
            name_normalised=normalise(values["name"]),
            item_type=values["item_type"],
            legal_basis=values["legal_basis"].strip(),
            agency=values["agency"],
            effective_from=values["effective_from"],
            effective_to=values["effective_to"],
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        changed = sorted(f for f in EDITABLE if values[f] != getattr(current, f))
        audit_record(
            actor=actor,
            action="responsibility.revise",
            record_type="responsibility",
            record_id=current.code,
            payload=_payload(new) | {"changed": changed},
        )
    return new
