"""Validators for identifiers people type: ID number, credit code, phone number.

Each ``validate_*`` returns the canonical form (what to store) or raises
``django.core.exceptions.ValidationError`` with a Chinese message. Input is
cleaned first, deliberately: full-width digits and letters are folded
(Chinese input methods produce them), zero-width characters are dropped
(copy-paste from web pages carries them), whitespace is removed (people group
long numbers with spaces) and letters are upper-cased (a lower-case x ends
many typed ID numbers).

The validator classes wrap the functions for model and form fields; a model
validator cannot change the stored value, so services and forms should store
what the function returns (``fazhi.kernel.textzh.forms`` fields do).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from .normalise import fold

# --- ID number: GB 11643-1999 -------------------------------------------------

# ISO 7064 MOD 11-2: weight of position i (0-based) is 2**(17-i) mod 11.
ID_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
ID_CHECK_CHARS = "10X98765432"  # indexed by (sum of weighted digits) mod 11

# Province-level codes of GB/T 2260 (first two digits), plus 81/82/83 used by
# the residence permits of Hong Kong, Macao and Taiwan residents.
PROVINCE_CODES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
        "83",
    ]
)
# The 18-digit number came with GB 11643-1999; nobody alive was born before this.
EARLIEST_BIRTH_YEAR = 1900

_ID_RE = re.compile(r"\d{17}[\dX]")
_WS_RE = re.compile(r"\s+")


def _clean(value: Any) -> str:
    """Fold widths, drop zero-width characters and whitespace, upper-case."""
    if value is None:
        return ""
    return _WS_RE.sub("", fold(str(value))).upper()


def id_check_char(first17: str) -> str:
    """The GB 11643 check character for 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


def validate_id_number(value: Any) -> str:
    """Check an 18-digit resident ID number; return it canonical (upper-case X)."""
    s = _clean(value)
    if not s:
        raise ValidationError(_("请填写身份证号码。"), code="required")
    if len(s) != 18:
        raise ValidationError(
            _("身份证号码应为18位，当前为%(n)d位。"),
            code="length",
            params={"n": len(s)},
        )
    if not _ID_RE.fullmatch(s):
        raise ValidationError(
            _("身份证号码前17位应为数字，最后一位应为数字或X。"), code="charset"
        )
    if s[:2] not in PROVINCE_CODES:
        raise ValidationError(_("身份证号码的地区码（前两位）无效。"), code="region")
    try:
        born = date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        born = None
    if born is None or born.year < EARLIEST_BIRTH_YEAR or born > timezone.localdate():
        raise ValidationError(_("身份证号码中的出生日期无效。"), code="birth_date")
    if id_check_char(s[:17]) != s[17]:
        raise ValidationError(_("身份证号码校验位不正确，请核对。"), code="checksum")
    return s


# --- Other identity documents ----------------------------------------------
# Residents of Hong Kong, Macao and Taiwan and foreigners apply too (条例
# art. 27 gives the right to every 公民、法人或者其他组织; foreigners apply
# through the same channels in practice). Their documents are checked by
# form only; the residence permits of HK/MO/TW residents carry a GB 11643
# number and are checked like one.

RESIDENT_ID = "resident_id"
HMT_RESIDENCE = "hmt_residence"
HK_MACAO_PERMIT = "hk_macao_permit"
TAIWAN_PERMIT = "taiwan_permit"
PASSPORT = "passport"
FOREIGN_PR = "foreign_pr"

ID_DOCUMENT_TYPES: tuple[tuple[str, Any], ...] = (
    (RESIDENT_ID, _("居民身份证")),
    (HMT_RESIDENCE, _("港澳台居民居住证")),
    (HK_MACAO_PERMIT, _("港澳居民来往内地通行证")),
    (TAIWAN_PERMIT, _("台湾居民来往大陆通行证")),
    (PASSPORT, _("护照")),
    (FOREIGN_PR, _("外国人永久居留身份证")),
)
_DOCUMENT_PATTERNS = {
    HK_MACAO_PERMIT: (re.compile(r"[HM]\d{8}(\d{2})?"), _("应为H或M加8位或10位数字")),
    TAIWAN_PERMIT: (re.compile(r"\d{8}(\d{2})?"), _("应为8位或10位数字")),
    PASSPORT: (re.compile(r"[A-Z0-9]{5,17}"), _("应为5至17位字母或数字")),
    FOREIGN_PR: (
        re.compile(r"[A-Z]{3}\d{12}|9\d{17}"),
        _("应为15位（3位字母加12位数字）或以9开头的18位数字"),
    ),
}


