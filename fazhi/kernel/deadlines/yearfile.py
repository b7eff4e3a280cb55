"""The calendar year file: one year's holidays and 调休 from the State Council notice.

Format (JSON; YAML with the same keys is accepted when PyYAML is installed):

    {
      "year": 2027,
      "source": "国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕…号）",
      "holidays": [
        {"date": "2027-01-01", "name": "元旦"},
        {"from": "2027-02-05", "to": "2027-02-13", "name": "春节"}
      ],
      "workdays": [{"date": "2027-02-20", "name": "春节"}]
    }

`holidays` are the rest days of the notice (all of them, weekend days inside
a holiday block included); `workdays` are the weekend days worked instead
(调休上班). An entry is either one `date` or an inclusive `from`/`to` range.
Load with `fazhi calendar load FILE` or the staff calendar page.
"""

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError

from .calendar import ONE_DAY

MAX_FILE_BYTES = 256 * 1024


@dataclass(frozen=True)
class YearFile:
    year: int
    source: str
    holidays: list[tuple[date, str]]
    workdays: list[tuple[date, str]]


def _fail(message: str) -> ValidationError:
    return ValidationError({"file": message})


def _date(value: Any, where: str) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise _fail(f"{where}：日期应为 YYYY-MM-DD，收到 {value!r}") from None


def _entries(data: dict[str, Any], key: str) -> list[tuple[date, str]]:
    items = data.get(key, [])
    if not isinstance(items, list):
        raise _fail(f"“{key}”应为列表")
    out: list[tuple[date, str]] = []
    for i, item in enumerate(items, 1):
        where = f"{key} 第{i}项"
        if not isinstance(item, dict):
            raise _fail(
                f'{where}应为对象，例如 {{"date": "2027-01-01", "name": "元旦"}}'
            )
        name = str(item.get("name", "")).strip()
        if "date" in item:
            first = last = _date(item["date"], where)
        elif "from" in item and "to" in item:
            first, last = _date(item["from"], where), _date(item["to"], where)
            if last < first:
                raise _fail(f"{where}：from 晚于 to")
            if first.year != last.year:
                raise _fail(f"{where}：from 和 to 应在同一年内")
        else:
            raise _fail(f"{where}缺少 date（或 from 和 to）")
        d = first
        while d <= last:
            out.append((d, name))
            d += ONE_DAY
    return out


def _load(content: str, filename: str) -> Any:
    if filename.lower().endswith((".yaml", ".yml")):
        try:
            import yaml
        except ImportError:
            raise _fail("读取 YAML 需要安装 PyYAML，请改用 JSON 格式") from None
        try:
            return yaml.safe_load(content)
        except yaml.YAMLError as exc:
            raise _fail(f"YAML 格式错误：{exc}") from None
    try:
        return json.loads(content)
    except json.JSONDecodeError as exc:
        raise _fail(
            f"JSON 格式错误（第{exc.lineno}行第{exc.colno}列）：{exc.msg}"
        ) from None


def parse_year_file(content: bytes | str, filename: str = "") -> YearFile:
    """Parse and shape-check a year file; ValidationError({"file": ...}) if bad."""
    if isinstance(content, bytes):
        if len(content) > MAX_FILE_BYTES:
            raise _fail("文件过大（上限 256 KB）")
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise _fail("文件应为 UTF-8 编码") from None
    data = _load(content, filename)
    if not isinstance(data, dict):
        raise _fail("文件应为一个对象，包含 year、source、holidays、workdays")
    year = data.get("year")
    if isinstance(year, bool) or not isinstance(year, int):
        raise _fail(f"“year”应为整数年份，收到 {year!r}")
    source = data.get("source")
    if not isinstance(source, str) or not source.strip():
        raise _fail("“source”应写明通知名称和文号")
    return YearFile(
        year=year,
        source=source.strip(),
        holidays=_entries(data, "holidays"),
        workdays=_entries(data, "workdays"),
    )
