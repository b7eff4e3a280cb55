"""Checking uploaded files: count, size, and the type read from the content.

A file's name and its declared content type are the sender's claims; the
first bytes are not. A renamed executable or an HTML page called "scan.pdf"
is refused. Each domain binds its own limits and accepted kinds:

    check_uploads(files, accept=("pdf", "jpeg", "png"), max_files=5,
                  max_bytes=10 * 1024 * 1024, field="attachments")
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

# What each kind is called when a refusal lists what may be sent.
KIND_LABELS = {
    "pdf": "PDF",
    "jpeg": "JPG",
    "png": "PNG",
    "docx": "DOCX",
    "xlsx": "XLSX",
    "ofd": "OFD",
    "ole": "DOC/XLS",
}


KIND_MIME = {
    "pdf": "application/pdf",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ofd": "application/ofd",
    "ole": "application/x-ole-storage",
}


@dataclass(frozen=True)
class CheckedFile:
    name: str
    kind: str  # a key of KIND_LABELS
    data: bytes
    sha256: str

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def mime(self) -> str:
        return KIND_MIME[self.kind]


def _zip_kind(data: bytes) -> str | None:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except zipfile.BadZipFile:
        return None
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        return "docx"
    if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
        return "xlsx"
    if "OFD.xml" in names:  # GB/T 33190 版式文件
        return "ofd"
    return None


def sniff(data: bytes) -> str | None:
    """The file kind from its content, or None when it is none we know."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"  # legacy Word/Excel
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    return None


def _read(upload: Any, limit: int) -> tuple[str, bytes]:
    """(name, bytes) from a Django UploadedFile or a (name, bytes) pair; reads
    at most one byte past the limit, so a huge upload is not held in memory."""
    if isinstance(upload, tuple):
        name, data = upload
        return str(name), bytes(data[: limit + 1])
    if hasattr(upload, "seek"):
        upload.seek(0)
    return str(upload.name), upload.read(limit + 1)


def accepted_label(accept: Iterable[str]) -> str:
    return "、".join(KIND_LABELS[k] for k in accept)


def check_uploads(
    uploads: list[Any],
    *,
    accept: tuple[str, ...],
    max_files: int,
    max_bytes: int,
    field: str = "attachments",
    already: int = 0,
) -> list[CheckedFile]:
    """Validate every upload; a ValidationError on `field` names the file."""
    total = already + len(uploads)
    if total > max_files:
        raise ValidationError({field: f"附件最多 {max_files} 个，本次共 {total} 个"})
    out = []
    for upload in uploads:
        name, data = _read(upload, max_bytes)
        name = name.replace("\\", "/").rsplit("/", 1)[-1][:200] or "附件"
        if len(data) > max_bytes:
            raise ValidationError(
                {field: f"附件“{name}”超过 {max_bytes // (1024 * 1024)}MB 的大小限制"}
            )
        if not data:
            raise ValidationError({field: f"附件“{name}”是空文件"})
        kind = sniff(data)
        if kind not in accept:
            raise ValidationError(
                {field: f"附件“{name}”的文件内容不是 {accepted_label(accept)} 格式"}
            )
        out.append(CheckedFile(name, kind, data, hashlib.sha256(data).hexdigest()))
    return out
