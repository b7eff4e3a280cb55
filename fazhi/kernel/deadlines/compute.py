"""One due-date computation from raw input, shared by the CLI and the API.

Input arrives as text; every problem is a ValidationError naming the field
(start, days, unit, rule, pause) so each caller can name its own option.
The result is the JSON contract:
{"due": "YYYY-MM-DD", "provisional": bool, "rule": id|null,
 "citation": str|null, "explain": [str, ...]}.
"""

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError

from .calendar import FIRST_YEAR, LAST_YEAR, WorkCalendar
from .engine import Pause, compute_due
from .rules import MAX_DAYS, MAX_YEARS, NATURAL, WORKING, YEARS, UnknownRule, get_rule


def parse_date(value: Any, field: str) -> date:
    if isinstance(value, date):
        d = value
    else:
        try:
            d = date.fromisoformat(str(value).strip())
        except ValueError:
            raise ValidationError(
                {field: f"日期应为 YYYY-MM-DD 格式的有效日期，收到 {value!r}"}
            ) from None
    if not FIRST_YEAR <= d.year <= LAST_YEAR:
        raise ValidationError({field: f"日期应在 {FIRST_YEAR} 至 {LAST_YEAR} 年之间"})
    return d


def parse_days(value: Any, unit: str | None = None) -> int:
    """A count of days, or of years when `unit` is YEARS."""
    what, high = ("年数", MAX_YEARS) if unit == YEARS else ("天数", MAX_DAYS)
    try:
        n = int(str(value).strip())
    except ValueError:
        raise ValidationError({"days": f"{what}应为整数，收到 {value!r}"}) from None
    if not 1 <= n <= high:
        raise ValidationError({"days": f"{what}应在 1 至 {high} 之间，收到 {n}"})
    return n


def parse_pause(value: str) -> Pause:
    text = str(value).strip()
    if text.count(":") != 1:
        raise ValidationError(
            {"pause": f"暂停应写成 FROM:TO（如 2026-03-02:2026-03-05），收到 {value!r}"}
        )
    a, b = text.split(":")
    first, last = parse_date(a, "pause"), parse_date(b, "pause")
    if first > last:
        raise ValidationError({"pause": f"暂停的起始日 {first} 晚于结束日 {last}"})
    return Pause(first, last)


def compute(
    *,
    start: Any,
    days: Any = None,
    unit: str | None = None,
    rule_id: str | None = None,
    pauses: Sequence[str] = (),
    calendar: WorkCalendar | None = None,
) -> dict[str, Any]:
    """The due date of one period described by raw input, as the JSON contract."""
    s = parse_date(start, "start")
    rule = None
    if rule_id:
        if days not in (None, "") or unit:
            raise ValidationError({"rule": "指定期限规则时不能同时给出天数或单位"})
        try:
            rule = get_rule(rule_id)
        except UnknownRule:
            raise ValidationError(
                {"rule": f"未知的期限规则：{rule_id}（可用 --rules 或 /rules 查看）"}
            ) from None
        n, u = rule.days, rule.unit
    else:
        if days in (None, ""):
            raise ValidationError({"days": "请给出天数或期限规则"})
        n = parse_days(days, unit)
        if unit not in (WORKING, NATURAL, YEARS):
            raise ValidationError(
                {
                    "unit": "请指定按工作日（working）、自然日（natural）"
                    "还是年（years）计算"
                }
            )
        u = unit
    parsed = [parse_pause(p) for p in pauses]
    result = compute_due(
        start=s,
        days=n,
        unit=u,
        calendar=calendar or WorkCalendar.load(),
        pauses=parsed,
        rule=rule,
    )
    citation = None
    if rule is not None:
        citation = rule.citation
        if rule.local_citation:
            citation += f"；本地规定：{rule.local_citation}"
    return {
        "due": result.due.isoformat(),
        "provisional": result.provisional,
        "rule": rule.id if rule else None,
        "citation": citation,
        "explain": result.explain,
    }
