"""The 政府信息公开工作年度报告 tables (国办公开办函〔2021〕30号).

Table 二's figures (rules and normative documents made and repealed, licence,
penalty and coercion decisions, fees) belong to other systems; the office
enters them on the report page and empty ones print empty with a note.
Table 三 counts the requests, table 四 the
reconsiderations and lawsuits. `check_balance` says in words which row or
column does not add up, e.g. "商业企业列：一+二=5，但（七）总计+四=4".

Counting rules (the template's own instructions):
- 本年新收: received (条例 art. 31 date) in the year;
- 上年结转: received before the year and not concluded before it;
- 办理结果: concluded in the year, by result;
- 结转下年度继续办理: received by the year's end and not concluded in it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.db.models import Q, Sum

from fazhi.web.officialdoc import OfficialDoc

from . import categories as cat
from .grid import Cell, head, to_docx, to_sheet
from .models import Application, FeeNotice, FollowUp, ProactiveFigure

COLUMNS = (cat.NATURAL, *cat.ORG_TYPES, "total")
COLUMN_LABELS = {
    cat.NATURAL: "自然人",
    cat.COMMERCIAL: "商业企业",
    cat.RESEARCH: "科研机构",
    cat.WELFARE: "社会公益组织",
    cat.LEGAL_SERVICE: "法律服务机构",
    cat.OTHER_ORG: "其他",
    "total": "总计",
}

NEW = "new"
CARRIED_IN = "carried_in"
TOTAL = "results_total"
CARRIED_OUT = "carried_out"

# Table 二: (article, item, measure, figure key).
PROACTIVE_ROWS = (
    ("第二十条第（一）项", "规章", "本年制发件数", "rule.made"),
    ("第二十条第（一）项", "规章", "本年废止件数", "rule.repealed"),
    ("第二十条第（一）项", "规章", "现行有效件数", "rule.current"),
    ("第二十条第（一）项", "行政规范性文件", "本年制发件数", "normative.made"),
    ("第二十条第（一）项", "行政规范性文件", "本年废止件数", "normative.repealed"),
    ("第二十条第（一）项", "行政规范性文件", "现行有效件数", "normative.current"),
    ("第二十条第（五）项", "行政许可", "本年处理决定数量", "licence.decisions"),
    ("第二十条第（六）项", "行政处罚", "本年处理决定数量", "penalty.decisions"),
    ("第二十条第（六）项", "行政强制", "本年处理决定数量", "coercion.decisions"),
    (
        "第二十条第（八）项",
        "行政事业性收费",
        "本年收费金额（单位：万元）",
        "fee.amount",
    ),
)
PROACTIVE_NOTE = "表二数据由本机关在“年度报告统计表”页面填报；未填报的项目为空。"

FOLLOWUP_OUTCOMES = (cat.MAINTAINED, cat.CORRECTED, cat.OTHER_OUTCOME, cat.PENDING)
FOLLOWUP_OUTCOME_LABELS = dict(cat.OUTCOMES)


def row_labels() -> list[tuple[str, str]]:
    """(row key, label) of table 三 in the template's order."""
    rows = [
        (NEW, "一、本年新收政府信息公开申请数量"),
        (CARRIED_IN, "二、上年结转政府信息公开申请数量"),
    ]
    rows.append(("", "三、本年度办理结果"))
    for group, label in cat.GROUPS:
        members = [r for r in cat.RESULTS if r.group == group]
        if len(members) == 1:
            rows.append((members[0].code, label))
            continue
        rows.append(("", label))
        for i, r in enumerate(members, 1):
            rows.append((r.code, f"{i}.{r.label}"))
    rows.append((TOTAL, "（七）总计"))
    rows.append((CARRIED_OUT, "四、结转下年度继续办理"))
    return rows


@dataclass
class AnnualTables:
    agency: str
    year: int
    requests: dict[str, dict[str, int]] = field(default_factory=dict)
    figures: dict[str, Any] = field(default_factory=dict)
    followups: dict[str, dict[str, int]] = field(default_factory=dict)
    # Section 六 of the report ("其他需要报告的事项") states the processing
    # fees: notices sent in the year, fees paid and the sum collected.
    scope: str = "subtree"
    fee_notices: int = 0
    fees_paid: int = 0
    fee_total: Decimal = Decimal(0)

    def fee_sentence(self) -> str:
        if not self.fee_notices:
            return "本年度未收取信息处理费。"
        return (
            f"本年度依据《政府信息公开信息处理费管理办法》发出收费通知{self.fee_notices}件，"
            f"申请人缴纳{self.fees_paid}件，共收取信息处理费{self.fee_total}元。"
        )

    def cell(self, row: str, col: str) -> int:
        return self.requests.get(row, {}).get(col, 0)


def _empty() -> dict[str, int]:
    return dict.fromkeys(COLUMNS, 0)


# Whose requests a report counts. Each department and each government
# publishes its own report (条例 art. 49-50), so by default an agency counts
# only its own; a government may also show itself with its departments, or
# its whole area (lower governments included) as a summary.
OWN = "own"
DEPARTMENTS = "departments"
SUBTREE = "subtree"
SCOPES = (
    (OWN, "本机关"),
    (DEPARTMENTS, "本级政府及其工作部门"),
    (SUBTREE, "全辖区（含下级政府）"),
)
SCOPE_LABELS = dict(SCOPES)


