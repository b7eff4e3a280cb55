"""Rows of a sheet of calls (CSV or XLSX) as tickets_import takes them.

The header row names the columns in Chinese as the centre's sheets do
(诉求类型, 诉求内容, 联系电话 ...), or by field name. Labels are accepted for
the coded fields (投诉 as well as complaint). Each row keeps its line number
in the file, so a bad row is reported where the operator can find it, and
gets a stable idempotency key (its 编号, or a digest of what it says), so
running the same file again makes nothing twice.
"""

import csv
import hashlib
import io
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from . import categories, rules

COLUMNS = {
    "编号": "ref",
    "外部编号": "ref",
    "ref": "ref",
    "诉求类型": "ticket_type",
    "ticket_type": "ticket_type",
    "服务类别": "service_code",
    "service_code": "service_code",
    "紧急程度": "urgency",
    "urgency": "urgency",
    "诉求内容": "content",
    "content": "content",
    "联系电话": "phone",
    "电话": "phone",
    "phone": "phone",
    "诉求人": "caller_name",
    "诉求人姓名": "caller_name",
    "caller_name": "caller_name",
    "事发地点": "location",
    "location": "location",
    "受理日期": "received_on",
    "received_on": "received_on",
}
REQUIRED = ("content", "phone")


def _by_label(choices: Any) -> dict[str, str]:
    return {str(label): value for value, label in choices}


TYPES = _by_label(rules.TicketType.choices)
URGENCIES = _by_label(rules.Urgency.choices)
SERVICES = {s.name: s.code for s in categories.SERVICES}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone number Excel stored as a number
    return str(value).strip()


def _raw_rows(path: Path) -> Iterator[list[Any]]:
    if path.suffix.lower() == ".xlsx":
        book = load_workbook(path, read_only=True, data_only=True)
        try:
            yield from (list(r) for r in book.active.iter_rows(values_only=True))
        finally:
            book.close()
        return
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):  # Excel's CSV from a Chinese Windows
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValidationError({"file": "无法识别文件编码，请另存为 UTF-8 的 CSV"})
    yield from csv.reader(io.StringIO(text))


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, row for tickets_import) for each non-empty line."""
    if path.suffix.lower() not in (".csv", ".xlsx"):
        raise ValidationError({"file": "只能导入 .csv 或 .xlsx 文件"})
    rows = _raw_rows(path)
    header = next(rows, None)
    if header is None:
        raise ValidationError({"file": "文件是空的"})
    fields = [COLUMNS.get(_text(h)) for h in header]
    missing = [f for f in REQUIRED if f not in fields]
    if missing:
        names = {v: k for k, v in reversed(list(COLUMNS.items()))}
        raise ValidationError(
            {"file": "缺少列：" + "、".join(names[f] for f in missing)}
        )
    for line, values in enumerate(rows, start=2):
        cells = {f: _text(v) for f, v in zip(fields, values, strict=False) if f}
        if not any(cells.values()):
            continue
        row: dict[str, Any] = {k: v for k, v in cells.items() if v and k != "ref"}
        for field, labels in (("ticket_type", TYPES), ("urgency", URGENCIES)):
            if field in row:
                row[field] = labels.get(row[field], row[field])
        if "service_code" in row:
            row["service_code"] = SERVICES.get(row["service_code"], row["service_code"])
        ref = (
            cells.get("ref")
            or hashlib.sha256(
                "\x1f".join(
                    cells.get(k, "") for k in ("content", "phone", "received_on")
                ).encode()
            ).hexdigest()[:40]
        )
        row["idempotency_key"] = f"imp:{ref}"
        yield line, row
