"""Relevance on the real corpus (../shared/corpus): nDCG@10 and recall@10 of
the judgment set must stay above a floor. Imports all 3,471 documents, so
it takes minutes; skipped only when the corpus is not there."""

from pathlib import Path

import pytest
from django.conf import settings

from fazhi.domains.laws.relevance import engine_run, evaluate, load_judgments
from fazhi.domains.laws.services import laws_import

from .conftest import ACTOR

CORPUS = Path(settings.SHARED_DIR) / "corpus" / "laws.jsonl.gz"
# Measured when written: SQLite nDCG 0.83 / recall 0.91, PostgreSQL 0.78 / 0.86;
# with titles in their own index (2026-12-06): SQLite 0.79 / 0.91, PG 0.80 / 0.89.
NDCG_FLOOR = 0.75
RECALL_FLOOR = 0.82


def test_judgment_set_is_large_and_mixed():
    judgments = load_judgments()
    assert len(judgments) >= 40
    kinds = {j["kind"] for j in judgments}
    assert {"article", "title", "topic", "citizen"} <= kinds
    assert sum(j["script"] == "hant" for j in judgments) >= 5


@pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpus is absent")
@pytest.mark.django_db
def test_ndcg_and_recall_at_10_on_the_real_corpus():
    report = laws_import(actor=ACTOR, path=CORPUS)
    assert report.created == 3471 and not report.errors
    ndcg, recall, scores = evaluate(engine_run)
    misses = [(s.query, s.missing) for s in scores if s.missing]
    assert ndcg >= NDCG_FLOOR, misses
    assert recall >= RECALL_FLOOR, misses
