"""Reading plan files: encodings accepted, and bad input refused in Chinese."""

import codecs
from pathlib import Path

import pytest

from fazhi.domains.plan.parsing import (
    PlanInputError,
    parse_plan,
    parse_plan_file,
    read_plan_bytes,
)

PLANS = Path(__file__).parent / "fixtures" / "plans"
REFERENCE = PLANS / "huangshi-2021-2025.txt"
SIMPLIFIED = PLANS / "simplified-fullwidth.txt"


def _error(data: bytes, name: str = "plan.txt") -> str:
    with pytest.raises(PlanInputError) as info:
        read_plan_bytes(data, name)
    assert info.value.message == str(info.value)
    return info.value.message


def test_utf8_with_and_without_bom():
    text = SIMPLIFIED.read_text(encoding="utf-8")
    assert read_plan_bytes(text.encode("utf-8")) == text
    assert read_plan_bytes(codecs.BOM_UTF8 + text.encode("utf-8")) == text


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_bom(encoding):
    text = REFERENCE.read_text(encoding="utf-8")
    data = text.encode(encoding)
    if encoding != "utf-16":  # the plain codec writes its own BOM
        data = (
            codecs.BOM_UTF16_LE if encoding.endswith("le") else codecs.BOM_UTF16_BE
        ) + data
    assert read_plan_bytes(data) == text


def test_utf16_file_parses_like_the_utf8_one(tmp_path):
    path = tmp_path / "huangshi-2021-2025.txt"
    path.write_bytes(REFERENCE.read_text(encoding="utf-8").encode("utf-16"))
    assert parse_plan_file(path).as_json() == parse_plan_file(REFERENCE).as_json()


def test_gbk_file_parses_like_the_utf8_one(tmp_path):
    text = SIMPLIFIED.read_text(encoding="utf-8")
    data = text.encode("gbk")
    assert data != text.encode("utf-8")
    path = tmp_path / "simplified-fullwidth.txt"
    path.write_bytes(data)
    from_gbk = parse_plan_file(path)
    assert from_gbk.as_json() == parse_plan_file(SIMPLIFIED).as_json()
    assert from_gbk.title == "黄石市法治政府建设实施方案（2021—2025年）"
    assert len(from_gbk.of_kind("task")) == 5


def test_gb18030_and_big5():
    text = "一、主要任務\n1.落實行政執法三項制度。出庭應訴率100%。\n"
    assert read_plan_bytes("一、主要任务\n𠀀".encode("gb18030")) == "一、主要任务\n𠀀"
    # Big5 bytes also decode as GB18030, to private-use noise; that is refused
    # and Big5 is tried.
    assert read_plan_bytes(text.encode("big5")) == text


@pytest.mark.parametrize(
    "data", [b"", b"  \r\n\n\t", codecs.BOM_UTF8, codecs.BOM_UTF16_LE]
)
def test_empty_file_is_refused(data):
    message = _error(data, "空白.txt")
    assert "“空白.txt”" in message and "空" in message


def test_binary_with_nul_bytes_is_refused():
    message = _error(bytes(range(256)) * 8)
    assert "二进制" in message and "NUL" in message


def test_undecodable_bytes_are_refused():
    data = bytes((i * 37 + 11) % 255 + 1 for i in range(4000))
    assert b"\x00" not in data
    message = _error(data)
    assert "无法按 UTF-8、GBK/GB18030 或 Big5 编码读取" in message


def test_mostly_control_characters_are_refused():
    message = _error(("一、任务\x01\x02\x03\x04\x05\x06" * 50).encode("utf-8"))
    assert "大部分不是文字" in message


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF 文件"),
        (b"PK\x03\x04\x14\x00\x06\x00", "Word（.docx）"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Word（.doc）"),
        (b"\x89PNG\r\n\x1a\n", "PNG 图片"),
    ],
)
def test_office_documents_and_images_are_refused_with_advice(data, kind):
    message = _error(data, "方案.docx")
    assert kind in message and "另存为" in message


def test_a_news_article_is_not_a_plan():
    text = (PLANS / "news-article.txt").read_text(encoding="utf-8")
    with pytest.raises(PlanInputError) as info:
        parse_plan(text)
    assert "未识别出方案结构" in info.value.message
    with pytest.raises(PlanInputError):
        parse_plan_file(PLANS / "news-article.txt")


def test_blank_text_and_missing_file():
    with pytest.raises(PlanInputError, match="空"):
        parse_plan(" \n\u3000\n")
    with pytest.raises(PlanInputError, match="不存在"):
        parse_plan_file(PLANS / "no-such-plan.txt")
    with pytest.raises(PlanInputError, match="目录"):
        parse_plan_file(PLANS)


def test_line_endings_zero_width_and_indentation_do_not_matter():
    text = REFERENCE.read_text(encoding="utf-8")
    odd = "\r\n".join(
        "\u3000\u3000" + line.replace("執法", "執\u200b法") for line in text.split("\n")
    )
    a, b = parse_plan(text), parse_plan(odd)
    assert [(n.kind, n.number, n.line) for n in a.walk()] == [
        (n.kind, n.number, n.line) for n in b.walk()
    ]
    assert a.as_json() == b.as_json()
