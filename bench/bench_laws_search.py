"""Law search: latency p50/p95, recall@10 and nDCG@10 on the judgment set,
index build rate and size, against baselines measured in the same run.

    DATABASE_URL=... python bench/bench_laws_search.py [--rounds 5] [--import]
    DATABASE_URL=... python bench/bench_laws_search.py --synthetic 1000000

Uses the database in DATABASE_URL (migrated); imports the real corpus
(/work/shared/corpus/laws.jsonl.gz) first when it holds no documents, or
always with --import (timed). Then rebuilds the index (`fazhi search
reindex`, timed) and runs every judged query `rounds` times.

--synthetic N works on a database of its own beside DATABASE_URL's
(SQLite: the file name + "-synthN"; PostgreSQL: the name + "_synthN",
created if missing): the real corpus, then documents recombined from real
articles (document sizes drawn from the real size distribution, titles a
region + a national title, texts real articles) until N articles; see
`grow`. The baselines are skipped there (minutes per query round) unless
--baselines is given (--baseline-rounds R runs them R times, default as
--rounds).

Baselines, each on the same database and queries:
  (a) LIKE scan: every query word must be in the title or the article text;
  (b) PostgreSQL only: the built-in parser on the raw text ('simple'
      to_tsvector of title + text, GIN), plainto_tsquery of the raw query,
      ranked by ts_rank_cd; it cannot segment Chinese;
  (c) PostgreSQL only: our index tokens in the GIN tsvector, any query token
      (OR), ranked by ts_rank_cd over every match.
Also the tokenizer (normalise + tokenize, as indexed) against plain jieba
search-mode cutting on the same text.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
# As deployed: with DEBUG every query is also logged, which for SQLite means
# quoting each parameter again (a few ms on a search).
os.environ.setdefault("FAZHI_DEBUG", "0")


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--import", dest="do_import", action="store_true")
    parser.add_argument("--no-reindex", action="store_true", help="time queries only")
    parser.add_argument("--synthetic", type=int, default=0, metavar="N")
    parser.add_argument(
        "--baselines",
        action="store_true",
        help="with --synthetic: run the baselines too (minutes per round)",
    )
    parser.add_argument("--baseline-rounds", type=int, default=0, metavar="R")
    parser.add_argument("--seed", type=int, default=4)
    return parser.parse_args()


def use_synthetic_database(n: int) -> None:
    """Point DATABASE_URL at the synthetic database beside the given one."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        base, _, name = url.rpartition("/")
        name = f"{name.split('?')[0]}_synth{n}"
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            found = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            if not found:
                conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = f"{base}/{name}"
    else:
        path = Path(url.removeprefix("sqlite:///") or "var/fazhi.sqlite3")
        synth = path.with_name(f"{path.stem}-synth{n}{path.suffix}")
        os.environ["DATABASE_URL"] = f"sqlite:///{synth}"


ARGS = _args()
if ARGS.synthetic:
    use_synthetic_database(ARGS.synthetic)
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from fazhi.domains.laws.models import Article, Document  # noqa: E402
from fazhi.domains.laws.relevance import (  # noqa: E402
    K,
    Ranked,
    engine_run,
    evaluate,
    load_judgments,
)
from fazhi.domains.laws.search.backends import current_backend  # noqa: E402
from fazhi.domains.laws.search.indexing import reindex  # noqa: E402
from fazhi.domains.laws.search.query import build_plan  # noqa: E402
from fazhi.domains.laws.services import laws_import  # noqa: E402
from fazhi.kernel.audit.services import Actor  # noqa: E402
from fazhi.kernel.textzh import tokenize  # noqa: E402
from fazhi.kernel.textzh.segment import build_engine, index_text  # noqa: E402

CORPUS = (
    Path(os.environ.get("FAZHI_SHARED_DIR", "/work/shared")) / "corpus/laws.jsonl.gz"
)
PG = connection.vendor == "postgresql"


def _rows(sql: str, params: list) -> Ranked:
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return [(t, n) for t, n in cur.fetchall()]


def like_run(query: str) -> Ranked:
    plan = build_plan(query)
    words = [g.word for g in plan.groups] or [plan.text]
    cond = " AND ".join(["(d.title LIKE %s OR a.text LIKE %s)"] * len(words))
    params: list = []
    for w in words:
        params += [f"%{w}%", f"%{w}%"]
    sql = (
        "SELECT d.title, a.number FROM laws_article a "
        f"JOIN laws_document d ON d.id = a.document_id WHERE {cond} LIMIT {K}"
    )
    return _rows(sql, params)


def raw_parser_run(query: str) -> Ranked:
    return _rows(
        "SELECT d.title, a.number FROM bench_laws_raw r "
        "JOIN laws_article a ON a.id = r.article_id "
        "JOIN laws_document d ON d.id = a.document_id, "
        "plainto_tsquery('simple', %s) q WHERE r.tsv @@ q "
        "ORDER BY ts_rank_cd(r.tsv, q) DESC LIMIT %s",
        [query, K],
    )


