"""Split a law's text into chapters, sections and articles (第X条).

The corpus text is Markdown: ``#``-headings for 编/章/节 and one paragraph
per 条, later paragraphs (款, 项) belonging to the article above them. Plain
texts without ``#`` are read the same way: a short paragraph "第二章 总则" is
a heading. Article numbers are Chinese numerals (第一百零一条) with the
inserted articles of an amendment (第十条之一); Arabic numbers (第33条) are
accepted too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
_UNITS = {"十": 10, "百": 100, "千": 1000}
NUMERAL = r"[零〇一二两三四五六七八九十百千\d]+"
_SUFFIX = r"(?:之[一二三四五六七八九十]+)?"
# An article starts a paragraph: 第X条 then a space (the corpus writes one
# space or U+3000) or the end of the paragraph.
# Traditional texts write 條/節/編; labels are always stored Simplified.
ARTICLE_RE = re.compile(rf"^第({NUMERAL})[条條]({_SUFFIX})(?:[ \u3000\t]+|$)")
HEADING_RE = re.compile(rf"^第{NUMERAL}[编章节編節](?:[ \u3000]+\S.*)?$")
ARTICLE_REF_RE = re.compile(rf"第\s*({NUMERAL})\s*[条條]({_SUFFIX})")


def cn_to_int(numeral: str) -> int | None:
    """一百零一 → 101, 十五 → 15, 33 → 33; None when it is not a number."""
    if numeral.isdigit():
        return int(numeral)
    total, current = 0, 0
    for ch in numeral:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        elif ch in _UNITS:
            total += (current or 1) * _UNITS[ch]
            current = 0
        else:
            return None
    return total + current


def int_to_cn(n: int) -> str:
    """101 → 一百零一, 15 → 十五, 10 → 十 (the way laws number articles)."""
    if n <= 0:
        return "零"
    digits = "零一二三四五六七八九"
    parts: list[str] = []
    zero = False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, n = divmod(n, unit)
        if d:
            if zero:
                parts.append("零")
                zero = False
            parts.append(digits[d] + name)
        elif parts:
            zero = True
    out = "".join(parts)
    return out[1:] if out.startswith("一十") else out


def article_label(numeral: str, suffix: str = "") -> str:
    """The canonical label: 第33条 → 第三十三条, keeps 之一."""
    value = cn_to_int(numeral)
    body = int_to_cn(value) if value is not None else numeral
    return f"第{body}条{suffix}"


@dataclass
class ParsedArticle:
    number: str
    heading: str
    text: str


def _heading_level(line: str) -> int:
    for level, chars in enumerate(("编編", "章", "节節")):
        if re.match(rf"^第{NUMERAL}[{chars}]", line):
            return level
    return 3  # a heading without a 编/章/节 number (附则, 附录 ...)


def split_articles(text: str) -> list[ParsedArticle]:
    """Articles in order; the text before the first article is a preamble
    (number ""), and a text without any 第X条 is one unnumbered article."""
    out: list[ParsedArticle] = []
    path: list[tuple[int, str]] = []
    current: ParsedArticle | None = None
    preamble: list[str] = []

    def heading() -> str:
        return " / ".join(title for _, title in path)

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            title = re.sub(r"\s+", " ", line.lstrip("#").strip())
            if title:
                level = _heading_level(title)
                path = [p for p in path if p[0] < level] + [(level, title)]
            current = None
            continue
        match = ARTICLE_RE.match(line)
        if match:
            current = ParsedArticle(
                article_label(match.group(1), match.group(2)),
                heading(),
                line,
            )
            out.append(current)
            continue
        if len(line) <= 40 and HEADING_RE.match(line):
            title = re.sub(r"\s+", " ", line)
            level = _heading_level(title)
            path = [p for p in path if p[0] < level] + [(level, title)]
            current = None
            continue
        if current is not None:
            current.text += "\n" + line
        elif out:
            # A paragraph after a heading but before the next article (a
            # chapter's lead text): it belongs to the article before it.
            out[-1].text += "\n" + line
        else:
            preamble.append(line)
    if not out:
        # No 第X条 at all (a case summary, a short decision): one text, its
        # headings kept as lines.
        lines = [ln.strip().lstrip("#").strip() for ln in text.splitlines()]
        return [ParsedArticle("", "", "\n".join(ln for ln in lines if ln))]
    if preamble:
        out.insert(0, ParsedArticle("", "", "\n".join(preamble)))
    return out
