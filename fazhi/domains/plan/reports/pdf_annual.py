"""The annual report as PDF (fpdf2), with its CJK fonts embedded.

fpdf2 breaks lines at spaces or anywhere, and knows nothing of Chinese line
rules, so paragraphs are broken here: runs of Latin letters and digits stay
whole, no line starts with closing punctuation (，。、）》” …) or ends with an
opening one (（《“), and every full line is justified to both margins with
character spacing, as a typeset 公文 is. The lines then go out one `cell`
each, which also gives page breaks for free.
"""

from __future__ import annotations

import copy
import logging
import re
import threading
import unicodedata
from datetime import UTC, datetime

from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.fonts import FontFace, SubsetMap, TTFFont

from .fonts import Face, FontSet, GlyphGuard, coverage, find_fonts
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

PT = 25.4 / 72  # millimetres per point
PAGE_W, PAGE_H = 210, 297
TOP, BOTTOM, LEFT, RIGHT = 37, 35, 28, 26  # GB/T 9704 margins, mm
BODY_PT, TITLE_PT, PAGE_NO_PT, TABLE_PT, NOTE_PT = 16, 22, 14, 10.5, 12
LINE = 28.95 * PT  # 22 lines in the 225 mm type area
RED = (192, 0, 0)
GREY = (128, 128, 128)
FILL = {"red": (244, 204, 204), "amber": (255, 242, 204)}
HEADER_FILL = (231, 230, 230)

NO_LINE_START = set("，。、；：？！）》」』】〕〉”’…—·%‰℃,.;:?!)]}")
NO_LINE_END = set("（《「『【〔〈“‘([{")
# fontTools reports each bitmap table it drops from AR PL fonts when subsetting
logging.getLogger("fontTools.subset").setLevel(logging.ERROR)
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-+/%_]*|.", re.S)


