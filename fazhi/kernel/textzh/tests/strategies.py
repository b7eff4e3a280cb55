"""Hypothesis strategies producing valid identifiers (check character computed)."""

from datetime import date

from hypothesis import strategies as st

from fazhi.kernel.textzh.validators import (
    CREDIT_CHARSET,
    PROVINCE_CODES,
    credit_check_char,
    id_check_char,
)

digits = st.text(alphabet="0123456789", min_size=1, max_size=1)


@st.composite
def id_numbers(draw: st.DrawFn) -> str:
    province = draw(st.sampled_from(sorted(PROVINCE_CODES)))
    area = draw(st.text(alphabet="0123456789", min_size=4, max_size=4))
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2020, 12, 31)))
    seq = draw(st.text(alphabet="0123456789", min_size=3, max_size=3))
    first17 = f"{province}{area}{born:%Y%m%d}{seq}"
    return first17 + id_check_char(first17)


@st.composite
def credit_codes(draw: st.DrawFn) -> str:
    head = draw(st.text(alphabet=CREDIT_CHARSET, min_size=2, max_size=2))
    region = draw(st.text(alphabet="0123456789", min_size=6, max_size=6))
    body = draw(st.text(alphabet=CREDIT_CHARSET, min_size=9, max_size=9))
    first17 = head + region + body
    return first17 + credit_check_char(first17)


def substitutions(s: str, alphabet: str):
    """Every string differing from `s` in exactly one position."""
    for i, original in enumerate(s):
        for c in alphabet:
            if c != original:
                yield s[:i] + c + s[i + 1 :]


def transpositions(s: str):
    """Every adjacent transposition of `s` that changes it."""
    for i in range(len(s) - 1):
        t = s[:i] + s[i + 1] + s[i] + s[i + 2 :]
        if t != s:
            yield t
