import pytest

from fazhi.domains.laws.models import Document

pytestmark = pytest.mark.django_db


def test_portal_search_page_lists_hits_with_article_anchors(client, corpus):
    r = client.get("/laws/", {"q": "政府信息公开条例 第三十三条"})
    assert r.status_code == 200
    html = r.content.decode()
    doc = Document.objects.get(title="中华人民共和国政府信息公开条例")
    art = doc.articles.get(number="第三十三条")
    assert f"/laws/{doc.pk}/#{art.anchor}" in html
    assert "<mark>" in html


def test_portal_search_survives_bad_parameters(client, corpus):
    r = client.get(
        "/laws/", {"q": '")(&|', "date_from": "2020-13-45", "page": "x", "level": "??"}
    )
    assert r.status_code == 200


def test_portal_index_links_the_laws_card(client, db):
    assert 'href="/laws/"' in client.get("/").content.decode()


def test_reading_view_has_toc_articles_and_versions(client, corpus):
    old, new = Document.objects.filter(title="上海市优化营商环境条例").order_by(
        "version_date"
    )
    html = client.get(f"/laws/{new.pk}/").content.decode()
    assert 'class="law-toc"' in html or "law-toc" in html
    assert html.count('class="law-article"') == new.articles.count()
    assert f"/laws/{old.pk}/" in html  # version history
    r = client.get(f"/laws/{new.pk}/", {"on": "2021-06-01"})
    assert r.status_code == 302 and r["Location"].startswith(f"/laws/{old.pk}/")
    assert client.get(f"/laws/{new.pk}/", {"on": "garbage"}).status_code == 200
    assert client.get("/laws/999999/").status_code == 404


def test_api_search_contract_and_bad_input(client, corpus):
    r = client.get("/api/laws/search", {"q": "行政复议", "level": "法律", "page": 2})
    assert r.status_code == 200
    body = r.json()
    assert body["page"] == 2 and body["total"] > 10
    assert {"id", "title", "level", "status", "article", "score", "snippet"} <= set(
        body["results"][0]
    )
    assert client.get("/api/laws/search", {"q": "&|!:*()"}).status_code == 200
    assert client.get("/api/laws/search", {"q": ""}).json()["results"] == []
    assert (
        client.get("/api/laws/search", {"q": "x", "date_from": "bad"}).status_code
        == 422
    )


def test_staff_search_needs_a_staff_role(client, people, corpus):
    assert client.get("/staff/laws/").status_code == 302  # to the login page
    client.force_login(people["outsider"])
    denied = client.get("/staff/laws/", {"q": "行政复议"})
    assert denied.status_code == 403
    # The page says why, and where the public search is.
    assert "公开的法规查询在 /laws/" in denied.content.decode()
    client.force_login(people["scj_handler"])
    r = client.get("/staff/laws/", {"q": "行政复议"})
    assert r.status_code == 200 and "<mark>" in r.content.decode()


def test_search_results_show_the_document_number(client, corpus):
    doc = Document.objects.get(title="中华人民共和国政府信息公开条例")
    Document.objects.filter(pk=doc.pk).update(doc_number="国务院令第711号")
    r = client.get("/laws/", {"q": "政府信息公开条例 第三十三条"})
    assert "国务院令第711号" in r.content.decode()


def test_the_reading_page_leads_back_to_the_search_it_came_from(corpus, client):
    doc = Document.objects.get(title="中华人民共和国行政处罚法")
    url = f"/laws/{doc.pk}/"
    came_from = "http://testserver/laws/?q=%E8%A1%8C%E6%94%BF%E5%A4%84%E7%BD%9A&level=%E6%B3%95%E5%BE%8B"
    body = client.get(url, HTTP_REFERER=came_from).content.decode()
    assert 'href="/laws/?q=%E8%A1%8C%E6%94%BF%E5%A4%84%E7%BD%9A&amp;level=' in body
    # Another site, or no search: the plain portal search.
    for ref in ("http://elsewhere.example/laws/?q=x", "http://testserver/laws/", ""):
        body = client.get(url, HTTP_REFERER=ref).content.decode()
        assert '<a href="/laws/" data-back>' in body
