"""XLSX import and export of the 权责清单 that round-trip.

The export writes exactly the columns the import reads, so exporting and
re-importing a list changes nothing. Import reports every bad row with its
row number and field; good rows are stored; re-importing the same sheet adds
nothing (an unchanged item writes no new version).
"""

import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from fazhi.kernel.audit.services import audit_export

from .models import Agency, ResponsibilityItem
from .policy import can
from .responsibility import (
    check_fields,
    responsibility_item_create,
    responsibility_item_revise,
)
from .roles import RESPONSIBILITY_MANAGE

# (header, field) — the header row is what a person sees and types.
COLUMNS = [
    ("事项编码", "code"),
    ("事项名称", "name"),
    ("事项类型", "item_type"),
    ("设定依据", "legal_basis"),
    ("实施机关代码", "agency"),
    ("实施机关", "agency_name"),
    ("生效日期", "effective_from"),
    ("失效日期", "effective_to"),
]
HEADERS = [h for h, _ in COLUMNS]
FIELD_LABELS = {f: h for h, f in COLUMNS}
MAX_ROWS = 50_000


@dataclass
class RowError:
    row: int
    field: str
    message: str

    @property
    def label(self) -> str:
        return FIELD_LABELS.get(self.field, self.field)


@dataclass
class ImportReport:
    created: int = 0
    revised: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _safe_cell(value: Any) -> Any:
    """Neutralise formula injection: a text cell may never start a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _text(value: Any) -> str:
    if value is None:
        return ""
    text = str(value).strip()
    # Undo the neutralising apostrophe our own export adds.
    return text[1:] if text[:2] in ("'=", "'+", "'-", "'@") else text


def _date(value: Any, fieldname: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value).replace("/", "-").replace(".", "-")
    for sep in ("年", "月"):
        text = text.replace(sep, "-")
    text = text.rstrip("日")
    try:
        return date.fromisoformat("-".join(p.zfill(2) for p in text.split("-")))
    except ValueError:
        raise ValidationError(
            {fieldname: f"日期格式应为 2026-01-31：{value}"}
        ) from None


def export_items(
    *, actor: Any, items: QuerySet[ResponsibilityItem], filters: dict[str, Any]
) -> bytes:
    """The XLSX of `items` (already scoped by the caller); the export is audited."""
    wb = Workbook()
    ws = wb.active
    ws.title = "权责清单"
    ws.append(HEADERS)
    for item in items.select_related("agency"):
        ws.append(
            [
                _safe_cell(v)
                for v in (
                    item.code,
                    item.name,
                    item.item_type,
                    item.legal_basis,
                    item.agency.code,
                    item.agency.name,
                    item.effective_from,
                    item.effective_to,
                )
            ]
        )
    for col, width in zip("ABCDEFGH", (18, 40, 10, 60, 16, 24, 12, 12), strict=True):
        ws.column_dimensions[col].width = width
    out = io.BytesIO()
    wb.save(out)
    audit_export(
        actor=actor, what="responsibility", filters=filters, rows=ws.max_row - 1
    )
    return out.getvalue()


def import_items(*, actor: Any, file: IO[bytes], dry_run: bool = False) -> ImportReport:
    report = ImportReport()
    try:
        wb = load_workbook(file, read_only=True, data_only=True)
    except (
        InvalidFileException,
        zipfile.BadZipFile,
        KeyError,
        OSError,
        ValueError,
        TypeError,
    ) as exc:
        report.errors.append(RowError(0, "file", f"无法读取 XLSX 文件：{exc}"))
        return report
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = [_text(v) for v in next(rows, [])]
    missing = [h for h in HEADERS if h not in header]
    if missing:
        report.errors.append(RowError(1, "file", "缺少列：" + "、".join(missing)))
        return report
    index = {f: header.index(h) for h, f in COLUMNS}
    agencies = {a.code: a for a in Agency.objects.all()}
    seen: set[str] = set()
    for n, row in enumerate(rows, start=2):
        if n > MAX_ROWS + 1:
            report.errors.append(RowError(n, "file", f"一次最多导入 {MAX_ROWS} 行"))
            break
        if row is None or all(v in (None, "") for v in row):
            continue
        cell = {f: (row[i] if i < len(row) else None) for f, i in index.items()}
        code = _text(cell["code"])
        if code in seen:
            report.errors.append(RowError(n, "code", f"事项编码 {code} 在表中重复"))
            continue
        seen.add(code)
        agency = agencies.get(_text(cell["agency"]))
        if agency is None:
            report.errors.append(
                RowError(n, "agency", f"未知的实施机关代码：{_text(cell['agency'])}")
            )
            continue
        try:
            values = {
                "name": _text(cell["name"]),
                "item_type": _text(cell["item_type"]),
                "legal_basis": _text(cell["legal_basis"]),
                "agency": agency,
                "effective_from": _date(cell["effective_from"], "effective_from"),
                "effective_to": _date(cell["effective_to"], "effective_to"),
            }
            _apply(
                actor=actor, code=code, values=values, report=report, dry_run=dry_run
            )
        except ValidationError as exc:
            for fieldname, messages in exc.message_dict.items():
                report.errors.extend(RowError(n, fieldname, m) for m in messages)
        except PermissionDenied as exc:
            report.errors.append(RowError(n, "agency", str(exc)))
    return report


def _apply(
    *,
    actor: Any,
    code: str,
    values: dict[str, Any],
    report: ImportReport,
    dry_run: bool,
) -> None:
    current = ResponsibilityItem.objects.filter(code=code, is_current=True).first()
    if dry_run:
        # Validate exactly as a real import would, without writing.
        check_fields(code=code, **{k: v for k, v in values.items() if k != "agency"})
        for agency in {values["agency"], *([current.agency] if current else [])}:
            if actor is not None and not can(actor, RESPONSIBILITY_MANAGE, agency):
                raise PermissionDenied("无权维护该机构的权责清单")
    if current is None:
        if not dry_run:
            responsibility_item_create(actor=actor, code=code, **values)
        report.created += 1
        return
    if dry_run:
        same = all(getattr(current, f) == v for f, v in values.items())
        report.unchanged += same
        report.revised += not same
        return
    new = responsibility_item_revise(actor=actor, item=current, **values)
    if new.pk == current.pk:
        report.unchanged += 1
    else:
        report.revised += 1
