"""Showing Simplified text in Traditional script (the 繁體 view).

OpenCC `s2t` changes characters only and keeps mainland words, which is what a
mainland government's Traditional view should do (s2twp would rename
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


@lru_cache(maxsize=1)
def _s2t() -> Any:
    return opencc.OpenCC("s2t")


def to_traditional(text: str) -> str:
    """Simplified to Traditional characters; text without Han passes as is."""
    if not _HAN.search(text):
        return text
    return str(_s2t().convert(text))


def html_to_traditional(html: str) -> str:
    """Convert a page's text, attributes and scripts, but not form values."""
    parts = _PROTECTED.split(html)
    # Odd items are the protected matches kept by the capturing split.
    return "".join(p if i % 2 else to_traditional(p) for i, p in enumerate(parts))
