"""A 督办通知 (supervision notice) as DOCX, laid out as a GB/T 9704 公文.

版头: the issuing office in red 小标宋 with 文号 below and a red rule; 主体:
title, 主送机关, body, 发文机关署名 and 成文日期; 版记: 抄送 and 印发 lines.
Every sentence is built from the notice data; nothing is invented here.
"""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from .data import SupervisionNoticeData
from .docx_annual import (
    BODY_FONT,
    SIZE_4,
    TITLE_FONT,
    new_document,
    page_number_footers,
    paragraph,
    signature,
    title,
    to_bytes,
)
from .render import cn_date

RED = RGBColor(0xE0, 0x00, 0x00)  # 版头 red


def notice_title(data: SupervisionNoticeData) -> str:
    return f"关于督办第{data.task_number}项任务“{data.task_title}”的通知"


def notice_body(data: SupervisionNoticeData) -> list[str]:
    """The body paragraphs, in order: task, what is behind, what to do."""
    source = f"《{data.plan_title.strip('《》')}》" if data.plan_title else "实施方案"
    task = (
        f"根据{source}任务分工，你单位负责第{data.task_number}项任务"
        f"“{data.task_title}”。"
    )
    if data.task_text.strip():
        task += f"实施方案原文为：“{data.task_text.strip()}”"
    due = f"应于{cn_date(data.milestone_due)}前完成" if data.milestone_due else ""
    behind = f"该任务的“{data.milestone_title}”节点{due}"
    problem = data.problem.strip().rstrip("。")
    behind += f"，{problem}。" if problem else "。"
    requirement = data.requirement.strip().rstrip("。")
    ask = (
        f"请你单位{requirement}，并于{cn_date(data.reply_due)}前"
        "将办理情况书面报送我办。"
    )
    return [task, behind, ask]


def write_notice(data: SupervisionNoticeData) -> bytes:
    doc = new_document()
    doc.core_properties.title = notice_title(data)
    doc.core_properties.author = data.issuer_name
    page_number_footers(doc)

    # 版头: 发文机关标志 and 文号, then the red rule under the 文号
    head = paragraph(
        doc, data.issuer_name, font=TITLE_FONT, size=Pt(26), indent=False, color=RED
    )
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    head.paragraph_format.line_spacing = Pt(40)
    head.paragraph_format.space_after = Pt(16)
    number = paragraph(doc, data.number, indent=False)
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _rule(number, color="E00000", size=12)

    paragraph(doc)
    title(doc, notice_title(data))
    paragraph(doc)

    paragraph(doc, f"{data.recipient_name}：", indent=False)  # 主送机关: flush left
    for text in notice_body(data):
        paragraph(doc, text)
    if data.contact.strip():
        paragraph(doc, data.contact.strip())

    signature(doc, data.issuer_name, cn_date(data.issued_on))

    # 版记: 抄送 then 印发机关 and 印发日期, between rules
    paragraph(doc)
    if data.copy_to:
        copy = paragraph(
            doc, f"抄送：{'，'.join(data.copy_to)}。", size=SIZE_4, indent=False
        )
        copy.paragraph_format.left_indent = Pt(14)
        _rule(copy, color="000000", size=4, edge="top")
    issued = paragraph(doc, "", size=SIZE_4, indent=False)
    issued.paragraph_format.left_indent = Pt(14)
    issued.paragraph_format.right_indent = Pt(14)
    # 印发机关 flush left, 印发日期 flush right: a right tab at the indent
    issued.paragraph_format.tab_stops.add_tab_stop(
        Mm(156) - Pt(28), alignment=WD_TAB_ALIGNMENT.RIGHT
    )
    run = issued.add_run(f"{data.issuer_name}\t{cn_date(data.issued_on)}印发")
    _font(run, SIZE_4)
    if not data.copy_to:
        _rule(issued, color="000000", size=4, edge="top")
    _rule(issued, color="000000", size=4, edge="bottom")
    issued.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    return to_bytes(doc)


_AFTER_PBDR = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def _font(run, size) -> None:
    run.font.name = "Times New Roman"
    run.font.size = size
    run._r.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)


def _rule(par: Paragraph, *, color: str, size: int, edge: str = "bottom") -> None:
    """A paragraph border as a horizontal rule (size in eighths of a point)."""
    p_pr = par._p.get_or_add_pPr()
    borders = p_pr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        # Word rejects a pPr whose children are out of schema order
        p_pr.insert_element_before(borders, *_AFTER_PBDR)
    line = OxmlElement(f"w:{edge}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(size))
    line.set(qn("w:space"), "4")
    line.set(qn("w:color"), color)
    borders.append(line)
