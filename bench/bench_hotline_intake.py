"""12345 intake throughput against a bare ORM insert of the same rows.

    python bench/bench_hotline_intake.py [--tickets 500] [--rounds 3] [--history 2000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h1bench \
        python bench/bench_hotline_intake.py

Works in a database of its own: a temporary SQLite file, or on PostgreSQL a
database named `<name>_hotline_bench` next to the one DATABASE_URL names
(created and dropped here; the named one is never touched). Settings as in
production: FAZHI_DEBUG=0 unless set (DEBUG logs every query). The demo
agencies and 权责清单 are loaded, and `--history` routed tickets of the past
year so the suggestion's history side has rows to match.

Each ticket is its own transaction, as on the portal:

  bare     Case + Ticket rows created through the ORM (no validation, no
           suggestion, no clock, no audit): the floor
  intake   ticket_submit exactly as the portal calls it (idempotency key of
           the form): validate, normalise, keywords, dispatch suggestion
           (权责清单 + history), duplicate check, number, case, audit chain,
           and whatever hooks the services run (the dashboard roll-up)
  batch    tickets_import, BATCH rows per call on the API channel: the same
           work per ticket, one transaction and commit per call

The two alternate for `--rounds` rounds of `--tickets` each, so both see the
same load from whatever else runs on the machine; the best round of each is
reported (and the median). Prints tickets/s and the ratio bare/intake. The
issue's target is >= 1,000 tickets/s on SQLite.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

BATCH = 100
TEXTS = (
    "{place}{n}号超市销售过期食品，商家拒绝退款，请市场监管部门查处{extra}",
    "{place}{n}号楼旁工地夜间施工噪音扰民，凌晨还在施工{extra}",
    "{place}一家公司拖欠工资{n}个月不发，请劳动监察介入{extra}",
    "{place}{n}路公交站点撤销后出行不便，建议恢复{extra}",
)
# Places and afterthoughts vary the words as callers do, so that batches are
# not a few texts repeated (a batch reuses the suggestion for equal words).
PLACES = (
    "团城山", "下陆区", "铁山区", "西塞山", "黄石港", "大冶市", "阳新县", "花湖",
    "磁湖路", "杭州东路", "湖滨大道", "颐阳路", "桂林北路", "武汉路", "天津路",
    "广州路", "沈家营", "胜阳港", "四棵", "陈家湾", "新下陆", "老下陆",
    "黄思湾", "马家嘴", "金山店",
)  # fmt: skip
EXTRAS = (
    "", "，已经多次反映无果", "，已持续一周", "，希望尽快处理",
    "，影响老人孩子休息", "，附近居民意见很大", "，上次投诉后又出现",
)  # fmt: skip


def text(i: int) -> str:
    return TEXTS[i % 4].format(
        n=i, place=PLACES[i * 7 % len(PLACES)], extra=EXTRAS[i * 11 % len(EXTRAS)]
    )


def _prepare_database() -> tuple[str, Callable[[], None]]:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        parts = urlsplit(url)
        bench_db = f"{parts.path.strip('/') or 'fazhi'}_hotline_bench"
        admin = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {bench_db}")
            conn.execute(f"CREATE DATABASE {bench_db}")
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{bench_db}"))

        def drop() -> None:
            from django.db import connections

            connections.close_all()
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {bench_db} WITH (FORCE)")

        return "postgresql", drop
    tmp = tempfile.TemporaryDirectory(prefix="bench_hotline_")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp.name}/bench.sqlite3"
    return "sqlite", tmp.cleanup


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--history", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=BATCH, help="rows per call")
    args = parser.parse_args()
    globals()["BATCH"] = args.batch
    vendor, cleanup = _prepare_database()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    os.environ.setdefault("FAZHI_DEBUG", "0")
    import django

    django.setup()
    try:
        run(vendor, args.tickets, args.rounds, args.history)
    finally:
        cleanup()


def _seed_history(n: int, centre: Any, on: date) -> None:
    """`n` past tickets routed to the agencies their 权责清单 suggests, spread
    over the last year (bulk rows: they are the background, not the bench)."""
    from django.utils import timezone

    from fazhi.domains.hotline.models import Routing, Ticket
    from fazhi.domains.hotline.suggest import suggest_agencies, ticket_terms
    from fazhi.kernel.workflow.models import Case

    now = timezone.now()
    cases, tickets, routes = [], [], []
    for i in range(n):
        content = text(i)
        cases.append(
            Case(case_type="hotline", number=f"RX-HIST-{i:07d}", state="dispatched",
                 agency=centre, title=content[:60], opened_at=now, updated_at=now)
        )  # fmt: skip
    Case.objects.bulk_create(cases, batch_size=500)
    by_text: dict[str, int] = {}
    for i, case in enumerate(cases):
        content = text(i)
        terms = " ".join(ticket_terms(content))
        day = on - timedelta(days=1 + i % 360)
        if i % 4 not in by_text:
            top = suggest_agencies(content, on=on, words=terms.split())
            by_text[i % 4] = top[0]["agency_id"] if top else centre.pk
        tickets.append(
            Ticket(case=case, ticket_type="complaint", service_code="market",
                   channel="portal", phone=f"135{i:08d}", phone_tail=f"{i:04d}"[-4:],
                   content=content, terms=terms, received_on=day, dispatched_on=day)
        )  # fmt: skip
        routes.append(
            Routing(ticket_id=case.pk, agency_id=by_text[i % 4], role="lead",
                    dispatched_on=day)
        )  # fmt: skip
    Ticket.objects.bulk_create(tickets, batch_size=500)
    Routing.objects.bulk_create(routes, batch_size=500)


def run(vendor: str, n: int, rounds: int, history: int) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from fazhi.demo.huangshi import build_org
    from fazhi.demo.loader import load_responsibility
    from fazhi.domains.hotline.models import ApiClient, Ticket
    from fazhi.domains.hotline.services.intake import CITIZEN, ticket_submit
    from fazhi.domains.hotline.services.intake_batch import tickets_import
    from fazhi.domains.hotline.suggest import ticket_terms
    from fazhi.kernel.audit.services import Actor
    from fazhi.kernel.deadlines.calendar import today
    from fazhi.kernel.org.models import Agency
    from fazhi.kernel.workflow.models import Case

    call_command("migrate", verbosity=0, skip_checks=True)
    agencies = build_org()
    load_responsibility(agencies)
    ticket_terms("预热分词词典")  # jieba loads once per process; not per ticket
    centre = Agency.objects.get(code="420200-ZWJ")
    on, now = today(), timezone.now()
    _seed_history(history, centre, on)
    serial = iter(range(10**9))

    def bare() -> None:
        i = next(serial)
        with transaction.atomic():
            case = Case.objects.create(
                case_type="hotline",
                number=f"BARE-{i:08d}",
                state="received",
                agency=centre,
                title=text(i)[:60],
                opened_at=now,
                updated_at=now,
            )
            Ticket.objects.create(
                case=case,
                ticket_type="complaint",
                service_code="market",
                channel="portal",
                phone=f"139{i:08d}",
                phone_tail=f"{i:08d}"[-4:],
                content=text(i),
                received_on=on,
            )

    def intake() -> Any:
        i = next(serial)
        return ticket_submit(
            actor=CITIZEN,
            channel="portal",
            service_code="market",
            content=text(i),
            phone=f"137{i:08d}",
            idempotency_key=f"form:bench-{i}",
        )

    client = ApiClient.objects.create(
        name="bench", key_prefix="o311_ben", key_hash="0" * 64
    )
    api_actor = Actor("open311:bench")

    def batch() -> None:
        """BATCH tickets per tickets_import call (API channel), counted per
        ticket below; a call is `n // BATCH` of these per round."""
        rows = []
        for _ in range(BATCH):
            i = next(serial)
            rows.append(
                {"service_code": "market", "content": text(i),
                 "phone": f"136{i:08d}", "idempotency_key": f"bulk-{i}"}
            )  # fmt: skip
        tickets_import(actor=api_actor, rows=rows, channel="api", api_client=client)

    intake()  # the catalogue copy is built once per process, not per ticket
    with CaptureQueriesContext(connection) as captured:
        sample = intake()
    rates: dict[str, list[float]] = {"bare": [], "intake": [], "batch": []}
    cpu: dict[str, float] = {"bare": 0.0, "intake": 0.0, "batch": 0.0}
    n = max(BATCH, n // BATCH * BATCH)
    for _ in range(rounds):
        for name, step, calls in (
            ("bare", bare, n),
            ("intake", intake, n),
            ("batch", batch, n // BATCH),
        ):
            start, start_cpu = time.perf_counter(), time.process_time()
            for _ in range(calls):
                step()
            rates[name].append(n / (time.perf_counter() - start))
            cpu[name] += time.process_time() - start_cpu
    best = {k: max(v) for k, v in rates.items()}
    mid = {k: statistics.median(v) for k, v in rates.items()}
    # This process's CPU time (SQLite runs inside it; PostgreSQL's server
    # work is not counted): steadier than wall time on a shared machine.
    per_cpu = {k: n * rounds / v for k, v in cpu.items()}
    print(f"{vendor}: {rounds} rounds of {n} tickets, {history} routed in history")
    print(f"  statements per intake   {len(captured.captured_queries):5d}")
    print(f"  suggestion              {sample.suggestion['agencies'][0]['reasons']}")
    print(
        f"  bare ORM insert   {best['bare']:9.1f} tickets/s (median {mid['bare']:.1f})"
    )
    print(
        f"  ticket_submit     {best['intake']:9.1f} tickets/s "
        f"(median {mid['intake']:.1f})"
    )
    print(
        f"  bare / intake     {best['bare'] / best['intake']:9.2f}x   "
        "(target: intake >= 1000/s on SQLite)"
    )
    print(
        f"  tickets_import    {best['batch']:9.1f} tickets/s "
        f"(median {mid['batch']:.1f}; {BATCH} per call, API channel)"
    )
    print(
        f"  per CPU-second    bare {per_cpu['bare']:.0f}, intake "
        f"{per_cpu['intake']:.0f} tickets (ratio "
        f"{per_cpu['bare'] / per_cpu['intake']:.2f}x), batch {per_cpu['batch']:.0f}"
    )


if __name__ == "__main__":
    main()
