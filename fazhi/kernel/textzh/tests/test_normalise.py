import gzip
import json
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fazhi.kernel.textzh import fold, is_traditional, normalise, to_simplified

CORPUS = Path("/work/shared/corpus/laws.jsonl.gz")
PLAN = Path("/work/shared/plans/huangshi-2021-2025.txt")


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        ("最佳化", "优化"),
        ("檔案", "文件"),
        ("程式", "程序"),
        ("行政規範性檔案", "行政规范性文件"),
        ("依法全面最佳化政府職能", "依法全面优化政府职能"),
        ("重大行政決策程式", "重大行政决策程序"),
        ("網際網路+監管", "互联网+监管"),
        ("智慧型高效", "智能高效"),
        ("推行扁平化和格線化管理", "推行扁平化和网格化管理"),
        ("高階人民法院", "高级人民法院"),
    ],
)
def test_taiwan_wording_becomes_mainland_wording(traditional, simplified):
    assert normalise(traditional) == simplified


@pytest.mark.parametrize(
    "text",
    [
        "建立健全行政规范性文件合法性审核机制",
        "未经法定程序不得变更",
        "以政府职能转变为核心",
        "提高行政效能、完善考核指标",
        "申请人民法院强制执行",
        "依法宣告失踪",
        "设定行政许可",
    ],
)
def test_simplified_mainland_text_is_not_rewritten(text):
    assert normalise(text) == text


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        ("建立健全行政規範性檔案", "建立健全行政规范性文件"),
        ("法定程序", "法定程序"),
        ("強制執行", "强制执行"),
        ("考核指標", "考核指标"),
        ("行政效能", "行政效能"),
    ],
)
def test_jargon_entries_of_tw2sp_do_not_corrupt_traditional_prose(
    traditional, simplified
):
    assert normalise(traditional) == simplified


def test_mixed_text_converts_only_traditional_sentences():
    text = "本市建立程序。檔案管理辦法\n规范性文件"
    assert to_simplified(text) == "本市建立程序。文件管理办法\n规范性文件"


def test_width_folding_zero_width_and_whitespace():
    assert normalise("ＡＢＣ１２３，（一）\u3000测试") == "ABC123,(一) 测试"
    assert normalise("行\u200b政\u200c复\u200d议\u2060\ufeff") == "行政复议"
    assert normalise("  行 政  复\n议  abc   def ") == "行政复议 abc def"
    assert normalise("「引號」『單』") == "“引号”‘单’"
    assert normalise("《中华人民共和国行政复议法》鄂发〔2021〕25号。") == (
        "《中华人民共和国行政复议法》鄂发〔2021〕25号。"
    )


def test_every_kind_of_whitespace_collapses_like_a_space():
    # fold turns the rarer separators str.split() knows (form feed from PDF
    # page breaks, U+2028 from Word) into a space, so normalise's fast
    # whitespace test sees them.
    assert normalise("行政\x0c复议\u2028法 a\x85b\x1fc\u2029") == "行政复议法 a b c"
    assert normalise("\x0b\x1c\u2028") == ""
    # Joining across a removed space can make a Taiwan-only word.
    assert normalise("程 式设计，最 佳化") == "程序设计,优化"


def test_kangxi_radicals_from_pdf_extraction_become_ideographs():
    assert normalise("⽂件") == "文件"  # U+2F42 KANGXI RADICAL SCRIPT


def test_characters_outside_the_bmp_pass_through():
    assert normalise("𠀀𪚥") == "𠀀𪚥"
    assert normalise("𠀀 檔案 𪚥") == "𠀀文件𪚥"


def test_empty_and_fold_only():
    assert normalise("") == ""
    assert fold("ＡＢ\u200b") == "AB"


def test_is_traditional():
    assert is_traditional("檔案")
    assert not is_traditional("文件最佳化")


@given(st.text())
def test_normalise_is_idempotent(text):
    once = normalise(text)
    assert normalise(once) == once


def test_huangshi_plan_normalises_to_simplified():
    plan = normalise(PLAN.read_text(encoding="utf-8"))
    assert not is_traditional(plan)
    assert "行政规范性文件" in plan
    assert "建立健全" in plan
    assert "创建健全" not in plan


@pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus not present")
def test_mainland_corpus_text_is_unchanged_and_fast():
    texts = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        for line in f:
            texts.append(json.loads(line)["text"])
            if sum(map(len, texts)) > 500_000:
                break
    start = time.perf_counter()
    changed = sum(
        normalise(p) != fold(p).strip()
        for t in texts
        for p in t.split("\n")
        if p.strip() and " " not in p
    )
    elapsed = time.perf_counter() - start
    assert changed == 0
    assert elapsed < 5  # ~0.1 s measured; generous for slow CI machines


_PLAN_CHARS = sorted(set(PLAN.read_text(encoding="utf-8"))) if PLAN.exists() else ["檔"]


@given(
    st.lists(
        st.sampled_from([*_PLAN_CHARS, " ", "\u3000", "\u200b", "\n", "后", "著"]),
        max_size=40,
    ).map("".join)
)
def test_normalise_is_idempotent_on_traditional_text(text):
    once = normalise(text)
    assert normalise(once) == once
