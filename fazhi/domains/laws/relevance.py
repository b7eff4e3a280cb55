"""nDCG@10 and recall@10 of a search function on the judgment set
(`judgments.json`), for the relevance test and the benchmark.

A judged document is found when a top-10 hit has its title (any version;
for an article lookup, the named article). Each judged document counts
once, at its best rank: binary gains, log2 discount.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

JUDGMENTS = Path(__file__).resolve().parent / "judgments.json"
K = 10

Ranked = Sequence[tuple[str, str]]  # (document title, article number) best first


@dataclass
class Score:
    query: str
    ndcg: float
    recall: float
    missing: list[str]


def load_judgments(path: Path = JUDGMENTS) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["judgments"]


def score_query(judgment: dict, ranked: Ranked) -> Score:
    wanted = judgment["relevant"]
    found_at: dict[int, int] = {}
    for rank, (title, article) in enumerate(ranked[:K]):
        for i, rel in enumerate(wanted):
            if i in found_at or rel["title"] != title:
                continue
            if rel.get("article") and rel["article"] != article:
                continue
            found_at[i] = rank
    dcg = sum(1 / math.log2(rank + 2) for rank in found_at.values())
    ideal = sum(1 / math.log2(r + 2) for r in range(min(len(wanted), K)))
    missing = [rel["title"] for i, rel in enumerate(wanted) if i not in found_at]
    return Score(judgment["query"], dcg / ideal, len(found_at) / len(wanted), missing)


def evaluate(
    run: Callable[[str], Ranked], judgments: list[dict] | None = None
) -> tuple[float, float, list[Score]]:
    """Mean nDCG@10, mean recall@10, and the per-query scores."""
    judgments = judgments if judgments is not None else load_judgments()
    scores = [score_query(j, run(j["query"])) for j in judgments]
    n = len(scores) or 1
    return (
        sum(s.ndcg for s in scores) / n,
        sum(s.recall for s in scores) / n,
        scores,
    )


def engine_run(query: str) -> Ranked:
    from .search import search

    return [(h.base_title, h.article) for h in search(query, per_page=K).hits]