def tokens_or_run(query: str) -> Ranked:
    tokens = list(dict.fromkeys(tokenize(query)))[:32] or ["-"]
    expr = " || ".join(["plainto_tsquery('simple', %s)"] * len(tokens))
    return _rows(
        "SELECT d.title, a.number FROM bench_laws_tokens s "
        "JOIN laws_article a ON a.id = s.article_id "
        f"JOIN laws_document d ON d.id = a.document_id, (SELECT {expr}) AS q(q) "
        "WHERE s.tsv @@ q.q ORDER BY ts_rank_cd(s.tsv, q.q) DESC LIMIT %s",
        [*tokens, K],
    )


def build_tokens_baseline() -> float:
    """Our index tokens, title + heading + text in one GIN tsvector per
    article (what the index held before the title moved to its own table)."""
    started = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_laws_tokens")
        cur.execute(
            "CREATE TABLE bench_laws_tokens AS SELECT s.article_id, "
            "t.tsv || s.tsv AS tsv FROM laws_articletsv s "
            "JOIN laws_doctsv t ON t.document_id = s.document_id"
        )
        cur.execute(
            "CREATE INDEX bench_laws_tokens_gin ON bench_laws_tokens USING gin(tsv)"
        )
        cur.execute("ANALYZE bench_laws_tokens")
    return time.perf_counter() - started


def build_raw_baseline() -> float:
    started = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_laws_raw")
        cur.execute(
            "CREATE TABLE bench_laws_raw AS SELECT a.id AS article_id, "
            "to_tsvector('simple', d.title || ' ' || a.text) AS tsv "
            "FROM laws_article a JOIN laws_document d ON d.id = a.document_id"
        )
        cur.execute("CREATE INDEX bench_laws_raw_gin ON bench_laws_raw USING gin(tsv)")
        cur.execute("ANALYZE bench_laws_raw")
    return time.perf_counter() - started


def measure(name: str, run: Callable[[str], Ranked], rounds: int) -> dict:
    """Wall-time p50/p95 per query, and the same for this process's CPU
    time: with SQLite the whole search runs in this process, so its CPU time
    is what the query costs even while the shared machine is loaded (the
    wall time then includes waiting for a core)."""
    judgments = load_judgments()
    for j in judgments:  # warm caches (tokenizer, title table, pages)
        run(j["query"])
    times: list[float] = []
    cpu: list[float] = []
    for _ in range(rounds):
        for j in judgments:
            t, c = time.perf_counter(), time.process_time()
            run(j["query"])
            times.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
    ndcg, recall, _ = evaluate(run, judgments)
    q = statistics.quantiles(times, n=100)
    qc = statistics.quantiles(cpu, n=100)
    return {
        "name": name,
        "p50": q[49],
        "p95": q[94],
        "max": max(times),
        "cpu50": qc[49],
        "cpu95": qc[94],
        "recall": recall,
        "ndcg": ndcg,
    }


REGIONS = (
    "北京市",
    "天津市",
    "上海市",
    "重庆市",
    "河北省",
    "山西省",
    "辽宁省",
    "吉林省",
    "黑龙江省",
    "江苏省",
    "浙江省",
    "安徽省",
    "福建省",
    "江西省",
    "山东省",
    "河南省",
    "湖北省",
    "湖南省",
    "广东省",
    "海南省",
    "四川省",
    "贵州省",
    "云南省",
    "陕西省",
    "甘肃省",
    "青海省",
    "杭州市",
    "宁波市",
    "南京市",
    "苏州市",
    "武汉市",
    "黄石市",
    "成都市",
    "西安市",
    "广州市",
    "深圳市",
    "厦门市",
    "青岛市",
    "大连市",
    "沈阳市",
)


def grow(n: int, *, seed: int) -> None:
    """Add recombined documents until the database holds `n` articles.

    Each new document: an article count drawn from the real documents'
    counts, a title "<region><national title>" (地方性法规 / 地方政府规章),
    and real articles drawn at random (text, heading, number). Its full
    text is left empty: search never reads it, and it would double the
    database. Deterministic for a given seed; run again, it adds nothing.
    """
    import random

    from django.db import transaction
    from django.db.models import Count

    have = Article.objects.count()
    if have >= n:
        return
    rng = random.Random(seed)
    started = time.perf_counter()
    real = list(Document.objects.exclude(source_id__startswith="synth-"))
    sizes = [
        c
        for c in Document.objects.exclude(source_id__startswith="synth-")
        .annotate(c=Count("articles"))
        .values_list("c", flat=True)
        if c
    ]
    national = [
        d.title.removeprefix("中华人民共和国")
        for d in real
        if d.region in ("", "全国") and d.level != "案例"
    ]
    pool = list(Article.objects.values_list("number", "heading", "text"))
    made = Document.objects.filter(source_id__startswith="synth-").count()
    added_docs = added = 0
    while have + added < n:
        with transaction.atomic():
            docs, sizes_now = [], []
            for _ in range(500):
                if have + added + sum(sizes_now) >= n:
                    break
                made += 1
                size = min(rng.choice(sizes), n - have - added - sum(sizes_now))
                region = rng.choice(REGIONS)
                title = region + rng.choice(national)
                docs.append(
                    Document(
                        source_id=f"synth-{made}",
                        level=rng.choice(("地方性法规", "地方政府规章")),
                        title=title[:300],
                        title_key=title[:500],
                        region=region[:-1],
                        text="",
                        content_hash="",
                    )
                )
                sizes_now.append(size)
            docs = Document.objects.bulk_create(docs)
            arts = []
            for doc, size in zip(docs, sizes_now, strict=True):
                for i in range(1, size + 1):
                    number, heading, text = rng.choice(pool)
                    arts.append(
                        Article(
                            document=doc,
                            ordinal=i,
                            number=number,
                            heading=heading,
                            text=text,
                        )
                    )
            Article.objects.bulk_create(arts, batch_size=2000)
            added += len(arts)
            added_docs += len(docs)
    seconds = time.perf_counter() - started
    print(
        f"synthetic: +{added_docs:,} documents, +{added:,} articles in "
        f"{seconds:.1f} s (rows only; the index is built by the reindex below)"
    )


