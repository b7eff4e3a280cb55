"""Fixes from the fresh-eyes trial of the law query platform (public search,
reading view, staff search, API). Each test failed on the code before its fix."""

import re

import pytest

from fazhi.domains.laws.models import Document

pytestmark = pytest.mark.django_db


def _fuyi_2023() -> Document:
    return Document.objects.get(
        title="中华人民共和国行政复议法", version_date="2023-09-01"
    )


def _toc(html: str) -> list[str]:
    block = html.split('class="portal-section law-toc"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'<a href="#[^"]+">([^<]+)</a>', block)


def test_toc_lists_each_section_once(client, corpus):
    doc = _fuyi_2023()
    toc = _toc(client.get(f"/laws/{doc.pk}/").content.decode())
    assert "第一节 行政复议范围" in toc
    assert len(toc) == len(set(toc)), toc
    # chapters and sections in reading order
    assert toc.index("第二章 行政复议申请") < toc.index("第一节 行政复议范围")