class ReportPDF(FPDF):
    def __init__(self, outline: Outline, fonts: FontSet):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.outline = outline
        self.set_margins(LEFT, TOP, RIGHT)
        self.set_auto_page_break(True, margin=BOTTOM)
        self.c_margin = 0
        # one family per distinct file, so a face used in two roles is
        # embedded once; every face is a fallback for the others
        faces = _faces_needed(fonts, outline)
        family_of: dict[str, str] = {}
        for i, face in enumerate(faces):
            family = family_of[face.key] = f"cjk{i}"
            add_parsed_font(self, family, face)
        self.role = {role: family_of[face.key] for role, face in fonts.roles().items()}
        self.set_fallback_fonts(list(family_of.values()), exact_match=False)
        self.guard = GlyphGuard(faces)
        self._widths: dict[tuple[str, float, str], float] = {}

    # --- page furniture -----------------------------------------------------

    def header(self) -> None:
        if self.outline.watermark:
            with self.local_context(fill_opacity=0.08, text_color=RED):
                self.set_font(self.role["hei"], size=72)
                text = self.outline.watermark
                width = self.get_string_width(text)
                with self.rotation(35, x=PAGE_W / 2, y=PAGE_H / 2):
                    self.text(PAGE_W / 2 - width / 2, PAGE_H / 2 + 9, text)
        if self.outline.header:
            with self.local_context(text_color=RED):
                self.set_font(self.role["hei"], size=12)
                self.set_xy(LEFT, 20)
                self.cell(self.epw, 6, self.outline.header, align="R")
        self.set_xy(LEFT, TOP)

    def footer(self) -> None:
        # GB/T 9704 7.5: page number 7 mm below the type area, one character
        # in from the outer edge: right on odd pages, left on even pages
        self.set_font(self.role["song"], size=PAGE_NO_PT)
        self.set_char_spacing(0)
        self.set_y(PAGE_H - BOTTOM + 7)
        em = PAGE_NO_PT * PT
        if self.page_no() % 2:
            self.set_x(LEFT)
            self.cell(self.epw - em, 6, f"— {self.page_no()} —", align="R")
        else:
            self.set_x(LEFT + em)
            self.cell(self.epw - em, 6, f"— {self.page_no()} —", align="L")
        if self.outline.footer:
            with self.local_context(text_color=GREY):
                self.set_font(self.role["song"], size=8)
                self.set_xy(LEFT, PAGE_H - 14)
                self.cell(self.epw, 4, self.guard.clean(self.outline.footer), align="C")

    # --- measuring and breaking -----------------------------------------------

    def width_of(self, text: str) -> float:
        """Width in mm in the current font; glyphs the current font lacks
        (drawn from a fallback font) are counted as one em."""
        key_font, size = self.font_family, self.font_size_pt
        total = 0.0
        for ch in text:
            key = (key_font, size, ch)
            w = self._widths.get(key)
            if w is None:
                w = self.get_string_width(ch)
                if w == 0 and unicodedata.category(ch) not in ("Cc", "Cf", "Mn"):
                    w = size * PT
                self._widths[key] = w
            total += w
        return total

    def break_lines(self, text: str, width: float) -> list[str]:
        lines = [
            list(tokens) for tokens in _split_long(self, _TOKEN.findall(text), width)
        ]
        # no lone character on a paragraph's last line (孤字): take one more
        if len(lines) > 1 and len(lines[-2]) > 2 and len("".join(lines[-1])) == 1:
            lines[-1].insert(0, lines[-2].pop())
        return ["".join(tokens).rstrip(" ") for tokens in lines] or [""]

    def justified(self, text: str, width: float, h: float, *, indent: bool) -> None:
        """A paragraph: two-character indent, justified, last line ragged."""
        text = self.guard.clean(text)
        if indent:
            text = "\u3000\u3000" + text
        lines = self.break_lines(text, width)
        for n, line in enumerate(lines):
            spacing = 0.0
            if n < len(lines) - 1 and len(line) > 1:
                slack = width - self.width_of(line)
                # a line cut short by a long unbreakable run stays ragged
                if 0 < slack < 0.3 * len(line) * self.font_size:
                    spacing = slack / (len(line) - 1)
            self.set_char_spacing(spacing / PT)
            self.cell(width, h, line, new_x="LMARGIN", new_y="NEXT")
        self.set_char_spacing(0)

    def centred(self, text: str, h: float) -> None:
        """Centred title lines, cut as the DOCX title is (balanced_lines)."""
        text = self.guard.clean(text)
        count = len(self.break_lines(text, self.epw))
        per_line = self.epw / (self.font_size_pt * PT)
        for part in balanced_lines(text, per_line, count):
            for line in self.break_lines(part, self.epw):
                self.cell(self.epw, h, line, align="C", new_x="LMARGIN", new_y="NEXT")

    def keep_room(self, height: float) -> None:
        """Start a new page rather than strand a heading at the bottom."""
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()


# Parsing a 20 MB CJK font's cmap and widths takes ~0.4 s and gives the same
# result every time, so each face is parsed once per process and every PDF
# gets a copy with its own glyph subset and its own (lazily read) font file
# handle: fpdf2 subsets that handle in place when it writes the PDF.
_PARSED: dict[str, TTFFont] = {}
_PARSED_LOCK = threading.Lock()
_UNUSED_TABLES = ("GSUB", "GPOS", "GDEF", "BASE", "JSTF", "vhea", "vmtx", "VORG")


