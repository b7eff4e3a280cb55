import gzip
import json

import pytest
from django.core.management import call_command

from fazhi.domains.laws.models import Article, Document, Relation, Status
from fazhi.domains.laws.search import search
from fazhi.domains.laws.services import laws_import
from fazhi.kernel.audit.models import AuditEvent

from .conftest import ACTOR, FIXTURE, fixture_records, write_jsonl

pytestmark = pytest.mark.django_db


def _index_rows() -> int:
    from django.db import connection

    table = "laws_articletsv" if connection.vendor == "postgresql" else "laws_fts"
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
        else:
            cur.execute("SELECT count(*) FROM laws_fts_docsize")
        return cur.fetchone()[0]


def test_import_creates_documents_articles_and_index(corpus):
    n = len(fixture_records())
    assert corpus.created == n == Document.objects.count()
    assert corpus.errors == []
    assert corpus.articles == Article.objects.count() > 1000
    assert _index_rows() == Article.objects.count()
    doc = Document.objects.get(title="中华人民共和国政府信息公开条例")
    art = doc.articles.get(number="第三十三条")
    assert "当场答复" in art.text
    assert art.heading.startswith("第四章")
    assert doc.level == "行政法规" and doc.region == "全国"
    events = AuditEvent.objects.filter(action="laws.import")
    assert events.count() == 1
    assert events.get().payload["created"] == n


def test_reimport_changes_nothing(corpus):
    before = list(Article.objects.order_by("pk").values_list("pk", "text"))
    again = laws_import(actor=ACTOR, path=FIXTURE)
    assert (again.created, again.updated) == (0, 0)
    assert again.unchanged == len(fixture_records())
    assert list(Article.objects.order_by("pk").values_list("pk", "text")) == before
    assert _index_rows() == len(before)
    assert AuditEvent.objects.filter(action="laws.import").count() == 2


def test_changed_record_replaces_its_articles_and_index_rows(corpus, tmp_path):
    records = fixture_records()
    target = next(r for r in records if r["title"] == "保障农民工工资支付条例")
    target["text"] = (
        target["text"].replace("拖欠", "欠付") + "\n\n第九十九条 测试新增的条文。"
    )
    report = laws_import(actor=ACTOR, path=write_jsonl(tmp_path / "c.jsonl", records))
    assert (report.created, report.updated) == (0, 1)
    doc = Document.objects.get(source_id=target["id"])
    assert doc.articles.filter(number="第九十九条").exists()
    assert _index_rows() == Article.objects.count()
    ids = {h.document_id for h in search("欠付 农民工工资").hits}
    assert doc.pk in ids
    # The old wording is gone from the index (one word: no "any word" fallback).
    assert doc.pk not in {h.document_id for h in search("拖欠", per_page=30).hits}


def test_malformed_lines_are_reported_by_number_and_skipped(db, tmp_path):
    records = fixture_records()[:3]
    path = write_jsonl(
        tmp_path / "bad.jsonl",
        [*records, records[0]],  # the same source id again on line 6
        {2: "{not json", 3: json.dumps({"id": "x", "title": "无正文"})},
    )
    report = laws_import(actor=ACTOR, path=path)
    assert report.created == 3
    lines = dict(report.errors)
    assert set(lines) == {2, 3, 6}
    assert "JSON" in lines[2] and "text" in lines[3] and "重复" in lines[6]
    assert Document.objects.count() == 3


def test_versions_and_interpretations_become_relations(corpus):
    old, new = Document.objects.filter(title="上海市优化营商环境条例").order_by(
        "version_date"
    )
    assert (old.status, new.status) == (Status.AMENDED, Status.IN_FORCE)
    assert Relation.objects.filter(
        source=new, target=old, kind=Relation.Kind.AMEND
    ).exists()
    interp = Document.objects.get(title__contains="侵权责任编的解释")
    assert Relation.objects.filter(
        source=interp,
        kind=Relation.Kind.INTERPRET,
        target__title="中华人民共和国民法典",
    ).exists()
    expired = Document.objects.get(title="上海市住宅物业管理规定")
    assert expired.status == Status.EXPIRED


