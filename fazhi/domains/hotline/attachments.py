"""Attachment checks: size, count, and the type read from the content.

The name and the declared content type are the sender's claims; the first
bytes are not. A renamed executable or an HTML page called "photo.jpg" is
refused.
"""

import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

from .rules import MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS

ALLOWED_LABEL = "JPG、PNG、PDF"


@dataclass(frozen=True)
class CheckedFile:
    name: str
    kind: str
    data: bytes
    sha256: str

    @property
    def size(self) -> int:
        return len(self.data)


def sniff(data: bytes) -> str | None:
    """The file type from its content, or None when it is not one we accept."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"%PDF-"):
        return "pdf"
    return None


def _read(upload: Any) -> tuple[str, bytes]:
    """Reads at most one byte past the limit: a huge upload is not held."""
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
