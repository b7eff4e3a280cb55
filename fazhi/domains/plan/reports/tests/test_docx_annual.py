"""The annual report DOCX: opened back with python-docx and read like a reviewer."""

from __future__ import annotations

import io

import docx
import pytest
from docx.oxml.ns import qn

from ..render import (
    INDICATOR_HEADER,
    NO_RESULTS,
    PLACEHOLDER,
    SECTION_TITLES,
    render_annual_docx,
)
from . import samples


def _open(data):
    return docx.Document(io.BytesIO(render_annual_docx(data)))


def _texts(document, style_prefix: str = "") -> list[str]:
    return [
        p.text
        for p in document.paragraphs
        if p.style is not None and p.style.name.startswith(style_prefix)
    ]


def _indicator_table(document):
    for table in document.tables:
        if tuple(c.text for c in table.rows[0].cells) == INDICATOR_HEADER:
            return table
    raise AssertionError("no indicator table")


def _fill(cell) -> str | None:
    shd = cell._tc.tcPr.find(qn("w:shd"))
    return None if shd is None else shd.get(qn("w:fill"))


@pytest.fixture(scope="module")
def data():
    return samples.annual(parts=3, tasks_per_part=3, indicator_count=8)


@pytest.fixture(scope="module")
def document(data):
    return _open(data)


def test_sections_are_word_headings_in_order(document):
    assert _texts(document, "Heading 1") == list(SECTION_TITLES)


def test_each_part_is_a_numbered_subheading_with_its_tasks(document, data):
    assert _texts(document, "Heading 2") == [
        "（一）健全政府机构职能体系",
        "（二）健全依法行政制度體系",
        "（三）健全行政决策制度体系",
    ]
    tasks = [t for part in data.parts for t in part.tasks]
    assert _texts(document, "Heading 3") == [f"{t.number}.{t.title}" for t in tasks]


def test_task_units_progress_and_accepted_results_are_printed(document, data):
    body = "\n".join(_texts(document))
    first = data.parts[0].tasks[0]
    assert "牵头单位：市司法局；配合单位：市政务服务和大数据管理局。" in body
    assert f"进展情况：{first.status_label}，完成进度7%。" in body
    for result in first.results:
        assert result in body
    assert "在陽新縣𠀀𪚥村試點村級合法性審查" in body  # Traditional + non-BMP kept


def test_tasks_without_accepted_reports_say_so(document, data):
    empty = sum(not t.results for part in data.parts for t in part.tasks)
    assert empty == 3
    assert _texts(document).count(NO_RESULTS) == empty


def test_empty_entered_sections_get_a_red_placeholder(document):
    placeholders = [p for p in document.paragraphs if p.text == PLACEHOLDER]
    assert len(placeholders) == 2  # leaders' duties and next year's plan
    for par in placeholders:
        assert par.runs[0].font.color.rgb is not None
        assert str(par.runs[0].font.color.rgb) == "C00000"
    texts = _texts(document)
    after_duties = texts[texts.index(SECTION_TITLES[3]) + 1]
    assert after_duties == PLACEHOLDER
    assert texts[texts.index(SECTION_TITLES[2]) + 1] == "一是部分单位重部署、轻落实。"


def test_no_parts_and_no_indicators_print_placeholders_not_blanks():
    document = _open(samples.annual(parts=0, indicator_count=0))
    texts = _texts(document)
    for title in SECTION_TITLES[:2]:
        assert texts[texts.index(title) + 1] == PLACEHOLDER
    assert not any(
        tuple(c.text for c in t.rows[0].cells) == INDICATOR_HEADER
        for t in document.tables
    )


def test_indicator_table_has_one_row_per_indicator_in_order(document, data):
    table = _indicator_table(document)
    rows = table.rows[1:]
    assert len(rows) == len(data.indicators)
    first, none_row = data.indicators[0], data.indicators[3]
    assert [c.text for c in rows[0].cells] == [
        first.name,
        "%",
        "不低于100",
        first.actual,
        "达标",
        first.agency_name,
        first.basis,
    ]
    assert [c.text for c in rows[3].cells][3:5] == ["—", "未填报"]
    assert none_row.actual == ""
    names = len({row.name for row in data.indicators})
    summary = (
        f"纳入监测的指标共{names}项、数值8个，其中达标2个、预警2个、未达标2个、"
        "未填报2个。"
    )
    assert summary in _texts(document)


