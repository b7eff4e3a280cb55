"""The quarterly catalogue of filed documents (XLSX, through the kernel
DataTable export) and the annual filing-review report (DOCX).

Plan task 5: 建立行政规范性文件备案审查年度报告制度. The DOCX is laid
out as an official document (GB/T 9704-2012) by fazhi.web.officialdoc.
"""

from __future__ import annotations

from typing import Any

from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from fazhi.kernel.deadlines.calendar import fmt
from fazhi.web.officialdoc import OfficialDoc
from fazhi.web.tables import Column

from .normative_queries import AnnualFigures


def _number_link(nd: Any) -> Any:
    from django.urls import reverse

    url = reverse("laws_staff:normative_detail", args=[nd.case.number])
    return format_html('<a href="{}">{}</a>', url, nd.case.number)


CATALOGUE_COLUMNS = [
    Column("case.number", _("备案登记号"), html=_number_link, order_by="case__number"),
    Column("title", _("文件名称"), order_by="title"),
    Column("doc_number", _("文号")),
    Column("case.agency.name", _("制定机关"), order_by="case__agency__path"),
    Column("published_on", _("公布日期"), order_by="published_on"),
    Column("filed_on", _("报送备案日期"), order_by="filed_on"),
    Column("expires_on", _("有效期至")),
    Column("get_filing_result_display", _("审查结论")),
    Column("get_validity_display", _("时效性")),
]


def _pct(done: int, total: int) -> str:
    return f"{done * 100 / total:.1f}%" if total else "—"


def annual_report_docx(f: AnnualFigures, *, issued: Any) -> bytes:
    name = f.agency.name
    title = f"{name}{f.year}年度行政规范性文件备案审查工作报告"
    w = OfficialDoc(title=title, author=name)
    w.title(title)
    w.para("")
    w.heading("一、总体情况")
    w.para(
        f"{f.year}年，本级及所属单位共公布行政规范性文件{f.published}件，"
        f"报送备案{f.filed}件，其中按时报送{f.filed_on_time}件"
        f"（按时报备率{_pct(f.filed_on_time, f.filed)}）；"
        f"截至报告日逾期未报备{f.unfiled_overdue}件。"
        f"出具合法性审核意见{f.legality_reviews}次，其中退回修改{f.legality_returns}次。"
    )
    w.heading("二、备案审查情况")
    w.para(
        f"全年作出审查结论{f.reviewed}件，其中在审查期限内办结{f.reviewed_on_time}件"
        f"（按时办结率{_pct(f.reviewed_on_time, f.reviewed)}）；"
        f"准予备案{f.accepted}件，通知补正{f.supplements}次，"
        f"认定违法{f.unlawful}件、不适当{f.inappropriate}件。"
    )
    w.heading("三、纠错情况")
    faults = f.unlawful + f.inappropriate
    w.para(
        f"审查发现问题的{faults}件文件中，已纠正{f.corrected}件"
        f"（纠错完成率{_pct(f.corrected, faults)}），正在纠正{f.correcting}件。"
    )
    if f.faults:
        rows = [["登记号", "文件名称", "制定机关", "审查结论", "纠正情况"]]
        for nd in f.faults:
            rows.append(
                [
                    nd.case.number,
                    nd.title,
                    nd.case.agency.name,
                    nd.get_filing_result_display(),
                    (
                        f"{nd.get_correction_display()}（{fmt(nd.corrected_on)}）"
                        if nd.corrected_on
                        else "纠正中"
                    ),
                ]
            )
        w.table(rows)
    w.heading("四、清理和后评估情况")
    if f.cleanups:
        for c in f.cleanups:
            w.para(
                f"开展“{c['name']}”，列入清理文件"
                f"{c['keep'] + c['amend'] + c['repeal'] + c['pending']}件："
                f"继续有效{c['keep']}件，修改{c['amend']}件，废止{c['repeal']}件，"
                f"待定{c['pending']}件。"
            )
    else:
        w.para("本年度未组织集中清理。")
    w.para(
        f"全年废止{f.repealed}件，有效期届满失效{f.expired}件，开展后评估{f.evaluations}件；"
        f"截至报告日现行有效{f.in_force}件。"
    )
    if f.by_agency:
        w.heading("五、各单位报备情况")
        w.table([["制定机关", "报送备案件数"], *[[a, n] for a, n in f.by_agency]])
    w.para("")
    w.right(name)
    w.right(fmt(issued))
    return w.bytes()
