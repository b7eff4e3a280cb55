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


def test_reading_view_shows_each_heading_once_and_no_blank_blocks(client, corpus):
    doc = _fuyi_2023()
    html = client.get(f"/laws/{doc.pk}/").content.decode()
    # the chapter is not repeated in front of each of its sections
    assert "第二章 行政复议申请 / " not in html
    assert html.count(">第二章 行政复议申请</h2>") == 1
    assert html.count(">第一节 行政复议范围</h3>") == 1
    # every table-of-contents link lands on a heading of the text
    block = html.split('class="portal-section law-toc"', 1)[1].split("</section>")[0]
    for anchor in re.findall(r'href="#([^"]+)"', block):
        assert f'id="{anchor}"' in html
    # a preamble holding only a zero-width space is not an empty block
    shown = [
        a
        for a in doc.articles.all()
        if a.number or a.text.replace("\u200b", "").strip()
    ]
    assert html.count('class="law-article"') == len(shown)


def test_search_and_reading_pages_use_one_reading_column(client, corpus):
    doc = _fuyi_2023()
    for url in (f"/laws/{doc.pk}/", "/laws/?q=行政复议"):
        html = client.get(url).content.decode()
        assert '<div class="portal-sections laws-page">' in html
        assert ".portal-sections.laws-page { display: block;" in html


def test_an_older_version_says_so_and_links_the_latest(client, corpus):
    new = _fuyi_2023()
    old = Document.objects.get(
        title="中华人民共和国行政复议法", version_date="2017-09-01"
    )
    html = client.get(f"/laws/{old.pk}/").content.decode()
    assert f'data-newer="{new.pk}"' in html
    assert "这是历史版本，不是现行文本。" in html
    assert "查看最新版本（2023年9月1日版本，有效）" in html
    assert "data-newer" not in client.get(f"/laws/{new.pk}/").content.decode()


def test_a_revision_not_yet_in_force_is_announced_on_the_current_text(client, corpus):
    new = _fuyi_2023()
    old = Document.objects.get(
        title="中华人民共和国行政复议法", version_date="2017-09-01"
    )
    Document.objects.filter(pk=old.pk).update(status="有效")
    Document.objects.filter(pk=new.pk).update(status="尚未生效")
    html = client.get(f"/laws/{old.pk}/").content.decode()
    assert "本文件已修订，修订后的版本尚未施行。" in html
    assert "这是历史版本" not in html


def test_version_on_a_day_says_what_it_found(client, corpus):
    new = _fuyi_2023()
    old = Document.objects.get(
        title="中华人民共和国行政复议法", version_date="2017-09-01"
    )
    # a day some version applied: the page says so
    r = client.get(f"/laws/{old.pk}/", {"on": "2020-06-01"})
    assert "在本库收录的版本中，按施行日期，2020年6月1日适用的是本页所示版本" in (
        r.content.decode()
    )
    # a day before every version: said, not shown as if it were the answer
    html = client.get(f"/laws/{new.pk}/", {"on": "1990-01-01"}).content.decode()
    assert "1990年1月1日时，本库收录的各版本均尚未施行" in html
    assert "适用的是本页所示版本" not in html
    # a mistyped day names the field instead of being dropped silently
    r = client.get(f"/laws/{new.pk}/", {"on": "2020-13-45"})
    assert r.status_code == 200
    assert "“查看某日有效的版本”的日期应写作 YYYY-MM-DD" in r.content.decode()


def test_relations_between_versions_name_the_version(client, corpus):
    new = _fuyi_2023()
    old = Document.objects.get(
        title="中华人民共和国行政复议法", version_date="2017-09-01"
    )
    html = client.get(f"/laws/{new.pk}/").content.decode()
    assert (
        f'<a href="/laws/{old.pk}/">中华人民共和国行政复议法（2017年9月1日版本）</a>'
        in html
    )
    html = client.get(f"/laws/{old.pk}/").content.decode()
    assert (
        f'<a href="/laws/{new.pk}/">中华人民共和国行政复议法（2023年9月1日版本）</a>'
        in html
    )


def _total(html: str) -> int:
    return int(re.search(r'data-total="(\d+)"', html).group(1))