def test_command_imports_and_reports(db, tmp_path, capsys):
    gz = tmp_path / "s.jsonl.gz"
    with gzip.open(gz, "wt", encoding="utf-8") as f:
        f.write(
            "\n".join(json.dumps(r, ensure_ascii=False) for r in fixture_records()[:2])
        )
        f.write("\n[1, 2]\n")
    call_command("laws", "import", str(gz), "--quiet")
    out = capsys.readouterr()
    assert "新增 2 件" in out.out
    assert "第 3 行" in out.err


def test_the_demo_library_imports_once(db):
    from fazhi.domains.laws.demo import EXTRACT, load_laws_demo

    n = load_laws_demo(path=EXTRACT)
    assert n == Document.objects.count() > 20
    assert search("行政处罚法").total > 0
    assert load_laws_demo(path=EXTRACT, progress=True) == n  # nothing doubled


def test_region_and_decree_number_as_a_reader_expects(db, tmp_path):
    history = [
        {"date": "2007-04-05", "event": "中华人民共和国国务院令第492号公布"},
        {"date": "2019-04-03", "event": "中华人民共和国国务院令第711号修订"},
        {"date": "2030-01-01", "event": "中华人民共和国国务院令第999号修订"},
    ]
    recs = [
        {"id": "gk2019", "title": "中华人民共和国政府信息公开条例", "level": "行政法规",
         "category": "行政法规", "version_date": "2019-04-03", "history": history,
         "text": "第一条 为了保障公民依法获取政府信息，制定本条例。"},
        {"id": "gab", "title": "公安机关办理行政案件程序规定", "level": "部门规章",
         "category": "部门规章/公安部", "text": "第一条 为了规范程序，制定本规定。"},
        {"id": "case", "title": "某消费纠纷案", "level": "案例",
         "category": "案例/消费购物", "text": "第一条 案情。"},
        {"id": "sh", "title": "上海市优化营商环境条例", "level": "地方性法规",
         "category": "地方性法规/上海", "text": "第一条 为了优化营商环境。"},
    ]  # fmt: skip
    laws_import(actor=ACTOR, path=write_jsonl(tmp_path / "r.jsonl", recs))
    doc = {d.source_id: d for d in Document.objects.all()}
    # The 2019 text was revised by 第711号; a later decree is not its own.
    assert doc["gk2019"].doc_number == "中华人民共和国国务院令第711号"
    # A ministry is not a region and a case topic is none.
    assert doc["gab"].region == "全国"
    assert doc["case"].region == ""
    assert doc["sh"].region == "上海"


def test_the_migration_corrects_documents_already_stored(db, tmp_path):
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "fazhi.domains.laws.migrations.0004_region_and_order_number"
    )
    history = [
        {"date": "2007-04-05", "event": "中华人民共和国国务院令第492号公布"},
        {"date": "2019-04-03", "event": "中华人民共和国国务院令第711号修订"},
    ]
    recs = [
        {"id": "gk", "title": "中华人民共和国政府信息公开条例", "level": "行政法规",
         "version_date": "2019-04-03", "history": history, "text": "第一条 目的。"},
        {"id": "gab", "title": "某规定", "level": "部门规章", "text": "第一条 目的。"},
        {"id": "nd", "title": "某规范性文件", "level": "规范性文件",
         "category": "规范性文件/黄石市", "text": "第一条 目的。"},
    ]  # fmt: skip
    laws_import(actor=ACTOR, path=write_jsonl(tmp_path / "m.jsonl", recs))
    # As the old importer stored them.
    Document.objects.filter(source_id="gk").update(doc_number="国务院令第492号")
    Document.objects.filter(source_id="gab").update(region="公安部")
    Document.objects.filter(source_id="nd").update(doc_number="黄政规〔2026〕1号")
    migration.forwards(apps, None)
    doc = {d.source_id: d for d in Document.objects.all()}
    assert doc["gk"].doc_number == "中华人民共和国国务院令第711号"
    assert doc["gab"].region == "全国"
    assert doc["nd"].doc_number == "黄政规〔2026〕1号"  # no decree: kept
    assert doc["nd"].region == "黄石市"
