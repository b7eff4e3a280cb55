"""Due dates for 1,000,000 clocks: the vectorised engine vs pandas and numpy.

    python bench/bench_due_dates.py [N] [--pandas-sample 20000]

Clocks: random start dates in 2025-2026, budgets of 1-60 working days. The
calendar is the one the deadlines data migration seeds (chinese-calendar,
2004-2026; 2027 is provisional from the statutory holidays).

Baselines, given the same holiday list:
  pandas CustomBusinessDay   start + CustomBusinessDay(n, holidays=...), per
                             clock (pandas does not vectorise this offset), so
                             it is timed on a sample and scaled to N;
  numpy.busday_offset        vectorised, roll="backward" so that a start on a
                             rest day counts like ours (start day not counted).
Neither can express 调休 (a Saturday that is a working day), so both are
wrong whenever a period crosses one; the share of wrong results is printed.
"""

import argparse
import os
import sys
import time
import warnings
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")

import django

django.setup()

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from fazhi.kernel.deadlines.calendar import WorkCalendar  # noqa: E402
from fazhi.kernel.deadlines.engine import compute_due  # noqa: E402
from fazhi.kernel.deadlines.seed import builtin_years  # noqa: E402
from fazhi.kernel.deadlines.vector import due_dates  # noqa: E402


def load_calendar() -> tuple[WorkCalendar, str]:
    try:
        cal = WorkCalendar.load()
        if cal.years:
            return cal, "database"
    except Exception:
        pass
    years = builtin_years()
    cal = WorkCalendar(
        years={y: "chinese-calendar" for y in years},
        holidays={d: n for y in years.values() for d, n in y["holidays"]},
        workdays={d: n for y in years.values() for d, n in y["workdays"]},
    )
    return cal, "chinese-calendar seed data (no migrated database)"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", nargs="?", type=int, default=1_000_000)
    ap.add_argument("--pandas-sample", type=int, default=20_000)
    ap.add_argument("--scalar-sample", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=2026)
    args = ap.parse_args()

    cal, source = load_calendar()
    rng = np.random.default_rng(args.seed)
    lo, hi = date(2025, 1, 1).toordinal(), date(2026, 12, 31).toordinal()
    starts = rng.integers(lo, hi + 1, args.n, dtype=np.int64)
    budgets = rng.integers(1, 61, args.n, dtype=np.int64)
    natural = np.zeros(args.n, dtype=bool)
    print(
        f"clocks: {args.n:,}  starts 2025-01-01..2026-12-31  budgets 1-60 working days"
    )
    print(f"calendar: {source}; known years {min(cal.years)}-{max(cal.years)}")

    # Vectorised engine: cold (builds the calendar table) and warm.
    t0 = time.perf_counter()
    due, prov = due_dates(cal, starts, budgets, natural)
    cold = time.perf_counter() - t0
    runs = []
    for _ in range(5):
        t0 = time.perf_counter()
        due, prov = due_dates(cal, starts, budgets, natural)
        runs.append(time.perf_counter() - t0)
    ours = min(runs)
    print(
        f"\nfazhi vectorised : {ours:8.3f} s total, "
        f"{ours / args.n * 1e9:8.1f} ns/clock "
        f"(cold, incl. table build: {cold:.3f} s); provisional: {prov.mean():.1%}"
    )

    # The scalar reference (the engine that writes the explanation), on a sample.
    m = min(args.scalar_sample, args.n)
    t0 = time.perf_counter()
    scalar = np.array(
        [
            compute_due(
                start=date.fromordinal(int(starts[i])),
                days=int(budgets[i]),
                unit="working",
                calendar=cal,
            ).due.toordinal()
            for i in range(m)
        ]
    )
    scalar_t = (time.perf_counter() - t0) / m
    disagree = int((scalar != due[:m]).sum())
    print(
        f"fazhi scalar     : {scalar_t * 1e6:8.1f} us/clock on {m:,} clocks; "
        f"disagreements with vectorised: {disagree}"
    )

    # Holidays as pandas/numpy see them: every rest day of the known years
    # plus the statutory holidays of later years; 调休 cannot be expressed.
    years = range(2025, 2029)
    holidays = sorted(
        {d for d in cal.holidays if d.year in years}
        | {d for y in years if not cal.known(y) for d in cal.statutory(y).days}
    )
    tiaoxiu = sum(1 for d in cal.workdays if d.year in years)

    # numpy.busday_offset over all N.
    epoch = date(1970, 1, 1).toordinal()
    np_starts = (starts - epoch).astype("datetime64[D]")
    hol = np.array(holidays, dtype="datetime64[D]")
    cal_np = np.busdaycalendar(holidays=hol)
    t0 = time.perf_counter()
    np_due = np.busday_offset(np_starts, budgets, roll="backward", busdaycal=cal_np)
    np_t = time.perf_counter() - t0
    np_due_ord = np_due.astype(np.int64) + epoch
    np_wrong = float((np_due_ord != due).mean())
    print(
        f"numpy.busday_offset: {np_t:8.3f} s total, "
        f"{np_t / args.n * 1e9:8.1f} ns/clock; "
        f"wrong: {np_wrong:.2%} (no 调休: {tiaoxiu} adjusted workdays in 2025-2028)"
    )

    # pandas CustomBusinessDay, per clock, on a sample; scaled to N.
    k = min(args.pandas_sample, args.n)
    cbd = {
        n: pd.offsets.CustomBusinessDay(n=int(n), holidays=holidays)
        for n in range(1, 61)
    }
    ts = [pd.Timestamp(date.fromordinal(int(o))) for o in starts[:k]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t0 = time.perf_counter()
        pd_due = [ts[i] + cbd[int(budgets[i])] for i in range(k)]
        pd_t = (time.perf_counter() - t0) / k
    pd_ord = np.array([d.date().toordinal() for d in pd_due])
    pd_wrong = float((pd_ord != due[:k]).mean())
    print(
        f"pandas CBD       : {pd_t * 1e6:8.1f} us/clock on a {k:,} sample "
        f"(scaled to {args.n:,}: {pd_t * args.n:,.1f} s); wrong: {pd_wrong:.2%}"
    )

    per_ours = ours / args.n
    print(
        f"\nratio pandas/fazhi: {pd_t / per_ours:,.0f}x faster (target >= 300x); "
        f"numpy.busday_offset/fazhi: {np_t / ours:.2f}x"
    )
    # One example of what 调休 does to the baselines.
    i = int(np.nonzero(np_due_ord != due)[0][0]) if np_wrong else None
    if i is not None:
        s = date.fromordinal(int(starts[i]))
        print(
            f"example: start {s}, {budgets[i]} working days -> fazhi "
            f"{date.fromordinal(int(due[i]))}, "
            f"numpy {date.fromordinal(int(np_due_ord[i]))}"
        )


if __name__ == "__main__":
    main()
