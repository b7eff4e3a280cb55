"""Word segmentation for search indexing and keyword matching.

Engine: rjieba (jieba-rs, Rust), with jieba's dictionary and a legal user
dictionary (``data/legal_dict.txt``, loaded with ``add_word``).

Why rjieba, measured by bench/bench_tokenize.py on 1.5 M characters of
/work/shared/corpus law text, both engines with the same 448-term user
dictionary (numbers in docs/textzh.md):

- search-mode segmentation: jieba ~0.48 M chars/s, rjieba ~5.7 M chars/s
  (about 12x); start-up 0.6 s (jieba builds its prefix dict) vs 0.08 s;
- identical output: every one of the 25,836 paragraphs segments the same in
  precise and in search mode;
- the user dictionary works in both: rjieba has no ``load_userdict`` but has
  ``add_word(word, freq, tag)``, which with ``freq=None`` suggests a frequency
  high enough to keep the word whole, like jieba's.

rjieba has no TF-IDF, so ``keywords`` scores with jieba's own IDF table
(``jieba/analyse/idf.txt``) over rjieba's words; jieba stays a dependency for
that file and as the fallback engine where no rjieba wheel exists.

Index tokens (``tokenize``) are search-mode tokens plus every dictionary word
of four or more characters inside a longer word: jieba's search mode only
adds 2- and 3-character sub-words, so 行政规范性文件 would not otherwise be
found by a query for 规范性文件.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from functools import cache
from itertools import chain
from pathlib import Path
from typing import Protocol

from .normalise import normalise

DATA_DIR = Path(__file__).resolve().parent / "data"
LEGAL_DICT = DATA_DIR / "legal_dict.txt"

# A token worth indexing has a letter, digit or ideograph in it.
_WORDLIKE_RE = re.compile(r"\w")


class Engine(Protocol):
    """What we use of a jieba-compatible segmenter."""

    def cut(self, text: str) -> list[str]: ...
    def cut_for_search(self, text: str) -> list[str]: ...
    def has_word(self, word: str) -> bool: ...


class _RJieba:
    def __init__(self) -> None:
        import rjieba

        self._j = rjieba.Jieba()

    def add_word(self, word: str, tag: str | None) -> None:
        self._j.add_word(word, None, tag)

    def cut(self, text: str) -> list[str]:
        return self._j.cut(text)

    def cut_for_search(self, text: str) -> list[str]:
        return self._j.cut_for_search(text)

    def has_word(self, word: str) -> bool:
        return self._j.has_word(word)


class _Jieba:
    def __init__(self) -> None:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        self._j = jieba.Tokenizer()
        self._j.initialize()

    def add_word(self, word: str, tag: str | None) -> None:
        self._j.add_word(word, tag=tag)

    def cut(self, text: str) -> list[str]:
        return self._j.lcut(text)

    def cut_for_search(self, text: str) -> list[str]:
        return self._j.lcut_for_search(text)

    def has_word(self, word: str) -> bool:
        return bool(self._j.FREQ.get(word))


ENGINES: dict[str, type[_RJieba] | type[_Jieba]] = {
    "rjieba": _RJieba,
    "jieba": _Jieba,
}


def legal_terms(path: Path = LEGAL_DICT) -> list[tuple[str, str | None]]:
    """(term, tag) pairs of the user dictionary; `#` lines are comments."""
    terms = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if parts and not parts[0].startswith("#"):
            terms.append((parts[0], parts[1] if len(parts) > 1 else None))
    return terms


def build_engine(name: str = "rjieba") -> _RJieba | _Jieba:
    """A fresh engine of the given kind with the legal dictionary loaded."""
    engine = ENGINES[name]()
    for term, tag in legal_terms():
        engine.add_word(term, tag)
    return engine


@cache
def engine() -> _RJieba | _Jieba:
    """The process-wide engine: rjieba, or jieba if rjieba cannot be imported."""
    try:
        return build_engine("rjieba")
    except ImportError:  # pragma: no cover - rjieba ships wheels for our targets
        return build_engine("jieba")


class _Expansions(dict[str, tuple[str, ...]]):
    """segmenter token -> the index tokens it stands for: () for punctuation,
    (lower-cased token,) or that plus its inner dictionary words.

    Law text reuses a small vocabulary, so after the first few thousand
    articles nearly every token is a dictionary hit and `tokenize` runs its
    whole per-token step in C (map + chain) instead of a regex search, a
    lower() and an append per token: that step used to cost more than the
    Rust segmenter itself. Bounded: cleared when it grows past MAX.
    """

    MAX = 500_000

    def __missing__(self, token: str) -> tuple[str, ...]:
        if not _WORDLIKE_RE.search(token):
            out: tuple[str, ...] = ()
        elif len(token) > 4:
            out = (token.lower(), *_inner_words(engine(), token))
        else:
            out = (token.lower(),)
        if len(self) >= self.MAX:
            self.clear()
        self[token] = out
        return out


_EXPANSIONS = _Expansions()


def tokenize(text: str) -> list[str]:
    """Index tokens of `text`: normalised, search mode, lower-cased, no punctuation.

    Order follows the text; a token may repeat (callers counting term
    frequency need the repeats).
    """
    tokens = engine().cut_for_search(normalise(text))
    return list(chain.from_iterable(map(_EXPANSIONS.__getitem__, tokens)))


def index_text(text: str) -> str:
    """The tokens of `tokenize(text)` as the one space-joined string a search
    index stores, made without the per-token Python step.

    Equal for an index whose own tokenizer lower-cases and splits on
    punctuation (SQLite FTS5 unicode61, PostgreSQL's 'simple' parser): the
    punctuation tokens are left in (they are separators there) and the case
    is left to the index; the inner dictionary words of long tokens come at
    the end instead of after their token (only positions differ, which
    single-token matching and bm25 do not use).
    """
    return _index_string(engine().cut_for_search(normalise(text)))


def _index_string(tokens: list[str]) -> str:
    joined = " ".join(tokens)
    inner = [w for t in tokens if len(t) > 4 for w in _EXPANSIONS[t][1:]]
    return f"{joined} {' '.join(inner)}" if inner else joined


def _inner_words(eng: Engine, token: str) -> list[str]:
    """Dictionary words of 4+ characters strictly inside `token`."""
    n = len(token)
    return [
        token[i : i + size]
        for size in range(n - 1, 3, -1)
        for i in range(n - size + 1)
        if eng.has_word(token[i : i + size])
    ]


@cache
def _idf() -> tuple[dict[str, float], float]:
    """jieba's IDF table and its median, used for words missing from it."""
    import jieba.analyse

    path = Path(jieba.analyse.__file__).resolve().parent / "idf.txt"
    table: dict[str, float] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        word, _, value = line.partition(" ")
        table[word] = float(value)
    values = sorted(table.values())
    return table, values[len(values) // 2]


_BOILERPLATE_WORDS = (
    "应当 或者 以及 其他 有关 本条例 本办法 本法 规定 进行 按照 依照 根据 "
    "可以 不得 以上 以下 之日起 组织 单位 工作 相关 部门 单位和个人 "
    # Verbs every plan uses on every line; they say nothing about the topic.
    "加强 落实 完善 推进 健全 深化 全面 坚持 积极 进一步 提升 提高 推动 "
    "强化 实施 开展 建立 建立健全 切实 不断 着力 大力"
)
_BOILERPLATE = frozenset(_BOILERPLATE_WORDS.split())


@cache
def _stop_words() -> frozenset[str]:
    import jieba.analyse

    return frozenset(jieba.analyse.default_tfidf.stop_words) | _BOILERPLATE


def keywords(text: str, k: int = 10) -> list[str]:
    """The `k` most characteristic words of `text` (TF-IDF), best first.

    Single characters, numbers and legal boilerplate (应当, 或者, 本条例 ...)
    are skipped. Ties keep the order of first appearance.
    """
    if k <= 0:
        return []
    idf, median = _idf()
    stop = _stop_words()
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for i, word in enumerate(engine().cut(normalise(text))):
        if len(word) < 2 or word in stop or not _WORDLIKE_RE.search(word):
            continue
        if word.replace(".", "").isdigit():
            continue
        counts[word] += 1
        first.setdefault(word, i)
    total = sum(counts.values()) or 1
    scored = sorted(
        counts,
        key=lambda w: (-counts[w] / total * idf.get(w, median), first[w]),
    )
    return scored[:k]


def idf_weight(word: str) -> float:
    """IDF of a word (median for unknown words); exposed for rankers."""
    idf, median = _idf()
    return idf.get(word, median)


__all__ = [
    "ENGINES",
    "build_engine",
    "engine",
    "idf_weight",
    "index_text",
    "keywords",
    "legal_terms",
    "tokenize",
]