def test_red_and_amber_rows_are_shaded_and_others_are_not(document, data):
    table = _indicator_table(document)
    expected = {"red": "F4CCCC", "amber": "FFF2CC", "green": None, "none": None}
    for row, indicator in zip(table.rows[1:], data.indicators, strict=True):
        assert {_fill(c) for c in row.cells} == {expected[indicator.status]}


def test_indicator_header_row_repeats_on_every_page(document):
    header = _indicator_table(document).rows[0]._tr
    assert header.trPr.find(qn("w:tblHeader")) is not None


def test_sixty_indicators_make_sixty_rows():
    document = _open(samples.annual(parts=1, indicator_count=60))
    rows = _indicator_table(document).rows
    assert len(rows) == 61
    assert rows[60].cells[0].text.startswith("第60项监测指标")
    red = [r for r in rows[1:] if r.cells[4].text == "未达标"]
    assert len(red) == 15 and all(_fill(r.cells[0]) == "F4CCCC" for r in red)


def test_cover_note_gives_both_due_dates_with_countdown(document):
    note = document.tables[0].rows[0].cells[0].text
    assert "报送上级：2027年3月1日前（尚余96天）" in note
    assert "依据：《法治政府建设与责任落实督察工作规定》" in note
    assert "向社会公开：2027年4月1日前（尚余127天）" in note


def test_draft_is_marked_in_header_and_under_the_title(document):
    header = document.sections[0].header.paragraphs[0].text
    assert header == "征求意见稿（第3版）"
    assert document.sections[0].even_page_header.paragraphs[0].text == header
    assert "（征求意见稿）" in _texts(document)


def test_final_version_carries_no_draft_marker():
    document = _open(samples.annual(draft=False))
    section = document.sections[0]
    everything = "\n".join(
        [*_texts(document), section.header.paragraphs[0].text]
        + [c.text for t in document.tables for r in t.rows for c in r.cells]
    )
    assert "征求意见稿" not in everything
    assert "第3版 · 定稿" in section.footer.paragraphs[1].text


def test_footer_has_page_field_and_version_line(document):
    footer = document.sections[0].footer
    xml = footer._element.xml
    assert "PAGE" in xml and "— " in footer.paragraphs[0].text
    version = "第3版 · 征求意见稿 · 生成于2026年11月25日 22:05"  # UTC+8
    assert footer.paragraphs[1].text == version
    assert document.settings.odd_and_even_pages_header_footer


def test_page_is_a4_with_gbt9704_margins(document):
    section = document.sections[0]
    sizes = (
        section.page_width,
        section.page_height,
        section.top_margin,
        section.bottom_margin,
        section.left_margin,
        section.right_margin,
    )
    # stored in twentieths of a point, so compare to a tenth of a millimetre
    assert [round(s.mm, 1) for s in sizes] == [210, 297, 37, 35, 28, 26]


def test_chinese_fonts_are_named_for_east_asian_text(document):
    title = document.paragraphs[0]
    # too long for one 二号 line: cut after the year, not "…年度报\n告"
    assert title.text == "黄石市人民政府2026年\n法治政府建设年度报告"
    fonts = title.runs[0]._r.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    assert document.core_properties.title == title.text.replace("\n", "")


def test_signature_closes_the_report_issuer_centred_over_the_date(document):
    issuer, day = document.paragraphs[-2:]
    assert (issuer.text, day.text) == ("黄石市人民政府", "2026年11月25日")
    # date 右空四字 (4 x 16 pt); the 7-character issuer over the 7-em date
    assert day.paragraph_format.right_indent.pt == 64
    assert issuer.paragraph_format.right_indent.pt == 64


def test_table_text_is_five_point_five_fangsong_by_style(document):
    table = _indicator_table(document)
    head = table.rows[0].cells[0].paragraphs[0].style
    body = table.rows[1].cells[0].paragraphs[0].style
    assert (head.name, body.name) == ("报告表头", "报告表格")
    assert body.font.size.pt == 10.5
    assert body.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert head.element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    red = next(r for r in table.rows[1:] if r.cells[4].text == "未达标")
    assert red.cells[4].paragraphs[0].runs[0].font.bold