def validate_id_document(kind: Any, value: Any) -> str:
    """Check the number of an identity document of type `kind`; return it
    canonical. The resident ID and the HK/MO/TW residence permit use
    GB 11643; the others are checked by their printed form."""
    if kind in (RESIDENT_ID, HMT_RESIDENCE):
        return validate_id_number(value)
    rule = _DOCUMENT_PATTERNS.get(kind)
    if rule is None:
        raise ValidationError(_("请选择证件类型。"), code="kind")
    s = _clean(value)
    if not s:
        raise ValidationError(_("请填写证件号码。"), code="required")
    pattern, shape = rule
    if not pattern.fullmatch(s):
        raise ValidationError(
            _("证件号码格式不正确：%(shape)s。"), code="format", params={"shape": shape}
        )
    return s


# --- Unified social credit code: GB 32100-2015 ---------------------------------

# 31 characters: digits and capitals without I, O, Z, S, V (easily misread).
CREDIT_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_CREDIT_RE = re.compile(f"[{CREDIT_CHARSET}]{{2}}\\d{{6}}[{CREDIT_CHARSET}]{{10}}")


def credit_check_char(first17: str) -> str:
    """The GB 32100 check character (MOD 31) for the first 17 characters."""
    total = sum(
        CREDIT_CHARSET.index(c) * w
        for c, w in zip(first17, CREDIT_WEIGHTS, strict=True)
    )
    return CREDIT_CHARSET[(31 - total % 31) % 31]


def validate_credit_code(value: Any) -> str:
    """Check a unified social credit code; return it canonical (upper case)."""
    s = _clean(value)
    if not s:
        raise ValidationError(_("请填写统一社会信用代码。"), code="required")
    if len(s) != 18:
        raise ValidationError(
            _("统一社会信用代码应为18位，当前为%(n)d位。"),
            code="length",
            params={"n": len(s)},
        )
    if not _CREDIT_RE.fullmatch(s):
        raise ValidationError(
            _(
                "统一社会信用代码含有无效字符：只能使用数字和除I、O、Z、S、V以外的"
                "大写字母，第3至8位为行政区划码（数字）。"
            ),
            code="charset",
        )
    if credit_check_char(s[:17]) != s[17]:
        raise ValidationError(
            _("统一社会信用代码校验位不正确，请核对。"), code="checksum"
        )
    return s


# --- Phone numbers -------------------------------------------------------------

# Mobile: 1[3-9] + 9 digits (MIIT numbering plan), optionally after +86/0086/86.
_MOBILE_RE = re.compile(r"(?:\+86|0086|86)?(1[3-9]\d{9})")
# Fixed line with its area code: 010 and 02x are 3 digits, the rest 4 (0714
# Huangshi); the local number is 7 or 8 digits and never starts with 0 or 1.
_FIXED_RE = re.compile(r"(0(?:10|2\d|[3-9]\d\d))([2-9]\d{6,7})")
_PHONE_SEPARATORS_RE = re.compile(r"[\s\-()]")


def validate_phone(value: Any, *, allow_fixed: bool = True) -> str:
    """Check a mainland phone number; return 13812345678 or 0714-6222222.

    Accepted: mobiles with an optional +86 / 0086 prefix, and fixed lines with
    their area code. Separators (spaces, hyphens, brackets) are ignored. Not
    accepted: fixed lines without area code (ambiguous across the city's
    counties), extensions, short codes such as 12345, and 400/800 numbers,
    which do not belong to a person.
    """
    raw = _clean(value)
    if not raw:
        raise ValidationError(_("请填写电话号码。"), code="required")
    s = _PHONE_SEPARATORS_RE.sub("", raw)
    mobile = _MOBILE_RE.fullmatch(s)
    if mobile:
        return mobile.group(1)
    fixed = _FIXED_RE.fullmatch(s)
    if fixed and allow_fixed:
        return f"{fixed.group(1)}-{fixed.group(2)}"
    if allow_fixed:
        message = _("请输入有效的手机号码，或带区号的固定电话（如0714-6222222）。")
    else:
        message = _("请输入有效的11位手机号码。")
    raise ValidationError(message, code="invalid")


# --- Validator classes for model and form fields -------------------------------


@deconstructible
class IdNumberValidator:
    """Model/form validator for resident ID numbers (GB 11643)."""

    def __call__(self, value: Any) -> None:
        validate_id_number(value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, IdNumberValidator)

    def __hash__(self) -> int:
        return hash(type(self))


@deconstructible
class CreditCodeValidator:
    """Model/form validator for unified social credit codes (GB 32100)."""

    def __call__(self, value: Any) -> None:
        validate_credit_code(value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CreditCodeValidator)

    def __hash__(self) -> int:
        return hash(type(self))


@deconstructible
class PhoneValidator:
    """Model/form validator for phone numbers; `mobile_only` refuses fixed lines."""

    def __init__(self, mobile_only: bool = False) -> None:
        self.mobile_only = mobile_only

    def __call__(self, value: Any) -> None:
        validate_phone(value, allow_fixed=not self.mobile_only)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, PhoneValidator) and other.mobile_only == self.mobile_only
        )

    def __hash__(self) -> int:
        return hash((type(self), self.mobile_only))
