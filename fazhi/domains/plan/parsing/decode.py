"""Reading an uploaded plan file: bytes to text, or a clear refusal.

Plans arrive as whatever the office's editor saved: UTF-8 (with a BOM from
Windows Notepad), UTF-16 ("Unicode" in Notepad), GBK/GB18030 (the default
"ANSI" of Chinese Windows), now and then Big5 from a Traditional source. A
Word or PDF file is refused with advice rather than parsed as noise.
"""

from __future__ import annotations

import codecs
import re

from .model import PlanInputError

# Checked in order: UTF-32 before UTF-16 (FF FE 00 00 starts with FF FE).
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Magic numbers of the formats people upload instead of text.
_FORMATS = (
    (b"%PDF", "PDF 文件"),
    (b"PK\x03\x04", "Word（.docx）或其他压缩格式文件"),
    (b"\xd0\xcf\x11\xe0", "Word（.doc）或 Excel（.xls）文件"),
    (b"{\\rtf", "RTF 格式文件"),
    (b"\x89PNG", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF8", "GIF 图片"),
)
_SAVE_AS = "请在编辑软件中“另存为”纯文本（.txt，UTF-8 编码）后再导入。"

# Characters that do not occur in a typed text: C0/C1 controls other than
# whitespace, and the private use area, where GB18030 puts the bytes of a
# Big5 file's punctuation (which is how a Big5 file betrays itself).
_NON_TEXT = re.compile(
    "[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ue000-\uf8ff\U000f0000-\U0010ffff\ufffd]"
)
_MAX_NON_TEXT = 0.01


def _looks_like_text(text: str) -> bool:
    if not text.strip():
        return True  # judged as empty later
    bad = len(_NON_TEXT.findall(text))
    return bad <= _MAX_NON_TEXT * len(text)


def read_plan_bytes(data: bytes, name: str = "") -> str:
    """Decode a plan file; raise PlanInputError saying what is wrong with it.

    UTF-8 (with or without BOM), UTF-16/32 with a BOM, then GB18030 (a
    superset of GBK and GB2312), then Big5. Line ends are left as they are.
    """
    label = f"“{name}”" if name else "文件"
    if not data or not data.strip(b" \t\r\n\x0b\x0c"):
        raise PlanInputError(f"{label}是空的，没有可读取的方案文本。")
    for magic, kind in _FORMATS:
        if data.startswith(magic):
            raise PlanInputError(f"{label}是{kind}，不是纯文本。{_SAVE_AS}")

    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                raise PlanInputError(
                    f"{label}以 {encoding.upper()} 标记开头，但内容无法按该编码读取，"
                    f"文件可能已损坏。{_SAVE_AS}"
                ) from None
            return _checked(text.lstrip("\ufeff"), label)

    if b"\x00" in data:
        raise PlanInputError(
            f"{label}含有二进制内容（NUL 字节），不是纯文本文件。"
            f"如为不带 BOM 的 UTF-16 文本，{_SAVE_AS}"
        )
    decoded = None
    for encoding in ("utf-8", "gb18030", "big5"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return _checked(text, label)
        decoded = decoded or text
    if decoded is not None:
        return _checked(decoded, label)
    raise PlanInputError(
        f"{label}无法按 UTF-8、GBK/GB18030 或 Big5 编码读取为文字，"
        f"可能是二进制文件或编码已损坏。{_SAVE_AS}"
    )


def _checked(text: str, label: str) -> str:
    if not text.strip():
        raise PlanInputError(f"{label}是空的，没有可读取的方案文本。")
    if not _looks_like_text(text):
        raise PlanInputError(f"{label}大部分不是文字（含控制字符或乱码），{_SAVE_AS}")
    return text
