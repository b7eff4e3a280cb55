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
import re
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
# The column each field came from, for messages an operator can act on.
HEADERS = {
    "ticket_type": "诉求类型",
    "service_code": "服务类别",
    "urgency": "紧急程度",
    "content": "诉求内容",
    "phone": "联系电话",
    "caller_name": "诉求人",
    "location": "事发地点",
    "received_on": "受理日期",
    "idempotency_key": "编号",
}


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


_DAY_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def _day(text: str) -> str:
    """2026/12/5, 2026.12.05, 2026年12月5日 (as Excel and people write them)
    as 2026-12-05; anything else is left for the service to refuse."""
    m = _DAY_RE.match(text)
    return f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}" if m else text


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
    if "ticket_type" not in fields and "service_code" not in fields:
        missing.append("ticket_type")
    if missing:
        raise ValidationError(
            {"file": "缺少列：" + "、".join(HEADERS[f] for f in missing)}
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
        if "received_on" in row:
            row["received_on"] = _day(row["received_on"])
        # The key is what the row says, with its 编号 when it has one: the
        # same file run again makes nothing twice, and a sheet whose 编号
        # start again at 1 each day does not lose the second day's calls.
        said = "\x1f".join(row.get(k, "") for k in ("content", "phone", "received_on"))
        digest = hashlib.sha256(said.encode()).hexdigest()[:32]
        ref = cells.get("ref", "")[:40]
        row["idempotency_key"] = f"imp:{ref}:{digest}" if ref else f"imp:{digest}"
        yield line, row