def test_an_ignored_filter_is_named_not_dropped_silently(client, corpus):
    everything = _total(client.get("/laws/", {"q": "条例"}).content.decode())
    html = client.get("/laws/", {"q": "条例", "date_from": "2020-13-45"}).content
    html = html.decode()
    assert "“公布日期自”的值无效，已忽略。" in html
    assert _total(html) == everything
    html = client.get("/laws/", {"q": "条例", "level": "不存在"}).content.decode()
    assert "“效力层级”的值无效，已忽略。" in html


def test_reversed_dates_search_between_them_and_say_so(client, corpus):
    params = {"q": "条例", "date_from": "2019-01-01", "date_to": "2024-12-31"}
    expected = _total(client.get("/laws/", params).content.decode())
    assert expected > 0
    params.update(date_from="2024-12-31", date_to="2019-01-01")
    html = client.get("/laws/", params).content.decode()
    assert _total(html) == expected
    assert "“公布日期自”晚于“公布日期至”，已按两个日期之间检索。" in html


def test_an_overlong_query_is_cut_not_dropped(client, corpus):
    html = client.get("/laws/", {"q": "政府信息公开" + "。" * 500}).content.decode()
    assert _total(html) > 0


def test_a_page_past_the_end_shows_the_last_page(client, corpus):
    first = client.get("/laws/", {"q": "条例"}).content.decode()
    pages = int(re.search(r"第 1 / (\d+) 页", first).group(1))
    assert pages > 1
    html = client.get("/laws/", {"q": "条例", "page": 999}).content.decode()
    assert f"第 {pages} / {pages} 页" in html
    assert html.count("data-hit=") > 0
    assert "没有找到相关法规" not in html


def test_filters_without_a_keyword_list_the_documents(client, corpus):
    laws = Document.objects.filter(level="法律")
    html = client.get("/laws/", {"q": "", "level": "法律"}).content.decode()
    assert "data-browse" in html
    assert _total(html) == laws.count()
    newest = laws.exclude(published=None).order_by("-published").first()
    first_hit = re.search(r'data-hit="(\d+)"', html).group(1)
    assert int(first_hit) == newest.pk
    # a page past the end is the last page here too
    html = client.get("/laws/", {"level": "法律", "page": 50}).content.decode()
    assert "data-hit=" in html
    # no keyword and no filter: still the empty form, no list
    assert "data-total" not in client.get("/laws/", {"q": ""}).content.decode()


def test_api_refuses_a_page_size_it_would_not_honour(client, corpus):
    body = client.get("/api/laws/search", {"q": "条例", "per_page": 5}).json()
    assert body["per_page"] == 5 and len(body["results"]) == 5
    assert body["pages"] == -(-body["total"] // 5)
    for bad in ({"per_page": 0}, {"per_page": -5}, {"per_page": 100}, {"page": 0}):
        r = client.get("/api/laws/search", {"q": "条例", **bad})
        assert r.status_code == 422, bad
        assert r.json()["detail"][0]["loc"][-1] == next(iter(bad))


def test_api_refuses_an_unknown_level_or_status(client, corpus):
    ok = client.get(
        "/api/laws/search", {"q": "条例", "level": "法律", "status": "有效"}
    )
    assert ok.status_code == 200 and ok.json()["total"] > 0
    r = client.get("/api/laws/search", {"q": "条例", "level": "法规"})
    assert r.status_code == 422
    error = r.json()["detail"][0]
    assert error["loc"][-1] == "level" and "效力层级应为以下之一" in error["msg"]
    r = client.get("/api/laws/search", {"q": "条例", "status": "现行有效"})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][-1] == "status"


def test_an_article_number_alone_asks_for_the_law_name(client, corpus):
    html = client.get("/laws/", {"q": "第三十三条"}).content.decode()
    assert "只输入了条文号“第三十三条”。请在前面加上法规名称" in html
    assert "没有找到相关法规" not in html


def test_results_mark_a_superseded_version(client, corpus):
    old = Document.objects.get(
        title="中华人民共和国行政复议法", version_date="2017-09-01"
    )
    new = _fuyi_2023()
    Document.objects.filter(pk=old.pk).update(status="已修改")
    html = client.get("/laws/", {"q": "行政复议 申请"}).content.decode()
    items = re.findall(r'<li data-hit="(\d+)">(.*?)</li>', html, re.S)
    old_items = [body for pk, body in items if int(pk) == old.pk]
    new_items = [body for pk, body in items if int(pk) == new.pk]
    assert old_items and new_items
    assert all("历史版本，非现行文本" in body for body in old_items)
    assert not any("历史版本" in body for body in new_items)
