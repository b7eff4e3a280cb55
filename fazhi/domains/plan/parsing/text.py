"""Text helpers for the plan parser: a span-preserving matching view, numerals.

The parser has to find things ("不少於", "學時", "（一）", "１．") in text of
either script and width, and report them as spans of the original text. The
kernel's `normalise()` is what matching should compare, but it changes lengths
(tw2sp turns 最佳化 into 优化, 網際網路 into 互联网; whitespace collapses), so
offsets found in its output cannot be mapped back. The parser therefore looks
for structure and keywords in a *view* of the same length as the original:

- `fold()` from the kernel (full-width to half-width, ideographic space to a
  space, Kangxi radicals to ideographs): one character for one character once
  zero-width characters are gone, which `clean_line` removes first;
- then a character-level Traditional -> Simplified table (OpenCC's own
  TWVariantsRev and TSCharacters, first candidate), also one for one.

Every field meant for matching (a target's subject, a unit's name) is then
produced with the kernel's `normalise()` on the original span, which applies
the phrase-level tw2sp conversion; titles and texts stay in the original.
"""

from __future__ import annotations

import itertools
import os
import re
from decimal import Decimal, InvalidOperation
from functools import cache

from fazhi.kernel.textzh.normalise import ZERO_WIDTH, fold

_DROP_ZERO_WIDTH = {ord(c): None for c in ZERO_WIDTH}

# Chinese numeral characters as they appear in numbering and quantities.
CN_DIGITS = "零〇○一二两兩三四五六七八九"
CN_NUMERAL = CN_DIGITS + "十百千"
_DIGIT = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "兩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_MULTIPLIER = {"十": 10, "百": 100, "千": 1000}

# Sentence ends used for lead sentences and target clauses (view characters).
SENTENCE_END = "。!?;"
CLAUSE_END = SENTENCE_END + ","


def clean_line(line: str) -> str:
    """A source line without zero-width characters and surrounding whitespace.

    Zero-width characters are invisible; dropping them keeps `fold()` one for
    one, which the view depends on. Leading ideographic spaces (paragraph
    indentation in official documents) are not content either.
    """
    return line.translate(_DROP_ZERO_WIDTH).strip()


def _opencc_dictionary(name: str) -> dict[str, str]:
    import opencc

    path = os.path.join(os.path.dirname(opencc.__file__), "dictionary", name)
    out: dict[str, str] = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            key, _, values = line.rstrip("\n").partition("\t")
            first = values.split(" ")[0]
            if len(key) == 1 and len(first) == 1:
                out[key] = first
    return out


@cache
def _simplify_table() -> dict[int, str]:
    """Per-character Taiwan variant -> Traditional -> Simplified (built once)."""
    variants = _opencc_dictionary("TWVariantsRev.txt")
    ts = _opencc_dictionary("TSCharacters.txt")
    table: dict[int, str] = {}
    for char in set(variants) | set(ts):
        standard = variants.get(char, char)
        simple = ts.get(standard, standard)
        if simple != char:
            table[ord(char)] = simple
    return table


@cache
def _view_table() -> dict[int, str]:
    """fold() then the character table, composed into one (built once, ~50 ms).

    One `str.translate` per line instead of two: the view is the parser's
    largest fixed cost per character.
    """
    simplify = _simplify_table()
    table: dict[int, str] = {}
    codes = itertools.chain(
        range(0xD800), range(0xE000, 0x10000), range(0x2F800, 0x2FA20)
    )
    for code in codes:
        char = chr(code)
        folded = fold(char)
        if len(folded) != 1:
            continue  # zero-width: clean_line removed them already
        out = simplify.get(ord(folded), folded)
        if out != char:
            table[code] = out
    return table


def view(text: str) -> str:
    """Same-length matching view of cleaned text (see the module docstring)."""
    out = text.translate(_view_table())
    # A guard, not a check on input: the whole parser relies on it.
    assert len(out) == len(text), "matching view must keep offsets"
    return out


def cn_to_int(numeral: str) -> int | None:
    """Chinese numeral to int: 二十五, 十一, 两, 一百, 二〇二五 (digit by digit)."""
    if not numeral:
        return None
    if all(c in _DIGIT for c in numeral):
        value = 0
        for c in numeral:
            value = value * 10 + _DIGIT[c]
        return value
    total, current = 0, 0
    for c in numeral:
        if c in _DIGIT:
            current = _DIGIT[c]
        elif c in _MULTIPLIER:
            total += (current or 1) * _MULTIPLIER[c]
            current = 0
        else:
            return None
    return total + current


def number_value(raw: str) -> str | None:
    """A quantity as a plain decimal string: "60", "95.5"; None if unreadable.

    Accepts ASCII digits (full-width ones are folded already by the view) and
    Chinese numerals with an optional 点 decimal part (九十五点五).
    """
    raw = raw.strip()
    if not raw:
        return None
    if "点" in raw:
        whole, _, frac = raw.partition("点")
        head = cn_to_int(whole) if whole else 0
        if head is None or not frac or any(c not in _DIGIT for c in frac):
            return None
        raw = f"{head}.{''.join(str(_DIGIT[c]) for c in frac)}"
    elif not raw[0].isascii():
        value = cn_to_int(raw)
        return None if value is None else str(value)
    try:
        number = Decimal(raw)
    except InvalidOperation:
        return None
    return format(number.normalize(), "f")


_SPLIT_SENTENCES = re.compile(f"[{re.escape(SENTENCE_END)}\n]+")


def sentence_spans(
    v: str, start: int = 0, end: int | None = None
) -> list[tuple[int, int]]:
    """(start, end) of each sentence of v[start:end], ends excluded, non-empty."""
    end = len(v) if end is None else end
    spans: list[tuple[int, int]] = []
    pos = start
    for m in _SPLIT_SENTENCES.finditer(v, start, end):
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = m.end()
    if end > pos:
        spans.append((pos, end))
    return spans


def lead_end(v: str, start: int = 0) -> int:
    """End of the lead sentence (the title) of the text at v[start:].

    The first 。！？；or a colon ends it; a heading without any of them is its
    own lead sentence.
    """
    best = len(v)
    for mark in "。!?;:":
        i = v.find(mark, start)
        if i != -1 and i < best:
            best = i
    return best


def strip_trailing_punct(text: str) -> str:
    return text.rstrip(" 。.!?;:,，；：！？、")