def scope_q(agency: Any, scope: str, prefix: str = "case__agency") -> Q:
    if scope == OWN:
        return Q(**{f"{prefix}": agency})
    if scope == DEPARTMENTS:
        return Q(**{f"{prefix}": agency}) | Q(
            **{f"{prefix}__parent": agency, f"{prefix}__level": "department"}
        )
    if scope == SUBTREE:
        return Q(**{f"{prefix}__path__startswith": agency.path})
    raise ValueError(f"unknown scope {scope!r}")


def build_tables(agency: Any, year: int, scope: str = SUBTREE) -> AnnualTables:
    """Count the requests of `agency` (in `scope`) for `year`."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    apps = Application.objects.filter(scope_q(agency, scope), received_on__isnull=False)
    rows: dict[str, dict[str, int]] = {k: _empty() for k, _ in row_labels() if k}

    def add(row: str, kind: str) -> None:
        rows[row][kind] += 1
        rows[row]["total"] += 1

    values = apps.filter(received_on__lte=last).values_list(
        "applicant_type", "received_on", "concluded_on", "result_code"
    )
    for kind, received, concluded, result in values:
        assert received is not None  # filtered above
        if concluded is not None and concluded < first:
            continue  # concluded in an earlier year
        add(NEW if received >= first else CARRIED_IN, kind)
        if concluded is not None and concluded <= last:
            add(result if result in cat.BY_CODE else "other.other", kind)
            add(TOTAL, kind)
        else:
            add(CARRIED_OUT, kind)
    tables = AnnualTables(agency=agency.name, year=year, requests=rows)
    tables.scope = scope
    tables.followups = _followups(agency, year, scope)
    fees = FeeNotice.objects.filter(
        scope_q(agency, scope, "application__case__agency"), notice_on__year=year
    )
    tables.fee_notices = fees.count()
    paid = fees.filter(paid_on__isnull=False)
    tables.fees_paid = paid.count()
    tables.fee_total = paid.aggregate(s=Sum("amount"))["s"] or Decimal(0)
    tables.figures = dict(
        ProactiveFigure.objects.filter(agency=agency, year=year).values_list(
            "key", "value"
        )
    )
    return tables


def _followups(agency: Any, year: int, scope: str) -> dict[str, dict[str, int]]:
    """Table 四: follow-ups filed in the year, by kind and outcome (as of now)."""
    out = {
        kind: dict.fromkeys((*FOLLOWUP_OUTCOMES, "total"), 0)
        for kind, _ in cat.FOLLOWUP_KINDS
    }
    qs = FollowUp.objects.filter(
        scope_q(agency, scope, "reply__application__case__agency"),
        filed_on__year=year,
    ).values_list("kind", "outcome")
    for kind, outcome in qs:
        out[kind][outcome] += 1
        out[kind]["total"] += 1
    return out


def check_balance(t: AnnualTables) -> list[str]:
    """Every way table 三 or 四 fails to add up, in words; empty when balanced."""
    problems: list[str] = []
    result_codes = [r.code for r in cat.RESULTS]
    labels = dict(row_labels())
    for row, cells in t.requests.items():
        parts = sum(cells[c] for c in COLUMNS if c != "total")
        if parts != cells["total"]:
            problems.append(
                f"“{labels[row]}”行：各类申请人合计 {parts}，"
                f"但总计列为 {cells['total']}"
            )
    for col in COLUMNS:
        name = COLUMN_LABELS[col]
        results = sum(t.cell(code, col) for code in result_codes)
        total = t.cell(TOTAL, col)
        if results != total:
            problems.append(
                f"{name}列：各项办理结果之和 {results}，但（七）总计为 {total}"
            )
        incoming = t.cell(NEW, col) + t.cell(CARRIED_IN, col)
        outgoing = t.cell(TOTAL, col) + t.cell(CARRIED_OUT, col)
        if incoming != outgoing:
            problems.append(f"{name}列：一+二={incoming}，但（七）总计+四={outgoing}")
    for kind, label in cat.FOLLOWUP_KINDS:
        cells = t.followups.get(kind, {})
        parts = sum(cells.get(o, 0) for o in FOLLOWUP_OUTCOMES)
        if parts != cells.get("total", 0):
            problems.append(
                f"表四“{label}”：各项结果之和 {parts}，但总计为 {cells.get('total', 0)}"
            )
    return problems


# -- rendering ---------------------------------------------------------------
# The tables are drawn as in the national template, merged cells and all, so
# an office can paste them into its report without redrawing them.


def _figure(t: AnnualTables, key: str) -> Any:
    value = t.figures.get(key)
    if value is None:
        return ""
    if key != "fee.amount" and value == value.to_integral_value():
        return int(value)
    return value


def proactive_grid(t: AnnualTables) -> list[list[Cell]]:
    """Table 二: four small tables, one per article of 条例 art. 20."""
    out: list[list[Cell]] = []
    for article in dict.fromkeys(a for a, *_rest in PROACTIVE_ROWS):
        rows = [r for r in PROACTIVE_ROWS if r[0] == article]
        items = list(dict.fromkeys(r[1] for r in rows))
        measures = list(dict.fromkeys(r[2] for r in rows))
        out.append([head(article, cols=4)])
        # One measure fills the three value columns; several take one each.
        span = 3 // len(measures)
        out.append([head("信息内容"), *[head(m, cols=span) for m in measures]])
        for item in items:
            cells = [Cell(item)]
            for m in measures:
                key = next(r[3] for r in rows if r[1] == item and r[2] == m)
                cells.append(
                    Cell(_figure(t, key), cols=span, key=key, label=f"{item}·{m}")
                )
            out.append(cells)
    return out


def request_grid(t: AnnualTables) -> list[list[Cell]]:
    """Table 三: the applicant columns under a two-level header."""
    orgs = [c for c in COLUMNS if c in cat.ORG_TYPES]
    out: list[list[Cell]] = [
        [
            head(
                "本列数据的勾稽关系，第一项加第二项之和，等于第三项加第四项之和", rows=3
            ),
            head("申请人情况", cols=len(COLUMNS)),
        ],
        [
            head(COLUMN_LABELS[cat.NATURAL], rows=2),
            head("法人或其他组织", cols=len(orgs)),
            head(COLUMN_LABELS["total"], rows=2),
        ],
        [head(COLUMN_LABELS[c]) for c in orgs],
    ]
    for key, label in row_labels():
        if not key:
            out.append([head(label, left=True), *[Cell("") for _c in COLUMNS]])
        else:
            out.append(
                [
                    head(label, left=True),
                    *[Cell(t.cell(key, c), key=f"{key}.{c}") for c in COLUMNS],
                ]
            )
    return out


def followup_grid(t: AnnualTables) -> list[list[Cell]]:
    """Table 四: one row of fifteen numbers (复议; 诉讼 direct; 诉讼 after 复议)."""
    outcomes = [
        *[str(FOLLOWUP_OUTCOME_LABELS[o]) for o in FOLLOWUP_OUTCOMES],
        "总计",
    ]
    n = len(outcomes)
    kinds = [k for k, _label in cat.FOLLOWUP_KINDS]
    values: list[Cell] = []
    for kind in kinds:
        cells = t.followups[kind]
        values += [
            Cell(cells[o], key=f"{kind}.{o}") for o in (*FOLLOWUP_OUTCOMES, "total")
        ]
    return [
        [head("行政复议", cols=n), head("行政诉讼", cols=2 * n)],
        [
            *[head(o, rows=2) for o in outcomes],
            head("未经复议直接起诉", cols=n),
            head("复议后起诉", cols=n),
        ],
        [head(o) for o in outcomes * 2],
        values,
    ]


def _title(t: AnnualTables) -> str:
    which = "" if t.scope == OWN else f"（{SCOPE_LABELS[t.scope]}）"
    return f"{t.agency}{which}{t.year}年政府信息公开工作年度报告（统计表）"


SHEETS = (
    ("二、主动公开政府信息情况", proactive_grid),
    ("三、收到和处理政府信息公开申请情况", request_grid),
    ("四、政府信息公开行政复议、行政诉讼情况", followup_grid),
)


def render_xlsx(t: AnnualTables) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    first = True
    for title, build in SHEETS:
        ws = wb.active if first else wb.create_sheet()
        first = False
        ws.title = title[:31]
        ws.append([_title(t)])
        ws.append([title])
        end = to_sheet(ws, build(t), first_row=3)
        if title.startswith("二"):
            ws.cell(row=end, column=1, value=PROACTIVE_NOTE)
        ws.column_dimensions["A"].width = 40
    ws = wb.create_sheet("六、其他需要报告的事项")
    ws.append([t.fee_sentence()])
    problems = check_balance(t)
    ws = wb.create_sheet("校验")
    ws.append(["平衡校验", "通过" if not problems else "不平衡"])
    for p in problems:
        ws.append([p])
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def render_docx(t: AnnualTables) -> bytes:
    doc = OfficialDoc(title=_title(t), author=t.agency)
    doc.title(_title(t))
    doc.blank()
    # The 156 mm type area of GB/T 9704: table 三's labels take the room the
    # template gives them, table 四's fifteen numbers share the rest.
    sizes = {"二": 10.5, "三": 9, "四": 7.5}
    widths = {
        "二": [48, 36, 36, 36],
        "三": [58] + [14] * len(COLUMNS),
        "四": [10.4] * 15,
    }
    for title, build in SHEETS:
        doc.heading(title)
        to_docx(doc, build(t), size=sizes[title[0]], widths=widths[title[0]])
        if title.startswith("二"):
            doc.para(PROACTIVE_NOTE)
    doc.heading("六、其他需要报告的事项")
    doc.para(t.fee_sentence())
    problems = check_balance(t)
    doc.para(
        "平衡校验：" + ("各行各列合计一致。" if not problems else "；".join(problems))
    )
    return doc.bytes()