def tokenizer_ratio(chars: int = 1_000_000) -> tuple[float, float]:
    """What the index build runs per text (normalise + segment + inner words,
    `index_text`) against plain jieba search mode, on the same article texts.
    CPU time of this process, best of two: the machine is shared and wall
    time wanders with the load."""
    texts, n = [], 0
    for text in Article.objects.values_list("text", flat=True).order_by("pk"):
        texts.append(text)
        n += len(text)
        if n >= chars:
            break
    jieba = build_engine("jieba")

    def best(fn: Callable[[str], object]) -> float:
        out = float("inf")
        for _ in range(2):
            t = time.process_time()
            for text in texts:
                fn(text)
            out = min(out, time.process_time() - t)
        return out

    base = best(jieba.cut_for_search)
    ours = best(index_text)
    return n / ours / 1e6, base / ours


def main() -> None:
    args = ARGS
    call_command("migrate", verbosity=0)  # a fresh bench database works too
    print(f"backend: {connection.vendor}, database {connection.settings_dict['NAME']}")
    if args.do_import or not Document.objects.exists():
        t = time.perf_counter()
        report = laws_import(actor=Actor("bench"), path=CORPUS)
        print(
            f"import: {time.perf_counter() - t:.1f} s, {report.created} created, "
            f"{report.updated} updated, {report.unchanged} unchanged, "
            f"{report.articles} articles"
        )
    if args.synthetic:
        grow(args.synthetic, seed=args.seed)
    print(
        f"corpus: {Document.objects.count():,} documents, "
        f"{Article.objects.count():,} articles"
    )
    if not args.no_reindex:
        cpu = time.process_time()
        stats = reindex()
        cpu = time.process_time() - cpu
        size = current_backend().size_bytes()
        rate = stats["chars"] / stats["seconds"] / 1e6
        print(
            f"reindex (build): {stats['articles']:,} articles, "
            f"{stats['chars'] / 1e6:.1f} M chars in {stats['seconds']:.1f} s = "
            f"{stats['articles'] / stats['seconds']:,.0f} articles/s, "
            f"{rate:.2f} M chars/s (this process's CPU {cpu:.1f} s); index size "
            + (f"{size / 1e6:.1f} MB" if size >= 0 else "n/a (no dbstat)")
        )
        mchars, ratio = tokenizer_ratio()
        print(f"tokenizer: {mchars:.2f} M chars/s, x{ratio:.1f} vs plain jieba")
    baselines: list[tuple[str, Callable[[str], Ranked]]] = []
    if not args.synthetic or args.baselines:
        baselines.append(("(a) LIKE scan", like_run))
        if PG:
            print(f"(b) raw-parser index built in {build_raw_baseline():.1f} s")
            print(f"(c) same-token index built in {build_tokens_baseline():.1f} s")
            baselines += [
                ("(b) PG parser, raw text", raw_parser_run),
                ("(c) PG tokens OR + ts_rank_cd", tokens_or_run),
            ]
    base_rounds = args.baseline_rounds or args.rounds
    results = [measure("ours", engine_run, args.rounds)] + [
        measure(name, run, base_rounds) for name, run in baselines
    ]
    ours = results[0]
    if hasattr(os, "getloadavg"):
        print(f"load average at the end: {os.getloadavg()[0]:.1f} (2 cores)")
    print(
        f"{'run':32} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} "
        f"{'cpu p50':>8} {'cpu p95':>8} {'recall@10':>10} {'nDCG@10':>8}"
    )
    for r in results:
        print(
            f"{r['name']:32} {r['p50']:8.1f} {r['p95']:8.1f} {r['max']:8.1f} "
            f"{r['cpu50']:8.1f} {r['cpu95']:8.1f} {r['recall']:10.2f} {r['ndcg']:8.2f}"
        )
    for r in results[1:]:
        print(
            f"ours vs {r['name']}: p95 x{r['p95'] / ours['p95']:.1f} faster, "
            f"recall {ours['recall'] - r['recall']:+.2f}"
        )


if __name__ == "__main__":
    main()
