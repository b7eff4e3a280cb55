"""The search contract; the same tests run on SQLite (FTS5) and PostgreSQL."""

import json

import pytest
from django.core.management import CommandError, call_command

from fazhi.domains.laws.models import Document
from fazhi.domains.laws.search import Filters, search
from fazhi.domains.laws.services import laws_import

from .conftest import ACTOR, fixture_records, write_jsonl

pytestmark = pytest.mark.django_db


def titles(q, **kw):
    return [h.title for h in search(q, **kw).hits]


def test_article_lookup_puts_the_named_article_first(corpus):
    for q in (
        "政府信息公开条例 第三十三条",
        "政府信息公开条例第33条",
        "政府資訊公開條例 第三十三條",
    ):
        hit = search(q).hits[0]
        assert (hit.title, hit.article) == (
            "中华人民共和国政府信息公开条例",
            "第三十三条",
        ), q
        assert hit.anchor.startswith("a")


def test_article_lookup_does_not_promote_the_same_number_of_other_laws(db, tmp_path):
    # "行政处罚法 第三十二条" listed nine other laws' 第三十二条 before the
    # named law's other articles.
    from fazhi.domains.laws.parsing import article_label

    def law(sid, title, n):
        text = "\n".join(
            f"{article_label(str(i), '')} 依照《中华人民共和国行政处罚法》实施处罚。"
            for i in range(1, n + 1)
        )
        return {"id": sid, "title": title, "level": "法律", "text": text}

    named = "中华人民共和国行政处罚法"
    recs = [law("xzcf", named, 40)] + [
        law(f"o{i}", f"某某{i}处罚办法", 35) for i in range(5)
    ]
    laws_import(actor=ACTOR, path=write_jsonl(tmp_path / "a32.jsonl", recs))
    hits = search("行政处罚法 第三十二条").hits
    assert (hits[0].title, hits[0].article) == (named, "第三十二条")
    assert hits[1].title == named


def test_title_query_finds_the_law(corpus):
    assert titles("行政处罚法")[0] == "中华人民共和国行政处罚法"
    assert "保障农民工工资支付条例" in titles("拖欠农民工工资怎么办")[:3]


def test_simplified_query_finds_traditional_text_and_taiwan_wording(corpus):
    trad = "行政規範性檔案制定和監督管理辦法（示例）"
    assert trad in titles("行政规范性文件制定和监督管理办法")[:3]
    assert trad in titles("规范性文件 备案审查")
    # 最佳化 (Taiwan) is folded to 优化 before matching.
    assert any("优化营商环境" in t for t in titles("最佳化营商环境")[:3])


@pytest.mark.parametrize(
    "q",
    ['a & b | !c : * "x" (y)', "&&||!!", '")(', "NEAR(a b)", "行政* OR 复议",
     "行政复议" * 200, "   ", "", "ＡＢＣ　行政复议", "𠀀𪚥 行政复议", "\x00\u200b"],
)  # fmt: skip
def test_hostile_queries_never_fail(corpus, q):
    page = search(q)
    assert page.total >= 0
    for hit in page.hits:
        assert "<script" not in str(hit.snippet)


def test_operator_characters_are_words_not_syntax(corpus):
    assert titles('"行政复议" AND (申请)')[:1] == titles("行政复议 申请")[:1]
    assert titles("ＡＢＣ　行政复议")  # full-width folds to half-width


def test_filters_level_status_region_and_dates(corpus):
    assert set(
        h.level for h in search("条例", filters=Filters(level="地方性法规")).hits
    ) == {"地方性法规"}
    assert all(
        h.status == "已修改"
        for h in search("营商环境", filters=Filters(status="已修改")).hits
    )
    zj = search("条例", filters=Filters(region="浙江"), per_page=30).hits
    assert zj and {Document.objects.get(pk=h.document_id).region for h in zj} == {
        "浙江"
    }
    from datetime import date

    late = search("行政复议", filters=Filters(date_from=date(2023, 1, 1))).hits
    assert late and all(h.published >= date(2023, 1, 1) for h in late)
    assert search("行政复议", filters=Filters(issuer="国务院%_")).total >= 0


def test_results_are_article_level_and_paginate_without_overlap(corpus):
    first = search("行政复议", page=1, per_page=5)
    second = search("行政复议", page=2, per_page=5)
    assert first.total == second.total > 10
    ids1 = [h.article_id for h in first.hits]
    assert len(ids1) == 5 and not set(ids1) & {h.article_id for h in second.hits}
    assert any(h.article for h in first.hits)
    # No document crowds the first page.
    docs = [h.document_id for h in first.hits]
    assert max(docs.count(d) for d in docs) <= 3


def test_snippets_escape_html_then_mark(db, tmp_path):
    rec = {"id": "html1", "title": "测试条例", "level": "其他",
           "text": "第一条 <script>alert(1)</script> 行政复议 & 其他。"}  # fmt: skip
    laws_import(actor=ACTOR, path=write_jsonl(tmp_path / "h.jsonl", [rec]))
    snippet = str(search("行政复议").hits[0].snippet)
    assert "<script>" not in snippet and "&lt;/script&gt;" in snippet
    assert "<mark>行政复议</mark>" in snippet and "&amp;" in snippet


