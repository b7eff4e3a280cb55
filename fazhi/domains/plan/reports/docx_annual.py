"""The annual report as DOCX, for the office to edit in Word or WPS.

The fonts are named, not embedded: the names are the ones GB/T 9704 templates
use and government machines have (Word/WPS substitute a CJK face where one is
missing). Headings use Word's own Heading 1-3 styles, restyled, so the
navigation pane shows the outline. The DOCX helpers at the top are shared
with docx_notice.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from .render import (
    Heading,
    Note,
    Outline,
    Para,
    Signature,
    Subtitle,
    Table,
    Title,
    balanced_lines,
    signature_indents,
)

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEI_FONT = "黑体"
KAI_FONT = "楷体_GB2312"
SONG_FONT = "宋体"
LATIN_FONT = "Times New Roman"

SIZE_2 = Pt(22)  # 二号: title
SIZE_3 = Pt(16)  # 三号: body and headings
SIZE_4 = Pt(14)  # 四号: page numbers
SIZE_5 = Pt(10.5)  # 五号: table text
TITLE_CHARS_PER_LINE = 19  # 二号 characters in the 156 mm type area, less slack
LINE = Pt(28.95)  # 22 lines on the 225 mm type area, as GB/T 9704 asks
RED = RGBColor(0xC0, 0x00, 0x00)
GREY = RGBColor(0x80, 0x80, 0x80)
SHADE = {"red": "F4CCCC", "amber": "FFF2CC"}  # light red / light amber
HEADER_SHADE = "E7E6E6"
TABLE_STYLE, TABLE_HEAD_STYLE = "报告表格", "报告表头"


# --- shared helpers -----------------------------------------------------------


def new_document() -> DocumentObject:
    """A4 with the GB/T 9704 margins and a 三号 仿宋 Normal style."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(18)
    normal = doc.styles["Normal"]
    set_font(normal.font, BODY_FONT, SIZE_3)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, LINE
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.widow_control = True
    return doc


def set_font(font, east_asian: str, size: Pt | None = None) -> None:
    """Latin text in Times New Roman, CJK text in `east_asian`."""
    font.name = LATIN_FONT
    rpr = font.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)
    if size is not None:
        font.size = size


