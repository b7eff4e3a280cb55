"""Normalising Chinese text for matching and indexing.

`normalise()` produces the form that search, de-duplication and keyword
matching compare; callers always keep and show the original text.

What it does, in order, and why:

1. Character folding (C-level replaces and one regex scan):
   - zero-width characters (U+200B..U+200D, U+2060, U+FEFF) are removed: they
     arrive from copy-paste and web forms and would split words invisibly;
   - full-width ASCII (U+FF01..U+FF5E) becomes half-width, *including*
     full-width punctuation (，；：（）！？): for matching, "（一）" and "(一)" must
     be the same, and users type either;
   - the ideographic space U+3000 and other Unicode spaces become a space;
   - Kangxi radicals, CJK radical supplements and CJK compatibility
     ideographs become the unified ideograph (PDF text extraction often yields
     "⽂" U+2F42 for "文");
   - Taiwan-style corner quotes 「」『』 become “”‘’ (GB/T 15834 usage).
   CJK punctuation with meaning of its own (。、《》〔〕【】“”) is kept: 《》 mark
   titles of laws and 〔〕 document numbers, which parsers rely on.
   Characters outside the BMP (𠀀, 𪚥, Extension B+) pass through untouched.
   We do not apply full NFKC: it would also rewrite ①, ㈠, ™ and similar
   characters that carry meaning in official documents.
2. Whitespace between two Han characters is removed (Chinese does not separate
   words with spaces; spaces there are letter-spacing or PDF line wraps), other
   whitespace runs collapse to one space, and the ends are stripped.
3. OpenCC ``tw2sp`` (Traditional, Taiwan wording -> Simplified, mainland
   wording: 最佳化 -> 优化, 檔案 -> 文件, 程式 -> 程序), applied only to the
   sentences that contain a Traditional-only character. Running tw2sp on text
   that is already Simplified is destructive: its phrase table maps IT jargon
   (建立 -> 创建, 文件 -> 文档, 程序 -> 进程), so mainland law text would come out
   as "规范性文档" and "行政进程". The Traditional-only set is every character
   OpenCC converts to something else that is not also a Simplified character;
   over 3 M characters of mainland law text it matched two characters.
   Even in Traditional text a few phrase entries hurt government prose (the
   Huangshi plan has 建立 19 times, meaning "establish"), so ``_KEEP_AS_IS``
   removes them from the phrase table; see there for the list and reasons.

Throughput (bench/bench_tokenize.py, one core, law text in paragraphs):
Simplified text skips OpenCC and normalises at about 16 M characters/s (the
five commonest full-width marks fold by str.replace and the rest by a regex
scan; the Traditional test is a GB 2312 encode plus one regex scan that also
looks for Taiwan-only words; the whitespace steps run only on text that has
whitespace);
Traditional text is bounded by the pure-Python OpenCC at about 0.12 M
characters/s (a 17,000-character plan takes 0.15 s). The converter is built
once per process (about 0.2 s) and cached.
"""

from __future__ import annotations

import os
import re
import unicodedata
from functools import cache
from typing import Any

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"

# Unicode spaces other than ASCII whitespace that should count as one space.
_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
_SPACES += "\u2009\u200a\u202f\u205f\u3000"

# The other characters str.split() breaks on; folded to a space so that
# `normalise` can test for whitespace with four substring scans (a space, as
# tw2sp must not see a new sentence where the old code saw none).
_LINE_SEPARATORS = "\x0b\x0c\x1c\x1d\x1e\x1f\x85\u2028\u2029"

# Han ideographs: URO, Extension A, compatibility, and the supplementary planes.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
_HAN_GAP_RE = re.compile(f"(?<=[{_HAN}])\\s+(?=[{_HAN}])")
_WS_RE = re.compile(r"\s+")
# Sentence ends and line breaks: the unit for deciding whether text is Traditional.
_SENTENCE_RE = re.compile(r"([。!?;！？；\n]+)")

# TWPhrasesRev entries that are IT jargon and wrong in government prose; tw2sp
# would otherwise turn them into the right-hand word. Keeping the Taiwan word
# lets the character table convert it (執行 -> 执行).
_KEEP_AS_IS = {
    "建立": "创建: 建立健全 is the commonest phrase of every plan",
    "程序": "进程: in legal text 程序 is procedure (行政程序)",
    "文件": "文档: 规范性文件 is a legal term",
    "核心": "内核",
    "文字": "文本",
    "通道": "信道",
    "新增": "添加",
    "宣告": "声明: 宣告失踪, 宣告破产 are legal terms",
    "整合": "集成",
    "工作列": "任务栏: 工作列入 -> 任务栏入",
    "互動": "交互: 政民互动",
    "序列": "串行",
    "模擬": "仿真: 模拟演练",
    "資料": "数据: 材料和资料",
    "檢視": "查看: 检视问题",
    "查詢": "查找: 信息查询",
    "設定": "设置: 设定行政许可 (行政许可法 art. 14)",
    "執行": "运行: 强制执行",
    "呼叫": "调用: 呼叫中心",
    "聯絡": "联系: 联络员",
    "智慧": "智能: 智慧城市, 智慧政务",
    "效能": "性能: 行政效能",
    "批次": "批量",
    "開啟": "打开: 开启新征程",
    "複製": "拷贝: 可复制可推广",
    "線上": "在线: 线上线下",
    "離線": "脱机",
    "指標": "指针: 考核指标",
    "通訊": "通信: 通讯地址",
    "儲存": "保存: 储存 is the mainland word for storing goods",
    "內建": "内置: 区内建设 -> 区内置设",
    "進階": "高端",
    "啟用": "激活: 启用印章",
    "簡報": "演示文稿",
}