def test_did_you_mean_for_a_near_miss_title(corpus):
    assert (
        search("政府信息公开条列", exact=True).suggestion
        == "中华人民共和国政府信息公开条例"
    )
    assert search("中华人民共和国行政处罚法").suggestion == ""


def test_reindex_rebuilds_the_same_results(corpus):
    before = [(h.article_id, h.score) for h in search("行政复议 申请").hits]
    call_command("search", "reindex")
    assert [(h.article_id, h.score) for h in search("行政复议 申请").hits] == before


def test_cli_json_contract(corpus, capsys):
    call_command("search", "行政复议", "--level", "法律", "--limit", "3", "--json")
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 3
    for row in rows:
        assert list(row) == [
            "id",
            "title",
            "level",
            "status",
            "article",
            "score",
            "snippet",
        ]
        assert row["level"] == "法律"
    call_command("search", "--query", "reindex", "--json")
    assert json.loads(capsys.readouterr().out) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--level", "法律x"], "法律x"),
        (["--status", "现行有效"], "现行有效"),
        (["--limit", "0"], "--limit"),
        (["--limit", "100"], "--limit"),
        (["--page", "0"], "--page"),
    ],
)
def test_cli_refuses_what_it_would_quietly_change(corpus, args, message):
    # These printed [] (an unknown level) or changed the limit unannounced.
    with pytest.raises(CommandError, match=message):
        call_command("search", "行政复议", *args, "--json")


def test_fixture_titles_are_all_findable(corpus):
    for rec in fixture_records():
        if rec["level"] == "案例":
            continue
        found = titles(rec["title"], per_page=30)
        assert any(t.startswith(rec["title"]) for t in found), rec["title"]


def test_one_word_in_the_title_and_another_in_the_article_text(corpus):
    # Titles are indexed once per document, not in every article's row; a
    # query word found only in the title still counts for its articles.
    hit = search("政府信息公开条例 当场答复").hits[0]
    assert (hit.title, hit.article) == ("中华人民共和国政府信息公开条例", "第三十三条")


def test_reindex_replaces_an_index_of_the_old_layout(corpus):
    from django.db import connection

    from fazhi.domains.laws.search.backends import current_backend

    before = [h.article_id for h in search("行政复议 申请").hits]
    if connection.vendor == "sqlite":  # the layout with the title in every row
        with connection.cursor() as cur:
            cur.execute("DROP TABLE laws_fts")
            cur.execute(
                "CREATE VIRTUAL TABLE laws_fts USING fts5(title, heading, body, "
                "content='')"
            )
    current_backend().create()
    call_command("search", "reindex")
    assert [h.article_id for h in search("行政复议 申请").hits] == before


def _fillers(n):
    """Unrelated documents, so that title words have realistic rarity."""
    subjects = (
        "森林防火",
        "道路运输",
        "城市供水",
        "档案管理",
        "气象灾害防御",
        "文物保护",
        "种子管理",
        "河道管理",
        "物业服务",
        "殡葬管理",
    )
    return [
        {"id": f"filler{i}", "title": f"某省{subjects[i % 10]}办法（第{i}号）",
         "level": "地方政府规章",
         "text": f"第一条 为了加强{subjects[i % 10]}，制定本办法。"}
        for i in range(n)
    ]  # fmt: skip


def test_a_single_character_in_a_title_does_not_outrank_the_subject(db, tmp_path):
    # The 年 of 带薪年假 once matched "宪法修正案（1988年）" by title; among
    # 3,471 titles it was rare enough to put every amendment above the
    # regulation on paid annual leave (PostgreSQL, 2026-12-06).
    from fazhi.domains.laws.search.query import build_plan
    from fazhi.domains.laws.search.rank import _Titles

    recs = [
        {"id": f"amend{y}", "title": f"中华人民共和国宪法修正案（{y}年）",
         "level": "宪法", "text": "第一条 宪法第十一条增加规定。"}
        for y in (1988, 1993, 1999, 2004)
    ] + [
        {"id": "leave", "title": "职工带薪年休假条例", "level": "行政法规",
         "text": "第二条 职工连续工作1年以上的，享受带薪年休假。\n"
                 "第三条 职工累计工作已满1年不满10年的，年休假5天。"},
    ] + _fillers(20)  # fmt: skip
    laws_import(actor=ACTOR, path=write_jsonl(tmp_path / "leave.jsonl", recs))
    scored = _Titles(build_plan("带薪年假有几天"), Filters()).score
    leave = Document.objects.get(title="职工带薪年休假条例").pk
    assert set(scored) == {leave}
    assert titles("带薪年假有几天")[0] == "职工带薪年休假条例"
    # A query of single characters still matches titles by them.
    assert _Titles(build_plan("年"), Filters()).score


