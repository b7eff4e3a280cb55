"""Chinese messages for the API's request-validation errors.

django-ninja answers a malformed request with pydantic's English messages
("Input should be a valid integer"); the people who read these answers work
in Chinese. The answer keeps pydantic's shape, so a client can still go by
`type` and `loc`; only `msg` is translated, and a message our own validators
wrote (already Chinese) loses pydantic's "Value error, " prefix.
"""

from __future__ import annotations

from typing import Any

_BY_TYPE = {
    "missing": "必填",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "string_type": "应为文本",
    "int_type": "应为整数",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "date_parsing": "应为日期，格式 YYYY-MM-DD",
    "date_from_datetime_parsing": "应为日期，格式 YYYY-MM-DD",
    "date_type": "应为日期，格式 YYYY-MM-DD",
    "datetime_parsing": "应为日期时间，格式 YYYY-MM-DDTHH:MM",
    "datetime_from_date_parsing": "应为日期时间，格式 YYYY-MM-DDTHH:MM",
    "json_invalid": "不是有效的 JSON",
    "extra_forbidden": "不是可用的字段",
}
_WITH_LIMIT = {
    "greater_than_equal": ("ge", "应不小于 {}"),
    "greater_than": ("gt", "应大于 {}"),
    "less_than_equal": ("le", "应不大于 {}"),
    "less_than": ("lt", "应小于 {}"),
    "string_too_long": ("max_length", "不能超过 {} 个字符"),
    "string_too_short": ("min_length", "至少 {} 个字符"),
    "too_long": ("max_length", "不能超过 {} 项"),
    "too_short": ("min_length", "至少 {} 项"),
}


def chinese_message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "value_error":
        return str(error.get("msg", "")).removeprefix("Value error, ")
    if kind in _WITH_LIMIT:
        key, text = _WITH_LIMIT[kind]
        if key in ctx:
            return text.format(ctx[key])
    if kind in ("enum", "literal_error") and "expected" in ctx:
        return f"应为以下之一：{ctx['expected']}"
    return _BY_TYPE.get(kind, str(error.get("msg", "")))


def translated(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for e in errors:
        e = {**e, "msg": chinese_message(e)}
        ctx = e.get("ctx")
        if isinstance(ctx, dict) and "error" in ctx:
            # pydantic's English detail ("month value is outside expected
            # range of 1-12"); the Chinese msg says what to send instead.
            e["ctx"] = {k: v for k, v in ctx.items() if k != "error"}
        out.append(e)
    return out