def add_parsed_font(pdf: FPDF, family: str, face: Face) -> None:
    with _PARSED_LOCK:
        parsed = _PARSED.get(face.key)
        if parsed is None:
            scratch = FPDF()
            scratch.add_font("f", "", str(face.path), collection_font_number=face.index)
            parsed = _PARSED[face.key] = scratch.fonts["f"]
    # a TrueType font without .notdef gets one drawn into its handle, and a
    # colour font a Type 3 twin: those are parsed afresh each time
    if parsed.color_font is not None or (
        "glyf" in parsed.ttfont and ".notdef" not in parsed.ttfont["glyf"]
    ):
        pdf.add_font(family, "", str(face.path), collection_font_number=face.index)
        pdf.fonts[family].ttfont.recalcBBoxes = False
        return
    font = copy.copy(parsed)
    font.i = len(pdf.fonts) + 1
    font.fontkey = family
    # bounding boxes are only metadata here, and recomputing them on save
    # runs every CFF glyph program: half of the output time
    font.ttfont = TTFont(
        str(face.path),
        fontNumber=face.index,
        lazy=True,
        recalcTimestamp=False,
        recalcBBoxes=False,
    )
    # OpenType layout and vertical-writing tables serve shaping engines;
    # a PDF names its glyphs directly, and subsetting GSUB/GPOS of a CJK
    # font (closure over every substitution) costs more than the glyphs
    for tag in _UNUSED_TABLES:
        if tag in font.ttfont:
            del font.ttfont[tag]
    font.subset = SubsetMap(font)
    font.missing_glyphs = []
    font.biggest_size_pt = 0
    pdf.fonts[family] = font
    if font.is_cff and font.is_cid_keyed:
        pdf._set_min_pdf_version("1.6")


def _faces_needed(fonts: FontSet, outline: Outline) -> list[Face]:
    """The role faces, plus an extra (fallback-only) face only when the text
    has a character that it alone covers: each embedded CJK font costs."""
    faces = list(dict.fromkeys(fonts.roles().values()))
    if not fonts.extra:
        return faces
    covered = frozenset().union(*map(coverage, faces))
    chars = {ord(ch) for ch in _all_text(outline)} - covered
    for face in fonts.extra:
        if chars & coverage(face):
            faces.append(face)
            chars -= coverage(face)
    return faces


def _all_text(outline: Outline) -> str:
    parts = [outline.title, outline.header, outline.footer]
    for block in outline.blocks:
        for value in vars(block).values():
            if isinstance(value, str):
                parts.append(value)
            elif isinstance(value, tuple):
                for item in value:
                    parts.extend(item.cells if hasattr(item, "cells") else [str(item)])
    return "".join(parts)


def _split_long(pdf: ReportPDF, pieces: list[str], width: float):
    """Greedy line filling over pieces with the Chinese line-break rules."""
    line: list[str] = []
    used = 0.0
    for piece in pieces:
        if piece == "\n":
            yield line
            line, used = [], 0.0
            continue
        w = pdf.width_of(piece)
        if w > width and len(piece) > 1:  # a run longer than a line: by letter
            for ch in piece:
                if line and used + pdf.width_of(ch) > width:
                    yield line
                    line, used = [], 0.0
                line.append(ch)
                used += pdf.width_of(ch)
            continue
        if line and used + w > width:
            cut = len(line)
            # pull back at most two pieces so the next line does not start
            # with closing punctuation and this one does not end with opening
            while cut > max(1, len(line) - 2) and (
                (line[cut] if cut < len(line) else piece)[0] in NO_LINE_START
                or line[cut - 1][-1] in NO_LINE_END
            ):
                cut -= 1
            yield line[:cut]
            line = line[cut:]
            used = pdf.width_of("".join(line))
        line.append(piece)
        used += w
    if line:
        yield line


def write_pdf(
    outline: Outline, *, generated_at: datetime, fonts: FontSet | None = None
) -> bytes:
    pdf = ReportPDF(outline, fonts or find_fonts())
    pdf.set_title(outline.title)
    pdf.set_creator("fazhi")
    when = generated_at if generated_at.tzinfo else generated_at.replace(tzinfo=UTC)
    pdf.set_creation_date(when)
    pdf.add_page()
    for block in outline.blocks:
        _draw(pdf, block)
    return bytes(pdf.output())


