import pytest

from fazhi.kernel.textzh import keywords, tokenize
from fazhi.kernel.textzh.segment import (
    LEGAL_DICT,
    build_engine,
    engine,
    idf_weight,
    legal_terms,
)

SAMPLE = "推进行政规范性文件合法性审核，落实双随机一公开和免罚清单，规范行政复议。"


def test_legal_dictionary_has_hundreds_of_terms_without_duplicates():
    terms = [t for t, _ in legal_terms()]
    assert len(terms) >= 300
    assert len(terms) == len(set(terms))
    for term in ["行政复议", "规范性文件", "双随机一公开", "免罚清单", "重大行政决策"]:
        assert term in terms


def test_legal_terms_parser_skips_comments_and_reads_optional_tags(tmp_path):
    path = tmp_path / "dict.txt"
    path.write_text("# comment\n\n行政复议 nz\n备案审查\n", encoding="utf-8")
    assert legal_terms(path) == [("行政复议", "nz"), ("备案审查", None)]
    assert LEGAL_DICT.exists()


@pytest.mark.parametrize("name", ["rjieba", "jieba"])
def test_both_engines_keep_legal_terms_whole(name):
    eng = build_engine(name)
    words = eng.cut("依法开展行政复议和备案审查，落实双随机一公开")
    assert "行政复议" in words
    assert "备案审查" in words
    assert "双随机一公开" in words
    assert eng.has_word("免罚清单")
    assert not eng.has_word("不是一个词语的串")
    assert "双随机一公开" in eng.cut_for_search("双随机一公开")


def test_without_the_user_dictionary_terms_are_split():
    import rjieba

    assert "双随机一公开" not in rjieba.Jieba().cut("落实双随机一公开")


def test_tokenize_gives_search_tokens_with_inner_dictionary_words():
    tokens = tokenize(SAMPLE)
    for token in [
        "行政规范性文件",
        "规范性文件",
        "规范性",
        "规范",
        "文件",
        "合法性审核",
    ]:
        assert token in tokens
    assert "双随机一公开" in tokens and "免罚清单" in tokens
    assert "，" not in tokens and "。" not in tokens


def test_tokenize_normalises_traditional_and_lowercases():
    assert tokenize("行政規範性檔案") == tokenize("行政规范性文件")
    assert "api" in tokenize("API 接口")


def test_tokenize_keeps_repeats_for_term_frequency():
    assert tokenize("行政复议 行政复议").count("行政复议") == 2


def test_keywords_pick_the_topic_not_boilerplate():
    text = (
        "第一条 为了规范行政复议工作，根据行政复议法，制定本条例。"
        "第二条 行政复议机关应当依法审理行政复议申请。申请人可以申请行政复议。"
    )
    top = keywords(text, 3)
    assert top[0] == "行政复议"
    assert "应当" not in keywords(text, 20)
    assert "本条例" not in keywords(text, 20)


def test_keywords_edge_cases():
    assert keywords("行政复议", 0) == []
    assert keywords("", 5) == []
    assert keywords("2021 3.5 。", 5) == []


def test_idf_weight_is_lower_for_common_words():
    assert idf_weight("的") < idf_weight("复议")
    assert idf_weight("双随机一公开") > 0  # unknown words get the median


def test_engine_is_built_once():
    assert engine() is engine()
