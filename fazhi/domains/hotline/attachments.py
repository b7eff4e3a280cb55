"""Attachments of 12345 tickets: the kernel's upload checks with this
domain's limits and formats (photos and PDF)."""

from typing import Any

from fazhi.kernel.uploads import CheckedFile, accepted_label, check_uploads
from fazhi.kernel.uploads import sniff as sniff_kind

from .rules import MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS

ACCEPT = ("jpeg", "png", "pdf")
ALLOWED_LABEL = accepted_label(ACCEPT)

__all__ = ["ALLOWED_LABEL", "CheckedFile", "check_files", "sniff"]


def sniff(data: bytes) -> str | None:
    """The file kind from its content, or None when it is not accepted here."""
    kind = sniff_kind(data)
    return kind if kind in ACCEPT else None


def check_files(uploads: list[Any], *, already: int = 0) -> list[CheckedFile]:
    """Validate every upload; ValidationError on the `attachments` field."""
    return check_uploads(
        uploads,
        accept=ACCEPT,
        max_files=MAX_ATTACHMENTS,
        max_bytes=MAX_ATTACHMENT_BYTES,
        already=already,
    )