# Phrases OpenCC lacks, seen when mainland text went through s2twp (the Huangshi
# plan has 智慧型 and 格線化; 高级人民法院 comes back as 高階人民法院).
_EXTRA_PHRASES = {
    "智慧型": "智能",
    "格線": "網格",
    "社群": "社區",
    "新增劑": "添加劑",
    "高階": "高級",
}

# Taiwan words that are (almost) never mainland wording, so they are converted
# even in a sentence without Traditional-only characters: "最佳化" or "程式"
# typed alone must still match. Each occurs at most 3 times in the 19.7 M
# characters of mainland law text in /work/shared/corpus.
_TW_ONLY_WORDS = [
    "最佳化",
    "程式",
    "演算法",
    "人工智慧",
    "伺服器",
    "介面卡",
    "位元",
    "位址",
    "光碟",
    "函式",
    "列印",
    "字串",
    "字元",
    "快取",
    "晶片",
    "滑鼠",
    "登入",
    "登出",
    "硬碟",
    "磁碟",
    "部落格",
    "解析度",
    "重新整理",
    "表示式",
    "介面",
    "智慧型",
    "格線",
    "高階",
]


def _build_table() -> dict[int, Any]:
    table: dict[int, Any] = {ord(c): None for c in ZERO_WIDTH}
    for code in range(0xFF01, 0xFF5F):
        table[code] = code - 0xFEE0
    for space in _SPACES:
        table[ord(space)] = " "
    for separator in _LINE_SEPARATORS:
        table[ord(separator)] = " "
    table.update({ord("「"): "“", ord("」"): "”", ord("『"): "‘", ord("』"): "’"})
    blocks = (range(0x2E80, 0x2FE0), range(0xF900, 0xFB00), range(0x2F800, 0x2FA20))
    for block in blocks:
        for c in block:
            folded = unicodedata.normalize("NFKC", chr(c))
            if folded != chr(c) and len(folded) == 1:
                table[c] = folded
    return table


_TABLE = _build_table()


def _char_class(codes: list[int]) -> str:
    """A regex character class of `codes`, runs written as ranges."""
    runs: list[list[int]] = []
    for c in sorted(codes):
        if runs and c == runs[-1][1] + 1:
            runs[-1][1] = c
        else:
            runs.append([c, c])
    body = "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in runs
    )
    return f"[{body}]"


# str.translate looks every character up in the table (about 10 M chars/s on
# law text); a regex scan finds the two or three per paragraph that change
# (a full-width comma, mostly) three times faster, with the same result.
_FOLD_RE = re.compile(_char_class(list(_TABLE)))
_FOLDED = {
    chr(k): "" if v is None else chr(v) if isinstance(v, int) else v
    for k, v in _TABLE.items()
}


def _fold_one(m: re.Match[str]) -> str:
    return _FOLDED[m.group()]


def fold(text: str) -> str:
    """Step 1 only: width folding and zero-width removal; length may shrink."""
    # A regex callback per match is slow, and law text has a full-width comma
    # every 40 characters: these five make 98 % of all matches, and
    # str.replace does them in C (fold runs about three times faster).
    r = str.replace
    text = r(r(r(r(r(text, "，", ","), "；", ";"), "（", "("), "）", ")"), "：", ":")
    if _FOLD_RE.search(text) is None:
        return text
    return _FOLD_RE.sub(_fold_one, text)


def _dictionary_path(name: str) -> str:
    import opencc

    return os.path.join(os.path.dirname(opencc.__file__), "dictionary", name)


@cache
def _converter() -> Any:
    """The tw2sp converter with the jargon entries removed (built once).

    Two threads racing here at start-up may both build one; either is fine.
    """
    from opencc import OpenCC

    cc = OpenCC("tw2sp")
    max_len, _min_len, phrases = cc.dict_cache[_dictionary_path("TWPhrasesRev.txt")]
    for word in _KEEP_AS_IS:
        phrases.pop(word, None)
    assert all(len(k) <= max_len for k in _EXTRA_PHRASES)
    phrases.update(_EXTRA_PHRASES)
    return cc


@cache
def _tw_words() -> tuple[re.Pattern[str], dict[str, str]]:
    cc = _converter()
    words = sorted(_TW_ONLY_WORDS, key=len, reverse=True)
    return re.compile("|".join(words)), {w: cc.convert(w) for w in words}


