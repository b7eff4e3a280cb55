"""Masking personal data for public pages and exports (DESIGN.md "Chinese text").

ID 420***********1234, mobile 138****5678, name 张*三 / 李*. Masking never
raises: it is applied to whatever is stored, valid or not.

``mask_text`` finds ID numbers and mobile numbers inside free text (a 12345
request, a disclosure reply) and masks them. It masks anything shaped like an
ID number, whether or not its checksum is right: a mistyped ID number is
still personal data. Fixed-line numbers are left alone unless asked for,
because the ones in public texts are mostly office numbers printed to be
called (联系电话：0714-6222222).
"""

from __future__ import annotations

import re

from .normalise import ZERO_WIDTH, fold


def _mask_middle(s: str, head: int, tail: int) -> str:
    if len(s) <= head + tail:
        return "*" * len(s)
    return s[:head] + "*" * (len(s) - head - tail) + s[len(s) - tail :]


def _compact(value: str) -> str:
    return re.sub(r"[\s\-()]", "", fold(value)).upper()


def mask_id_number(value: str) -> str:
    """420202199001011234 -> 420***********1234 (first 3 and last 4 kept)."""
    return _mask_middle(_compact(value or ""), 3, 4)


def mask_phone(value: str) -> str:
    """13812345678 -> 138****5678; 0714-6222222 -> 0714-***2222.

    A +86 / 0086 prefix is dropped; anything else keeps its first 3 and last 4.
    """
    s = _compact(value or "")
    m = re.fullmatch(r"(?:\+86|0086|86)?(1\d{10})", s)
    if m:
        return _mask_middle(m.group(1), 3, 4)
    m = re.fullmatch(r"(0(?:10|2\d|[3-9]\d\d))(\d{7,8})", s)
    if m:
        return f"{m.group(1)}-{_mask_middle(m.group(2), 0, 4)}"
    return _mask_middle(s, 3, 4)


def mask_name(value: str) -> str:
    """张晓三 -> 张*三, 李四 -> 李*, 欧阳娜娜 -> 欧**娜; the middle dot of
    names such as 买买提·艾力 is kept."""
    name = (value or "").strip()
    if len(name) <= 1:
        return "*" * len(name)
    if len(name) == 2:
        return name[0] + "*"
    middle = "".join("·" if c == "·" else "*" for c in name[1:-1])
    return name[0] + middle + name[-1]


# Patterns run on a folded copy of the text in which every character still
# sits at a known index of the original (see `_fold_with_index`).
# re.ASCII: \d is 0-9 only; full-width digits were folded beforehand.
_ID_IN_TEXT_RE = re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])", re.ASCII)
_MOBILE_IN_TEXT_RE = re.compile(
    r"(?<![0-9A-Za-z+])(?:(?:\+|00)?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?!\d)",
    re.ASCII,
)
_AREA = r"0(?:10|2\d|[3-9]\d\d)"
_FIXED_IN_TEXT_RE = re.compile(
    rf"(?<!\d)(?:\({_AREA}\)|{_AREA})[ -]?[2-9]\d{{6,7}}(?!\d)", re.ASCII
)
_ZW_RE = re.compile(f"[{ZERO_WIDTH}]")


def _fold_with_index(text: str) -> tuple[str, list[int] | None]:
    """Folded text and, if zero-width characters were dropped, each char's index.

    Folding is one character for one character apart from the zero-width ones,
    so without them the indexes are unchanged (the common, fast case).
    """
    if not _ZW_RE.search(text):
        return fold(text), None
    index = [i for i, c in enumerate(text) if c not in ZERO_WIDTH]
    return fold(text), index


def mask_text(text: str, *, fixed_lines: bool = False) -> str:
    """`text` with ID numbers and mobile numbers (and fixed lines if asked) masked.

    Full-width digits, zero-width characters inside a number, a +86 prefix and
    spaces or hyphens between digit groups do not hide a number from it.
    """
    if not text:
        return text or ""
    folded, index = _fold_with_index(text)
    spans: list[tuple[int, int, str]] = []
    patterns = [(_ID_IN_TEXT_RE, mask_id_number), (_MOBILE_IN_TEXT_RE, mask_phone)]
    if fixed_lines:
        patterns.append((_FIXED_IN_TEXT_RE, mask_phone))
    # Every pattern is fenced by "no digit before, no digit after", so two
    # matches can never overlap and the spans can be replaced independently.
    for pattern, mask in patterns:
        for m in pattern.finditer(folded):
            start, end = m.start(), m.end()
            if index is not None:
                start, end = index[start], index[end - 1] + 1
            spans.append((start, end, mask(m.group())))
    out = []
    pos = 0
    for start, end, masked in sorted(spans):
        out.append(text[pos:start])
        out.append(masked)
        pos = end
    out.append(text[pos:])
    return "".join(out)
