"""Audit append throughput against a plain insert of the same rows.

    python bench/bench_audit.py [--events 5000] [--records 500]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x python bench/bench_audit.py

Works in a database of its own: a temporary SQLite file, or on PostgreSQL a
database named `bench_audit` next to the one DATABASE_URL names (created and
dropped here). Each row is written in its own transaction, as a service writes
one change and its event:

  plain    the same row created through the ORM in a table of the same shape
           and indexes (no head, no hash chain): what a service would do
  raw      the same INSERT as one raw SQL statement: the floor
  audit    fazhi's audit_record (head lock, hash, event insert, head move)
  orm      the first implementation (ORM: SELECT FOR UPDATE, create, update),
           kept here to show what the raw-SQL append gains

Prints events/s of each and the ratios audit/plain (the target is <= 1.5x)
and audit/raw.
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

BENCH_DB = "bench_audit"


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
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")

        return "postgresql", drop
    tmp = tempfile.TemporaryDirectory(prefix="bench_audit_")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp.name}/bench.sqlite3"
    return "sqlite", tmp.cleanup


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--records", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--async-commit",
        action="store_true",
        help="PostgreSQL: synchronous_commit=off, so the disk flush at commit does "
        "not hide the per-event cost of the chain",
    )
    args = parser.parse_args()

    vendor, cleanup = _prepare_database()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    os.environ["FAZHI_DEBUG"] = "0"  # no query log in memory
    import django

    django.setup()
    try:
        run(vendor, args.events, args.records, args.rounds, args.async_commit)
    finally:
        from django.db import connections

        connections.close_all()
        cleanup()


def run(
    vendor: str, events: int, records: int, rounds: int, async_commit: bool
) -> None:
    from django.core.management import call_command
    from django.db import connection, models, transaction
    from django.utils import timezone

    from fazhi.kernel.audit.hashing import GENESIS, event_hash, normalise_payload
    from fazhi.kernel.audit.models import AuditEvent, AuditHead
    from fazhi.kernel.audit.services import audit_record

    call_command("migrate", verbosity=0, skip_checks=True)

    class PlainEvent(models.Model):  # noqa: DJ008 - a bench table
        record_type = models.CharField(max_length=64)
        record_id = models.CharField(max_length=64)
        seq = models.PositiveIntegerField()
        action = models.CharField(max_length=64)
        actor_id = models.BigIntegerField(null=True, blank=True)
        actor_label = models.CharField(max_length=150, blank=True)
        payload = models.JSONField(default=dict, blank=True)
        created_at = models.DateTimeField()
        prev_hash = models.CharField(max_length=64)
        hash = models.CharField(max_length=64)

        class Meta:
            app_label = "audit"
            db_table = "bench_plain_event"
            constraints = [
                models.UniqueConstraint(
                    fields=["record_type", "record_id", "seq"], name="bench_plain_seq"
                )
            ]
            indexes = [
                models.Index(fields=["actor_id", "created_at"], name="bench_actor"),
                models.Index(fields=["created_at"], name="bench_created"),
            ]

    with connection.schema_editor() as editor:
        editor.create_model(PlainEvent)
    if async_commit and vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit = off")

    payload = {"from": "accepted", "to": "handling", "note": "转办至承办机构", "n": 3}
    plain_seq: dict[str, int] = {}

    def plain(i: int) -> None:
        rid = str(i % records)
        plain_seq[rid] = seq = plain_seq.get(rid, 0) + 1
        with transaction.atomic():
            PlainEvent.objects.create(
                record_type="case", record_id=rid, seq=seq, action="case.dispatch",
                actor_id=None, actor_label="system", payload=payload,
                created_at=timezone.now(), prev_hash=GENESIS, hash=GENESIS,
            )  # fmt: skip

    raw_sql = (
        "INSERT INTO bench_plain_event (record_type, record_id, seq, action, "
        "actor_id, actor_label, payload, created_at, prev_hash, hash) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
    )
    payload_field = PlainEvent._meta.get_field("payload")
    raw_seq: dict[str, int] = {}

    def raw(i: int) -> None:
        rid = str(i % records)
        raw_seq[rid] = seq = raw_seq.get(rid, 0) + 1
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                raw_sql,
                ["raw", rid, seq, "case.dispatch", None, "system",
                 payload_field.get_db_prep_save(payload, connection),
                 connection.ops.adapt_datetimefield_value(timezone.now()),
                 GENESIS, GENESIS],
            )  # fmt: skip

    def audit(i: int) -> None:
        with transaction.atomic():
            audit_record(actor=None, action="case.dispatch", record_type="case",
                         record_id=i % records, payload=payload)  # fmt: skip

    def orm(i: int) -> None:
        # The original implementation, for comparison.
        rid = str(i % records)
        body = normalise_payload(payload)
        now = timezone.now()
        with transaction.atomic():
            head = (
                AuditHead.objects.select_for_update()
                .filter(record_type="orm", record_id=rid)
                .first()
            )
            seq, prev = (head.seq + 1, head.hash) if head else (1, GENESIS)
            digest = event_hash(
                record_type="orm", record_id=rid, seq=seq, action="case.dispatch",
                actor_id=None, actor_label="system", payload=body, created_at=now,
                prev_hash=prev,
            )  # fmt: skip
            AuditEvent.objects.create(
                record_type="orm", record_id=rid, seq=seq, action="case.dispatch",
                actor_id=None, actor_label="system", payload=body, created_at=now,
                prev_hash=prev, hash=digest,
            )  # fmt: skip
            if head:
                AuditHead.objects.filter(pk=head.pk).update(seq=seq, hash=digest)
            else:
                AuditHead.objects.create(
                    record_type="orm", record_id=rid, seq=seq, hash=digest
                )

    kinds: dict[str, Callable[[int], None]] = {
        "plain": plain,
        "raw": raw,
        "audit": audit,
        "orm": orm,
    }
    elapsed = dict.fromkeys(kinds, 0.0)
    counter = dict.fromkeys(kinds, 0)
    per_round = max(1, events // rounds)
    for fn in kinds.values():  # warm up caches and connections
        for _ in range(min(200, per_round)):
            fn(10**6)
    # Interleave rounds so drift (cache, WAL growth, autovacuum) hits all kinds.
    for _ in range(rounds):
        for name, fn in kinds.items():
            start = time.perf_counter()
            for _ in range(per_round):
                fn(counter[name])
                counter[name] += 1
            elapsed[name] += time.perf_counter() - start

    rate = {name: counter[name] / elapsed[name] for name in kinds}
    mode = " synchronous_commit=off" if async_commit and vendor == "postgresql" else ""
    print(f"database: {vendor} ({connection.settings_dict['NAME']}){mode}")
    print(f"events: {counter['audit']} per kind, over {records} records, "
          "one transaction each")  # fmt: skip
    for name in kinds:
        print(f"  {name:<6} {rate[name]:>9.0f} events/s  "
              f"{1e6 / rate[name]:>7.1f} us/event")  # fmt: skip
    ratio = rate["plain"] / rate["audit"]
    verdict = "within" if ratio <= 1.5 else "OVER"
    print(f"audit overhead: {ratio:.2f}x plain insert ({verdict} the 1.5x target); "
          f"{rate['raw'] / rate['audit']:.2f}x a raw SQL insert; "
          f"first implementation {rate['plain'] / rate['orm']:.2f}x plain")  # fmt: skip


if __name__ == "__main__":
    main()
