"""Showing Simplified text in Traditional script (the 繁體 view).

OpenCC `s2tw` changes characters only, in the variants readers expect (為,
公眾, 審核 rather than s2t's 爲, 公衆, 審覈), and keeps mainland words, which is
what a mainland government's Traditional view should do (s2twp would rename
《政府信息公开条例》 to a title that does not exist). For pages, the values
of form fields are left alone: submitting a form in the Traditional view must
not rewrite what is stored.
"""

import re
from functools import lru_cache
from typing import Any

import opencc

# Form field values and textarea contents are data about to be submitted.
_PROTECTED = re.compile(
    r"(<textarea\b[^>]*>.*?</textarea>|\bvalue=\"[^\"]*\"|\bvalue='[^']*')",
    re.DOTALL | re.IGNORECASE,
)
_HAN = re.compile(r"[\u3400-\u9fff]")


# OpenCC reads 并发 and 并公 as one word (併發 "concurrent"); in our texts
# 并 there is "and": "提交并公布", "并发布到法规查询平台".
HANT_FIXES = {"併發布": "並發布", "併公佈": "並公佈", "併公開": "並公開"}


@lru_cache(maxsize=1)
def _s2t() -> Any:
    return opencc.OpenCC("s2tw")


def fix_hant(text: str) -> str:
    for wrong, right in HANT_FIXES.items():
        if wrong in text:
            text = text.replace(wrong, right)
    return text


def to_traditional(text: str) -> str:
    """Simplified to Traditional characters; text without Han passes as is."""
    if not _HAN.search(text):
        return text
    return fix_hant(str(_s2t().convert(text)))


def html_to_traditional(html: str) -> str:
    """Convert a page's text, attributes and scripts, but not form values."""
    parts = _PROTECTED.split(html)
    # Odd items are the protected matches kept by the capturing split.
    return "".join(p if i % 2 else to_traditional(p) for i, p in enumerate(parts))
