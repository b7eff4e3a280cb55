"""12345 intake throughput against a bare ORM insert of the same rows.

    python bench/bench_hotline_intake.py [--tickets 300]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x \
        python bench/bench_hotline_intake.py

Works in a database of its own: a temporary SQLite file, or on PostgreSQL a
database named `bench_hotline` next to the one DATABASE_URL names (created and
dropped here). Each ticket is its own transaction, as on the portal:

  bare     Case + Ticket rows created through the ORM (no validation, no
           suggestion, no clock, no audit): the floor
  intake   ticket_submit: validate, normalise, keywords, dispatch suggestion
           (权责清单 + history), duplicate check, number, case, audit

Prints tickets/s of each and the ratio bare/intake. The issue's target is
>= 1,000 tickets/s on SQLite.
"""

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

BENCH_DB = "bench_hotline"
TEXTS = (
    "{n}号超市销售过期食品，商家拒绝退款，请市场监管部门查处",
    "{n}号楼旁工地夜间施工噪音扰民，凌晨还在施工",
    "公司拖欠工资{n}个月不发，请劳动监察介入",
    "{n}路公交站点撤销后出行不便，建议恢复",
)


def _prepare_database() -> tuple[str, Callable[[], None]]:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        parts = urlsplit(url)
        admin = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
            conn.execute(f"CREATE DATABASE {BENCH_DB}")
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{BENCH_DB}"))

        def drop() -> None:
            from django.db import connections

            connections.close_all()
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")

        return "postgresql", drop
    tmp = tempfile.TemporaryDirectory(prefix="bench_hotline_")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp.name}/bench.sqlite3"
    return "sqlite", tmp.cleanup


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=300)
    args = parser.parse_args()
    vendor, cleanup = _prepare_database()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    import django

    django.setup()
    try:
        run(vendor, args.tickets)
    finally:
        cleanup()


def run(vendor: str, n: int) -> None:
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from fazhi.demo.huangshi import build_org
    from fazhi.demo.loader import load_responsibility
    from fazhi.domains.hotline.models import Ticket
    from fazhi.domains.hotline.services.intake import CITIZEN, ticket_submit
    from fazhi.domains.hotline.suggest import ticket_terms
    from fazhi.kernel.deadlines.calendar import today
    from fazhi.kernel.org.models import Agency
    from fazhi.kernel.workflow.models import Case

    call_command("migrate", verbosity=0, skip_checks=True)
    agencies = build_org()
    load_responsibility(agencies)
    ticket_terms("预热分词词典")  # jieba loads once per process; not per ticket
    centre = Agency.objects.get(code="420200-ZWJ")
    on, now = today(), timezone.now()

    start = time.perf_counter()
    for i in range(n):
        with transaction.atomic():
            case = Case.objects.create(
                case_type="hotline",
                number=f"BARE-{i:08d}",
                state="received",
                agency=centre,
                title=TEXTS[i % 4].format(n=i)[:60],
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
                content=TEXTS[i % 4].format(n=i),
                received_on=on,
            )
    bare = n / (time.perf_counter() - start)

    start = time.perf_counter()
    for i in range(n):
        ticket_submit(
            actor=CITIZEN,
            channel="portal",
            service_code="market",
            content=TEXTS[i % 4].format(n=i),
            phone=f"137{i:08d}",
        )
    intake = n / (time.perf_counter() - start)
    print(f"{vendor}: {n} tickets")
    print(f"  bare ORM insert   {bare:9.1f} tickets/s")
    print(f"  ticket_submit     {intake:9.1f} tickets/s")
    print(f"  bare / intake     {bare / intake:9.1f}x   (target: intake >= 1000/s)")


if __name__ == "__main__":
    main()
