"""Sources of the normative-document procedure shown on its pages; the
periods and the 有效期 limit are kernel rules normative.*."""

from __future__ import annotations

_GB37 = (
    "《国务院办公厅关于加强行政规范性文件制定和监督管理工作的通知》"
    "（国办发〔2018〕37号）"
)
_GB115 = (
    "《国务院办公厅关于全面推行行政规范性文件合法性审核机制的指导意见》"
    "（国办发〔2018〕115号）"
)
HUBEI = "《湖北省行政规范性文件管理办法》（湖北省人民政府令第379号）"


# 有效期 (一般不超过5年) is the kernel rule normative.validity, counted in
# years by the deadlines kernel with its citation.

# What the pages say each clock rests on, by clock name. Only sources that
# are certain are named to users: the duty to file and to review comes from
# 国办发〔2018〕37号; the number of days is the province's, and the 30/5 days
# used are defaults a city confirms or replaces (period_rule_override). The
# kernel rules keep their `verify` mark for administrators; it is not shown.
_LOCAL = "期限为本平台默认值，以本省规定为准"
CITATIONS = {
    "legality": f"{_GB115}：审核时间一般不少于5个工作日，最长不超过15个工作日",
    "filing": f"{_GB37}：规范性文件应当自公布之日起按规定报送备案；{_LOCAL}",
    "filing_review": f"{_GB37}：有件必备、有备必审；{_LOCAL}",
    "supplement": f"{_GB37}：备案审查中的补充报送；{_LOCAL}",
    "correction": f"{_GB37}：有错必纠；{_LOCAL}",
}


# The three duties of plan task 5, used as indicator bases.
PLAN_TASK = (
    "《黄石市法治政府建设实施方案（2021-2025年）》第5项：加大文件备案审查纠错力度，"
    "做到有件必备、有备必审、有错必纠"
)
