"""Limits of the normative-document procedure that are not periods counted
from an event (those are kernel rules normative.*), each with its source."""

from __future__ import annotations

from dataclasses import dataclass

_GB37 = (
    "《国务院办公厅关于加强行政规范性文件制定和监督管理工作的通知》"
    "（国办发〔2018〕37号）"
)
_GB115 = (
    "《国务院办公厅关于全面推行行政规范性文件合法性审核机制的指导意见》"
    "（国办发〔2018〕115号）"
)
HUBEI = "《湖北省行政规范性文件管理办法》（湖北省人民政府令第379号）"


@dataclass(frozen=True)
class Limit:
    code: str
    name: str
    value: int
    citation: str
    verify: bool = False


# 有效期: "一般不超过5年" — the platform refuses more, and asks the drafter
# to set one (a document without 有效期 is allowed only with a reason).
VALIDITY_YEARS = Limit(
    "normative.validity_years",
    "规范性文件有效期上限（年）",
    5,
    f"{_GB37}“建立健全规范性文件有效期制度”（有效期一般不超过5年）",
    verify=True,
)

# Review periods per kernel rule, shown next to each clock on the pages.
CITATIONS = {
    "legality": f"{_GB115}：审核时间一般不少于5个工作日，最长不超过15个工作日",
    "filing": f"{HUBEI}：公布之日起报送备案（期限以本省规定为准，待核实）",
    "filing_review": f"{HUBEI}：备案审查（期限待核实）",
    "supplement": f"{HUBEI}：补充报送（期限待核实）",
    "correction": f"{_GB37}：有错必纠；{HUBEI}（期限待核实）",
}

# The three duties of plan task 5, used as indicator bases.
PLAN_TASK = (
    "《黄石市法治政府建设实施方案（2021-2025年）》第5项：加大文件备案审查纠错力度，"
    "做到有件必备、有备必审、有错必纠"
)
