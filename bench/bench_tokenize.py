"""Tokeniser and normaliser throughput on real law text.

    python bench/bench_tokenize.py [--chars 1500000] [--repeat 3]

Reads the first N characters of /work/shared/corpus/laws.jsonl.gz (mainland
Simplified law text), builds both engines with the legal user dictionary and
times them on the same paragraphs. jieba is the baseline: every ratio printed
is against the jieba figure measured in this same run, so the numbers compare
on any machine. normalise() is timed on the same text (Simplified, the common
case) and on the same text converted to Traditional/Taiwan wording with
OpenCC s2twp (the worst case), against a plain str.translate baseline.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
django.setup()

from fazhi.kernel.textzh.normalise import fold, normalise  # noqa: E402
from fazhi.kernel.textzh.segment import (  # noqa: E402
    build_engine,
    index_text,
    legal_terms,
    tokenize,
)

CORPUS = (
    Path(os.environ.get("FAZHI_SHARED_DIR", "/work/shared")) / "corpus/laws.jsonl.gz"
)


def load_paragraphs(limit: int) -> list[str]:
    out: list[str] = []
    total = 0
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        for line in f:
            for para in json.loads(line)["text"].split("\n"):
                if para.strip():
                    out.append(para)
                    total += len(para)
            if total >= limit:
                break
    return out


def best_of(repeat: int, fn: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def row(label: str, seconds: float, chars: int, baseline: float) -> None:
    rate = chars / seconds / 1e6
    ratio = baseline / seconds
    print(f"  {label:<34} {seconds:8.3f} s {rate:8.2f} M chars/s  x{ratio:6.2f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chars", type=int, default=1_500_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    paras = load_paragraphs(args.chars)
    chars = sum(map(len, paras))
    utf8 = sum(len(p.encode()) for p in paras)
    terms = [t for t, _ in legal_terms()]
    print(f"text: {len(paras)} paragraphs, {chars:,} chars, {utf8 / 1e6:.2f} MB UTF-8")
    print(f"user dictionary: {len(terms)} terms")

    engines = {}
    print("start-up (engine + user dictionary):")
    for name in ("jieba", "rjieba"):
        start = time.perf_counter()
        engines[name] = build_engine(name)
        print(f"  {name:<8} {time.perf_counter() - start:6.3f} s")

    print(f"segmentation (best of {args.repeat}; ratio vs jieba in this run):")
    for mode in ("cut_for_search", "cut"):
        base = best_of(
            args.repeat, lambda m=mode: [getattr(engines["jieba"], m)(p) for p in paras]
        )
        row(f"jieba  {mode}", base, chars, base)
        if mode == "cut_for_search":
            jieba_cfs = base
        fast = best_of(
            args.repeat,
            lambda m=mode: [getattr(engines["rjieba"], m)(p) for p in paras],
        )
        row(f"rjieba {mode}", fast, chars, base)

    print("what search indexing runs (normalise + segment; ratio vs jieba above):")
    tokenize(paras[0])  # warm the engine() the two below share
    for label, fn in (
        ("tokenize (token list)", tokenize),
        ("index_text (index string)", index_text),
    ):
        run = best_of(args.repeat, lambda f=fn: [f(p) for p in paras])
        row(label, run, chars, jieba_cfs)

    same = sum(
        engines["jieba"].cut_for_search(p) == engines["rjieba"].cut_for_search(p)
        for p in paras
    )
    print(f"identical search-mode output: {same}/{len(paras)} paragraphs")
    for name, eng in engines.items():
        kept = sum(t in eng.cut(f"依法{t}。") for t in terms)
        print(f"user-dictionary terms kept whole by {name}: {kept}/{len(terms)}")

    print("normalise (ratio vs str.translate width folding in this run):")
    from fazhi.kernel.textzh.normalise import _TABLE

    base = best_of(args.repeat, lambda: [p.translate(_TABLE) for p in paras])
    row("str.translate (baseline)", base, chars, base)
    row("fold", best_of(args.repeat, lambda: [fold(p) for p in paras]), chars, base)
    row(
        "normalise, Simplified text",
        best_of(args.repeat, lambda: [normalise(p) for p in paras]),
        chars,
        base,
    )
    from opencc import OpenCC

    sample = paras[: max(1, len(paras) // 20)]
    s_chars = sum(map(len, sample))
    traditional = [OpenCC("s2twp").convert(p) for p in sample]
    row(
        f"normalise, Traditional ({s_chars:,} ch)",
        best_of(1, lambda: [normalise(p) for p in traditional]),
        s_chars,
        base * s_chars / chars,
    )


if __name__ == "__main__":
    main()
