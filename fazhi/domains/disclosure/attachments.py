"""Attachment checks: size, count, and the type read from the content.

A file's name and its declared content type are the sender's claims; the
first bytes are not. A renamed executable or an HTML page is refused even
when it is called "scan.pdf".
"""

import hashlib
import io
import zipfile
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

from .rules import MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS

ALLOWED_LABEL = "PDF、JPG、PNG、DOCX、OFD"


@dataclass(frozen=True)
class CheckedFile:
    name: str
    kind: str  # pdf, jpeg, png, docx, ofd
    data: bytes
    sha256: str

    @property
    def size(self) -> int:
        return len(self.data)


def sniff(data: bytes) -> str | None:
    """The file type from its content, or None when it is not one we accept."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            return None
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            return "docx"
        if "OFD.xml" in names:
            return "ofd"
    return None


def _read(upload: Any) -> tuple[str, bytes]:
    """(name, bytes) from a Django UploadedFile or a (name, bytes) pair; reads
    at most one byte past the limit, so a huge upload is not held in memory."""
    if isinstance(upload, tuple):
        name, data = upload
        return str(name), bytes(data[: MAX_ATTACHMENT_BYTES + 1])
    upload.seek(0)
    return str(upload.name), upload.read(MAX_ATTACHMENT_BYTES + 1)


def check_files(uploads: list[Any], *, already: int = 0) -> list[CheckedFile]:
    """Validate every upload; ValidationError on the `attachments` field."""
    total = already + len(uploads)
    if total > MAX_ATTACHMENTS:
        raise ValidationError(
            {"attachments": f"附件最多 {MAX_ATTACHMENTS} 个，本次共 {total} 个"}
        )
    out = []
    for upload in uploads:
        name, data = _read(upload)
        name = name.replace("\\", "/").rsplit("/", 1)[-1][:200] or "附件"
        if len(data) > MAX_ATTACHMENT_BYTES:
            raise ValidationError(
                {
                    "attachments": f"附件“{name}”超过 "
                    f"{MAX_ATTACHMENT_BYTES // (1024 * 1024)}MB 的大小限制"
                }
            )
        if not data:
            raise ValidationError({"attachments": f"附件“{name}”是空文件"})
        kind = sniff(data)
        if kind is None:
            raise ValidationError(
                {"attachments": f"附件“{name}”的文件内容不是 {ALLOWED_LABEL} 格式"}
            )
        out.append(CheckedFile(name, kind, data, hashlib.sha256(data).hexdigest()))
    return out