def add_run(
    par: Paragraph,
    text: str,
    east_asian: str = BODY_FONT,
    size: Pt = SIZE_3,
    *,
    bold: bool = False,
    color: RGBColor | None = None,
):
    run = par.add_run(text)
    if (east_asian, size) != (BODY_FONT, SIZE_3):  # else Normal already says so
        set_font(run.font, east_asian, size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    return run


def paragraph(
    doc_or_cell,
    text: str = "",
    *,
    font: str = BODY_FONT,
    size: Pt = SIZE_3,
    align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    indent: bool = True,
    bold: bool = False,
    color: RGBColor | None = None,
    style: str | None = None,
) -> Paragraph:
    par = doc_or_cell.add_paragraph(style=style)
    par.alignment = align
    if indent:
        par.paragraph_format.first_line_indent = Pt(size.pt * 2)  # two characters
    if text:
        add_run(par, text, font, size, bold=bold, color=color)
    return par


def add_field(par: Paragraph, instruction: str, size: Pt, font: str) -> None:
    """A Word field (PAGE, NUMPAGES) that the viewer fills in."""
    for kind, text in (("begin", None), (None, instruction), ("end", None)):
        run = add_run(par, "", font, size)
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {text} "
        run._r.append(el)


def page_number_footers(doc: DocumentObject, note: str = "") -> None:
    """ "— 1 —" in 四号 宋体, odd pages right and even pages left, one
    character in from the edge (GB/T 9704 7.5); `note` in small grey below."""
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        footer.is_linked_to_previous = False
        par = footer.paragraphs[0]
        par.alignment = align
        par.paragraph_format.first_line_indent = None
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            par.paragraph_format.right_indent = SIZE_4
        else:
            par.paragraph_format.left_indent = SIZE_4
        par.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        add_run(par, "— ", SONG_FONT, SIZE_4)
        add_field(par, "PAGE", SIZE_4, SONG_FONT)
        add_run(par, " —", SONG_FONT, SIZE_4)
        if note:
            small = footer.add_paragraph()
            small.alignment = WD_ALIGN_PARAGRAPH.CENTER
            small.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            add_run(small, note, SONG_FONT, Pt(8), color=GREY)


def page_headers(doc: DocumentObject, text: str) -> None:
    section = doc.sections[0]
    for header in (section.header, section.even_page_header):
        header.is_linked_to_previous = False
        par = header.paragraphs[0]
        par.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        par.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        add_run(par, text, HEI_FONT, Pt(12), color=RED)


def shade(cell: _Cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    # schema order: shd goes before these (Word rejects misordered tcPr)
    tc_pr.insert_element_before(
        shd, "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign"
    )


def _row_flag(row, tag: str) -> None:
    """tblHeader: repeat on every page; cantSplit: keep a row on one page."""
    el = OxmlElement(f"w:{tag}")
    el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(el)


def title(doc: DocumentObject, text: str) -> Paragraph:
    """二号 小标宋, centred, long titles cut into even lines."""
    par = paragraph(doc, font=TITLE_FONT, size=SIZE_2, indent=False)
    par.alignment = WD_ALIGN_PARAGRAPH.CENTER
    par.paragraph_format.line_spacing = Pt(36)
    for i, line in enumerate(balanced_lines(text, TITLE_CHARS_PER_LINE)):
        run = add_run(par, line, TITLE_FONT, SIZE_2)
        if i:
            run._r.addprevious(_line_break())
    return par


def _line_break():
    run = OxmlElement("w:r")
    run.append(OxmlElement("w:br"))
    return run


def signature(doc: DocumentObject, issuer: str, day: str) -> None:
    """One blank line below the body, then issuer over date (sealed layout)."""
    paragraph(doc)
    for text, indent in zip((issuer, day), signature_indents(issuer, day), strict=True):
        par = paragraph(doc, text, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
        par.paragraph_format.right_indent = Pt(SIZE_3.pt * indent)


def to_bytes(doc: DocumentObject) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# --- the annual report ----------------------------------------------------------


def _heading_styles(doc: DocumentObject) -> None:
    """Word's Heading 1-3 restyled as 公文 levels: 黑体, 楷体, bold 仿宋."""
    for level, font, bold in (
        (1, HEI_FONT, False),
        (2, KAI_FONT, False),
        (3, BODY_FONT, True),
    ):
        style = doc.styles[f"Heading {level}"]
        set_font(style.font, font, SIZE_3)
        style.font.bold, style.font.italic = bold, False
        style.font.color.rgb = RGBColor(0, 0, 0)
        fmt = style.paragraph_format
        fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, LINE
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.first_line_indent = Pt(32)
        fmt.keep_with_next = True


def write_docx(outline: Outline, *, generated_at: datetime) -> bytes:
    doc = new_document()
    doc.core_properties.title = outline.title
    doc.core_properties.created = _utc_naive(generated_at)
    doc.core_properties.comments = outline.footer
    _heading_styles(doc)
    if outline.header:
        page_headers(doc, outline.header)
    page_number_footers(doc, outline.footer)
    for block in outline.blocks:
        _add_block(doc, block)
    return to_bytes(doc)


def _utc_naive(dt: datetime) -> datetime:
    # docx core properties are written as UTC with a literal "Z"
    return dt.astimezone(UTC).replace(tzinfo=None) if dt.tzinfo else dt


def _add_block(doc: DocumentObject, block) -> None:
    match block:
        case Title(text):
            title(doc, text)
        case Subtitle(text):
            par = paragraph(doc, text, font=KAI_FONT, indent=False)
            par.alignment = WD_ALIGN_PARAGRAPH.CENTER
        case Note():
            _note(doc, block)
        case Heading(level, text):
            par = doc.add_paragraph(style=f"Heading {level}")
            add_run(
                par, text, (HEI_FONT, KAI_FONT, BODY_FONT)[level - 1], bold=level == 3
            )
        case Para(text, placeholder):
            if placeholder:
                paragraph(doc, text, bold=True, color=RED)
            else:
                paragraph(doc, text)
        case Table():
            _table(doc, block)
        case Signature(lines):
            signature(doc, *lines)
        case _:
            raise TypeError(f"unknown block {block!r}")


def _note(doc: DocumentObject, note: Note) -> None:
    table = doc.add_table(rows=1, cols=1)
    table.style = doc.styles["Table Grid"]
    cell = table.rows[0].cells[0]
    first = cell.paragraphs[0]
    add_run(first, note.title, HEI_FONT, Pt(12))
    for line in note.lines:
        paragraph(cell, line, size=Pt(12), indent=False)
    for par in cell.paragraphs:
        par.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    paragraph(doc)  # keep the intro off the box


def _table(doc: DocumentObject, block: Table) -> None:
    if TABLE_STYLE not in [st.name for st in doc.styles]:
        _table_styles(doc)
    head_id = doc.styles[TABLE_HEAD_STYLE].style_id
    body_id = doc.styles[TABLE_STYLE].style_id
    table = doc.add_table(rows=1, cols=len(block.header))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    total = sum(block.widths)
    widths = [Mm(156 * w / total) for w in block.widths]  # the 156 mm type area
    head = table.rows[0]
    _row_flag(head, "tblHeader")
    _row_flag(head, "cantSplit")
    for cell, text, width in zip(head.cells, block.header, widths, strict=True):
        cell.width = width
        _cell_text(cell, text, head_id, WD_ALIGN_PARAGRAPH.CENTER)
        shade(cell, HEADER_SHADE)
    for row in block.rows:
        cells = table.add_row()
        _row_flag(cells, "cantSplit")
        fill = SHADE.get(row.status)
        for i, (cell, text, width) in enumerate(
            zip(cells.cells, row.cells, widths, strict=True)
        ):
            cell.width = width
            align = (
                WD_ALIGN_PARAGRAPH.LEFT if i in (0, 6) else WD_ALIGN_PARAGRAPH.CENTER
            )
            bold = row.status == "red" and i == 4
            _cell_text(cell, text, body_id, align, bold=bold)
            if fill:
                shade(cell, fill)


def _table_styles(doc: DocumentObject) -> None:
    """五号 single-spaced cell text as paragraph styles: setting fonts run by
    run on 300 cells is most of the DOCX time."""
    for name, font in ((TABLE_STYLE, BODY_FONT), (TABLE_HEAD_STYLE, HEI_FONT)):
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Normal"]
        set_font(style.font, font, SIZE_5)
        fmt = style.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        fmt.first_line_indent = Pt(0)


def _cell_text(
    cell: _Cell, text: str, style_id: str, align, *, bold: bool = False
) -> None:
    par = cell.paragraphs[0]
    # by id: python-docx's lookup by name rescans every style per call
    par._p.get_or_add_pPr().style = style_id
    par.alignment = align
    run = par.add_run(text)
    if bold:
        run.font.bold = True
        run.font.color.rgb = RED
