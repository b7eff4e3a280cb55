from fazhi.domains.laws.parsing import (
    article_label,
    cn_to_int,
    int_to_cn,
    split_articles,
)


def test_chinese_numerals_round_trip_as_laws_write_them():
    for n, text in [(1, "一"), (10, "十"), (15, "十五"), (33, "三十三"),
                    (101, "一百零一"), (110, "一百一十"), (1000, "一千"),
                    (1260, "一千二百六十")]:  # fmt: skip
        assert int_to_cn(n) == text
        assert cn_to_int(text) == n
    assert cn_to_int("两百") == 200
    assert cn_to_int("abc") is None


def test_article_label_is_canonical_for_arabic_and_suffixes():
    assert article_label("33") == "第三十三条"
    assert article_label("十", "之一") == "第十条之一"


TEXT = """中华人民共和国某某法

（2020年1月1日通过）

# 第一编 总则

## 第一章 一般规定

第一条 为了规范。

第二条 本法适用于：

（一）甲；

（二）乙。

### 第一节 细则

第十条之一 插入的条文。

## 第二章 附则

第一百零一条 本法自公布之日起施行。
"""


def test_split_keeps_paragraphs_chapters_sections_and_inserted_articles():
    arts = split_articles(TEXT)
    assert [a.number for a in arts] == [
        "", "第一条", "第二条", "第十条之一", "第一百零一条",
    ]  # fmt: skip
    assert arts[0].text.startswith("中华人民共和国某某法")
    assert arts[2].text.endswith("（二）乙。")
    assert arts[2].heading == "第一编 总则 / 第一章 一般规定"
    assert arts[3].heading == "第一编 总则 / 第一章 一般规定 / 第一节 细则"
    # A new chapter closes the section.
    assert arts[4].heading == "第一编 总则 / 第二章 附则"


def test_split_reads_traditional_and_plain_headings():
    arts = split_articles("第一章　總則\n\n第一條　為了規範。\n\n第二條　適用。")
    assert [a.number for a in arts] == ["第一条", "第二条"]
    assert arts[0].heading == "第一章 總則"


def test_text_without_articles_is_one_unnumbered_article():
    arts = split_articles("## 基本案情\n\n某甲诉某乙。\n\n## 裁判结果\n\n驳回。")
    assert len(arts) == 1
    assert arts[0].number == ""
    assert "基本案情" in arts[0].text and "驳回。" in arts[0].text


def test_article_number_inside_a_sentence_does_not_start_an_article():
    arts = split_articles("第一条 依照本法第二条规定处理。\n第三条规定的情形除外。")
    assert [a.number for a in arts] == ["第一条"]
