"""Font discovery, missing-glyph marks, Chinese line breaking, formatting helpers."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from .. import fonts
from ..fonts import FontNotFoundError, GlyphGuard, find_fonts, parse_font_spec
from ..pdf_annual import NO_LINE_END, NO_LINE_START, ReportPDF
from ..render import (
    Outline,
    balanced_lines,
    cn_date,
    cn_datetime,
    cn_number,
    paragraphs,
    signature_indents,
)


@pytest.fixture(scope="module")
def pdf():
    doc = ReportPDF(Outline("t"), find_fonts(""))
    doc.add_page()
    doc.set_font(doc.role["song"], size=16)
    return doc


def test_missing_fonts_name_the_debian_packages(monkeypatch):
    monkeypatch.setattr(
        fonts, "SEARCH", {role: [("/nonexistent/x.ttc", "")] for role in fonts.SEARCH}
    )
    with pytest.raises(FontNotFoundError, match="fonts-noto-cjk"):
        find_fonts("")


def test_a_wrong_font_setting_is_an_error_not_a_silent_fallback(tmp_path):
    with pytest.raises(FontNotFoundError, match=r"FAZHI_PDF_FONT.*no such file"):
        find_fonts(str(tmp_path / "missing.ttf"))
    with pytest.raises(FontNotFoundError, match=r"not a \.ttf"):
        parse_font_spec(str(tmp_path / "font.pdf"))
    with pytest.raises(FontNotFoundError, match="needs a number"):
        parse_font_spec(f"{fonts.SEARCH['song'][0][0]}#x")


def test_collections_resolve_to_the_simplified_chinese_face():
    found = find_fonts("")
    if found.song.path.name == "NotoSerifCJK-Regular.ttc":
        assert found.song.index == 2  # JP, KR, SC, TC, HK


def test_guard_marks_only_what_no_font_has(caplog):
    guard = GlyphGuard(find_fonts("").all_faces())
    assert guard.clean("依法行政，陽新縣。ABC 100%") == "依法行政，陽新縣。ABC 100%"
    assert guard.clean("甲𠀀乙𠀀") == "甲〓乙〓"
    assert guard.missing == {"𠀀"}
    assert len([r for r in caplog.records if "U+20000" in r.getMessage()]) == 1
    assert guard.clean("葛\U000e0100") == "葛"  # an ideographic variation selector


TEXT = (
    "组织开展“法治政府建设示范创建”活动，推动（市、县、乡）三级联动，"
    "全年办结行政复议案件1234件，纠错率12.5%，《行政复议法》宣传覆盖率100%。"
    "下一步，将持续加强行政执法“三项制度”落实，确保2026-2027年度目标如期完成。"
) * 3


@pytest.mark.parametrize("chars", [7.3, 9, 11.5, 13, 17, 20.5, 26, 27.7])
def test_lines_obey_chinese_line_break_rules(pdf, chars):
    width = chars * 16 * 25.4 / 72
    lines = pdf.break_lines(TEXT, width)
    assert "".join(lines) == TEXT
    for line in lines[1:]:
        assert line[0] not in NO_LINE_START, line
    for line in lines[:-1]:
        assert line[-1] not in NO_LINE_END, line
        assert pdf.width_of(line) <= width + 1e-6
    runs = ("1234", "12.5%", "100%", "2026-2027")
    assert all(any(run in line for line in lines) for run in runs)


def test_last_line_never_holds_a_single_character(pdf):
    width = 10 * 16 * 25.4 / 72  # ten characters
    lines = pdf.break_lines("一二三四五六七八九十甲", width)
    assert [len(line) for line in lines] == [9, 2]


def test_long_latin_run_is_split_only_when_longer_than_a_line(pdf):
    url = "https://www.huangshi.gov.cn/zwgk/fdzdgknr/fzzfjs/" * 2
    lines = pdf.break_lines(url, 40)
    assert "".join(lines) == url and len(lines) > 1


def test_chinese_numbers_and_dates():
    assert [cn_number(n) for n in (1, 9, 10, 11, 20, 25, 99)] == [
        "一",
        "九",
        "十",
        "十一",
        "二十",
        "二十五",
        "九十九",
    ]
    assert cn_date(date(2026, 11, 5)) == "2026年11月5日"
    # 2026-12-31 20:30 UTC is already 1 January in Shanghai
    late = datetime(2026, 12, 31, 20, 30, tzinfo=UTC)
    assert cn_date(late) == "2027年1月1日"
    assert cn_datetime(late) == "2027年1月1日 04:30"


def test_entered_text_splits_into_paragraphs_without_indents():
    assert paragraphs("\u3000\u3000一是加强。\n\n  二是完善。\r\n") == [
        "一是加强。",
        "二是完善。",
    ]
    assert paragraphs(" \n\u3000") == []


def test_long_titles_are_cut_evenly_at_phrase_boundaries():
    assert balanced_lines("短标题", 19) == ["短标题"]
    assert balanced_lines("黄石市人民政府2026年法治政府建设年度报告", 19) == [
        "黄石市人民政府2026年",
        "法治政府建设年度报告",
    ]
    assert balanced_lines("关于督办第16项任务“提升行政应诉工作”的通知", 19) == [
        "关于督办第16项任务",
        "“提升行政应诉工作”的通知",
    ]
    long = (
        "关于督办第3项任务“全面推行行政执法公示制度执法全过程记录制度"
        "重大执法决定法制审核制度”的通知"
    )
    lines = balanced_lines(long, 19)
    assert "".join(lines) == long and len(lines) == 3
    assert max(map(len, lines)) - min(map(len, lines)) <= 2


def test_issuer_is_centred_over_a_date_that_sits_four_characters_in():
    assert signature_indents("黄石市人民政府", "2026年11月25日") == (4.0, 4.0)
    # a longer issuer overhangs the date equally on both sides, down to 0
    assert signature_indents("黄石市法治政府建设领导小组办公室", "2026年1月5日") == (
        0.0,
        4.0,
    )
