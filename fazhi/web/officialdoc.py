"""A small DOCX writer in the national official-document layout, shared by
the apps that issue letters and reports (disclosure, normative documents).

GB/T 9704-2012 (党政机关公文格式): A4, top margin 37 mm, bottom 35 mm,
binding (left) 28 mm, right 26 mm, giving the 156 × 225 mm type area; title
in 二号 (22 pt) 小标宋, body in 三号 (16 pt) 仿宋 with 28-point line pitch
(22 lines), first-line indent of two characters. Machines without the
official fonts substitute them; the document's comments property says so.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
FALLBACK_NOTE = (
    "版式依据 GB/T 9704-2012；标题 方正小标宋简体 二号，正文 仿宋_GB2312 三号。"
    "未安装上述字体的计算机将以已安装的中文宋体/仿宋字体替代显示。"
)


def _font(run: Any, name: str, size: float, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attr in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), name)


class OfficialDoc:
    def __init__(self, *, title: str, author: str = "") -> None:
        self.doc = Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        props = self.doc.core_properties
        props.title = title
        props.author = author
        props.comments = FALLBACK_NOTE
        props.language = "zh-CN"

    def _para(self, align: Any = None, indent: bool = False) -> Any:
        p = self.doc.add_paragraph()
        fmt = p.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(28)
        fmt.space_before = fmt.space_after = Pt(0)
        if indent:
            fmt.first_line_indent = Pt(32)  # two 三号 characters
        if align is not None:
            p.alignment = align
        return p

    def title(self, text: str) -> None:
        p = self._para(WD_ALIGN_PARAGRAPH.CENTER)
        p.paragraph_format.line_spacing = Pt(36)
        _font(p.add_run(text), TITLE_FONT, 22)

    def centered(self, text: str) -> None:
        _font(self._para(WD_ALIGN_PARAGRAPH.CENTER).add_run(text), BODY_FONT, 16)

    def heading(self, text: str) -> None:
        _font(self._para(indent=True).add_run(text), HEADING_FONT, 16)

    def para(self, text: str, *, indent: bool = True) -> None:
        _font(self._para(indent=indent).add_run(text), BODY_FONT, 16)

    def right(self, text: str) -> None:
        p = self._para(WD_ALIGN_PARAGRAPH.RIGHT)
        p.paragraph_format.right_indent = Pt(64)  # 右空四字 (GB/T 9704 7.3.5)
        _font(p.add_run(text), BODY_FONT, 16)

    def blank(self) -> None:
        self._para()

    def table(self, rows: list[list[Any]], *, size: float = 10.5) -> None:
        """A grid table; tables of numbers use 五号 so that 8 columns fit."""
        if not rows:
            return
        table = self.doc.add_table(rows=len(rows), cols=len(rows[0]))
        table.style = "Table Grid"
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                cell = table.cell(r, c)
                cell.text = ""
                run = cell.paragraphs[0].add_run("" if value is None else str(value))
                _font(run, BODY_FONT, size, bold=r == 0)

    def grid(
        self,
        placed: list[Any],
        *,
        rows: int,
        cols: int,
        size: float,
        widths: list[float] | None = None,
    ) -> None:
        """A table whose cells may span rows and columns (see grid.place);
        `widths` in mm per column (a wide label column, narrow numbers)."""
        table = self.doc.add_table(rows=rows, cols=cols)
        table.style = "Table Grid"
        if widths:
            table.autofit = False
            for c, mm in enumerate(widths[:cols]):
                table.columns[c].width = Mm(mm)
                for row in table.rows:
                    row.cells[c].width = Mm(mm)
        for p in placed:
            cell = table.cell(p.row, p.col)
            if p.cell.rows > 1 or p.cell.cols > 1:
                end = table.cell(p.row + p.cell.rows - 1, p.col + p.cell.cols - 1)
                cell = cell.merge(end)
            cell.text = ""
            para = cell.paragraphs[0]
            if not p.cell.head:
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            text = p.cell.text
            _font(
                para.add_run("" if text is None else str(text)),
                BODY_FONT,
                size,
                bold=p.cell.head,
            )

    def bytes(self) -> bytes:
        out = BytesIO()
        self.doc.save(out)
        return out.getvalue()
