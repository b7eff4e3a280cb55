"""Recompute N open clocks after the calendar changes, and save them.

    DATABASE_URL=postgres://... python bench/bench_recompute.py [N] [--keep]

Default N is 1,000,000 (target: at most 30 s on PostgreSQL). The script
migrates the database in DATABASE_URL, deletes the clocks of a previous run
(name "bench") and any 2027 calendar, inserts N running clocks started in
December 2026 with budgets of 20-60 working days (10% natural days), so
every one reaches into 2027 and is provisional, then loads a 2027 holiday
notice (a made-up one shaped like the real notices; the real one is not
published yet) through the service an
administrator uses. That load replaces the year's days, writes its audit
event and recomputes every clock touching 2027: vectorised engine,
version-guarded UPDATE ... FROM (VALUES ...), one `recompute` ledger entry
per changed clock and one audit event per batch.

Baseline, measured in the same run on the same rows: Django's
`bulk_update(clocks, ["due_date", "provisional"], batch_size=1000)`, i.e.
what a plain ORM save of the values costs, without any computing. It is
linear in the rows and slow (a CASE WHEN per row), so it runs on the first
--baseline-sample rows (default 50,000) and is scaled to N; the printout says so.
A second reference is the floor: one UPDATE statement rewriting all N rows
(no computing, no ledger, no audit), what the database needs at the least.
"""

import argparse
import io
import os
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")

import django

django.setup()

import numpy as np  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import F  # noqa: E402
from django.utils import timezone  # noqa: E402

from fazhi.kernel.deadlines import services  # noqa: E402
from fazhi.kernel.deadlines.calendar import WorkCalendar  # noqa: E402
from fazhi.kernel.deadlines.engine import compute_due  # noqa: E402
from fazhi.kernel.deadlines.models import (  # noqa: E402
    CalendarDay,
    CalendarYear,
    Clock,
    ClockEvent,
)
from fazhi.kernel.deadlines.vector import due_dates  # noqa: E402

NAME = "bench"
NOTICE_2027 = {
    "source": "基准测试用：假设的2027年部分节假日安排",
    "holidays": [
        ("2027-01-01", "2027-01-03", "元旦"),
        ("2027-02-05", "2027-02-13", "春节"),
        ("2027-04-03", "2027-04-05", "清明节"),
        ("2027-05-01", "2027-05-05", "劳动节"),
        ("2027-06-09", "2027-06-09", "端午节"),
        ("2027-09-15", "2027-09-15", "中秋节"),
        ("2027-10-01", "2027-10-07", "国庆节"),
    ],
    "workdays": [("2027-01-30", "春节"), ("2027-02-20", "春节")],
}


def days(first: str, last: str, name: str) -> list[tuple[date, str]]:
    a, b = date.fromisoformat(first).toordinal(), date.fromisoformat(last).toordinal()
    return [(date.fromordinal(o), name) for o in range(a, b + 1)]


def clean() -> None:
    t = connection.ops.quote_name
    with connection.cursor() as c:
        c.execute(
            f"DELETE FROM {t(ClockEvent._meta.db_table)} WHERE clock_id IN "
            f"(SELECT id FROM {t(Clock._meta.db_table)} WHERE name = %s)",
            [NAME],
        )
        c.execute(f"DELETE FROM {t(Clock._meta.db_table)} WHERE name = %s", [NAME])
    CalendarDay.objects.filter(date__year=2027).delete()
    CalendarYear.objects.filter(year=2027).delete()


def insert_clocks(n: int, seed: int) -> None:
    cal = WorkCalendar.load()
    rng = np.random.default_rng(seed)
    lo, hi = date(2026, 12, 1).toordinal(), date(2026, 12, 31).toordinal()
    starts = rng.integers(lo, hi + 1, n, dtype=np.int64)
    budgets = rng.integers(20, 61, n, dtype=np.int64)
    natural = rng.random(n) < 0.1
    due, prov = due_dates(cal, starts, budgets, natural)
    now = timezone.now()
    cols = (
        "name",
        "rule_id",
        "start_date",
        "budget_days",
        "unit",
        "extension_days",
        "pauses",
        "state",
        "due_date",
        "provisional",
        "alert",
        "notified_alert",
        "version",
        "created_at",
    )
    rows = (
        (
            NAME,
            "",
            date.fromordinal(int(s)),
            int(b),
            "natural" if nat else "working",
            0,
            "[]",
            "running",
            date.fromordinal(int(d)),
            bool(p),
            "none",
            "none",
            0,
            now,
        )
        for s, b, nat, d, p in zip(starts, budgets, natural, due, prov, strict=True)
    )
    table = Clock._meta.db_table
    with transaction.atomic(), connection.cursor() as c:
        if connection.vendor == "postgresql":
            buf = io.StringIO()
            for r in rows:
                buf.write("\t".join(str(x) for x in r) + "\n")
            buf.seek(0)
            with c.cursor.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as cp:
                while chunk := buf.read(1 << 20):
                    cp.write(chunk)
        else:
            q = connection.ops.quote_name
            sql = (
                f"INSERT INTO {q(table)} ({', '.join(q(x) for x in cols)}) "
                f"VALUES ({', '.join(['%s'] * len(cols))})"
            )
            c.executemany(sql, list(rows))


