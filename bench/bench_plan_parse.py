"""Plan parser time on the reference plan and on 10x, 50x, 100x copies of it.

    python bench/bench_plan_parse.py [--repeat 3] [--plan PATH]

The issue asks for linear growth: the time per character of the 100x text
must stay within ~1.5x of the 1x text's (the "growth" printed last). The
baseline, measured in the same run on the same text, is the least any
matcher must do: the kernel's normalise() of every line (which runs OpenCC on
Traditional sentences), so "vs baseline" compares on any machine. The
reference plan is Traditional, the expensive case for normalise().

Times are CPU seconds of this process (time.process_time), best of N: on the
shared 2-core machine, wall-clock time of a 0.01 s parse swings by 3x with
other processes' load, which would make the growth ratio meaningless.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")

from fazhi.domains.plan.parsing import parse_plan
from fazhi.kernel.textzh import normalise

SHARED = Path(os.environ.get("FAZHI_SHARED_DIR", "/work/shared"))
DEFAULT_PLAN = SHARED / "plans" / "huangshi-2021-2025.txt"
FALLBACK_PLAN = (
    Path(__file__).resolve().parent.parent
    / "fazhi/domains/plan/tests/fixtures/plans/huangshi-2021-2025.txt"
)
GROWTH_LIMIT = 1.5


def best_of(repeat: int, fn: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def baseline(text: str) -> list[str]:
    return [normalise(line) for line in text.split("\n")]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--plan", type=Path, default=None)
    args = parser.parse_args()
    path = args.plan or (DEFAULT_PLAN if DEFAULT_PLAN.exists() else FALLBACK_PLAN)
    text = path.read_text(encoding="utf-8")

    # Warm-up: the OpenCC converter and the parser's tables are built once
    # per process; a long-running server pays that once too.
    start = time.perf_counter()
    first = parse_plan(text)
    print(f"plan: {path.name}, {len(text):,} chars, {len(text.encode()):,} bytes UTF-8")
    print(f"first parse incl. table building: {time.perf_counter() - start:.3f} s")
    tasks = len(first.of_kind("task"))
    print(f"{tasks} tasks, {sum(len(n.targets) for n in first.walk())} targets")

    print(f"parse CPU time (best of {args.repeat}; baseline = normalise() every line):")
    print(
        f"  {'copies':>6} {'chars':>10} {'parse':>9} {'us/char':>8}"
        f" {'baseline':>9} {'vs baseline':>11} {'tasks':>6}"
    )
    per_char: dict[int, float] = {}
    for copies in (1, 10, 50, 100):
        big = "\n".join([text] * copies)
        seconds = best_of(args.repeat, partial(parse_plan, big))
        base = best_of(1 if copies > 10 else args.repeat, partial(baseline, big))
        found = len(parse_plan(big).of_kind("task"))
        assert found == tasks * copies, (found, tasks * copies)
        per_char[copies] = seconds / len(big)
        print(
            f"  {copies:>5}x {len(big):>10,} {seconds:>8.3f}s"
            f" {per_char[copies] * 1e6:>8.2f} {base:>8.3f}s"
            f" {seconds / base:>10.2f}x {found:>6}"
        )
    growth = per_char[100] / per_char[1]
    verdict = "linear" if growth <= GROWTH_LIMIT else "NOT linear"
    print(
        f"growth of time per char, 100x / 1x: {growth:.2f}"
        f" (<= {GROWTH_LIMIT}: {verdict})"
    )
    return 0 if growth <= GROWTH_LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())