@cache
def _traditional_chars() -> frozenset[str]:
    """Characters that only Traditional text uses (see the module docstring).

    A frozenset, not a regex class: `isdisjoint` over a paragraph is about 8x
    faster than searching a 4,000-character class.
    """

    def load(name: str) -> dict[str, str]:
        with open(_dictionary_path(name), encoding="utf-8") as f:
            pairs = (line.rstrip("\n").split("\t") for line in f)
            return {k: v.split(" ")[0] for k, v in pairs}

    ts, st = load("TSCharacters.txt"), load("STCharacters.txt")
    return frozenset(k for k, v in ts.items() if len(k) == 1 and v != k and k not in st)


@cache
def _in_gb2312() -> re.Pattern[str]:
    """The Traditional-only characters that GB 2312 can encode (乾 於 後 and a
    dozen more), as a regex class."""
    found = []
    for c in _traditional_chars():
        try:
            c.encode("gb2312")
        except UnicodeEncodeError:
            continue
        found.append(ord(c))
    return re.compile(_char_class(found) if found else "(?!)")


@cache
def _gb2312_hint() -> re.Pattern[str]:
    """One scan for anything `to_simplified` might change in GB 2312 text:
    those Traditional-only characters or a Taiwan-only word.

    Written as single-character alternatives, not a class, so that every
    branch starts with a literal and the regex engine skips ahead by a set
    of first characters (a class would make it try every position).
    """
    chars = sorted(c for c in _traditional_chars() if _encodes_gb2312(c))
    words = sorted(_TW_ONLY_WORDS, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, [*words, *chars])))


def _encodes_gb2312(text: str) -> bool:
    try:
        text.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def is_traditional(text: str) -> bool:
    """True if `text` contains a character used only in Traditional Chinese.

    Text that encodes as GB 2312 (the Simplified set; nearly every mainland
    paragraph) can hold only the few Traditional-only characters GB 2312
    also has, so those are all that is looked for; the codec runs in C,
    about five times faster than testing each character against the set.
    """
    if _encodes_gb2312(text):
        return _in_gb2312().search(text) is not None
    return not _traditional_chars().isdisjoint(text)


def to_simplified(text: str) -> str:
    """tw2sp on each sentence that is Traditional; Simplified ones are kept.

    A text without any Traditional-only character gets only the Taiwan-only
    words replaced (最佳化 -> 优化); a mixed text keeps its Simplified
    sentences and their Taiwan-only words (rare enough not to matter).
    """
    if _encodes_gb2312(text):
        # Nearly every mainland paragraph ends here, after two C-level scans.
        if _gb2312_hint().search(text) is None:
            return text
        if _in_gb2312().search(text) is None:
            return _replace_tw_words(text)
    elif _traditional_chars().isdisjoint(text):
        return _replace_tw_words(text)
    trad = _traditional_chars()
    cc = _converter()
    parts = _SENTENCE_RE.split(text)
    # Odd items are the separators kept by the capturing split.
    return "".join(
        cc.convert(p) if i % 2 == 0 and not trad.isdisjoint(p) else p
        for i, p in enumerate(parts)
    )


def _replace_tw_words(text: str) -> str:
    words, simplified = _tw_words()
    # A search first: `sub` with a callable costs twice a search even when
    # nothing matches, and nothing matches in almost all text.
    if words.search(text) is None:
        return text
    return words.sub(lambda m: simplified[m.group()], text)


def _has_whitespace(text: str) -> bool:
    """Whitespace test for folded text, four memchr scans instead of a split:
    `fold` has turned every other Unicode space and separator into a space."""
    return " " in text or "\n" in text or "\t" in text or "\r" in text


def normalise(text: str) -> str:
    """The Simplified, width-folded, whitespace-collapsed form for matching."""
    if not text:
        return ""
    text = fold(text)
    if not _has_whitespace(text):  # about half of all law paragraphs
        return to_simplified(text)
    parts = text.split()
    if not parts:
        return ""
    # Simplified text: the Taiwan-word replacement does not care where the
    # whitespace was, so both whitespace steps are one split and join (the
    # "第一条 为了" of every article) instead of two regex passes.
    joined = _join_words(parts)
    if _encodes_gb2312(joined) and _gb2312_hint().search(joined) is None:
        return joined  # the common case, decided without a second scan
    if is_traditional(text):
        # tw2sp goes by sentence, and a line break ends one: keep the order.
        text = to_simplified(_HAN_GAP_RE.sub("", text))
        return _WS_RE.sub(" ", text).strip()
    return to_simplified(joined)


def _join_words(parts: list[str]) -> str:
    """Whitespace-split `parts` joined again: nothing between two ideographs,
    one space elsewhere."""
    out = parts[0]
    for part in parts[1:]:
        out += part if _is_han(out[-1]) and _is_han(part[0]) else " " + part
    return out


def _is_han(c: str) -> bool:
    return (
        "\u4e00" <= c <= "\u9fff"
        or "\u3400" <= c <= "\u4dbf"
        or "\uf900" <= c <= "\ufaff"
        or "\U00020000" <= c <= "\U0003ffff"
    )