def test_the_text_in_force_comes_before_its_superseded_version(db, tmp_path):
    # Reported in a trial: "上海市优化营商环境条例 第八条" listed the 2020 text
    # (已修改) above the 2024 one. The old text here matches a little better
    # (shorter), as amended articles often do.
    base = {"title": "某市优化营商环境条例", "level": "地方性法规"}
    recs = [
        {**base, "id": "v2020", "status": "已修改", "version_date": "2020-04-10",
         "text": "第八条 本市优化营商环境。"},
        {**base, "id": "v2024", "status": "有效", "version_date": "2024-03-01",
         "text": "第八条 本市持续优化营商环境，提升政务服务水平。"},
        *_fillers(10),
    ]  # fmt: skip
    laws_import(actor=ACTOR, path=write_jsonl(tmp_path / "versions.jsonl", recs))
    hits = search("某市优化营商环境条例 第八条").hits
    assert [(h.status, h.article) for h in hits[:2]] == [
        ("有效", "第八条"),
        ("已修改", "第八条"),
    ]


def test_everyday_words_also_search_the_legal_wording(db, tmp_path, client):
    # A citizen says 家暴 and 七天; the law says 家庭暴力 and 七日.
    recs = [
        {"id": "dv", "title": "中华人民共和国反家庭暴力法", "level": "法律",
         "text": "第二条 本法所称家庭暴力，是指家庭成员之间的侵害行为。"},
        {"id": "cp", "title": "中华人民共和国消费者权益保护法", "level": "法律",
         "text": "第二十五条 经营者采用网络方式销售商品，消费者有权自收到商品之日起"
                 "七日内退货，且无需说明理由。"},
        *_fillers(10),
    ]  # fmt: skip
    laws_import(actor=ACTOR, path=write_jsonl(tmp_path / "everyday.jsonl", recs))
    assert titles("家暴")[:1] == ["中华人民共和国反家庭暴力法"]
    assert titles("网购七天无理由退货")[:1] == ["中华人民共和国消费者权益保护法"]
    plan = search("家暴").plan
    assert plan.expansions == [("家暴", "家庭暴力")]
    assert "<mark>家庭暴力</mark>" in str(search("家暴").hits[0].snippet)
    # The page says what else it searched for.
    page = client.get("/laws/", {"q": "家暴"}).content.decode()
    assert "同时按法律用语检索：家暴 → 家庭暴力" in page
    # A title that has the everyday word is still found by it.
    assert search("城市房屋拆迁管理条例").plan.groups[0].word == "城市"


def test_the_everyday_word_table_reads_as_searched(db):
    from fazhi.domains.laws.search.query import _colloquial

    table, pattern = _colloquial()
    assert table["家暴"] == (("家庭暴力",),)
    assert table["退一赔三"] == (("增加", "赔偿", "三倍"),)
    assert pattern.split("买到假货退一赔三") == ["买到假货", "退一赔三", ""]
    # Every line gave at least one word on each side.
    assert all(alts and all(alts) for alts in table.values())


def test_a_title_with_a_typing_slip_is_searched_as_the_title(corpus, client):
    # A trial: "中华人民共和国行证处罚法" put 治安管理处罚法 first while the
    # suggestion below named the right law.
    page = search("中华人民共和国行证处罚法")
    assert page.corrected_from == "中华人民共和国行证处罚法"
    assert page.hits[0].title == "中华人民共和国行政处罚法"
    assert page.suggestion == ""
    # As typed, on request; and no correction when nothing slipped.
    assert search("中华人民共和国行证处罚法", exact=True).corrected_from == ""
    assert search("中华人民共和国行政处罚法").corrected_from == ""
    assert search("行政处罚 听证").corrected_from == ""
    # The article asked for survives the correction.
    hit = search("政府信息公开条列 第三十三条").hits[0]
    assert (hit.title, hit.article) == ("中华人民共和国政府信息公开条例", "第三十三条")
    # The page says so and offers the query as typed.
    body = client.get("/laws/", {"q": "行证处罚法"}).content.decode()
    assert "以下是“中华人民共和国行政处罚法”的结果。" in body
    assert "exact=1" in body
    body = client.get("/laws/", {"q": "行证处罚法", "exact": "1"}).content.decode()
    assert "data-corrected" not in body
    api = client.get("/api/laws/search", {"q": "行证处罚法"}).json()
    assert api["corrected_from"] == "行证处罚法"


@pytest.mark.parametrize(
    ("typed", "title", "slip"),
    [
        ("消费者权益保户法", "中华人民共和国消费者权益保护法", True),
        ("政府信息公开条列", "中华人民共和国政府信息公开条例", True),
        ("行政复议条例", "中华人民共和国行政复议法", False),  # an old name
        ("行政处罚法", "中华人民共和国行政处罚法", False),  # no slip
        ("刑法", "中华人民共和国民法", False),  # too short to tell
    ],
)
def test_what_counts_as_a_slip(typed, title, slip):
    from fazhi.domains.laws.search.suggest import is_misspelt

    assert is_misspelt(typed, title) is slip
