"""The kernel's upload checks (fazhi.kernel.uploads), shared by every domain."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from fazhi.kernel.uploads import check_uploads, sniff

PDF = b"%PDF-1.7 x"


def zipped(*names):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for n in names:
            z.writestr(n, "x")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (PDF, "pdf"),
        (b"\x89PNG\r\n\x1a\n....", "png"),
        (b"\xff\xd8\xff\xe0....", "jpeg"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1....", "ole"),
        (zipped("[Content_Types].xml", "word/document.xml"), "docx"),
        (zipped("[Content_Types].xml", "xl/workbook.xml"), "xlsx"),
        (zipped("OFD.xml"), "ofd"),
        (zipped("evil.exe"), None),
        (b"PK\x03\x04 not a zip", None),
        (b"MZ\x90\x00", None),
        (b"<html><script>", None),
    ],
)
def test_sniff_reads_the_content_not_the_name(data, kind):
    assert sniff(data) == kind


def check(files, **kw):
    base = {"accept": ("pdf", "png"), "max_files": 2, "max_bytes": 20}
    return check_uploads(files, **{**base, **kw})


def test_accepted_files_come_back_with_kind_and_hash():
    [a, b] = check([("a.pdf", PDF), SimpleUploadedFile("c:\\scans\\b.pdf", PDF)])
    assert (a.name, a.kind, a.size) == ("a.pdf", "pdf", len(PDF))
    assert b.name == "b.pdf" and len(a.sha256) == 64
    assert a.mime == "application/pdf"


@pytest.mark.parametrize(
    ("files", "kw", "words"),
    [
        ([("a.pdf", PDF)] * 3, {}, "最多 2 个"),
        ([("a.pdf", PDF)], {"already": 2}, "最多 2 个"),
        ([("big.pdf", PDF * 5)], {}, "大小限制"),
        ([("e.pdf", b"")], {}, "空文件"),
        ([("x.pdf", b"\xff\xd8\xff\xe0")], {}, "PDF、PNG"),
    ],
)
def test_refusals_name_the_field_and_the_file(files, kw, words):
    with pytest.raises(ValidationError) as err:
        check(files, field="files", **kw)
    assert words in err.value.message_dict["files"][0]