def baseline(n: int) -> float:
    """Django bulk_update of `n` of the rows with their own values."""
    t0 = time.perf_counter()
    clocks = list(
        Clock.objects.filter(name=NAME)
        .order_by("pk")
        .only("id", "due_date", "provisional")[:n]
    )
    with transaction.atomic():
        Clock.objects.bulk_update(clocks, ["due_date", "provisional"], batch_size=1000)
    return time.perf_counter() - t0


def floor() -> float:
    """One UPDATE rewriting every bench row: the least the database must do."""
    t0 = time.perf_counter()
    with transaction.atomic():
        Clock.objects.filter(name=NAME).update(version=F("version") + 1)
    return time.perf_counter() - t0


def main() -> None:
    if "DATABASE_URL" not in os.environ:
        sys.exit(
            "Set DATABASE_URL to a database of its own: this bench deletes "
            "and loads calendar data (scripts/bench.sh does)."
        )
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", nargs="?", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=2027)
    ap.add_argument("--keep", action="store_true", help="leave the bench rows in place")
    ap.add_argument("--baseline-sample", type=int, default=50_000)
    args = ap.parse_args()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
    clean()

    t0 = time.perf_counter()
    insert_clocks(args.n, args.seed)
    print(f"inserted {args.n:,} running clocks in {time.perf_counter() - t0:.1f} s")
    provisional = Clock.objects.filter(name=NAME, provisional=True).count()
    print(f"provisional before loading 2027: {provisional:,}")

    m = min(args.n, args.baseline_sample)
    sample = baseline(m)
    base = sample / m * args.n
    print(
        f"baseline  bulk_update: {sample:.2f} s for {m:,} rows = "
        f"{sample / m * 1e6:.1f} us/clock; scaled to {args.n:,}: {base:8.2f} s"
    )

    holidays = [d for h in NOTICE_2027["holidays"] for d in days(*h)]
    workdays = [(date.fromisoformat(d), n) for d, n in NOTICE_2027["workdays"]]
    t0 = time.perf_counter()
    result = services.calendar_year_load(
        actor=None,
        year=2027,
        source=str(NOTICE_2027["source"]),
        holidays=holidays,
        workdays=workdays,
    )
    took = time.perf_counter() - t0
    print(
        f"recompute load 2027 + recompute + save: {took:8.2f} s "
        f"({took / args.n * 1e6:.1f} us/clock); changed {result.recomputed:,} clocks, "
        f"{ClockEvent.objects.filter(clock__name=NAME, kind='recompute').count():,} "
        f"ledger entries"
    )
    # After the recompute, so its dead row versions do not slow the recompute.
    least = floor()
    print(f"floor     one UPDATE of all {args.n:,} rows:  {least:8.2f} s")
    print(
        f"ratio recompute/baseline: {took / base:.2f}x (<1 means faster than the "
        f"plain bulk_update: {base / took:.1f}x faster); recompute/floor: "
        f"{took / least:.1f}x; target <= 30 s for 1M on PostgreSQL"
    )

    # Spot check: stored due dates equal the scalar reference engine.
    cal = WorkCalendar.load()
    sample = Clock.objects.filter(name=NAME).order_by("?")[:500]
    bad = sum(
        1
        for c in sample
        if compute_due(
            start=c.start_date, days=c.budget_days, unit=c.unit, calendar=cal
        ).due
        != c.due_date
    )
    print(f"spot check of 500 clocks against the scalar engine: {bad} mismatches")
    left = Clock.objects.filter(name=NAME, provisional=True).count()
    print(f"provisional after: {left:,}")
    if not args.keep:
        clean()


if __name__ == "__main__":
    main()
