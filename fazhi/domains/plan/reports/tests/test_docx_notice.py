"""The 督办通知 DOCX: every fact of the notice data appears where a 公文 puts it."""

from __future__ import annotations

import io
from datetime import date

import docx
from docx.oxml.ns import qn

from ..render import render_supervision_docx
from . import samples


def _paragraphs(data) -> list[str]:
    document = docx.Document(io.BytesIO(render_supervision_docx(data)))
    return [p.text for p in document.paragraphs]


def test_notice_has_issuer_number_title_and_recipient_in_order():
    texts = [t for t in _paragraphs(samples.notice()) if t]
    assert texts[:4] == [
        "黄石市法治政府建设领导小组办公室",
        "黄法办督〔2026〕3号",
        "关于督办第16项任务\n“提升行政应诉工作”的通知",  # 词意完整 when cut
        "市生态环境局：",
    ]


def test_body_quotes_the_plan_and_states_milestone_problem_and_reply_date():
    body = "\n".join(_paragraphs(samples.notice()))
    assert "《黄石市法治政府建设实施方案（2021-2025年）》任务分工" in body
    assert "你单位负责第16项任务“提升行政应诉工作”" in body
    assert "原文为：“認真落實行政機關負責人出庭應訴制度，出庭應訴率達100%。”" in body
    assert "该任务的“第三季度出庭应诉情况报送”节点应于2026年10月31日前完成" in body
    assert "截至目前仍未报送进展情况，已逾期25天。" in body
    assert "请你单位立即组织核查，补报第三季度进展情况及佐证材料，" in body
    assert "并于2026年12月5日前将办理情况书面报送我办。" in body
    assert "联系人：张三　电话：0714-6221234" in body


def test_issuer_and_chinese_date_sign_off_then_the_imprint():
    texts = [t for t in _paragraphs(samples.notice()) if t]
    assert texts[-4:] == [
        "黄石市法治政府建设领导小组办公室",
        "2026年11月25日",
        "抄送：市人民政府办公室。",
        "黄石市法治政府建设领导小组办公室\t2026年11月25日印发",
    ]


def test_milestone_without_due_date_and_no_copies():
    data = samples.notice(
        milestone_due=None, copy_to=[], plan_title="", issued_on=date(2027, 1, 5)
    )
    body = "\n".join(_paragraphs(data))
    assert "该任务的“第三季度出庭应诉情况报送”节点，截至目前" in body
    assert "应于" not in body
    assert "根据实施方案任务分工" in body
    assert "抄送" not in body
    assert "2027年1月5日印发" in body


def test_issuer_line_is_red_and_number_has_the_red_rule():
    document = docx.Document(io.BytesIO(render_supervision_docx(samples.notice())))
    head, number = document.paragraphs[:2]
    assert str(head.runs[0].font.color.rgb) == "E00000"
    rule = number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert rule.get(qn("w:color")) == "E00000"
    # pBdr must precede jc in pPr or Word refuses the file
    tags = [child.tag for child in number._p.pPr]
    assert tags.index(qn("w:pBdr")) < tags.index(qn("w:jc"))
