"""From a query plan to ranked articles, in two phases, on either backend.

1. Titles: which documents' titles match each query word (one small index,
   a row per document). A document's title score is the sum over the words
   its title matches.
2. Articles, in tiers: all query words, then (if too few hits) all but one,
   then any one. A word counts as matched by an article when the article's
   heading/text has it, or its document's title does. So a tier is
   - the articles whose own text has the words (one ranked query, LIMIT),
   - plus, for the best-titled documents, their articles that have the words
     the title lacks (one ranked query per title pattern, restricted to those
     documents), or their first articles when the title has every word.
   score = body score + TITLE_WEIGHT × title score; each tier ranks below the
   one before it.

Why: the index used to repeat the title in every article's row, so a common
title word matched ~150,000 rows that all had to be ranked (the p95 of the
judgment set). Now no query ranks more rows than match the article text
itself, or lie in a few dozen documents.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict

from django.db import connection

from fazhi.kernel.textzh import normalise

from .backends import (
    Filters,
    current_backend,
    document_info,
    documents_of,
    filtered_documents,
    id_in,
)
from .query import Group, QueryPlan

CANDIDATES = 300  # ranked rows fetched per query; results page within these
MIN_AND_HITS = 20  # fewer hits than this in a tier: run the next, looser tier
TOP_DOCS = 40  # documents taken from the title phase
TITLE_LIMIT = 300  # a word in more titles than this: no title bm25 for it
PARTS_UNTIL_DF: int | None = 50  # see _without_needless_parts
PATTERN_LIMIT = 100  # ranked rows per query inside the best-titled documents
MAX_PATTERNS = 6  # distinct "which words the title has" sets queried per tier
FIRST_ARTICLES = 5  # shown for a document whose title has every query word
ANY_WORD_SHARE = 0.002  # "any word" tier: words in at most this share of articles
ANY_WORD_MIN_DF = 2000
TITLE_WEIGHT = 5.0  # with TITLE_BM25: measured on the judgment set (benchmarks.md)
TITLE_BM25 = 0.5  # length-normalised title match, on top of its idf
# A preference for the higher-level instrument when texts match about equally
# well: a citizen asking about 法律援助 or 突发事件预警 wants the national law
# before the dozens of local regulations that repeat it, and the higher law
# prevails (立法法 art. 99; art. 88 before 2023). A score is multiplied by
# 1 + the prior. On the judgment set (2026-12-06) priors a fifth of these
# gave nDCG@10 0.79 and these 0.83, no query worse; larger ones gained
# nothing more. A query naming a local instrument still finds it by title.
NAMED_BONUS = 20.0  # the query is exactly a document's title (but 中华人民共和国)
NATIONAL = "中华人民共和国"
LEVEL_PRIOR = {"宪法": 0.75, "法律": 0.75, "行政法规": 0.5, "司法解释": 0.25}
# The text in force before its superseded versions when both match about
# equally (the same article of the 2020 and the 2024 text): people who want
# an old text filter by status or open the version history. Kept small: at
# -0.2 an old version's apt article fell below a loosely related one
# (nDCG@10 0.84 -> 0.82); at -0.05 it costs 0.006 and reorders near ties.
STATUS_PRIOR = {"已修改": -0.05, "已废止": -0.05, "失效": -0.05}

Row = tuple[int, int, float]  # article id, document id, score
BodyRow = tuple[int, int | None, float]  # the document when the backend knows it


def _any_word_groups(groups: list[Group]) -> list[Group]:
    """The words worth an "any one word" query: ranking every article with a
    common word (期限, 规定) or a single character (买, 三, 天) was the slowest
    query of the judgment set, and such a word alone says little. Those words
    still count through titles and the stricter tiers."""
    backend = current_backend()
    words = [g for g in groups if len(g.word) > 1] or list(groups)
    df = backend.doc_freq([g.word for g in words])
    cap = max(ANY_WORD_MIN_DF, ANY_WORD_SHARE * backend.article_count())
    rare = [g for g in words if df.get(g.word, 0) <= cap]
    if not rare:
        rare = [min(words, key=lambda g: df.get(g.word, 0))]
    # A word the index holds whole is not also looked up by its parts here.
    return [g.alone() if df.get(g.word) else g for g in rare]


def _first_articles(documents: list[int], per_document: int) -> list[BodyRow]:
    if not documents:
        return []
    cond, params = id_in("document_id", documents)
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT id, document_id FROM laws_article WHERE {cond} AND ordinal <= %s",  # noqa: S608
            [*params, per_document],
        )
        return [(aid, did, 0.0) for aid, did in cur.fetchall()]


class _Titles:
    """Documents whose title has query words. A title word counts by its
    rarity among titles (idf) plus TITLE_BM25 × its bm25 in the title: bm25
    alone, with its length normalisation, put "法律援助条例" far above
    "中华人民共和国法律援助法" for the same word; idf alone tied every title
    with the word, and the exact short title lost to long local ones."""

    def __init__(self, plan: QueryPlan, filters: Filters) -> None:
        backend = current_backend()
        per_group = backend.title_hits(plan.groups, TITLE_LIMIT)
        titled = {d for hits, _ in per_group for d in hits}
        allowed = filtered_documents(filters, titled)
        total = backend.title_count()
        self.score: dict[int, float] = defaultdict(float)
        covered: dict[int, set[int]] = defaultdict(set)
        self.level: dict[int, str] = {}
        # A single character in a title is rarely the query's subject: the 年
        # of 带薪年假 matched "宪法修正案（1988年）" and its rarity among
        # titles put five amendments above the 年休假 regulation. It counts
        # only when the query has nothing longer.
        longer = any(len(g.word) > 1 for g in plan.groups)
        for i, (hits, df) in enumerate(per_group):
            if longer and len(plan.groups[i].word) == 1:
                continue
            idf = math.log(1 + (total - df + 0.5) / (df + 0.5))
            for did, (s, level) in hits.items():
                if did in allowed:
                    self.score[did] += idf + TITLE_BM25 * s
                    covered[did].add(i)
                    self.level[did] = level
        self.cover = {d: frozenset(c) for d, c in covered.items()}
        # Equal titles (versions, local copies): the higher level first.
        order = {
            d: sc + 1e-3 * LEVEL_PRIOR.get(self.level[d], 0.0)
            for d, sc in self.score.items()
        }
        self.best = heapq.nlargest(TOP_DOCS, order, key=order.__getitem__)


def _tier(
    plan: QueryPlan, filters: Filters, titles: _Titles, need: int
) -> tuple[dict[int, tuple[int, float]], bool]:
    """article id -> (document id, score) for one tier, and whether the
    query is the title of a document found."""
    backend = current_backend()
    groups = plan.groups
    body: dict[int, float] = {}
    doc_of: dict[int, int] = {}

    def keep(rows: list[BodyRow]) -> None:
        for aid, did, s in rows:
            if s > body.get(aid, -1e9):
                body[aid] = s
            if did is not None:
                doc_of[aid] = did

    wide = _any_word_groups(groups) if need == 1 and len(groups) > 1 else groups
    keep(backend.body_hits(wide, need, CANDIDATES, filters=filters))
    patterns: dict[tuple[frozenset[int], int], list[int]] = {}
    for did in titles.best:
        cover = titles.cover[did]
        key = (cover, max(0, need - len(cover)))
        if key in patterns or len(patterns) < MAX_PATTERNS:
            patterns.setdefault(key, []).append(did)
    for (cover, k), docs in patterns.items():
        if k == 0:
            # The title has every word needed: its first articles. (Ranking
            # the ones that mention a query word made no difference on the
            # judgment set and was the slowest query at 1 M articles.)
            keep(_first_articles(docs, FIRST_ARTICLES))
        else:
            rest = [g for i, g in enumerate(groups) if i not in cover]
            keep(backend.body_hits(rest, k, PATTERN_LIMIT, documents=docs))
    out: dict[int, tuple[int, float]] = {}
    named = False
    key = _title_key(plan.rest or plan.text)
    doc_of.update(documents_of([aid for aid in body if aid not in doc_of]))
    info = document_info(set(doc_of.values()))
    for aid, did in doc_of.items():
        if did not in info:  # an index row left by a flushed test database
            continue
        level, title, status = info[did]
        score = body[aid] + TITLE_WEIGHT * titles.score.get(did, 0.0)
        if len(title) - len(key) in (0, len(NATIONAL)) and _title_key(title) == key:
            score += NAMED_BONUS  # the query is this document's title
            named = True
        prior = LEVEL_PRIOR.get(level, 0.0) + STATUS_PRIOR.get(status, 0.0)
        out[aid] = (did, score + abs(score) * prior)
    return out, named


def _title_key(text: str) -> str:
    return "".join(normalise(text).split()).removeprefix(NATIONAL)


def _without_needless_parts(plan: QueryPlan) -> QueryPlan:
    """A word the index holds whole in enough articles is not also looked up
    by its parts: 行政诉讼法 OR (行政 AND 诉讼 AND ...) intersects some of the
    longest posting lists there are, for articles that rarely matter."""
    if not any(g.parts for g in plan.groups) or PARTS_UNTIL_DF is None:
        return plan
    df = current_backend().doc_freq([g.word for g in plan.groups if g.parts])
    groups = [
        g.alone() if df.get(g.word, 0) >= PARTS_UNTIL_DF else g for g in plan.groups
    ]
    return QueryPlan(plan.text, groups, plan.article, plan.rest)


def ranked(plan: QueryPlan, filters: Filters) -> list[Row]:
    """Best first: the tier with every query word, then looser tiers."""
    plan = _without_needless_parts(plan)
    titles = _Titles(plan, filters)
    n = len(plan.groups)
    needs = [n] + ([n - 1] if n > 3 else []) + ([1] if n > 1 else [])
    out: list[Row] = []
    seen: set[int] = set()
    for need in needs:
        if len(out) >= MIN_AND_HITS:
            break
        found, named = _tier(plan, filters, titles, need)
        tier = sorted(
            ((aid, did, s) for aid, (did, s) in found.items() if aid not in seen),
            key=lambda row: -row[2],
        )
        if out and tier:  # below everything the stricter tier found
            floor, top = out[-1][2], tier[0][2]
            tier = [(aid, did, floor - (top - s) - 1e-6) for aid, did, s in tier]
        out += tier
        seen.update(aid for aid, _, _ in tier)
        if named:
            # The query is a title, and that document is found: looser tiers
            # would add articles sharing a few of its words (the whole title
            # of 国有土地上房屋征收与补偿条例 minus one word was the slowest
            # query, 26 ms of 50 judged).
            break
    return out