def _draw(pdf: ReportPDF, block) -> None:
    role = pdf.role
    match block:
        case Title(text):
            pdf.set_font(role["title"], size=TITLE_PT)
            pdf.centred(text, TITLE_PT * PT * 1.6)
            pdf.ln(LINE / 3)
        case Subtitle(text):
            pdf.set_font(role["kai"], size=BODY_PT)
            pdf.centred(text, LINE)
        case Note():
            _note(pdf, block)
        case Heading(level, text):
            pdf.keep_room(LINE * 3)
            pdf.set_font(role[("hei", "kai", "title")[level - 1]], size=BODY_PT)
            pdf.justified(text, pdf.epw, LINE, indent=True)
        case Para(text, placeholder):
            pdf.set_font(role["song"], size=BODY_PT)
            with pdf.local_context(text_color=RED if placeholder else (0, 0, 0)):
                pdf.justified(text, pdf.epw, LINE, indent=True)
        case Table():
            _table(pdf, block)
        case Signature((issuer, day)):
            pdf.set_font(role["song"], size=BODY_PT)
            pdf.keep_room(LINE * 3)
            pdf.ln(LINE)
            em = BODY_PT * PT
            indents = signature_indents(issuer, day)
            for text, indent in zip((issuer, day), indents, strict=True):
                pdf.cell(pdf.epw - indent * em, LINE, pdf.guard.clean(text), align="R")
                pdf.ln(LINE)
        case _:
            raise TypeError(f"unknown block {block!r}")


def _note(pdf: ReportPDF, note: Note) -> None:
    pad, h = 3.0, NOTE_PT * PT * 1.6
    inner = pdf.epw - 2 * pad
    pdf.set_font(pdf.role["song"], size=NOTE_PT)
    lines = [pdf.guard.clean(note.title)]
    for line in note.lines:
        lines += pdf.break_lines(pdf.guard.clean(line), inner)
    pdf.ln(2)
    top = pdf.get_y()
    with pdf.local_context(draw_color=GREY, line_width=0.3):
        pdf.rect(LEFT, top, pdf.epw, len(lines) * h + 2 * pad)
    pdf.set_y(top + pad)
    for i, line in enumerate(lines):
        pdf.set_font(pdf.role["hei" if i == 0 else "song"], size=NOTE_PT)
        pdf.set_x(LEFT + pad)
        pdf.cell(inner, h, line, new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(top + len(lines) * h + 2 * pad + LINE / 2)


def _table(pdf: ReportPDF, block: Table) -> None:
    """fpdf2's table repeats the header row on every page it spans; cell
    text is pre-broken with the same rules as the body."""
    total = sum(block.widths)
    widths = [pdf.epw * w / total for w in block.widths]
    pad = 1.2
    pdf.set_font(pdf.role["song"], size=TABLE_PT)

    def cell_text(text: str, width: float) -> str:
        return "\n".join(pdf.break_lines(pdf.guard.clean(text), width - 2 * pad - 0.4))

    heading = FontFace(family=pdf.role["hei"], emphasis="", fill_color=HEADER_FILL)
    with pdf.table(
        col_widths=widths,
        width=pdf.epw,
        line_height=TABLE_PT * PT * 1.45,
        padding=pad,
        text_align="CENTER",
        headings_style=heading,
        wrapmode="CHAR",
        v_align="MIDDLE",
    ) as table:
        head = table.row()
        for text, width in zip(block.header, widths, strict=True):
            head.cell(cell_text(text, width))
        for row in block.rows:
            fill = FILL.get(row.status)
            cells = table.row()
            for i, (text, width) in enumerate(zip(row.cells, widths, strict=True)):
                red = row.status == "red" and i == 4
                style = FontFace(
                    emphasis="",
                    color=RED if red else None,
                    fill_color=fill,
                )
                align = "LEFT" if i in (0, 6) else "CENTER"
                cells.cell(cell_text(text, width), style=style, align=align)
    pdf.ln(LINE / 3)
