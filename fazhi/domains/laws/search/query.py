"""From what a person typed to a query plan both backends can run.

The user's text never reaches MATCH or to_tsquery: it is normalised
(full-width, Traditional and Taiwan wording folded by the kernel), cut into
words with the kernel's segmenter and legal dictionary, and each word becomes
a group "the word, or all of its search-mode parts" so a query word that the
index only holds as parts (or only as a whole) still matches. An everyday
word with a legal wording in colloquial.txt (家暴 -> 家庭暴力) matches that
wording too. Backends quote every token themselves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from fazhi.kernel.textzh import normalise, tokenize
from fazhi.kernel.textzh.segment import engine

from ..parsing import ARTICLE_REF_RE, article_label

MAX_QUERY_CHARS = 200
MAX_GROUPS = 12
_WORDLIKE = re.compile(r"\w")
# Words that carry no subject in a question (怎么办, 哪些规定): dropped unless
# nothing else is left.
_STOP_TEXT = """
的 了 吗 呢 吧 啊 么 和 与 及 或 或者 在 是 有 被 把
对 向 从 为 于 将 就 也 都 我 我们 你 他 她 它 谁 这
那 这个 那个 怎么 怎么办 怎样 如何 什么 哪些 哪个 哪里
多少 多久 可以 能 能否 能不能 会 要 需要 应该 请问 规定
有关 关于 相关 问题 情况 办 办理 法规 条文 内容 全文
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())


@dataclass(frozen=True)
class Group:
    """One query word: matches `word`, or every one of `parts`, or every
    word of one of `alts` (the legal wording of an everyday word)."""

    word: str
    parts: tuple[str, ...] = ()
    alts: tuple[tuple[str, ...], ...] = ()

    @property
    def terms(self) -> tuple[str, ...]:
        return (self.word, *self.parts, *(w for alt in self.alts for w in alt))

    def alone(self) -> Group:
        """The word without its parts (the alternatives stay)."""
        return Group(self.word, (), self.alts)


@dataclass
class QueryPlan:
    text: str  # the normalised query, shown back
    groups: list[Group] = field(default_factory=list)
    article: str = ""  # "第三十三条" when the query names an article
    rest: str = ""  # the query without the article reference

    @property
    def expansions(self) -> list[tuple[str, str]]:
        """(everyday word, legal wording) searched too, to show the user."""
        return [
            (g.word, "、".join("".join(alt) for alt in g.alts))
            for g in self.groups
            if g.alts
        ]

    @property
    def empty(self) -> bool:
        return not self.groups

    def highlight_terms(self) -> list[str]:
        terms = {t for g in self.groups for t in g.terms if len(t) > 1 or g.word == t}
        return sorted(terms, key=len, reverse=True)


def build_plan(raw: str | None) -> QueryPlan:
    text, groups, article, rest = _parse((raw or "")[: MAX_QUERY_CHARS * 2])
    return QueryPlan(text=text, groups=list(groups), article=article, rest=rest)


@lru_cache(maxsize=4096)
def _parse(raw: str) -> tuple[str, tuple[Group, ...], str, str]:
    """Cached: the same few thousand queries come again and again (popular
    laws, the links of the reading pages), and the parse is pure."""
    text = normalise(raw)[:MAX_QUERY_CHARS]
    article = ""
    ref = ARTICLE_REF_RE.search(text)
    if ref:
        article = article_label(ref.group(1), ref.group(2))
        rest = (text[: ref.start()] + " " + text[ref.end() :]).strip()
    else:
        rest = text
    return text, tuple(_groups(rest)), article, rest


def _words(text: str) -> list[str]:
    return [w.lower() for w in engine().cut(text) if w.strip() and _WORDLIKE.search(w)]


# Laws count periods in 日 (七日内, 十五日内); people say 天.
_DAYS_RE = re.compile(r"(\d+|[一二三四五六七八九十百两]+)天")


def _alternatives(word: str, table: dict[str, tuple[tuple[str, ...], ...]]) -> tuple:
    days = _DAYS_RE.fullmatch(word)
    if days:
        return ((days.group(1) + "日",),)
    return table.get(word, ())


def _groups(text: str) -> list[Group]:
    # Everyday words are kept whole, in their place, before segmenting the
    # rest: 退一赔三 would otherwise come apart into characters.
    table, pattern = _colloquial()
    pieces = pattern.split(text)  # odd items: the everyday words found
    words = [
        w for i, piece in enumerate(pieces) if piece
        for w in ([piece] if i % 2 else _words(piece))
    ]  # fmt: skip
    kept = [w for w in words if w not in STOP_WORDS] or words
    groups: list[Group] = []
    seen: set[str] = set()
    for word in kept:
        if word in seen:
            continue
        seen.add(word)
        parts = _cover(word, [t for t in tokenize(word) if t != word])
        # Parts of a short word are single characters: matching them would
        # find nearly everything.
        alts = _alternatives(word, table)
        groups.append(Group(word, parts if len(word) > 2 else (), alts))
        if len(groups) == MAX_GROUPS:
            break
    return groups


COLLOQUIAL = Path(__file__).resolve().parent / "colloquial.txt"


@lru_cache(maxsize=1)
def _colloquial() -> tuple[dict[str, tuple[tuple[str, ...], ...]], re.Pattern[str]]:
    """Everyday word -> the legal wordings it also searches (colloquial.txt),
    and a pattern finding the everyday words, longest first."""
    table: dict[str, list[tuple[str, ...]]] = {}
    for line in COLLOQUIAL.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].split()
        if len(line) < 2:
            continue
        word = normalise(line[0]).lower()
        alt = tuple(w for phrase in line[1:] for w in _words(normalise(phrase)))
        table.setdefault(word, []).append(alt)
    words = sorted(table, key=len, reverse=True)
    pattern = re.compile("(" + ("|".join(map(re.escape, words)) or "(?!)") + ")")
    return {w: tuple(alts) for w, alts in table.items()}, pattern


def _cover(word: str, parts: list[str]) -> tuple[str, ...]:
    """The fewest, longest parts that spell `word` left to right (政府信息公开
    + 条例, not all six sub-words): each extra part is one more posting list
    to intersect, and short parts such as 条例 are in most documents."""
    by_start: dict[int, list[str]] = {}
    for part in set(parts):
        start = word.find(part)
        while start != -1:
            by_start.setdefault(start, []).append(part)
            start = word.find(part, start + 1)
    out: list[str] = []
    pos = 0
    while pos < len(word):
        options = by_start.get(pos)
        if not options:
            return tuple(dict.fromkeys(parts))  # no clean cover: all parts
        best = max(options, key=len)
        out.append(best)
        pos += len(best)
    return tuple(out)
