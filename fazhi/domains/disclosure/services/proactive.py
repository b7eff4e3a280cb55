"""Proactive disclosure: the catalogue (art. 23), items published within 20
working days of being formed or changed (art. 26), and the table 二 figures."""

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from fazhi.kernel.audit.services import audit_record
from fazhi.kernel.deadlines.calendar import today
from fazhi.kernel.deadlines.inputs import check_day
from fazhi.kernel.org.models import Agency
from fazhi.kernel.org.policy import can
from fazhi.kernel.org.roles import CASE_HANDLE, CASE_SUPERVISE
from fazhi.kernel.textzh import normalise
from fazhi.kernel.workflow.engine import case_open, case_transition

from .. import categories as cat
from ..models import CatalogueEntry, ProactiveFigure, ProactiveItem
from ..report import PROACTIVE_ROWS
from ..workflow import PROACTIVE_CODE

# Table 二's rows: "规章·本年制发件数" names a figure in messages.
FIGURE_LABELS = {key: f"{name}·{measure}" for _a, name, measure, key in PROACTIVE_ROWS}
FIGURE_KEYS = tuple(FIGURE_LABELS)
DECIMAL_FIGURES = frozenset({"fee.amount"})  # 万元; the others count documents


def _text(value: Any, field: str, label: str, limit: int, required: bool = True) -> str:
    text = (value or "").strip() if isinstance(value, str) else ""
    if required and not text:
        raise ValidationError({field: f"请填写{label}"})
    if len(text) > limit:
        raise ValidationError({field: f"{label}不能超过 {limit} 个字"})
    return text


def catalogue_entry_create(
    *,
    actor: Any,
    agency: Agency,
    name: str,
    review_on: date,
    focus: str = cat.FOCUS_OTHER,
    basis: str = "",
) -> CatalogueEntry:
    if not can(actor, CASE_SUPERVISE, agency):
        raise PermissionDenied("您无权维护该机构的主动公开目录")
    name = _text(name, "name", "目录类别", 100)
    if focus not in dict(cat.FOCUS_AREAS):
        raise ValidationError({"focus": "请选择重点领域"})
    if not isinstance(review_on, date) or review_on <= today():
        raise ValidationError({"review_on": "下次审核日期应晚于今天"})
    if CatalogueEntry.objects.filter(agency=agency, name=name).exists():
        raise ValidationError({"name": "该机构已有同名目录类别"})
    with transaction.atomic():
        entry = CatalogueEntry.objects.create(
            agency=agency,
            name=name,
            focus=focus,
            basis=_text(basis, "basis", "公开依据", 200, required=False),
            review_on=review_on,
        )
        audit_record(
            actor=actor,
            action="disclosure.catalogue_create",
            record_type="catalogue",
            record_id=entry.pk,
            payload={"agency": agency.code, "name": name, "review_on": review_on},
        )
    return entry


def catalogue_entry_review(
    *, actor: Any, entry: CatalogueEntry, next_review_on: date, keep: bool = True
) -> CatalogueEntry:
    """The periodic review: keep the category (with its next date) or retire it."""
    if not can(actor, CASE_SUPERVISE, entry.agency):
        raise PermissionDenied("您无权维护该机构的主动公开目录")
    if keep and (not isinstance(next_review_on, date) or next_review_on <= today()):
        raise ValidationError({"next_review_on": "下次审核日期应晚于今天"})
    with transaction.atomic():
        entry.reviewed_on = today()
        entry.is_active = keep
        if keep:
            entry.review_on = next_review_on
        entry.save(update_fields=["reviewed_on", "is_active", "review_on"])
        audit_record(
            actor=actor,
            action="disclosure.catalogue_review",
            record_type="catalogue",
            record_id=entry.pk,
            payload={"keep": keep, "next_review_on": entry.review_on},
        )
    return entry


def proactive_item_register(
    *,
    actor: Any,
    entry: CatalogueEntry,
    title: str,
    formed_on: date,
    doc_number: str = "",
    body: str = "",
) -> ProactiveItem:
    """Register information formed or changed on `formed_on`; the publication
    clock (20 working days, art. 26) starts that day."""
    require_handle_agency(actor, entry.agency)
    if not entry.is_active:
        raise ValidationError({"entry": "该目录类别已停用"})
    title = _text(title, "title", "标题", 200)
    formed_on = check_day(formed_on, "formed_on")
    with transaction.atomic():
        case = case_open(
            actor=actor,
            case_type=PROACTIVE_CODE,
            agency=entry.agency,
            title=title,
            opened_on=formed_on,
        )
        return ProactiveItem.objects.create(
            case=case,
            entry=entry,
            title=title,
            title_key=normalise(f"{title} {doc_number}")[:400],
            doc_number=_text(doc_number, "doc_number", "文号", 60, required=False)
            .replace("[", "〔")
            .replace("]", "〕"),
            body=_text(body, "body", "内容", 20000, required=False),
            formed_on=formed_on,
        )


def proactive_item_publish(
    *, actor: Any, item: ProactiveItem, on: date | None = None
) -> ProactiveItem:
    on = check_day(on or today(), "on", not_before=item.formed_on)
    with transaction.atomic():
        item.published_on = on
        item.save(update_fields=["published_on"])
        case_transition(
            actor=actor,
            case=item.case,
            transition="publish",
            on=on,
            payload={"disclosure": True},
        )
    return item


def proactive_figure_set(
    *, actor: Any, agency: Agency, year: int, values: dict[str, Any]
) -> int:
    """Store the office's figures for table 二; unknown keys are refused.

    The agency's own disclosure office fills them in (case.handle there);
    counts must be whole numbers, the fee amount may have decimals. Every
    figure is checked before any is stored, and each message names its row."""
    if not can(actor, CASE_HANDLE, agency):
        raise PermissionDenied("您无权填报该机构的年度报告数据")
    clean: dict[str, Decimal] = {}
    errors: dict[str, str] = {}
    for key, raw in values.items():
        if key not in FIGURE_KEYS:
            raise ValidationError({key: "未知的统计项"})
        if raw in (None, ""):
            continue
        label = FIGURE_LABELS[key]
        try:
            value = Decimal(str(raw).strip().replace(",", ""))
        except InvalidOperation:
            errors[key] = f"{label}应为数字，收到“{raw}”"
            continue
        if not value.is_finite() or value < 0:
            errors[key] = f"{label}应为非负数"
        elif key not in DECIMAL_FIGURES and value != value.to_integral_value():
            errors[key] = f"{label}应为整数件数"
        else:
            clean[key] = value
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        for key, value in clean.items():
            ProactiveFigure.objects.update_or_create(
                agency=agency, year=year, key=key, defaults={"value": value}
            )
        audit_record(
            actor=actor,
            action="disclosure.figures",
            record_type="agency",
            record_id=agency.pk,
            payload={"year": year, "values": {k: str(v) for k, v in clean.items()}},
        )
    return len(clean)


def require_handle_agency(actor: Any, agency: Agency) -> None:
    if not can(actor, CASE_HANDLE, agency):
        raise PermissionDenied("您无权办理该机构的主动公开事项")
