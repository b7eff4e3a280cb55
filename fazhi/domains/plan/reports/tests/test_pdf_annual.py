"""The annual report PDF: fonts embedded, text extractable, tables paginated.

Rendering embeds real CJK fonts (fonts-noto-cjk, installed by
scripts/system-deps.sh), so each document is rendered once per module.
"""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from ..fonts import SEARCH
from ..render import PLACEHOLDER, SECTION_TITLES, render_annual_pdf
from . import samples

RED_FILL = "0.9569 0.8 0.8 rg"  # (244, 204, 204), the red-row shading
AMBER_FILL = "1 0.949 0.8 rg"


def _pages(pdf: bytes) -> list[str]:
    """Extracted text per page, whitespace removed: pypdf puts spaces (or NULs,
    where character spacing justifies a line) between CJK glyphs that
    pdftotext reads back as plain text."""
    reader = PdfReader(io.BytesIO(pdf))
    return [re.sub(r"[\s\x00]+", "", page.extract_text()) for page in reader.pages]


def _fonts(pdf: bytes) -> dict[str, set[str]]:
    """BaseFont -> which FontFile streams embed it, over all pages."""
    found: dict[str, set[str]] = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            files = {k for k in descriptor if k.startswith("/FontFile")}
            found[str(font["/BaseFont"])] = files
    return found


@pytest.fixture(scope="module")
def data():
    return samples.annual(parts=3, tasks_per_part=3, indicator_count=60)


@pytest.fixture(scope="module")
def pdf(data):
    return render_annual_pdf(data)


@pytest.fixture(scope="module")
def pages(pdf):
    return _pages(pdf)


@pytest.fixture(scope="module")
def final_pdf():
    return render_annual_pdf(samples.annual(draft=False, parts=1, indicator_count=4))


def test_output_is_a_pdf_with_embedded_subset_cjk_fonts(pdf):
    assert pdf.startswith(b"%PDF-")
    fonts = _fonts(pdf)
    assert fonts, "no fonts"
    for name, files in fonts.items():
        assert files & {"/FontFile2", "/FontFile3"}, f"{name} is not embedded"
        assert "+" in name  # a subset, not the whole 20 MB font
    assert any("CJK" in name or "AR PL" in name or "ARPL" in name for name in fonts)


def test_text_extracts_with_every_heading_and_task(pages, data):
    text = "".join(pages)
    assert "黄石市人民政府2026年法治政府建设年度报告" in text
    for title in SECTION_TITLES:
        assert title in text
    for part in data.parts:
        for task in part.tasks:
            assert f"{task.number}.{task.title}" in text
    assert "（二）健全依法行政制度體系" in text  # Traditional renders
    assert "在陽新縣" in text


def test_empty_sections_show_the_placeholder(pages):
    text = "".join(pages)
    assert text.count(PLACEHOLDER) == 2
    assert "本年度暂无经审核的进展报告。" in text


def test_due_dates_and_version_are_on_the_page(pages):
    assert "报送上级：2027年3月1日前" in pages[0]
    assert "向社会公开：2027年4月1日前" in pages[0]
    assert "第3版·征求意见稿·生成于2026年11月25日22:05" in pages[0]


def test_long_indicator_table_breaks_across_pages_repeating_its_header(pages):
    assert len(pages) > 3
    with_header = [p for p in pages if "责任单位" in p and "完成情况" in p]
    assert len(with_header) >= 3  # 60 rows take several pages
    text = "".join(pages)
    for i in (1, 30, 60):
        assert f"第{i}项监测指标" in text
    assert text.index("第60项监测指标") > text.index("第1项监测指标")


def test_red_and_amber_rows_are_shaded(pdf):
    reader = PdfReader(io.BytesIO(pdf))
    content = "".join(
        page.get_contents().get_data().decode("latin-1") for page in reader.pages
    )
    assert content.count(RED_FILL) >= 15  # 15 red rows of 60, every cell filled
    assert content.count(AMBER_FILL) >= 15


def test_non_bmp_character_prints_a_visible_mark_and_is_logged(data, caplog):
    with caplog.at_level(logging.WARNING, logger="fazhi.domains.plan.reports.fonts"):
        text = "".join(_pages(render_annual_pdf(samples.annual(parts=1))))
    assert "在陽新縣〓〓村" in text
    assert any("U+20000" in r.getMessage() for r in caplog.records)
    assert any("U+2A6A5" in r.getMessage() for r in caplog.records)


def test_draft_has_marker_and_watermark_final_has_neither(pages, final_pdf):
    assert "征求意见稿（第3版）" in pages[1]  # the running header
    final = _pages(final_pdf)
    assert not any("征求意见稿" in page for page in final)
    assert "第3版·定稿" in final[0]


def test_page_numbers_in_dash_form(pages):
    for number, page in enumerate(pages, start=1):
        assert f"—{number}—" in page


def test_font_setting_picks_the_body_font(settings, final_pdf):
    noto_sans = Path(SEARCH["hei"][0][0])
    if not noto_sans.is_file():
        pytest.skip("fonts-noto-cjk not installed")
    settings.FAZHI_PDF_FONT = f"{noto_sans}#3"  # the Traditional (TC) face
    pdf = render_annual_pdf(samples.annual(draft=False, parts=1, indicator_count=1))
    assert any(name.endswith("NotoSansCJKTC") for name in _fonts(pdf))
    assert not any(name.endswith("NotoSerifCJKSC") for name in _fonts(pdf))


def test_a_body_font_without_chinese_falls_back_to_the_cjk_fonts(monkeypatch):
    latin = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if not latin.is_file():
        pytest.skip("fonts-dejavu-core not installed")
    monkeypatch.setenv("FAZHI_PDF_FONT", str(latin))
    pdf = render_annual_pdf(samples.annual(draft=False, parts=1, indicator_count=1))
    assert SECTION_TITLES[0] in "".join(_pages(pdf))
    names = _fonts(pdf)
    assert any("DejaVuSans" in name for name in names)
    assert any("CJK" in name for name in names)


def test_reusing_parsed_fonts_gives_the_same_bytes_as_parsing_afresh(monkeypatch):
    from .. import pdf_annual

    data = samples.annual(draft=False, parts=1, indicator_count=2)
    warm = render_annual_pdf(data)
    monkeypatch.setattr(pdf_annual, "_PARSED", {})
    assert render_annual_pdf(data) == warm
    assert pdf_annual._PARSED, "the fresh parse is kept for the next PDF"
